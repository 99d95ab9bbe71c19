"""Reading a transcript document in the ``bwvreview transcribe --json`` shape back in.

Used to suggest cues for a transcript file (from another machine, or corrected by hand)
without storing anything. Times are seconds in the file and integer milliseconds once read.
Anything that cannot be trusted (not JSON, missing fields, negative or reversed times) is a
``DomainError`` whose one-line message names the file and the place.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bwvreview.annotations.cues import spread_words
from bwvreview.annotations.cues.match import SpokenWord, Utterance
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.formats.data_file import DataFile


def _ms(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError(f"{where} must be a number of seconds")
    if value < 0:
        raise DomainError(f"{where} is negative ({value})")
    return round(value * 1000)


def _span(item: dict[str, Any], where: str) -> tuple[int, int]:
    start, end = _ms(item.get("start"), f"{where}: start"), _ms(item.get("end"), f"{where}: end")
    if end < start:
        raise DomainError(f"{where} ends before it starts ({item['start']} > {item['end']})")
    return start, end


def _words(segment: dict[str, Any], where: str) -> tuple[SpokenWord, ...]:
    raw = segment.get("words") or []
    if not isinstance(raw, list):
        raise DomainError(f"{where}: 'words' must be a list")
    words = []
    for n, word in enumerate(raw, 1):
        here = f"{where}, word {n}"
        if not isinstance(word, dict):
            raise DomainError(f"{here} must be an object")
        text = word.get("word", word.get("text"))
        if not isinstance(text, str):
            raise DomainError(f"{here}: 'word' must be text")
        start, end = _span(word, here)
        words.append(SpokenWord(start, end, text))
    return tuple(words)


def utterances_from_document(data: Any, source: str) -> list[Utterance]:
    """The segments of a ``transcribe --json`` document as utterances (no word ids).

    A segment without words has its text spread evenly over its time.
    """
    if isinstance(data, dict) and isinstance(data.get("transcripts"), list):
        if len(data["transcripts"]) != 1:
            raise DomainError(f"{source}: holds {len(data['transcripts'])} transcripts; give one")
        data = data["transcripts"][0]
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise DomainError(f"{source}: not a transcript (expected an object with 'segments')")
    utterances = []
    for n, segment in enumerate(data["segments"], 1):
        where = f"{source}: segment {n}"
        if not isinstance(segment, dict):
            raise DomainError(f"{where} must be an object")
        start, end = _span(segment, where)
        speaker = segment.get("speaker", "other")
        if not isinstance(speaker, str) or not speaker.strip():
            raise DomainError(f"{where}: 'speaker' must be 'wearer', 'other' or a name")
        words = _words(segment, where)
        if not words:
            text = segment.get("text", "")
            if not isinstance(text, str):
                raise DomainError(f"{where}: 'text' must be text")
            words = spread_words(text, start, end)
        utterances.append(Utterance(speaker.strip(), words))
    return utterances


def read_transcript_file(path: Path) -> list[Utterance]:
    """Read a ``transcribe --json`` file as utterances (see ``utterances_from_document``)."""
    path = Path(path)
    text = DataFile(path, "", DomainError).read(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:  # hostile or broken nesting, thousands of levels deep
        raise DomainError(f"{path}: not a transcript (nested too deeply to read)") from exc
    return utterances_from_document(data, path.name)
