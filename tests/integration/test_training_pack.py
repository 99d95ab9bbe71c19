"""A training pack exported from the demo incident: its folder, its offline page playing in
headless Chromium, its handout, and what it refuses.

Two real anonymised clips are cut from the demo footage once for the module (about a
minute); the transcript is the demo's real Whisper output from tests/data.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bwvreview import app
from bwvreview.annotations import review
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.errors import DomainError
from bwvreview.annotations.learning import clip_library, clips, packs
from bwvreview.annotations.review import transcripts
from bwvreview.annotations.review.transcripts import NewSegment, NewWord
from bwvreview.annotations.store import models
from bwvreview.app import clip_workflow, training_pack
from bwvreview.app.handout_pdf import latin1, write_handout
from bwvreview.app.redacted_text import redact_text
from bwvreview.app.training_pack import PackRefused
from bwvreview.cli import main

DEMO_WORDS = Path(__file__).resolve().parents[1] / "data" / "demo_words.json"
FACTS = app.demo_facts()
TRAINER = Principal(user_id=7, name="Trainer T", role="trainer")
OFFICER = Principal(user_id=8, name="Officer O", role="officer")
SECOND = Principal(user_id=9, name="Second TIP", role="tip")  # releases what others export
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PLANTED = [w for p in FACTS["personal_data"] for w in p["text"].split() if len(w) > 3]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo incident with two exported, verified library clips and a trainer's pack."""
    data = tmp_path_factory.mktemp("packdata")
    os.environ["BWVREVIEW_DATA"] = str(data)
    lib = app.open_library()
    recording = app.import_demo(lib)
    words = json.loads(DEMO_WORDS.read_text(encoding="utf-8"))["words"]
    said = tuple(NewWord(w["start_ms"], w["end_ms"], w["text"], 0.9) for w in words)
    transcripts.store_transcript(
        lib.db, recording.id, [NewSegment(said[0].start_ms, said[-1].end_ms,
        "".join(w.text for w in said).strip(), "other", said)], model="fixture", device="cpu",
        compute_type="-", language="en", speaker_confidence=None, actor="test",
    )  # fmt: skip
    with lib.db.begin() as session:
        session.add_all([models.User(id=7, name="Trainer T", role="trainer"),
                         models.User(id=8, name="Officer O", role="officer"),
                         models.User(id=9, name="Second TIP", role="tip")])  # fmt: skip
    privacy = review.create_annotation(
        lib.db, recording_id=recording.id, codebook_id=lib.codebook_id,
        category_key="privacy_breach", start_ms=27_000, end_ms=35_000, actor="test",
        note="Name and address asked for in the living room, in front of others",
        suggested_wording="Is it all right if we go through your details somewhere private?",
    )  # fmt: skip
    calm = review.create_annotation(
        lib.db, recording_id=recording.id, codebook_id=lib.codebook_id,
        category_key="triggering_language", start_ms=9_400, end_ms=12_000, actor="test",
        note="'Calm down' as an order, straight after a disclosure of fear",
        suggested_wording="Take your time. You're safe now.",
    )  # fmt: skip
    clip_dir = tmp_path_factory.mktemp("clips")
    started = time.perf_counter()
    exported = []
    for annotation, (start, end), name in ((privacy, (27_000, 35_000), "privacy.mp4"),
                                           (calm, (9_000, 12_500), "calm.mp4")):  # fmt: skip
        options = clip_workflow.ExportOptions(annotation_id=annotation.id)
        _outcome, record = clip_workflow.export_clip(
            lib, recording.id, start, end, clip_dir / name, options
        )
        assert record.verified and record.release_state == "awaiting"
        exported.append(clips.approve_clip(lib.db.as_user(SECOND), record.id, record.sha256))
    print(f"\nexported two demo clips in {time.perf_counter() - started:.1f} s")
    trainer = lib.db.as_user(TRAINER)
    pack = packs.create_pack(trainer, "Choice, privacy & “calm down”", "Session 1 — pilot")
    packs.add_clip(trainer, pack.id, exported[1].id, facilitator_notes="Play twice.",
                   prompts=["How might she hear 'calm down' right now?"])  # fmt: skip
    packs.add_clip(trainer, pack.id, exported[0].id,
                   facilitator_notes="Ask: would Sarah Whitfield want neighbours to hear this?",
                   prompts=["Where could this conversation happen instead?",
                            "What does a choice sound like here?"])  # fmt: skip
    yield dataclasses.replace(lib, db=trainer), pack.id, exported, recording
    lib.close()


