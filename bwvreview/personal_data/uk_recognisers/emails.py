"""Email addresses: read aloud ("sarah dot whitfield at gmail dot com"), and presidio's
typed-address recogniser made to check domains offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from bwvreview.personal_data.uk_recognisers.spoken import SPOKEN_EMAIL
from bwvreview.personal_data.uk_recognisers.spoken_recogniser import SpokenRecognizer

_SPOKEN_EMAIL = re.compile(
    r"\b[a-z0-9]+(?:(?:\s+dot\s+|[._])[a-z0-9]+)*\s+at\s+[a-z0-9]+(?:\s+dot\s+[a-z0-9]+)*"
    r"\s+dot\s+(?:com|co\s+dot\s+uk|org(?:\s+dot\s+uk)?|net|uk|gov\s+dot\s+uk|ac\s+dot\s+uk"
    r"|me|io)\b",
    re.IGNORECASE,
)


class SpokenEmailRecognizer(SpokenRecognizer):
    """An email address read aloud: "sarah dot whitfield at gmail dot com"."""

    ENTITY = SPOKEN_EMAIL

    def find(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in _SPOKEN_EMAIL.finditer(text):
            yield match.start(), match.end(), 0.6


@cache
def _offline_tld() -> tldextract.TLDExtract:
    # No URLs: tldextract uses the public suffix list snapshot in its own wheel, and no
    # cache folder, so nothing is fetched or written.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recogniser, checking the domain without going online.

    The stock one calls ``tldextract.extract``, whose default extractor downloads the
    public suffix list over HTTP on first use (footage must never cause network traffic).
    """

    def validate_result(self, pattern_text: str) -> bool:
        return _offline_tld()(pattern_text).fqdn != ""
