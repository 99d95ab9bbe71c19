"""The phrase-pattern language of ``resources/cues.yaml``, compiled to regular expressions over
normalised text (see ``cue_text``).

A pattern is a phrase, written as people say it, with a few marks:

``(a|b c)``   one of the alternatives (each may be several words)
``[a b]``     optional words (may hold alternatives: ``[(mate|love)]``)
``*``         any one word;  ``*3`` up to three words (none, one, two or three)
``arrest*``   a word beginning with "arrest" (arrest, arrested, arresting)
``#``         a number ("2", "two" and "10" are all numbers after normalising)
``!(i|we)``   any one word except these
``{name}``    a named piece from the file's ``vocabulary``
``^``         (first only) the match begins a clause: the start of what someone said, or of a
              sentence, or after a comma, "and", "but" or a lead-in such as "okay" or "mate"
``$``         (last only) the match ends a clause

Pattern words are normalised like transcripts, so "don't" in a pattern is "do not" and
"apologize" is "apologise". Every word boundary is respected: "arrest" never matches inside
"arrested" unless written ``arrest*``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from bwvreview.annotations.cues.text import NormalText, normalise_phrase

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<open>\() | (?P<close>\)) | (?P<lopt>\[) | (?P<ropt>\]) | (?P<bar>\|)
    | (?P<caret>\^) | (?P<dollar>\$) | (?P<num>\#) | (?P<neg>!)
    | (?P<macro>\{(?P<name>[a-z_][a-z0-9_]*)\})
    | (?P<gap>\*(?P<n>\d+)?)
    | (?P<word>[^\s()\[\]|{}*!#^$]+)(?P<stem>\*)?
    )""",
    re.X,
)
_MAX_DEPTH = 8


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says what is wrong with it."""


@dataclass(frozen=True)
class Pattern:
    """A compiled phrase pattern (see the module docstring for the language)."""

    source: str
    body: str
    anchored_start: bool
    anchored_end: bool
    _search: re.Pattern[str] = field(repr=False, compare=False)
    _plain: re.Pattern[str] = field(repr=False, compare=False)
    _suffix: re.Pattern[str] = field(repr=False, compare=False)
    _prefix: re.Pattern[str] = field(repr=False, compare=False)

    def spans(
        self, text: NormalText, starts: Collection[int], ends: Collection[int]
    ) -> list[tuple[int, int]]:
        """Non-overlapping ``(first_token, end_token)`` matches in ``text``; ``starts`` and
        ``ends`` are the token indices where clauses begin and end (for ``^`` and ``$``)."""
        if not text.tokens:
            return []
        if not (self.anchored_start or self.anchored_end):
            return [
                (text.token_at(m.start()), text.token_at(m.end()))
                for m in self._search.finditer(text.text)
            ]
        count = len(text.tokens)
        positions = sorted(starts) if self.anchored_start else range(count)
        found: list[tuple[int, int]] = []
        for first in positions:
            if found and first < found[-1][1]:
                continue
            end = self.match_at(text, first, ends)
            if end is not None:
                found.append((first, end))
        return found

    def match_at(self, text: NormalText, first: int, ends: Collection[int]) -> int | None:
        """The end token of a match starting at token ``first`` (``$`` needs ``ends``)."""
        pos = text.offsets[first]
        if not self.anchored_end:
            m = self._plain.match(text.text, pos)
            return text.token_at(m.end()) if m else None
        for end in sorted(e for e in ends if e > first):
            endpos = text.offsets[end] if end < len(text.tokens) else len(text.text)
            if self._plain.fullmatch(text.text, pos, endpos):
                return end
        return None

    def ends_text(self, context: str) -> bool:
        """Whether the pattern matches the end of ``context`` (space-joined tokens)."""
        return self._suffix.search(f" {context} ") is not None

    def starts_text(self, context: str) -> bool:
        """Whether the pattern matches the start of ``context`` (space-joined tokens)."""
        return self._prefix.match(f" {context} ") is not None


class _Parser:
    def __init__(self, source: str, vocabulary: Mapping[str, str], depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise PatternError("vocabulary pieces refer to each other in a loop")
        self.source = source
        self.vocabulary = vocabulary
        self.depth = depth
        self.items = self._tokenise(source)
        self.at = 0

    @staticmethod
    def _tokenise(source: str) -> list[re.Match[str]]:
        items, pos = [], 0
        while pos < len(source):
            if source[pos:].strip() == "":
                break
            m = _TOKEN.match(source, pos)
            if m is None or m.end() == pos:
                raise PatternError(f"cannot read {source[pos:].strip()!r}")
            items.append(m)
            pos = m.end()
        return items

    def _kind(self, m: re.Match[str]) -> str:
        for kind in ("open", "close", "lopt", "ropt", "bar", "caret", "dollar", "num", "neg"):
            if m.group(kind):
                return kind
        return "macro" if m.group("macro") else "gap" if m.group("gap") else "word"

    def _next(self) -> re.Match[str]:
        m = self.items[self.at]
        self.at += 1
        return m

    def _kind_at(self) -> str | None:
        return self._kind(self.items[self.at]) if self.at < len(self.items) else None

    def alternatives(self, closer: str | None) -> str:
        options = [self.sequence()]
        while self._kind_at() == "bar":
            self._next()
            options.append(self.sequence())
        if any(not option for option in options):
            raise PatternError("an alternative is empty (use [ ] for optional words)")
        if closer is not None:
            if self._kind_at() != closer:
                raise PatternError(f"a bracket is not closed in {self.source!r}")
            self._next()
        return "|".join(options)

    def sequence(self) -> str:
        parts = []
        while (kind := self._kind_at()) not in (None, "bar", "close", "ropt", "dollar"):
            parts.append(self.item(kind))
        return "".join(parts)

    def item(self, kind: str) -> str:
        m = self._next()
        if kind == "open":
            return f"(?:{self.alternatives('close')})"
        if kind == "lopt":
            return f"(?:{self.alternatives('ropt')})?"
        if kind == "gap":
            return rf"(?:\S+ ){{0,{int(m.group('n'))}}}" if m.group("n") else r"\S+ "
        if kind == "num":
            return r"\d+ "
        if kind == "neg":
            return self._negated()
        if kind == "macro":
            return f"(?:{self._macro(m.group('name'))})"
        if kind == "word":
            return self._word(m.group("word"), bool(m.group("stem")))
        raise PatternError(f"'{m.group().strip()}' cannot go here")

    def _word(self, word: str, stem: bool) -> str:
        tokens = normalise_phrase(word)
        if not tokens:
            raise PatternError(f"{word!r} has no words once normalised")
        parts = [re.escape(t) + " " for t in tokens]
        if stem:
            parts[-1] = re.escape(tokens[-1]) + r"\S* "
        return "".join(parts)

    def _negated(self) -> str:
        kind = self._kind_at()
        if kind == "word":
            words = [self._next().group("word")]
        elif kind == "open":
            self._next()
            words = []
            while self._kind_at() in ("word", "bar"):
                m = self._next()
                if m.group("word"):
                    words.append(m.group("word"))
            if self._kind_at() != "close":
                raise PatternError("! takes a word or (one|word|each)")
            self._next()
        else:
            raise PatternError("! takes a word or (one|word|each)")
        tokens = [t for w in words for t in normalise_phrase(w)]
        return rf"(?!(?:{'|'.join(map(re.escape, tokens))}) )\S+ "

    def _macro(self, name: str) -> str:
        if name not in self.vocabulary:
            raise PatternError(f"{{{name}}} is not in the vocabulary")
        inner = _Parser(self.vocabulary[name], self.vocabulary, self.depth + 1)
        body = inner.alternatives(None)
        if inner.at != len(inner.items):
            raise PatternError(f"vocabulary piece {name!r} has a stray bracket or anchor")
        return body


def compile_pattern(source: str, vocabulary: Mapping[str, str] | None = None) -> Pattern:
    """Compile one pattern; ``PatternError`` says what is wrong with a bad one."""
    if not isinstance(source, str) or not source.strip():
        raise PatternError("a pattern must be non-empty text")
    parser = _Parser(source, vocabulary or {})
    anchored_start = parser._kind_at() == "caret"
    if anchored_start:
        parser._next()
    body = parser.alternatives(None)
    anchored_end = parser._kind_at() == "dollar"
    if anchored_end:
        parser._next()
    if parser.at != len(parser.items):
        leftover = parser.items[parser.at].group().strip()
        raise PatternError(f"unexpected '{leftover}' (^ goes first, $ last, brackets in pairs)")
    if not body or re.fullmatch(body, ""):
        raise PatternError("the pattern can match nothing at all")
    return Pattern(
        source=source,
        body=body,
        anchored_start=anchored_start,
        anchored_end=anchored_end,
        _search=re.compile(f"(?<= )(?:{body})"),
        _plain=re.compile(f"(?:{body})"),
        _suffix=re.compile(f"(?<= )(?:{body})$"),
        _prefix=re.compile(f"^ (?:{body})"),
    )