@pytest.fixture(scope="module")
def pack_folder(demo, tmp_path_factory: pytest.TempPathFactory):
    lib, pack_id, _exported, _recording = demo
    out = tmp_path_factory.mktemp("export") / "session 1 pack"
    started = time.perf_counter()
    result = training_pack.export_pack(lib, pack_id, out)
    print(f"\nexported the training pack in {time.perf_counter() - started:.1f} s")
    return result


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_the_pack_folder_holds_clips_captions_page_manifest_and_handout(demo, pack_folder):
    _lib, _pack_id, exported, _recording = demo
    folder = pack_folder.folder
    assert pack_folder.clips == 2 and pack_folder.pdf == folder / "handout.pdf"
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    assert manifest["format"] == training_pack.PACK_FORMAT
    assert [c["file"] for c in manifest["clips"]] == [
        "clips/01-triggering-language.mp4",
        "clips/02-privacy-not-protected.mp4",
    ]
    # byte copies of the verified clips, in the pack's order
    assert _sha(folder / manifest["clips"][0]["file"]) == exported[1].sha256
    assert _sha(folder / manifest["clips"][1]["file"]) == exported[0].sha256
    assert manifest["clips"][1]["prompts"][0].startswith("Where could")
    assert manifest["clips"][1]["principles"] == ["trust", "safety"]
    for clip in manifest["clips"]:
        vtt = (folder / clip["captions"]).read_text(encoding="utf-8")
        assert vtt.startswith("WEBVTT\n") and "-->" in vtt
    assert (folder / "handout.pdf").read_bytes().startswith(b"%PDF")
    assert not list(folder.parent.glob(".*partial"))


@pytest.mark.slow
def test_captions_and_texts_hide_the_planted_personal_data(pack_folder):
    folder = pack_folder.folder
    vtt = (folder / "clips" / "02-privacy-not-protected.vtt").read_text(encoding="utf-8")
    assert "[name]" in vtt and "[address]" in vtt
    texts = [p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.suffix in
             (".vtt", ".json", ".html")]  # fmt: skip
    if shutil.which("pdftotext") or os.environ.get("CI") == "true":  # CI installs poppler
        texts.append(subprocess.run(["pdftotext", str(folder / "handout.pdf"), "-"],
                                    capture_output=True, text=True, check=True).stdout)  # fmt: skip
    for text in texts:
        for word in PLANTED:
            assert word.strip(".").lower() not in text.lower(), word


@pytest.mark.slow
def test_the_page_loads_nothing_from_outside(pack_folder):
    page = (pack_folder.folder / "index.html").read_text(encoding="utf-8")
    for pattern in (r"https?://", r"//cdn", r"""(src|href)\s*=\s*["']//""", r"@import",
                    r"url\(", r"<link\b", r"<iframe\b", r"""<script[^>]+src="""):  # fmt: skip
        assert not re.search(pattern, page, re.IGNORECASE), pattern
    for ref in re.findall(r"""(?:src|href)\s*=\s*["']([^"'#]+)["']""", page):
        assert (pack_folder.folder / ref).is_file(), ref


