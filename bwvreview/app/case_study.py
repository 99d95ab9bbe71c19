"""A de-personalised case study of an incident (or one recording), as Markdown and PDF.

It holds what a TIP would teach from: a summary with no identifying data (no reference,
date, file name, officer or collar number), the timeline of annotations with their notes
and suggested wording, quotes from the transcript with every personal-data hit replaced by
a placeholder such as ``[name]`` or ``[address]`` (the same search as clip export, plus the
incident's people & places list), and officers' reflections only where the officer
consented to share them. Free text written by people (notes, reflections) is searched too.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bwvreview.annotations import review
from bwvreview.annotations.access import CASE_STUDY, require
from bwvreview.annotations.errors import NotFoundError
from bwvreview.annotations.formats.interchange import speaker_label
from bwvreview.annotations.learning import clips, feedback
from bwvreview.annotations.records import Recording
from bwvreview.annotations.review import library, transcripts
from bwvreview.app import Library
from bwvreview.app.handout_pdf import Document, principles_text
from bwvreview.app.polarity import KIND_HEADER, counted, polarity_label, quoted
from bwvreview.app.practice_case_study import PracticeStudy, gather
from bwvreview.app.practice_case_study import markdown as practice_markdown
from bwvreview.app.practice_case_study import pdf as practice_pdf
from bwvreview.app.redacted_text import joined, redact_text, redact_words
from bwvreview.personal_data.finder import TimedWord
from bwvreview.timecode import clock, span

NOTICE = (
    "De-personalised: names, places, contact details and other personal data are replaced"
    " by placeholders such as [name] and [address]. Officers' reflections appear only where"
    " the officer agreed to share them."
)


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str


@dataclass(frozen=True)
class Moment:
    start_ms: int
    end_ms: int
    category: str
    principles: tuple[str, ...]
    polarity: str
    severity: int | None
    note: str
    suggested_wording: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class CaseStudy:
    title: str
    summary: tuple[str, ...]
    moments: tuple[Moment, ...]
    reflections: tuple[tuple[str, str], ...]  # (what it is about, the words)
    markdown: str = field(default="", compare=False)
    practice: PracticeStudy | None = None  # observations, PPN1 review, learning points


def _recordings(lib: Library, target: str) -> list[Recording]:
    """A recording id, or an incident reference (its recordings in time order)."""
    if target.isdigit():
        with contextlib.suppress(NotFoundError):
            return [library.get_recording(lib.db, int(target))]
    found = [r for r in library.list_recordings(lib.db) if r.incident_reference == target]
    if not found:
        raise NotFoundError(f"no recording or incident {target!r} in the library")
    return sorted(found, key=lambda r: (r.recorded_at is None, r.recorded_at, r.id))


def _spoken(
    lib: Library, recording: Recording, listed: Sequence[str]
) -> list[tuple[str, list[TimedWord]]]:
    """The recording's transcript, redacted as a whole: (speaker, words) per segment."""
    transcript = transcripts.current_transcript(lib.db, recording.id)
    if transcript is None:
        return []
    words = [TimedWord(w.text, w.start_ms, w.end_ms) for w in transcript.words]
    shown = redact_words(words, listed)
    segments = transcript.segments
    per_segment: list[list[TimedWord]] = [[] for _ in segments]
    at = 0
    for word in shown:  # a placeholder goes with the segment its first word was in
        while at + 1 < len(segments) and word.start_ms >= segments[at + 1].start_ms:
            at += 1
        per_segment[at].append(word)
    return [(s.speaker, ws) for s, ws in zip(segments, per_segment, strict=True) if ws]


def _quotes_in(
    spoken: Sequence[tuple[str, list[TimedWord]]], start_ms: int, end_ms: int
) -> tuple[Quote, ...]:
    """The redacted words heard during the moment, one quote per segment they fall in."""
    quotes = []
    for speaker, words in spoken:
        inside = [w for w in words if w.end_ms > start_ms and w.start_ms < end_ms]
        if inside:
            quotes.append(Quote(speaker, joined(inside)))
    return tuple(quotes)


def build_case_study(lib: Library, target: str) -> CaseStudy:
    """The case study of ``target`` (recording id or incident reference); CASE_STUDY right."""
    require(lib.db.principal, CASE_STUDY)
    try:
        recordings = _recordings(lib, target)
    except NotFoundError:  # an incident observed in the field may have no footage
        recordings = []
    listed_all = [p for r in recordings for p in clips.people_and_places(lib.db, r.id)]
    cleaned: dict[str, str] = {}
    practice = gather(lib, target, lambda text: cleaned.get(text) or cleaned.setdefault(
        text, redact_text(text, listed_all)))  # fmt: skip
    if not recordings and (practice is None or practice.empty):
        raise NotFoundError(f"no recording or incident {target!r} in the library")
    moments: list[Moment] = []
    reflections: list[tuple[str, str]] = []
    offset = 0
    for recording in recordings:
        listed = clips.people_and_places(lib.db, recording.id)
        redacted: dict[str, str] = {}

        def clean(text: str, listed: Sequence[str] = listed, seen: dict = redacted) -> str:
            if text not in seen:  # the same note on several moments is searched once
                seen[text] = redact_text(text, listed)
            return seen[text]

        spoken = _spoken(lib, recording, listed)
        for a in review.list_annotations(lib.db, recording.id):
            moments.append(
                Moment(
                    offset + a.start_ms, offset + a.end_ms, a.category_label, a.principles,
                    a.polarity, a.severity, clean(a.note), clean(a.suggested_wording),
                    _quotes_in(spoken, a.start_ms, a.end_ms),
                )
            )  # fmt: skip
        for r in feedback.list_reflections(lib.db, recording_id=recording.id, mark_seen=False):
            if r.consent_to_share:
                about = f"on “{r.moment_label}”" if r.moment_label else "on the incident"
                reflections.append((about, clean(r.text)))
        offset += recording.duration_ms
    study = CaseStudy(
        title="Case study: a body-worn video encounter",
        summary=_summary(recordings, moments),
        moments=tuple(moments),
        reflections=tuple(dict.fromkeys(reflections)),
    )
    study = CaseStudy(study.title, study.summary, study.moments, study.reflections,
                      practice=practice)  # fmt: skip
    return CaseStudy(study.title, study.summary, study.moments, study.reflections,
                     render_markdown(study), practice)  # fmt: skip


