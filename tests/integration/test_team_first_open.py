"""Two people opening a new, empty team library at the same moment both get in."""

import threading

from bwvreview import app


def test_two_first_opens_of_an_empty_team_library_at_once(pg_empty_url, tmp_path):
    errors: list[BaseException] = []
    opened: list[int] = []
    start = threading.Barrier(4)

    def open_it(n: int) -> None:
        try:
            start.wait()
            lib = app.open_library(db_url=pg_empty_url, data_dir=tmp_path / f"user{n}")
            opened.append(lib.codebook_id)
            lib.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    assert len(opened) == 4 and len(set(opened)) == 1  # one codebook row, found by all
