import pytest

from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats.interchange import to_json, to_srt, to_txt, to_vtt
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.timecode import precise


def seg(start, speaker, *words):
    """A segment of (text, start_ms, end_ms, probability) words."""
    new_words = tuple(NewWord(s, e, f" {t}", p) for t, s, e, p in words)
    text = "".join(w.text for w in new_words).strip()
    return NewSegment(start, new_words[-1].end_ms, text, speaker, new_words)


SEGMENTS = [
    seg(1000, "wearer", ("My", 1000, 1200, 0.9), ("name", 1200, 1500, 0.95),
        ("is", 1500, 1600, 0.9), ("Dave.", 1600, 2000, 0.3)),
    seg(3000, "other", ("Sarah", 3000, 3400, 0.8), ("Whitfield.", 3400, 4000, 0.2)),
]  # fmt: skip


@pytest.fixture
def db(db):
    """The shared two-engine database (tests/conftest.py) with recording 1."""
    database = db
    with database.begin() as session:
        session.add(models.Recording(path="x.mp4", sha256="a" * 64, size_bytes=1,
                                     duration_ms=10_000))  # fmt: skip
    return database


def store(db, segments=SEGMENTS, model="tiny.en"):
    return transcripts.store_transcript(
        db, 1, segments, model=model, device="cpu", compute_type="int8", language="en",
        speaker_confidence=0.8, actor="tip",
    )  # fmt: skip


def test_stored_transcript_reads_back_whole_and_current(db):
    stored = store(db)
    current = transcripts.current_transcript(db, 1)
    assert current == stored
    assert [s.speaker for s in current.segments] == ["wearer", "other"]
    assert [w.text.strip() for w in current.words] == ["My", "name", "is", "Dave.", "Sarah",
                                                        "Whitfield."]  # fmt: skip
    assert current.words[3].low_confidence and not current.words[0].low_confidence
    assert current.low_confidence_share == pytest.approx(2 / 6)


def test_storing_a_new_transcript_replaces_the_current_one_atomically(db):
    first = store(db)
    second = store(db, SEGMENTS[:1], model="base.en")
    assert transcripts.current_transcript(db, 1).id == second.id
    assert transcripts.get_transcript(db, first.id).segments  # the old one is kept, not current
    with db.begin() as session:
        assert session.get(models.Recording, 1).status == "transcribed"


def test_untranscribed_recording_has_no_current_transcript(db):
    assert transcripts.current_transcript(db, 1) is None


def test_word_correction_keeps_times_and_sets_edited(db):
    stored = store(db)
    dave = stored.words[3]
    transcripts.correct_word(db, dave.id, "Davies.")
    again = transcripts.current_transcript(db, 1)
    word = again.words[3]
    assert (word.text, word.start_ms, word.end_ms, word.edited) == (" Davies.", 1600, 2000, True)
    assert again.segments[0].text == "My name is Davies."
    assert again.segments[0].edited
    with pytest.raises(DomainError):
        transcripts.correct_word(db, dave.id, "  ")


def test_speaker_toggle_and_naming(db):
    stored = store(db)
    first = stored.segments[0].id
    assert transcripts.toggle_wearer(db, first) == "other"
    assert transcripts.toggle_wearer(db, first) == "wearer"
    transcripts.set_speaker(db, stored.segments[1].id, "Sarah")
    segments = transcripts.current_transcript(db, 1).segments
    assert [s.speaker for s in segments] == ["wearer", "Sarah"]
    assert all(s.edited for s in segments)


def test_split_then_merge_restores_the_words(db):
    stored = store(db)
    first = stored.segments[0]
    a, b = transcripts.split_segment(db, first.id, first.words[2].id)
    segments = transcripts.current_transcript(db, 1).segments
    assert [s.text for s in segments] == ["My name", "is Dave.", "Sarah Whitfield."]
    assert (segments[0].end_ms, segments[1].start_ms) == (1500, 1500)
    transcripts.merge_segments(db, a, b)
    segments = transcripts.current_transcript(db, 1).segments
    assert [s.text for s in segments] == ["My name is Dave.", "Sarah Whitfield."]
    assert segments[0].end_ms == 2000
    with pytest.raises(DomainError):
        transcripts.split_segment(db, a, segments[0].words[0].id)


def test_a_merge_is_undone_exactly_through_its_words(db):
    stored = store(db)
    first, second = stored.segments
    before = [transcripts.segment_state(db, s.id) for s in stored.segments]
    merged = transcripts.merge_segments(db, first.id, second.id)
    assert transcripts.segment_of_word(db, second.words[0].id) == merged
    # undo: split at the second segment's first word, then put both segments' facts back
    a, b = transcripts.split_segment(db, merged, second.words[0].id)
    transcripts.restore_segment(db, a, before[0])
    transcripts.restore_segment(db, b, before[1])
    again = transcripts.current_transcript(db, 1)
    assert [(s.start_ms, s.end_ms, s.speaker, s.text, s.edited) for s in again.segments] == [
        (1000, 2000, "wearer", "My name is Dave.", False),
        (3000, 4000, "other", "Sarah Whitfield.", False),
    ]


def test_merging_segments_without_words_keeps_their_text(db):
    stored = store(db, [NewSegment(0, 900, "Stop.", "wearer", ()),
                        NewSegment(1000, 1500, "Now.", "wearer", ())])  # fmt: skip
    merged = transcripts.merge_segments(db, *(s.id for s in stored.segments))
    (only,) = transcripts.current_transcript(db, 1).segments
    assert (only.id, only.text, only.end_ms) == (merged, "Stop. Now.", 1500)


def test_json_export_has_the_contract_shape(db):
    data = to_json(store(db), duration_ms=10_000)
    assert set(data) == {"recording", "model", "device", "language", "duration", "segments"}
    assert data["duration"] == 10.0
    segment = data["segments"][1]
    assert set(segment) == {"start", "end", "speaker", "text", "words"}
    assert segment["words"][0] == {"start": 3.0, "end": 3.4, "word": "Sarah", "probability": 0.8}


def test_subtitle_exports_label_speakers(db):
    stored = store(db)
    srt = to_srt(stored)
    assert srt.startswith("1\n00:00:01,000 --> 00:00:02,000\nOfficer (camera): My name is Dave.\n")
    assert "2\n00:00:03,000 --> 00:00:04,000\nOther speaker: Sarah Whitfield." in srt
    assert to_vtt(stored).startswith("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n")
    assert to_txt(stored).splitlines()[1] == "[00:00:03] Other speaker: Sarah Whitfield."


@pytest.mark.parametrize(
    ("ms", "code"), [(0, "00:00:00,000"), (61_001, "00:01:01,001"), (3_723_456, "01:02:03,456")]
)
def test_timecodes(ms, code):
    assert precise(ms, ",") == code  # SRT's form
