"""What a person types into the search box, turned into a query the engine cannot choke on.

The syntax is the one people know from web search: words (all must appear), ``"a phrase"``,
``prefix*``, ``OR`` between alternatives and ``-word`` to leave a word out. Nothing the user
types reaches the engine as syntax: every word is reduced to its letters and digits and
quoted, so brackets, colons, carets or stray quotes in a transcript search can never raise
an FTS5 or tsquery syntax error. Input that cannot mean anything (an unclosed quote, a lone
``OR``, only left-out words) is refused with a ``DomainError`` that says how to put it right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bwvreview.annotations.errors import DomainError

# Letters and digits only: underscores and punctuation separate words in both engines'
# tokenizers (FTS5 unicode61, PostgreSQL's default parser).
_TOKEN = re.compile(r"[^\W_]+")
_PIECE = re.compile(r'(-?)"([^"]*)"(\*?)|(\S+)')
MIN_PREFIX = 3  # "a*" would expand to most of the vocabulary


class QuerySyntaxError(DomainError):
    """The search text cannot be read as a query; the message says how to write it."""


@dataclass(frozen=True)
class Term:
    """One word or phrase: its tokens in order; ``prefix`` makes the last one a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False
    negated: bool = False

    def fts5(self) -> str:
        return '"' + " ".join(self.tokens) + '"' + ("*" if self.prefix else "")

    def words(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Query:
    """Alternatives (OR) of groups whose terms must all match (AND, with NOT for negated)."""

    groups: tuple[tuple[Term, ...], ...]

    def fts5(self) -> str:
        """The query in FTS5 syntax: every term quoted, groups in brackets."""
        rendered = []
        for group in self.groups:
            wanted = " AND ".join(t.fts5() for t in group if not t.negated)
            unwanted = "".join(f" NOT {t.fts5()}" for t in group if t.negated)
            rendered.append(f"({wanted}{unwanted})")
        return " OR ".join(rendered)

    def positive_terms(self) -> list[Term]:
        return [t for group in self.groups for t in group if not t.negated]


def _term(raw: str, *, prefix: bool, negated: bool) -> Term | None:
    tokens = tuple(t.lower() for t in _TOKEN.findall(raw))
    if not tokens:
        return None
    if prefix and len(tokens) == 1 and len(tokens[0]) < MIN_PREFIX:
        raise QuerySyntaxError(
            f"a word ending in * needs at least {MIN_PREFIX} letters before the * "
            f"(for example: calm*)"
        )
    return Term(tokens, prefix=prefix, negated=negated)


def parse_query(text: str) -> Query:
    """Read the search box's text (see the module docstring for the syntax)."""
    if text.count('"') % 2:
        raise QuerySyntaxError('a quotation mark is not closed: write a phrase as "calm down"')
    groups: list[list[Term]] = [[]]
    for match in _PIECE.finditer(text):
        minus, quoted, star, bare = match.groups()
        if bare == "OR":
            if not groups[-1]:
                raise QuerySyntaxError("OR needs a word on each side (for example: calm OR quiet)")
            groups.append([])
            continue
        if quoted is not None:
            term = _term(quoted, prefix=bool(star), negated=bool(minus))
        else:
            negated = bare.startswith("-") and len(bare) > 1
            body = bare[1:] if negated else bare
            term = _term(body.rstrip("*"), prefix=body.endswith("*"), negated=negated)
        if term is not None:
            groups[-1].append(term)
    if not groups[-1]:
        if len(groups) > 1:
            raise QuerySyntaxError("OR needs a word on each side (for example: calm OR quiet)")
        raise QuerySyntaxError("type a word or a phrase to search for")
    for group in groups:
        if all(t.negated for t in group):
            raise QuerySyntaxError("a word to leave out (-word) needs a word to look for beside it")
    return Query(tuple(tuple(g) for g in groups))
