"""The training pack's ``index.html``: one offline page that plays the clips in order.

Everything is inline (style, script, the pack's data); the only files it loads are the
clips and captions beside it, by relative path. No address on the page points anywhere
else, so it works on a laptop with no network and never calls out from a training room.
The script writes the player's state (clip, ready state, time, duration, captions) into a
hidden element, so a headless browser can confirm that the pack really plays.
"""

from __future__ import annotations

import html
import json
from typing import Any

from bwvreview.app.polarity import PRINTED_LABELS
from bwvreview.bundled import resource_path

_POLARITY = PRINTED_LABELS

_STYLE = ("training_pack", "pack.css")
_SCRIPT = ("training_pack", "pack.js")


def _inline(parts: tuple[str, str]) -> str:
    """A bundled style or script, safe to place inside its element."""
    return resource_path(*parts).read_text(encoding="utf-8").replace("</", "<\\/")


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no closing tag, no line separators)."""
    text = json.dumps(data, ensure_ascii=False)
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_index(manifest: dict[str, Any]) -> str:
    data = {
        "title": manifest["title"],
        "polarity": _POLARITY,
        "clips": [
            {
                k: c[k]
                for k in (
                    "file",
                    "captions",
                    "cues",
                    "category_label",
                    "polarity",
                    "principles",
                    "learning_point",
                    "suggested_wording",
                    "facilitator_notes",
                    "prompts",
                    "overridden",
                    "captions_burned_in",
                )
            }  # fmt: skip
            for c in manifest["clips"]
        ],
    }
    title = html.escape(manifest["title"])
    description = html.escape(manifest.get("description") or "")
    notices = "".join(
        f'<p class="notice">{html.escape(n)}</p>' for n in manifest.get("notices", [])
    )
    first = manifest["clips"][0]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; media-src 'self';
 style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{_inline(_STYLE)}</style>
</head>
<body>
<header><h1>{title}</h1>{f"<p>{description}</p>" if description else ""}</header>
<main>
<div>
{notices}
<video id="player" controls preload="auto" playsinline src="{html.escape(first["file"])}">
<track kind="captions" label="Captions" srclang="en" src="{html.escape(first["captions"])}" default>
</video>
<div class="nav">
<button id="prev" type="button">&larr; Previous</button>
<span id="position"></span>
<button id="next" type="button">Next &rarr;</button>
</div>
<section class="card">
<h2 id="title"></h2>
<div id="chips"></div>
<p id="override" class="notice" hidden>This clip did not pass automatic verification; it is
in the library because a reviewer recorded a reason. Check it before showing it.</p>
<h3>What to notice</h3>
<p id="learning"></p>
<div id="wording-box"><h3>Another way to say it</h3><p id="wording"></p></div>
<div id="prompts-box"><h3>Discussion prompts</h3><ol id="prompts"></ol></div>
<details id="notes-box"><summary>Facilitator notes</summary><p id="notes"></p></details>
</section>
</div>
<aside>
<section class="card"><h3>Clips in this session</h3><ol id="list"></ol>
<p>Use the Previous and Next buttons, or the arrow keys, to move between clips. Faces,
the camera banner and personal details are hidden in every clip.</p></section>
</aside>
</main>
<pre id="state" aria-hidden="true"></pre>
<script type="application/json" id="pack-data">{_script_json(data)}</script>
<script>{_inline(_SCRIPT)}</script>
</body>
</html>
"""
