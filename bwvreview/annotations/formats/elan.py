"""ELAN ``.eaf`` (EAF 3.0) export and import of a recording's annotations.

An export has one tier per principle of the codebook (an annotation under two principles
sits on both tiers), an "Observations (no principle)" tier for categories without one, a
"Transcript" tier (one annotation per segment) and a "Speaker" tier that names each
segment's speaker (a symbolic association of the transcript tier, as ELAN links them).
Each coded value reads ``category_key: note``; its ANNOTATION_ID comes from the stored ids,
so exporting twice gives the same ids.

Reading is careful with XML from elsewhere: documents with a DOCTYPE or entity declaration
are refused (the standard library never fetches external entities, and refusing the DTD
rules out entity-expansion bombs); every problem is a ``DomainError`` naming the place.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bwvreview.annotations.access import READ_FOOTAGE, require
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.formats.interchange import speaker_label
from bwvreview.annotations.review import Annotation, list_annotations
from bwvreview.annotations.review.transcripts import Segment, current_transcript
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import Database

TRANSCRIPT_TIER = "Transcript"
SPEAKER_TIER = "Speaker"
NO_PRINCIPLE_TIER = "Observations (no principle)"
MAX_EAF_BYTES = 50 * 1024 * 1024  # an hour's review is well under 5 MB
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class EafAnnotation:
    """One coded moment read from an EAF file."""

    category_key: str
    start_ms: int
    end_ms: int
    note: str


@dataclass(frozen=True)
class EafDocument:
    author: str
    annotations: tuple[EafAnnotation, ...]


@dataclass(frozen=True)
class ExportSource:
    """What an annotation export is made of, read once with the reader's rights checked."""

    recording_id: int
    recording_path: str
    recording_sha256: str
    duration_ms: int
    annotations: tuple[Annotation, ...]
    authors: dict[int, str]  # user id -> name
    principles: tuple[tuple[str, str], ...]  # (key, label) in codebook order
    segments: tuple[Segment, ...]


# --- reading what to export ------------------------------------------------------------


def export_source(
    db: Database, recording_id: int, codebook_id: int, author: str | None = None
) -> ExportSource:
    """Everything an export needs; a TIP's work product, so it needs READ_FOOTAGE.

    With ``author`` (a name, any case) only that person's annotations are taken, so a TIP
    can send their own coding to a colleague.
    """
    require(db.principal, READ_FOOTAGE)
    with db.begin() as session:
        recording = session.get(models.Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"no recording with id {recording_id}")
        book = session.get(models.CodebookVersion, codebook_id)
        principles = tuple((p["key"], p["label"]) for p in (book.principles if book else []))
        path, sha, duration = recording.path, recording.sha256, recording.duration_ms
    annotations = tuple(list_annotations(db, recording_id))
    authors = _author_names(db, {a.author_id for a in annotations if a.author_id})
    if author is not None:
        wanted = {uid for uid, name in authors.items() if name.lower() == author.strip().lower()}
        if not wanted:
            coded = ", ".join(sorted(authors.values())) or "nobody"
            raise DomainError(f"{author!r} has no annotations on recording {recording_id} "
                              f"(coded by: {coded})")  # fmt: skip
        annotations = tuple(a for a in annotations if a.author_id in wanted)
    transcript = current_transcript(db, recording_id)
    return ExportSource(
        recording_id=recording_id,
        recording_path=path,
        recording_sha256=sha,
        duration_ms=duration,
        annotations=annotations,
        authors=authors,
        principles=principles,
        segments=transcript.segments if transcript else (),
    )


