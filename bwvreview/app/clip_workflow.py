"""Export-and-record: the one clip workflow that the command line and the window share.

Anonymisation is the default. Faces are blurred, the burned-in banner is boxed out,
every personal-data hit in the span is bleeped, and the metadata is stripped. Each
opt-out is a named option, and the report and the audit log both record it. After
writing, the clip is verified from the file alone while it still has a hidden name: it
appears under the name asked for only once it has passed (a clip that fails is published
as ``NAME.failed.mp4``). Every name written is checked before any work and nothing is ever
overwritten (``clip_outputs``). The report beside the clip says what was done and what the
checks found. It never quotes the personal data itself: that stays in the local database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from bwvreview.annotations import review
from bwvreview.annotations.access import READ_FOOTAGE
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning import clips
from bwvreview.annotations.learning.clips import ClipRecord, NewClip
from bwvreview.annotations.records import Recording
from bwvreview.annotations.review import library
from bwvreview.app import Library, drain, iter_confirm_footage
from bwvreview.app.clip_outputs import (
    ClipOutputs,
    JournalEntry,
    clean_up_interrupted,
    journal_folder,
    plan_outputs,
    publish,
    remove,
    text_report_for,  # noqa: F401 - the CLI names the readable copy
    write_new_text,
)
from bwvreview.app.clip_plan import (  # noqa: F401 - the dialog and the CLI use these here
    PersonInSpan,
    drawn_masks,
    find_banner,
    frame_at,
    iter_people_in_span,
    personal_data_in_span,
)
from bwvreview.app.clip_repair import Repair, iter_repair
from bwvreview.app.clip_report import (
    REPORT_FORMAT,  # noqa: F401
    build_report,
    report_path_for,
    report_texts,
    restore_verify_options,
    verify_options,
)
from bwvreview.app.clip_speech import speech_plan, verify_context, words_in  # noqa: F401
from bwvreview.app.export_options import (  # noqa: F401 - the one definition, named here
    MAX_PADDING_MS,
    QUEUEABLE,
    ExportOptions,
    Flag,
    export_flags,
    export_options,
    option_values,
    options_from_values,
)
from bwvreview.app.relay import relay
from bwvreview.media.banner import preset
from bwvreview.media.captions import CaptionWord, OpeningCard
from bwvreview.media.clip_export import (
    ClipRequest,
    ExportCancelled,
    ExportResult,
    check_span,
    iter_export_clip,
)
from bwvreview.media.clip_verify import (  # noqa: F401 - summary_lines is for the CLI
    SeenFrames,
    Verification,
    VerifyOptions,
    iter_verify_clip,
    listen,
    summary_lines,
)
from bwvreview.media.errors import MediaError
from bwvreview.media.faces import detector_device
from bwvreview.media.ffmpeg import ffmpeg_info
from bwvreview.media.frames import check_readable_file
from bwvreview.media.hashing import iter_sha256
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.personal_data.conversation import bleep_spans, find_in_conversation, found_items
from bwvreview.personal_data.finder import PersonalDataHit, TimedWord, audio_spans

# With no moment chosen, the window offers this much each side of the playhead.
AROUND_PLAYHEAD_MS = 10_000
# A clip the window cuts for an annotation starts this long before the moment and ends this
# long after it, so a trainee hears what led up to it and how it landed (an annotation is
# often 1-5 s: a clip of the moment alone starts mid-sentence).
CLIP_LEAD_IN_MS = 3_000
CLIP_LEAD_OUT_MS = 2_000

# How much of the overall progress bar each stage fills.
_STAGES = {"source": 0.05, "personal data": 0.05, "banner": 0.02, "export": 0.55, "verify": 0.33}


@dataclass(frozen=True)
class ClipProgress:
    stage: str
    fraction: float  # of the whole workflow, 0..1
    eta_s: float | None = None
    device: str = ""  # where the face detector runs ("CPU", "CUDA") while it does


_WAITING = ClipProgress("repair", 0.99)  # a second pass is short of done: the bar waits


@dataclass(frozen=True)
class ClipOutcome:
    new_clip: NewClip  # recorded by ``store_export``
    path: Path
    report_path: Path
    verification: Verification | None
    report: dict[str, Any] = field(default_factory=dict)
    # Names, places and numbers found in the incident's transcripts and not yet on its
    # list: ``store_export`` keeps them as unconfirmed entries for the reviewer.
    found: tuple[tuple[str, str], ...] = ()


def export_span(
    lib: Library,
    recording_id: int,
    *,
    annotation_id: int | None = None,
    start_ms: int | None = None,
    end_ms: int | None = None,
    playhead_ms: int | None = None,
    at_least_ms: int = 0,
    lead_in_ms: int = 0,
    lead_out_ms: int = 0,
) -> tuple[int, int]:
    """The span a clip is cut from, before the padding that ``iter_export`` adds each side.

    The annotation's span (widened about its middle to ``at_least_ms``, then by
    ``lead_in_ms`` before and ``lead_out_ms`` after, within the recording: the window asks
    for ``CLIP_LEAD_IN_MS`` and ``CLIP_LEAD_OUT_MS``); a ``start_ms`` or ``end_ms`` given
    takes the place of its own. With no annotation, ``AROUND_PLAYHEAD_MS`` each side of
    ``playhead_ms``. A span with an end still unknown is refused.
    """
    start: int | None = None
    end: int | None = None
    if annotation_id is not None:
        annotation = review.get_annotation(lib.db, annotation_id)
        start, end = annotation.start_ms, annotation.end_ms
        if at_least_ms or lead_in_ms or lead_out_ms:
            duration = library.get_recording(lib.db, recording_id).duration_ms
            middle, half = (start + end) // 2, at_least_ms // 2
            start, end = min(start, max(0, middle - half)), max(end, min(duration, middle + half))
            start, end = max(0, start - lead_in_ms), max(end, min(duration, end + lead_out_ms))
    elif playhead_ms is not None:
        duration = library.get_recording(lib.db, recording_id).duration_ms
        start = max(0, playhead_ms - AROUND_PLAYHEAD_MS)
        end = min(duration, playhead_ms + AROUND_PLAYHEAD_MS)
    start = start if start_ms is None else start_ms
    end = end if end_ms is None else end_ms
    if start is None or end is None:
        raise DomainError("give --start and --end (or --annotation ID for its span)")
    return start, end


def span_with_padding(
    recording: Recording, start_ms: int, end_ms: int, padding_ms: int
) -> tuple[int, int]:
    """The span widened by ``padding_ms`` each side; only the padding is cut to fit.

    A span that is itself outside the recording is left as it is, to be refused.
    """
    check_padding(padding_ms)
    start = max(0, start_ms - padding_ms) if start_ms >= 0 else start_ms
    end = (
        min(recording.duration_ms, end_ms + padding_ms)
        if end_ms <= recording.duration_ms
        else end_ms
    )
    return start, end


def check_padding(padding_ms: int) -> None:
    """Refuse padding that is negative or absurd (the command line checks nan and inf)."""
    if not 0 <= padding_ms <= MAX_PADDING_MS:
        raise MediaError(
            f"padding of {padding_ms / 1000:g} s is not allowed: give 0 to"
            f" {MAX_PADDING_MS // 1000} seconds"
        )


def iter_export(
    lib: Library,
    recording_id: int,
    start_ms: int,
    end_ms: int,
    out: Path,
    options: ExportOptions | None = None,
    cancel: threading.Event | None = None,
) -> Generator[ClipProgress, None, ClipOutcome]:
    """Export and verify one clip, yielding overall progress; ``store_export`` records it.

    Reads the database (transcript, people & places) but does not write it, so the window
    can run this on a worker thread.
    """
    options = options or ExportOptions()
    recording = library.get_recording(lib.db, recording_id)
    start_ms, end_ms = span_with_padding(recording, start_ms, end_ms, options.padding_ms)
    source = Path(recording.path)
    outputs = _check_inputs(recording, start_ms, end_ms, out, options)
    clean_up_interrupted(lib.data_dir)
    yield from _confirm_source(recording, cancel)
    info = probe(source)
    notes: list[str] = []
    # Read once: the span's words with the conversation before them and the incident's
    # people & places (listed and found) serve the search for personal data, the captions
    # and what verification listens for (``clip_speech``).
    plan = speech_plan(lib, recording_id, start_ms, end_ms)
    words, context = list(plan.words), plan.context
    if options.bleep != "none" and info.has_audio and not plan.transcribed:
        notes.append(
            "the recording has no transcript: personal data was found by transcribing the"
            " span for this export (captions need a transcript)"
        )
        words = yield from _listen_for_personal_data(source, (start_ms, end_ms), cancel)
        hits = find_in_conversation(words, context)
    else:
        hits = list(plan.hits)
    bleeped = [h for i, h in enumerate(hits) if i not in options.kept_audible]
    if options.bleep == "none" or not info.has_audio:
        bleeped = []
    if not info.has_audio:
        notes.append("the recording has no sound: captions and bleeps were skipped")
    yield ClipProgress("personal data", _done("source", "personal data"))
    banner = None
    if not options.keep_overlay:
        banner = (
            preset(options.banner_preset)
            if options.banner_preset
            else find_banner(recording, start_ms, end_ms)
        )
        if banner is None:
            notes.append("no burned-in banner was found in the span")
    yield ClipProgress("banner", _done("source", "personal data", "banner"))
    request = ClipRequest(
        source=info,
        start_ms=start_ms,
        end_ms=end_ms,
        out=out,
        video=VideoRedactionSettings(
            faces=options.faces,
            keep_visible_tracks=options.keep_visible_tracks,
            manual_masks=(*drawn_masks(lib, recording_id), *options.manual_masks),
            banner=banner,
        ),
        audio_spans_ms=tuple(bleep_spans(bleeped, words, duration_ms=recording.duration_ms)),
        audio_mode=options.audio_mode,
        voice_disguise=options.voice_disguise,
        captions=(_captions(plan.words, bleeped) if options.captions and info.has_audio else None),
        card=_card(lib, options.annotation_id) if options.opening_card else None,
        keep_metadata=options.keep_metadata,
        partial=outputs.partial_clip,
    )
    entry = JournalEntry(journal_folder(lib.data_dir), outputs)
    try:
        result = yield from _write(request, cancel, _done("source", "personal data", "banner"))
        expect = verify_options(
            _redacted_items(bleeped, context.everything),
            result.card_ms,
            result.kept_faces,
            result.masked_faces,
            banner_redacted=banner is not None,
            captions=request.captions is not None,
            context_before=verify_context(context),
        )
        # Verified under its hidden name: a kill from here on leaves nothing a trainer
        # would take for a finished clip, and the journal says what to remove.
        verification = None
        repairs: list[dict[str, Any]] = []
        if options.verify:
            seen = SeenFrames()  # the face check's work, for a repair pass to reuse
            verification = yield from _verify(outputs.partial_clip, expect, cancel, seen)
            wanted = _wanted(options, [h for h in hits if h not in bleeped])
            result, verification, expect = yield from iter_repair(
                request, result, (verification, expect), outputs.partial_clip, wanted, repairs,
                (cancel, _WAITING), seen,
            )  # fmt: skip
        passed = verification is not None and verification.passed
        final = outputs.clip if passed else outputs.held
        if verification is not None:
            # Named as published; the report beside the clip quotes no tag's value.
            verification = replace(verification, clip=final).without_values()
        clip_sha = drain(iter_sha256(outputs.partial_clip))
        report = build_report(
            lib, recording, (start_ms, end_ms), final, clip_sha, result, options, hits,
            bleeped, banner, notes, verification, repairs,
        )  # fmt: skip
        _publish(entry, outputs, final, report_texts(report, verification))
    except BaseException:
        remove(outputs.partials)  # no clip without its report and its record
        entry.close()
        raise
    entry.close()
    new_clip = NewClip(
        recording_id=recording_id,
        annotation_id=options.annotation_id,
        start_ms=start_ms,
        end_ms=end_ms,
        output_path=str(final.resolve()),
        sha256=clip_sha,
        source_sha256=recording.sha256,
        options={
            **report["settings"],
            "opt_outs": report["opt_outs"],
            "report_path": str(outputs.report.resolve()),
            "verify": asdict(expect),  # what verify-clip should expect of this clip
        },
        report=report,
        verified=passed,
    )
    yield ClipProgress("done", 1.0, 0.0)
    return ClipOutcome(new_clip, final, outputs.report, verification, report, plan.found)


def _write(
    request: ClipRequest, cancel: threading.Event | None, base: float
) -> Generator[ClipProgress, None, ExportResult]:
    """Write the clip (to its hidden name), its progress filling the export stage."""
    device = detector_device() if request.video.faces != "none" else ""
    return (
        yield from relay(
            iter_export_clip(request, cancel),
            cancel,
            lambda step: ClipProgress(
                "export", base + _STAGES["export"] * step.fraction, step.eta_s, device
            ),
        )
    )


def _wanted(options: ExportOptions, kept: Sequence[PersonalDataHit]) -> Callable[[Repair], bool]:
    """Which repairs the reviewer's choices allow: no bleeps with ``--bleep none``, and none
    over what they chose to leave audible; no face masks with ``--faces none`` (people kept
    visible by choice never reach a repair: verification does not count them)."""

    def wanted(repair: Repair) -> bool:
        if repair.check == "faces":  # people kept visible by choice are not findings
            return options.faces != "none"
        if repair.check != "speech":
            return True
        if options.bleep == "none":
            return False
        return not any(repair.start_ms < h.end_ms and repair.end_ms > h.start_ms for h in kept)

    return wanted


def _publish(
    entry: JournalEntry, outputs: ClipOutputs, final: Path, texts: tuple[str, str]
) -> None:
    """Reports first, then the clip: a clip never stands without its report. Each is
    written hidden and published without overwriting; a failure takes back what was put."""
    write_new_text(outputs.partial_report, texts[0])
    write_new_text(outputs.partial_text, texts[1])
    entry.publishing()
    published: list[Path] = []
    try:
        for partial, name in (
            (outputs.partial_report, outputs.report),
            (outputs.partial_text, outputs.text_report),
            (outputs.partial_clip, final),
        ):
            publish(partial, name)
            published.append(name)
    except BaseException:
        remove(published)
        raise


def check_outputs(lib: Library, target: str, out: Path, report_path: Path | None) -> None:
    """Refuse, before a TARGET path is imported (``resolve_target``), names an export
    could not write; ``iter_export`` checks them again when the work starts."""
    source = Path(target)
    if target.isdigit() and not source.is_file():
        source = Path(library.get_recording(lib.db, int(target)).path)
    plan_outputs(out, report_path or report_path_for(out), source)


def store_export(lib: Library, outcome: ClipOutcome) -> ClipRecord:
    """Record an exported clip (on the caller's thread: the window stores on the main one),
    and keep what was found in the transcripts as unconfirmed people & places."""
    if outcome.found:
        clips.add_found_people_and_places(
            lib.db, outcome.new_clip.recording_id, outcome.found, lib.actor
        )
    return clips.record_clip(lib.db, outcome.new_clip, lib.actor)


def export_clip(
    lib: Library,
    recording_id: int,
    start_ms: int,
    end_ms: int,
    out: Path,
    options: ExportOptions | None = None,
) -> tuple[ClipOutcome, ClipRecord]:
    """Export, verify and record in one call (no progress): for scripts and tests."""
    outcome = drain(iter_export(lib, recording_id, start_ms, end_ms, out, options))
    return outcome, store_export(lib, outcome)


def _check_inputs(
    recording: Recording, start_ms: int, end_ms: int, out: Path, options: ExportOptions
) -> ClipOutputs:
    """Everything that can be refused is refused here, before the long work."""
    source = Path(recording.path)
    if not source.is_file():
        raise MediaError(
            f"the footage is not at {recording.path}; locate it in the library before exporting"
        )
    check_span(recording.duration_ms, start_ms, end_ms)
    report = options.report_path or report_path_for(out)
    outputs = plan_outputs(out, report, source, verify=options.verify)
    ffmpeg_info()  # a BWVREVIEW_FFMPEG that cannot make a clean clip is refused before any work
    return outputs


def _confirm_source(
    recording: Recording, cancel: threading.Event | None
) -> Generator[ClipProgress, None, None]:
    """The footage must be the file that was imported: the clip's report vouches for it."""
    yield from relay(
        iter_confirm_footage(recording, "exported", cancel),
        cancel,
        lambda f: ClipProgress("source", _STAGES["source"] * f),
    )
    if cancel is not None and cancel.is_set():
        raise ExportCancelled()


def _listen_for_personal_data(
    source: Path,
    span_ms: tuple[int, int],
    cancel: threading.Event | None,
) -> Generator[ClipProgress, None, list[TimedWord]]:
    """The words heard in a span that has no stored transcript, window by window (the
    windows overlap: a word is kept from the first window that heard it)."""
    words: list[TimedWord] = []
    for fraction, heard in listen(source, None, cancel, *span_ms):
        last = words[-1].end_ms if words else -1
        words += [w for w in heard if w.start_ms >= last]
        done = _STAGES["source"] + _STAGES["personal data"] * fraction
        yield ClipProgress("personal data", done)
    return words


def _done(*stages: str) -> float:
    return sum(_STAGES[s] for s in stages)


def _captions(
    words: Sequence[TimedWord], bleeped: Sequence[PersonalDataHit]
) -> tuple[CaptionWord, ...]:
    spans = audio_spans(bleeped, margin_ms=0)

    def hidden(word: TimedWord) -> bool:
        return any(word.start_ms < b and word.end_ms > a for a, b in spans)

    return tuple(CaptionWord(w.text, w.start_ms, w.end_ms, hidden(w)) for w in words)


def _card(lib: Library, annotation_id: int | None) -> OpeningCard | None:
    if annotation_id is None:
        return None
    annotation = review.get_annotation(lib.db, annotation_id)
    principles = ", ".join(p.replace("_", " ").capitalize() for p in annotation.principles)
    return OpeningCard(
        heading=annotation.category_label,
        principle=principles,
        note=annotation.note,
        alternative=annotation.suggested_wording,
    )


def _redacted_items(bleeped: Sequence[PersonalDataHit], items: Sequence[str]) -> list[str]:
    """What verification must not hear anywhere: the incident's people, places and
    numbers, and the names, places and numbers bleeped (not the dates and answers: the
    detector finds those itself, reading the same context)."""
    return list(dict.fromkeys([*items, *(text for text, _ in found_items(bleeped))]))


def _verify(
    written: Path,
    options: VerifyOptions,
    cancel: threading.Event | None,
    seen: SeenFrames | None = None,
) -> Generator[ClipProgress, None, Verification]:
    base = 1.0 - _STAGES["verify"]
    device = detector_device()
    return (
        yield from relay(
            iter_verify_clip(written, options, cancel, seen),
            cancel,
            lambda step: ClipProgress(
                "verify", base + _STAGES["verify"] * step.fraction, device=device
            ),
        )
    )


def iter_verify_file(
    lib: Library, path: Path, cancel: threading.Event | None = None
) -> Generator[object, None, Verification]:
    """``verify-clip``: check any clip; one exported here is checked against its own record.

    Someone who may not see raw footage (a trainer) is told what kind of thing leaked and
    where ("a GPS location tag", "a phone number at 0:27"), never a tag's value: the file
    may be footage they were never meant to see.
    """
    check_readable_file(path)
    digest = drain(iter_sha256(path))
    record = clips.find_clip_by_sha256(lib.db, digest)
    options = VerifyOptions()
    if record is not None and "verify" in record.options:
        options = restore_verify_options(record.options["verify"])
    verification = yield from iter_verify_clip(path, options, cancel)
    if lib.db.principal.can(READ_FOOTAGE):
        return verification
    return verification.without_values()
