"""The banner check: a static text strip left readable in frames sampled over the clip."""

from __future__ import annotations

import numpy as np

from bwvreview.media.banner import detect_banner
from bwvreview.media.captions import caption_band
from bwvreview.media.clip_verify.verdict import Check, VerifyOptions


def banner_check(samples: list[np.ndarray], options: VerifyOptions) -> Check:
    """Fail if a static text strip stays readable across the sampled frames (a captions band,
    when captions were burned in, is not one)."""
    if len(samples) < 2:
        return Check("banner", True, "too short to look for a banner", skipped=True)
    if options.captions:
        top, bottom = caption_band(samples[0].shape[1], samples[0].shape[0])
        for sample in samples:
            sample[top:bottom] = 0
    region = detect_banner(samples)
    if region is not None:
        kept = " (kept by choice: --keep-overlay)" if not options.banner_redacted else ""
        rows = f"{region.y0:.0%}–{region.y1:.0%} of the height"
        summary = f"a static text strip (banner) is readable at {rows}{kept}"
        return Check("banner", False, summary, [{"region": str(region)}])
    return Check("banner", True, "no static text strip (banner) visible")
