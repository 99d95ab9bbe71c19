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
