import hashlib

from bwvreview.media import hashing


def test_streamed_hash_matches_hashlib_and_reports_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(hashing, "CHUNK_BYTES", 1000)
    monkeypatch.setattr(hashing, "_YIELD_EVERY", 2)
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 40)  # 10,240 bytes: 11 chunks
    steps = hashing.iter_sha256(path)
    fractions = []
    while True:
        try:
            fractions.append(next(steps))
        except StopIteration as finished:
            digest = finished.value
            break
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == 6