def _cdp_poll(url: str, expression: str, done, timeout_s: float = 60.0):
    """Open ``url`` in headless Chromium (no network) and evaluate ``expression`` until
    ``done(value)``; talks the DevTools protocol over --remote-debugging-pipe."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    profile = Path(os.environ["BWVREVIEW_DATA"]).parent / f"chromium-{os.getpid()}"

    # Chromium reads commands on fd 3 and writes replies on fd 4.
    def setup() -> None:
        read_end = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)  # out of the way of 3 and 4
        write_end = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.dup2(read_end, 3)
        os.dup2(write_end, 4)

    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         "--disable-sync", "--disable-extensions", "--proxy-server=127.0.0.1:9",
         "--proxy-bypass-list=<-loopback>", f"--user-data-dir={profile}",
         "--autoplay-policy=no-user-gesture-required", "--remote-debugging-pipe", "about:blank"],
        pass_fds=(3, 4), preexec_fn=setup,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(to_browser_r)
    os.close(from_browser_w)
    reader = os.fdopen(from_browser_r, "rb")
    writer = os.fdopen(to_browser_w, "wb")
    buffer = b""
    counter = iter(range(1, 1_000_000))

    def call(method: str, params: dict, session: str | None = None) -> dict:
        nonlocal buffer
        ident = next(counter)
        message = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        writer.write(json.dumps(message).encode() + b"\0")
        writer.flush()
        while True:
            while b"\0" not in buffer:
                chunk = os.read(reader.fileno(), 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                buffer += chunk
            raw, buffer = buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply["result"]

    try:
        target = call("Target.createTarget", {"url": url})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        deadline = time.monotonic() + timeout_s
        value = None
        while time.monotonic() < deadline:
            result = call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                          session)  # fmt: skip
            value = result["result"].get("value")
            if done(value):
                return value
            time.sleep(0.25)
        return value
    finally:
        writer.close()
        reader.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _state(value):
    return json.loads(value) if value else {}


@pytest.mark.slow
def test_the_pack_opens_in_a_browser_offline_and_plays(pack_folder):
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is needed in CI for the offline playback test")
        pytest.skip("chromium is not installed")
    url = (pack_folder.folder / "index.html").resolve().as_uri() + "#autoplay"
    state = _state(_cdp_poll(url, "document.getElementById('state').textContent",
                             lambda v: _state(v).get("played", 0) >= 1.0))  # fmt: skip
    assert state["error"] is None, state
    assert state["readyState"] >= 2, state  # HAVE_CURRENT_DATA or better
    assert state["played"] >= 1.0 and not state["paused"], state  # time advanced after play()
    assert 3.0 <= state["duration"] <= 4.0, state  # the first clip: 9.0–12.5 s
    assert state["cues"] >= 1, state  # captions showing (from the file or the page's data)
    # Next goes to the second clip, which loads too
    script = ("document.getElementById('next').click(); "
              "document.getElementById('state').textContent")  # fmt: skip
    state = _state(_cdp_poll(url, script, lambda v: _state(v).get("readyState", 0) >= 1))
    assert state["clip"] == 2 and state["error"] is None and 7.5 <= state["duration"] <= 8.5


@pytest.mark.slow
def test_the_handout_first_page_renders(pack_folder, tmp_path):
    if shutil.which("pdftoppm") is None and os.environ.get("CI") != "true":
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out = tmp_path / "handout"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                    str(pack_folder.folder / "handout.pdf"), str(out)], check=True)  # fmt: skip
    (png,) = tmp_path.glob("handout*.png")
    assert png.stat().st_size > 5_000
    keep = os.environ.get("BWVREVIEW_KEEP_HANDOUT_PNG")
    if keep:
        shutil.copyfile(png, keep)


@pytest.mark.slow
def test_a_changed_clip_is_refused_and_nothing_is_left_behind(demo, tmp_path):
    lib, pack_id, exported, _recording = demo
    original = Path(exported[0].output_path)
    saved = original.read_bytes()
    try:
        original.write_bytes(saved[:-10] + b"0123456789")
        with pytest.raises(PackRefused, match="SHA-256"):
            training_pack.export_pack(lib, pack_id, tmp_path / "pack")
    finally:
        original.write_bytes(saved)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "taken").mkdir()
    with pytest.raises(PackRefused, match="already exists"):
        training_pack.export_pack(lib, pack_id, tmp_path / "taken")


@pytest.mark.slow
def test_an_overridden_clip_is_exported_with_a_notice(demo, tmp_path):
    lib, _pack_id, exported, recording = demo
    copy = tmp_path / "overridden.mp4"
    shutil.copyfile(exported[1].output_path, copy)
    tip = lib.db.as_user(Principal(None, "tip", "tip"))
    record = clips.record_clip(
        tip,
        clips.NewClip(recording.id, exported[1].annotation_id, 9_000, 12_500, str(copy),
                      _sha(copy), recording.sha256, {}, {"verdict": "fail"}, False),
        "tip",
    )  # fmt: skip
    clips.add_to_library(tip, record.id, "tip", "actors, consent on file")
    clips.approve_clip(lib.db.as_user(SECOND), record.id, record.sha256)
    pack = packs.create_pack(lib.db, "Overrides")
    packs.add_clip(lib.db, pack.id, record.id)
    result = training_pack.export_pack(lib, pack.id, tmp_path / "pack", pdf=False)
    assert result.pdf is None and not (result.folder / "handout.pdf").exists()
    assert "did not pass verification" in result.notices[0]
    manifest = json.loads((result.folder / "pack.json").read_text(encoding="utf-8"))
    assert manifest["clips"][0]["overridden"] and manifest["notices"] == list(result.notices)
    assert clip_library.get_library_clip(lib.db, record.id).overridden


@pytest.mark.slow
def test_a_pack_refuses_a_clip_no_longer_approved(demo, tmp_path):
    lib, _pack_id, exported, recording = demo
    copy = tmp_path / "withdrawn.mp4"
    shutil.copyfile(exported[1].output_path, copy)
    tip = lib.db.as_user(Principal(None, "tip", "tip"))
    new = clips.NewClip(recording.id, exported[1].annotation_id, 9_000, 12_500, str(copy),
                        _sha(copy), recording.sha256, {}, {"verdict": "pass"}, True)  # fmt: skip
    record = clips.record_clip(tip, new, "tip")
    pack = packs.create_pack(lib.db, "Withdrawn")
    with pytest.raises(DomainError, match="no library clip"):  # awaiting: not for packs yet
        packs.add_clip(lib.db, pack.id, record.id)
    clips.approve_clip(lib.db.as_user(SECOND), record.id, record.sha256)
    packs.add_clip(lib.db, pack.id, record.id)
    clips.reject_clip(lib.db.as_user(SECOND), record.id, "consent withdrawn")
    with pytest.raises(PackRefused, match=f"clip {record.id} in this pack is no longer approved"):
        training_pack.export_pack(lib, pack.id, tmp_path / "pack", pdf=False)
    assert not (tmp_path / "pack").exists()


@pytest.mark.slow
def test_an_officer_cannot_export_a_pack(demo, tmp_path):
    lib, pack_id, _exported, _recording = demo
    officer = dataclasses.replace(lib, db=lib.db.as_user(OFFICER))
    with pytest.raises(PermissionDenied):
        training_pack.export_pack(officer, pack_id, tmp_path / "pack")
    assert not (tmp_path / "pack").exists()


@pytest.mark.slow
def test_export_pack_on_the_command_line(demo, tmp_path, capsys, monkeypatch):
    lib, pack_id, _exported, _recording = demo
    monkeypatch.setenv("BWVREVIEW_DATA", str(lib.data_dir))
    monkeypatch.setenv("BWVREVIEW_USER", "Trainer T")  # the library has people who sign in
    out = tmp_path / "cli pack"
    assert main(["export-pack", str(pack_id), "--out", str(out), "--pdf"]) == 0
    assert (out / "index.html").is_file() and (out / "handout.pdf").is_file()
    assert "2 clips" in capsys.readouterr().out
    assert main(["export-pack", str(pack_id), "--out", str(out)]) == 3
    assert "already exists" in capsys.readouterr().err
    assert main(["export-pack", "999", "--out", str(tmp_path / "x")]) == 3


# --- the pieces, without the demo export -------------------------------------------------


def test_webvtt_and_file_names_are_safe():
    assert (
        training_pack.slug("Respected identity & culture — ok?") == "respected-identity-culture-ok"
    )
    assert training_pack.slug("日本語") == "clip"
    vtt = training_pack.webvtt([(0, 1500, "a --> b <i>&"), (61_000, 3_601_250, "later")])
    assert vtt.splitlines()[:4] == ["WEBVTT", "", "1", "00:00:00.000 --> 00:00:01.500"]
    assert "a → b &lt;i>&amp;" in vtt and "00:01:01.000 --> 01:00:01.250" in vtt


def test_free_text_is_redacted_with_placeholders():
    text = redact_text("Ask Sarah Whitfield at 14 Maple Road.\n  Ring 07700 900123", ["Maple Road"])
    assert "Sarah" not in text and "Maple" not in text and "900123" not in text
    assert text.startswith("Ask [name]") and "\n  Ring [phone number]" in text


def test_the_handout_takes_any_text(tmp_path):
    manifest = {
        "title": "Séance “un” — 日本語 🙂",
        "description": "Ça va – “quotes”…",
        "clips": [{"position": 1, "category_label": "Triggering language", "polarity": "concern",
                   "principles": ["safety", "trust"], "learning_point": "Ωmega → ok",
                   "suggested_wording": "Take your time", "prompts": ["Why?", "Ελληνικά"]}],
    }  # fmt: skip
    path = write_handout(tmp_path / "h.pdf", manifest)
    assert path.read_bytes().startswith(b"%PDF")
    assert latin1("“Séance” — 日🙂") == '"Séance" - ??'
