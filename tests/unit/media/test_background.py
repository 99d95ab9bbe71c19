import threading

import pytest

from bwvreview.media.background import iterate_in_background


class Stopped(Exception):
    pass


def test_items_arrive_in_order_and_errors_are_re_raised():
    def produce():
        yield from range(5)
        raise ValueError("bad frame")

    got = []
    with pytest.raises(ValueError, match="bad frame"):
        for item in iterate_in_background(produce, None, Stopped):
            got.append(item)
    assert got == [0, 1, 2, 3, 4]


def test_cancel_ends_the_wait_while_the_producer_is_stuck():
    release = threading.Event()
    finished = threading.Event()

    def produce():
        yield "first"
        release.wait()  # stands for an uninterruptible decoding call
        yield "never seen"
        finished.set()

    cancel = threading.Event()
    steps = iterate_in_background(produce, cancel, Stopped)
    assert next(steps) == "first"
    cancel.set()
    with pytest.raises(Stopped):
        next(steps)
    release.set()  # the abandoned producer is told to stop and does not run on
    assert not finished.wait(0.3)


@pytest.mark.parametrize("ending", ["end", "failure"])
def test_a_producer_that_finishes_into_a_full_queue_after_the_consumer_left_still_ends(ending):
    """9 items into a queue of 8: the consumer takes one and leaves while the producer is
    still handing over the rest; the producer's last word (the end, or its error) must not
    wait forever for a consumer that is gone (the thread is not a daemon: the process
    would never exit)."""
    produced = threading.Event()

    def produce():
        yield from range(9)
        produced.set()
        if ending == "failure":
            raise ValueError("after the last item")

    items = iterate_in_background(produce, None, Stopped)
    assert next(items) == 0
    assert produced.wait(5)  # the other 8 fill the queue; its last word is next
    items.close()  # the consumer leaves
    producers = [t for t in threading.enumerate() if t.name == "bwvreview-producer"]
    for thread in producers:
        thread.join(timeout=2)
    assert not any(t.is_alive() for t in producers), "the producer is stuck on a full queue"