def _summary(recordings: Sequence[Recording], moments: Sequence[Moment]) -> tuple[str, ...]:
    total = sum(r.duration_ms for r in recordings)
    counts = Counter(m.polarity for m in moments)
    principles = Counter(p for m in moments for p in m.principles)
    lines = [
        f"Footage: {len(recordings)} body-worn video recording"
        f"{'s' if len(recordings) != 1 else ''}, {clock(total, tenths=True)} in all.",
        f"Moments annotated: {len(moments)} — "
        + ", ".join(counted(counts[k], k) for k in ("good_practice", "concern", "observation"))
        + ".",
    ]
    if principles:
        lines.append(
            "Principles touched: "
            + ", ".join(f"{principles_text([p])} ({n})" for p, n in principles.most_common())
            + "."
        )
    lines.append(
        "Who, where and when are left out on purpose: the focus is what happened to the"
        " person and how the officer's words helped or did not."
    )
    return tuple(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "—"


def render_markdown(study: CaseStudy) -> str:
    out = [f"# {study.title}", "", f"_{NOTICE}_", "", "## The incident", ""]
    out += [f"- {line}" for line in study.summary]
    out += ["", "## Timeline", ""]
    if not study.moments:
        out.append("No moments have been annotated yet.")
    else:
        out += [f"| Time | Category | Principle | {KIND_HEADER} | Note | Another way to say it |",
                "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for m in study.moments:
            cells = [span(m.start_ms, m.end_ms), m.category,
                     principles_text(m.principles), polarity_label(m.polarity),
                     m.note, m.suggested_wording]  # fmt: skip
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        out += ["", "## What was said", ""]
        for m in study.moments:
            out += [f"### {clock(m.start_ms, tenths=True)} · {m.category}", ""]
            for q in m.quotes or (Quote("", "(no transcript for this moment)"),):
                who = f"**{speaker_label(q.speaker)}:** " if q.speaker else ""
                out.append(f"> {who}{q.text}")
                out.append(">")
            if out[-1] == ">":
                out.pop()
            out.append("")
    if study.practice is not None and not study.practice.empty:
        out += [*practice_markdown(study.practice, _cell), ""]
    out += ["## Reflections", ""]
    if study.reflections:
        for about, text in study.reflections:
            out += [f"- The officer, {about}:", "", "  > " + text.replace("\n", "\n  > "), ""]
    else:
        out += ["No reflections shared for this incident.", ""]
    return "\n".join(out).rstrip() + "\n"


def write_pdf(study: CaseStudy, path: Path) -> Path:
    doc = Document(study.title)
    doc.add_page()
    doc.heading(study.title, 18)
    doc.para(NOTICE, 9, "I")
    doc.heading("The incident", 13)
    doc.bullets(study.summary)
    doc.heading("Timeline", 13)
    if not study.moments:
        doc.para("No moments have been annotated yet.")
    for m in study.moments:
        doc.rule()
        doc.label(f"{span(m.start_ms, m.end_ms, '-')}   {m.category}")
        polarity = polarity_label(m.polarity)
        doc.para(f"{polarity}   |   Principle: {principles_text(m.principles)}", 9, "B")
        for q in m.quotes:
            doc.para(f"{speaker_label(q.speaker)}: {quoted(q.text)}", 10, "I")
        if m.note:
            doc.para(f"Note: {m.note}")
        if m.suggested_wording:
            doc.para(f"Another way to say it: {quoted(m.suggested_wording)}")
    if study.practice is not None and not study.practice.empty:
        practice_pdf(doc, study.practice)
    doc.heading("Reflections", 13)
    if not study.reflections:
        doc.para("No reflections shared for this incident.")
    for about, text in study.reflections:
        doc.label(f"The officer, {about}:")
        doc.para(text, 10, "I")
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        doc.output(str(partial))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def write_markdown(study: CaseStudy, path: Path) -> Path:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        partial.write_text(study.markdown, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def write_case_study(
    lib: Library, target: str, md_out: Path, pdf_out: Path | None = None
) -> CaseStudy:
    """Build the case study and write the Markdown (and the PDF if asked), each atomically."""
    study = build_case_study(lib, target)
    write_markdown(study, Path(md_out))
    if pdf_out is not None:
        write_pdf(study, Path(pdf_out))
    return study
