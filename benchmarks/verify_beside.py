"""Verification with the speech check beside the face check, against one after the other.

    .venv/bin/python benchmarks/verify_beside.py [CLIP] [--repeat N]

Without a clip, the bundled demo incident (54 s of speech, one face) is exported with the
default face masking first. In one run, alternating, this times:

  one after the other   the face check, then the speech check (how verification ran
                        before the speech check moved to a helper thread)
  side by side          ``iter_verify_clip`` as it runs now

Both give the same verdict (checked); wall and CPU seconds are the median of the repeats.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bwvreview.bundled import resource_path
from bwvreview.media.clip_export import ClipRequest, iter_export_clip
from bwvreview.media.clip_verify import VerifyOptions, iter_verify_clip
from bwvreview.media.clip_verify.face_check import faces_check
from bwvreview.media.clip_verify.speech_check import decode_sound, speech_check
from bwvreview.media.probe import probe
from bwvreview.media.video_redaction import VideoRedactionSettings
from bwvreview.steps import drain


def one_after_the_other(clip: Path) -> tuple[bool, ...]:
    options = VerifyOptions()
    faces = drain(faces_check(clip, options, None))
    speech = drain(speech_check(decode_sound(clip, None), options, None))
    return faces.passed, speech.passed


def side_by_side(clip: Path) -> tuple[bool, ...]:
    checks = {c.name: c for c in drain(iter_verify_clip(clip)).checks}
    return checks["faces"].passed, checks["speech"].passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    clip = args.clip
    if clip is None:
        demo = resource_path("demo", "demo_incident.mp4")
        clip = Path(tempfile.mkdtemp(prefix="bwv-beside-")) / "demo_masked.mp4"
        info = probe(demo)
        drain(
            iter_export_clip(ClipRequest(info, 0, info.duration_ms, clip, VideoRedactionSettings()))
        )
    variants = {"one after the other": one_after_the_other, "side by side": side_by_side}
    walls: dict[str, list[float]] = {name: [] for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    verdicts: dict[str, tuple[bool, ...]] = {}
    for _ in range(args.repeat):
        for name, run in variants.items():
            wall, cpu = time.perf_counter(), time.process_time()
            verdicts[name] = run(clip)
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    if len(set(verdicts.values())) != 1:
        raise SystemExit(f"the two ways disagree: {verdicts}")
    base = statistics.median(walls["one after the other"])
    print(f"\n{clip.name}, {probe(clip).duration_ms / 1000:.1f} s; median of {args.repeat}\n")
    print(f"{'variant':<22} {'wall s':>8} {'CPU s':>8} {'vs one after the other':>24}")
    for name in variants:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:<22} {wall:8.2f} {cpu:8.2f} {base / wall:23.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