def _author_names(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    with db.begin() as session:
        rows = session.execute(
            select(models.User.id, models.User.name).where(models.User.id.in_(ids))
        )
        return {user_id: name for user_id, name in rows}


# --- writing ---------------------------------------------------------------------------


def coded_value(annotation: Annotation) -> str:
    note = annotation.note.strip()
    return f"{annotation.category_key}: {note}" if note else annotation.category_key


def _media_descriptor(media_path: str, out_dir: Path | None) -> dict[str, str]:
    media = Path(media_path)
    mime = mimetypes.guess_type(media.name)[0] or "unknown"
    attrs = {"MEDIA_URL": media.absolute().as_uri(), "MIME_TYPE": mime}
    if out_dir is not None:
        try:
            relative = os.path.relpath(media.absolute(), out_dir.absolute())
        except ValueError:  # another drive on Windows: no relative path exists
            return attrs
        attrs["RELATIVE_MEDIA_URL"] = "./" + Path(relative).as_posix()
    return attrs


class _TimeSlots:
    """One TIME_SLOT per distinct time, numbered in time order as ELAN expects."""

    def __init__(self, times: Iterable[int]) -> None:
        self.ids = {ms: f"ts{n}" for n, ms in enumerate(sorted(set(times)), start=1)}

    def element(self) -> ET.Element:
        order = ET.Element("TIME_ORDER")
        for ms, slot in self.ids.items():
            ET.SubElement(order, "TIME_SLOT", TIME_SLOT_ID=slot, TIME_VALUE=str(ms))
        return order


def _alignable(
    tier: ET.Element, slots: _TimeSlots, ann_id: str, start: int, end: int, value: str
) -> None:
    holder = ET.SubElement(tier, "ANNOTATION")
    aligned = ET.SubElement(
        holder,
        "ALIGNABLE_ANNOTATION",
        ANNOTATION_ID=ann_id,
        TIME_SLOT_REF1=slots.ids[start],
        TIME_SLOT_REF2=slots.ids[end],
    )
    ET.SubElement(aligned, "ANNOTATION_VALUE").text = value


def _principle_tiers(source: ExportSource) -> list[tuple[str, str, list[Annotation]]]:
    """(tier id, principle key, annotations) in codebook order; unknown principles last."""
    labels = dict(source.principles)
    keys = [key for key, _label in source.principles]
    for annotation in source.annotations:
        keys += [p for p in annotation.principles if p not in keys]
    tiers = [
        (labels.get(key, key), key, [a for a in source.annotations if key in a.principles])
        for key in keys
    ]
    tiers.append((NO_PRINCIPLE_TIER, "", [a for a in source.annotations if not a.principles]))
    return tiers


def build_eaf(
    source: ExportSource,
    *,
    out_dir: Path | None = None,
    author: str = "",
    now: dt.datetime | None = None,
) -> bytes:
    """The EAF 3.0 document for ``source`` as UTF-8 bytes."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    root = ET.Element(
        "ANNOTATION_DOCUMENT",
        {
            "AUTHOR": author,
            "DATE": stamp,
            "FORMAT": "3.0",
            "VERSION": "3.0",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "http://www.mpi.nl/tools/elan/EAFv3.0.xsd",
        },
    )
    header = ET.SubElement(root, "HEADER", MEDIA_FILE="", TIME_UNITS="milliseconds")
    ET.SubElement(header, "MEDIA_DESCRIPTOR", _media_descriptor(source.recording_path, out_dir))
    ET.SubElement(
        header, "PROPERTY", NAME="bwvreview:recording_sha256"
    ).text = source.recording_sha256
    times = [t for a in source.annotations for t in (a.start_ms, a.end_ms)]
    times += [t for s in source.segments for t in (s.start_ms, s.end_ms)]
    slots = _TimeSlots(times)
    root.append(slots.element())
    for tier_id, principle, coded in _principle_tiers(source):
        tier = ET.SubElement(root, "TIER", LINGUISTIC_TYPE_REF="code", TIER_ID=tier_id)
        if author:
            tier.set("ANNOTATOR", author)  # ELAN shows who coded the tier
        for a in coded:
            suffix = f"-{principle}" if principle else ""
            _alignable(tier, slots, f"a{a.id}{suffix}", a.start_ms, a.end_ms, coded_value(a))
    transcript = ET.SubElement(
        root, "TIER", LINGUISTIC_TYPE_REF="utterance", TIER_ID=TRANSCRIPT_TIER
    )
    speaker = ET.SubElement(
        root,
        "TIER",
        LINGUISTIC_TYPE_REF="speaker",
        PARENT_REF=TRANSCRIPT_TIER,
        TIER_ID=SPEAKER_TIER,
    )
    for s in source.segments:
        _alignable(transcript, slots, f"s{s.id}", s.start_ms, s.end_ms, s.text.strip())
        holder = ET.SubElement(speaker, "ANNOTATION")
        ref = ET.SubElement(
            holder, "REF_ANNOTATION", ANNOTATION_ID=f"p{s.id}", ANNOTATION_REF=f"s{s.id}"
        )
        ET.SubElement(ref, "ANNOTATION_VALUE").text = speaker_label(s.speaker)
    for type_id, alignable, constraint in (
        ("code", "true", None),
        ("utterance", "true", None),
        ("speaker", "false", "Symbolic_Association"),
    ):
        attrs = {
            "GRAPHIC_REFERENCES": "false",
            "LINGUISTIC_TYPE_ID": type_id,
            "TIME_ALIGNABLE": alignable,
        }
        if constraint:
            attrs["CONSTRAINTS"] = constraint
        ET.SubElement(root, "LINGUISTIC_TYPE", attrs)
    ET.SubElement(
        root,
        "CONSTRAINT",
        DESCRIPTION="1-1 association with a parent annotation",
        STEREOTYPE="Symbolic_Association",
    )
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path.part`` and rename it, so a reader never finds half a file."""
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(data)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise DomainError(f"cannot write {path}: {exc.strerror or exc}") from exc


def export_eaf(
    db: Database, recording_id: int, out_path: Path, codebook_id: int, author: str | None = None
) -> int:
    """Write the recording's annotations (all, or one ``author``'s) and transcript as ELAN
    EAF; return how many annotations went out. Needs READ_FOOTAGE."""
    source = export_source(db, recording_id, codebook_id, author)
    names = {source.authors.get(a.author_id or 0, "") for a in source.annotations}
    author = names.pop() if len(names) == 1 else ""
    out_path = Path(out_path)
    write_atomically(out_path, build_eaf(source, out_dir=out_path.parent, author=author))
    return len(source.annotations)


# --- reading ---------------------------------------------------------------------------


def _parse_root(path: Path) -> ET.Element:
    try:
        if path.stat().st_size > MAX_EAF_BYTES:
            raise DomainError(f"{path}: too large for an annotation file")
        data = path.read_bytes()
    except OSError as exc:
        raise DomainError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look for declarations in the text
        probe = data.decode("utf-16", errors="replace").encode("utf-8")
    if _DECLARATION.search(probe):
        raise DomainError(f"{path}: refused, it declares a DOCTYPE or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise DomainError(f"{path}: not well-formed XML ({exc})") from exc
    if root.tag != "ANNOTATION_DOCUMENT":
        raise DomainError(f"{path}: not an ELAN file (root element <{root.tag}>)")
    return root


def _time_slots(root: ET.Element, path: Path) -> dict[str, int]:
    slots: dict[str, int] = {}
    for slot in root.iter("TIME_SLOT"):
        slot_id, value = slot.get("TIME_SLOT_ID"), slot.get("TIME_VALUE")
        if not slot_id or value is None:
            continue  # an unaligned slot; an annotation that uses it is refused below
        try:
            slots[slot_id] = int(value)
        except ValueError as exc:
            raise DomainError(f"{path}: time slot {slot_id} has time {value!r}") from exc
    return slots


def _read_one(
    aligned: ET.Element,
    tier_id: str,
    slots: dict[str, int],
    path: Path,
    known: Collection[str] | None,
) -> EafAnnotation:
    ann_id = aligned.get("ANNOTATION_ID", "?")
    where = f"{path}: tier {tier_id!r}, annotation {ann_id}"
    refs = aligned.get("TIME_SLOT_REF1"), aligned.get("TIME_SLOT_REF2")
    missing = [ref for ref in refs if ref not in slots]
    if missing:
        raise DomainError(f"{where}: time slot {missing[0]} is missing or has no time")
    start, end = slots[refs[0]], slots[refs[1]]  # type: ignore[index]
    if start < 0 or end < 0:
        raise DomainError(f"{where}: negative time ({start}–{end} ms)")
    if end < start:
        raise DomainError(f"{where}: ends before it starts ({start}–{end} ms)")
    value = (aligned.findtext("ANNOTATION_VALUE") or "").strip()
    key, _sep, note = value.partition(":")
    key = key.strip()
    if not key:
        raise DomainError(f"{where}: no category (expected 'category_key: note')")
    if known is not None and key not in known:
        raise DomainError(f"{where}: unknown category {key!r}")
    return EafAnnotation(key, start, end, note.strip())


def read_eaf(path: Path, known_categories: Collection[str] | None = None) -> EafDocument:
    """Parse an EAF file into plain coded moments (category key, start, end, note).

    Every alignable annotation on every tier except the transcript and speaker tiers is
    read as ``category_key: note``. The same moment on several principle tiers (one
    annotation under two principles) is one moment: per distinct moment, the most times it
    occurs on any one tier is how many there are. With ``known_categories`` an unknown key
    is an error rather than passed on.
    """
    path = Path(path)
    root = _parse_root(path)
    slots = _time_slots(root, path)
    most: Counter[EafAnnotation] = Counter()
    for tier in root.iter("TIER"):
        tier_id = tier.get("TIER_ID", "?")
        if tier_id in (TRANSCRIPT_TIER, SPEAKER_TIER) or tier.get("PARENT_REF"):
            continue
        on_tier = Counter(
            _read_one(aligned, tier_id, slots, path, known_categories)
            for aligned in tier.iter("ALIGNABLE_ANNOTATION")
        )
        most |= on_tier  # the union of multisets keeps the larger count
    ordered = sorted(most.elements(), key=lambda a: (a.start_ms, a.end_ms, a.category_key))
    return EafDocument(author=root.get("AUTHOR", "").strip(), annotations=tuple(ordered))


def moments(annotations: Sequence[Annotation]) -> list[EafAnnotation]:
    """Stored annotations as the plain moments an EAF file carries (for comparisons)."""
    return sorted(
        (EafAnnotation(a.category_key, a.start_ms, a.end_ms, a.note.strip()) for a in annotations),
        key=lambda a: (a.start_ms, a.end_ms, a.category_key),
    )
