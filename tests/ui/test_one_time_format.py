"""One time format: no window formats a time itself; every time goes through bwvreview.timecode.

Windows show ``timecode.clock(ms, tenths=True)`` (``1:05.3``), spans ``timecode.span``; typed
times are read by ``timecode.parse_time_ms``. This reads the source of every module in
bwvreview/ui and fails on the arithmetic and format specs that build a time by hand, naming the
file and line, so the rule stays kept as windows are added.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bwvreview.ui

UI = Path(bwvreview.ui.__file__).parent

# (what it is, the pattern); each is how a time was built by hand somewhere before
AD_HOC = [
    ("zero-padded minutes or seconds", re.compile(r":0\d+d\}|%0\d+d|\.zfill\(")),
    ("zero-padded decimal seconds", re.compile(r":0\d+\.\d+f\}")),
    ("decimal seconds", re.compile(r":\.[1-9]f\}\s*(?:s|secs?|seconds)\b")),
    ("minutes from seconds", re.compile(r"(?:%|//)\s*(?:60|3600|60_?000|3_?600_?000)\b")),
    ("minutes from seconds", re.compile(r"divmod\(.*,\s*(?:60|3600|60_?000|3_?600_?000)\)")),
]


def ad_hoc_times(source: str) -> list[tuple[int, str, str]]:
    """(line number, what it is, the line) for each hand-made time in ``source``; lines
    that are only a comment are skipped."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for what, pattern in AD_HOC:
            if pattern.search(line):
                found.append((number, what, line.strip()))
                break
    return found


@pytest.mark.parametrize(
    "line",
    [
        'return f"{minutes}:{rest / 1000:06.3f}"',  # the conflict dialog's own m:ss.mmm
        'text = f"{m}:{s:02d}"',
        'text = "%d:%02d" % (m, s)',
        'f"The clip will run {seconds:.1f} seconds."',
        'f"Selected ({seconds:.1f} s)"',
        "minutes, rest = divmod(int(value), 60_000)",
        "m, s = divmod(total, 60)",
        'f"{length // 60} h {length % 60} min"',
        "str(s).zfill(2)",
    ],
)
def test_the_scan_finds_a_hand_made_time(line):
    assert ad_hoc_times(line)


@pytest.mark.parametrize(
    "line",
    [
        "self.at.setText(clock(elapsed, tenths=True))",
        'f"Selected {span(*chosen)} ({clock(length_ms, tenths=True)} long)"',
        'kappa = f"{result.kappa:.2f}"',
        'f"{found} in {outcome.ms:.0f} ms"',
        'f"with {self.padding_s():g} s before and after"',
        "# minutes, rest = divmod(ms, 60_000) is what timecode does",
    ],
)
def test_the_scan_lets_other_numbers_be(line):
    assert ad_hoc_times(line) == []


def test_no_window_formats_a_time_itself():
    modules = sorted(UI.glob("*.py"))
    assert len(modules) > 50  # the scan reads the real package
    found = [
        f"{path.name}:{number}: {what}: {line}"
        for path in modules
        for number, what, line in ad_hoc_times(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use bwvreview.timecode (clock, span, hours_minutes):\n" + "\n".join(found)


# Where whole seconds read better than tenths, and why; any other clock() shows tenths.
WHOLE_SECONDS = {
    # the live field follows the observation's clock each second and is typed over
    ("observation_window.py", "self.at.setText(clock(elapsed))"),
    # a point in a 90-minute training session's plan, not a moment of footage
    ("pack_editor.py", "ends at {clock(planned.ends_at_ms)}"),
}


def clock_arguments(line: str) -> list[str]:
    """What each ``clock(…)`` on the line is given, up to its closing bracket."""
    found = []
    for start in (m.end() for m in re.finditer(r"\bclock\(", line)):
        depth, end = 1, start
        while end < len(line) and depth:
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            end += 1
        found.append(line[start:end])
    return found


def test_a_moments_time_shows_tenths():
    found = [
        (path.name, line.strip())
        for path in sorted(UI.glob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
        and any("tenths" not in given for given in clock_arguments(line))
    ]
    unexplained = [
        f"{name}: {line}"
        for name, line in found
        if not any(name == where and part in line for where, part in WHOLE_SECONDS)
    ]
    assert unexplained == [], "show a moment with clock(ms, tenths=True):\n" + "\n".join(
        unexplained
    )
    assert len(found) == len(WHOLE_SECONDS)  # an exception no longer needed goes from the list
