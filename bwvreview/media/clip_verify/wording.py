"""Findings in words: what kind of thing a tag or a heard item is (never the value itself, for
someone who may not see raw footage), and the one-line-per-check summary."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bwvreview.media.clip_verify.verdict import Verification


# What kind of thing a tag holds, from its name or its value: shown instead of the value to
# someone who may not see raw footage. The first pattern that matches says.
_TAG_KINDS = (
    (re.compile(r"location|gps|iso6709|latitude|longitude|geo", re.I), "a GPS location tag"),
    (re.compile(r"^[+-]\d{1,2}\.\d+[+-]\d{1,3}\.\d+"), "a GPS location tag"),
    (re.compile(r"collar|badge|officer|\b(?:PC|PS|DC|DS|Sgt|Insp)\.? ?\d{2,}", re.I),
     "a collar number in the metadata"),
    (re.compile(r"serial|device.?id|\bs/?n\b|camera.?id|imei", re.I),
     "a device serial number in the metadata"),
    (re.compile(r"creation_time|date|time", re.I), "a recording date and time in the metadata"),
    (re.compile(r"encoder|x264|x265|lavc|lavf|software|handler", re.I),
     "the name of the software that made the file"),
    (re.compile(r"make|model", re.I), "the camera's make or model in the metadata"),
    (re.compile(r"artist|author|copyright|owner|user|name", re.I),
     "a person's or owner's name in the metadata"),
)  # fmt: skip


def describe_tag(tag: str, value: str) -> str:
    """What kind of thing a tag holds ("a GPS location tag"), never the value itself."""
    for pattern, kind in _TAG_KINDS:
        if pattern.search(tag) or pattern.search(value):
            return kind
    return "an identifying or unexpected tag in the metadata"


def kind_only(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding with any quoted tag value replaced by what kind of thing it is."""
    if "value" not in finding:
        return finding
    return {**finding, "value": describe_tag(str(finding.get("tag", "")), str(finding["value"]))}


def describe_finding(finding: dict[str, Any]) -> str | None:
    """A finding in words: "a phone number at 0:27", "a GPS location tag (format: location)"."""
    if "tag" in finding:
        return f"{finding['value']} ({finding['where']}: {finding['tag']})"
    if "kind" in finding and "start_ms" in finding:
        kind = _SPOKEN.get(finding["kind"], f"a {finding['kind'].replace('_', ' ')}")
        minutes, seconds = divmod(int(finding["start_ms"]) // 1000, 60)
        return f"{kind} at {minutes}:{seconds:02d}"
    return None


_SPOKEN = {
    "name": "a name",
    "address": "an address",
    "phone": "a phone number",
    "email": "an email address",
    "postcode": "a postcode",
    "vehicle_registration": "a vehicle registration",
    "date_of_birth": "a date of birth",
    "list_item": "an item on the incident's list of people and places",
}


def summary_lines(verification: Verification) -> list[str]:
    """A readable summary, one line per check, for the report's text file and the CLI."""
    lines = [f"{verification.clip.name}: {verification.verdict.upper()}"]
    for check in verification.checks:
        mark = "skipped" if check.skipped else ("ok" if check.passed else "FAIL")
        lines.append(f"  [{mark:>7}] {check.name}: {check.summary}")
        if not check.passed and check.name in ("metadata", "speech"):
            said = dict.fromkeys(filter(None, map(describe_finding, check.findings)))
            lines += [f"            - {line}" for line in said]
    return lines
