"""Generate the synthetic demo incident in ``resources/demo/``.

The demo is a short, entirely synthetic body-worn-video-like clip used by ``bwvreview demo``,
the tests and the documentation:

* ``demo_incident.mp4`` - 640x360 at 25 fps, H.264 + AAC mono. A drawn living room filmed by a
  chest-mounted camera (drift, shake, sensor noise), a burned-in Axon-style banner, and one real
  face: the public-domain NASA astronaut portrait bundled with scikit-image, moving and changing
  size so face tracking has work to do.
* ``demo_incident.json`` - the ground truth: who speaks when, where planted personal data is
  spoken (to about 10 ms), when and where the face is on screen and where the banner is.
* ``README.md`` - what the demo is and how to regenerate it.

Voices come from espeak-ng (must be on PATH). The officer wearing the camera is louder and
brighter than the member of the public, as on real footage. Every utterance - and every item of
planted personal data inside an utterance - is synthesised as its own chunk and trimmed with an
energy threshold, so the times in the JSON are where speech actually starts and ends.

Run from the repository root::

    python scripts/make_demo.py

Needs numpy, opencv, scikit-image (for the photo), imageio-ffmpeg (or BWVREVIEW_FFMPEG / an
ffmpeg on PATH) and espeak-ng. Fixed seeds: re-running on the same machine gives byte-identical
files; other versions of espeak-ng or ffmpeg, or another number of CPU cores for x264's
threads, may change the bytes but not the content.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "resources" / "demo"
sys.path.insert(0, str(ROOT))

from bwvreview.media.ffmpeg import ffmpeg_exe  # noqa: E402  (needs ROOT on sys.path)

SEED = 4471

# Video
WIDTH, HEIGHT, FPS = 640, 360, 25
CANVAS_W, CANVAS_H = 760, 450  # the drawn room; the camera looks at a moving window of it
CRF = 24

# Audio
SAMPLE_RATE = 22050  # espeak-ng's native rate; ffmpeg resamples for the AAC track
LEAD_IN_S = 1.0  # room tone before the first word
TAIL_S = 1.0  # room tone after the last word
WEARER_RMS_DBFS = -17.0
OTHER_RMS_DBFS = -25.5  # ~9 dB quieter: further from the chest-mounted microphone
OTHER_LOWPASS_HZ = 4500.0
# Words per minute: the officer a little brisker; the caller slower, and clearer for Whisper.
SPEECH_RATE_WPM = {"wearer": 170, "other": 155}
# "en-gb+f5" silently falls back to the male voice in espeak-ng 1.51; "en+f5" is British female.
VOICES = {"wearer": "en-gb", "other": "en+f5"}

# Incident identity (all fictional)
TITLE = "Demo: domestic call-out, living room (synthetic)"
INCIDENT_REF = "DEMO-0001"
COLLAR = "PC 4471"
DEVICE = "AXON BODY 3 X81234567"
RECORDED_START = datetime(2026, 3, 14, 21, 37, 5, tzinfo=timezone.utc)
BANNER_HEIGHT_PX = 24


@dataclass(frozen=True)
class Chunk:
    """One piece of an utterance, synthesised on its own.

    ``text`` is what the transcript should say; ``say`` (when given) is what espeak-ng is told,
    for numbers that should be read digit by digit. ``kind`` marks planted personal data.
    """

    text: str
    kind: str | None = None
    say: str | None = None


@dataclass(frozen=True)
class Turn:
    speaker: str  # "wearer" (the officer with the camera) or "other"
    pause_s: float  # silence before this turn starts
    chunks: tuple[Chunk, ...]
    codes: tuple[str, ...] = ()  # codebook keys the author intended this turn to show


def _turn(speaker: str, pause_s: float, *parts: str | Chunk, codes: tuple[str, ...] = ()) -> Turn:
    # Plain text is split into sentences: espeak-ng's own pause between sentences is long, so
    # each sentence is synthesised alone and joined with a natural gap (see gap_between).
    chunks: list[Chunk] = []
    for part in parts:
        if isinstance(part, Chunk):
            chunks.append(part)
        else:
            chunks.extend(Chunk(s) for s in re.split(r"(?<=[.?!])\s+", part) if s)
    return Turn(speaker, pause_s, tuple(chunks), codes)


WEARER, OTHER = "wearer", "other"

# A call to a reported argument. The officer starts badly (orders, an ultimatum) and recovers.
SCRIPT: tuple[Turn, ...] = (
    _turn(
        WEARER,
        0.0,
        "My name is",
        Chunk("PC Hughes", kind="officer_name"),
        ". I'm a police officer. I'm here because someone phoned us.",
        codes=("introduced_self",),
    ),
    _turn(OTHER, 0.5, "He's gone. I'm scared he'll come back.", codes=("disclosure",)),
    _turn(
        WEARER, 0.4, "Okay, calm down. Sit down.", codes=("triggering_language", "missed_choice")
    ),
    _turn(OTHER, 0.5, "I don't want to."),
    _turn(
        WEARER, 0.4, "If you don't sit down, you'll be arrested.", codes=("threat_or_ultimatum",)
    ),
    _turn(WEARER, 0.9, "Are you hurt?", codes=("safety_check",)),
    _turn(OTHER, 0.6, "My arm. He grabbed me.", codes=("disclosure",)),
    _turn(
        WEARER,
        0.8,
        "Take your time. Would you rather talk in here or outside? It's up to you.",
        codes=("gave_time", "offered_choice"),
    ),
    _turn(OTHER, 0.5, "In here."),
    _turn(WEARER, 0.4, "Can I take your details?"),
    _turn(
        OTHER,
        0.6,
        "Yes. I'm",
        Chunk("Sarah Whitfield", kind="name"),
        ". I live at",
        Chunk("14 Maple Road in Southampton", kind="address"),
        ". You can ring me on",
        Chunk(
            "07700 900123",
            kind="phone",
            say="zero seven seven zero zero. nine zero zero. one two three",
        ),
        ".",
    ),
    _turn(
        WEARER,
        0.5,
        "I'm going to photograph your arm, because it's evidence. Does that make sense?",
        codes=("explained_action", "checked_understanding"),
    ),
    _turn(OTHER, 0.4, "Yes."),
    _turn(WEARER, 0.4, "Is there someone I can call for you?", codes=("signposted_support",)),
    _turn(OTHER, 0.5, "My sister."),
    _turn(
        WEARER,
        0.4,
        "Someone will call you tomorrow to explain what happens next.",
        codes=("closure_next_steps",),
    ),
)


# ---------------------------------------------------------------------------------------------
# Audio
# ---------------------------------------------------------------------------------------------


def synthesise(text: str, speaker: str, wav_path: Path) -> np.ndarray:
    """Speak ``text`` with espeak-ng and return float samples in [-1, 1]."""
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            VOICES[speaker],
            "-s",
            str(SPEECH_RATE_WPM[speaker]),
            "-w",
            str(wav_path),
            text,
        ],
        check=True,
        capture_output=True,
    )
    with wave.open(str(wav_path), "rb") as wav:
        if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1:
            raise RuntimeError(f"unexpected espeak-ng output format in {wav_path}")
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def trim_silence(samples: np.ndarray) -> tuple[np.ndarray, int]:
    """Cut leading and trailing silence; also return where the speech audibly ends.

    Judged on 5 ms frames against the loudest frame: the cut keeps everything above -45 dB (so
    soft onsets such as "s" and "h" survive), while the audible end is the last frame above
    -35 dB, leaving out the synthesiser's faint decay that nobody would hear under room tone.
    """
    frame = SAMPLE_RATE // 200
    n_frames = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: n_frames * frame].reshape(n_frames, frame) ** 2, axis=1))
    kept = np.flatnonzero(rms > rms.max() * 10 ** (-45 / 20))
    audible = np.flatnonzero(rms > rms.max() * 10 ** (-35 / 20))
    first, last = kept[0], kept[-1]
    return samples[first * frame : (last + 1) * frame], (audible[-1] + 1 - first) * frame


def gap_between(before: Chunk, after: Chunk) -> float:
    """Silence between two chunks of one utterance, as a speaker would leave it.

    People leave a small beat before reading out a name or a number, which also keeps a
    transcriber from smearing the previous word into it.
    """
    boundary = before.text.rstrip()[-1:] + after.text.lstrip()[:1]
    if any(mark in boundary for mark in ".?!"):
        return 0.22
    if "," in boundary or after.kind:
        return 0.15
    return 0.06


def lowpass(samples: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """A gentle FFT low-pass (raised-cosine roll-off over one octave); numpy only."""
    spectrum = np.fft.rfft(samples)
    freqs = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    lo, hi = cutoff_hz / 1.41, cutoff_hz * 1.41
    gain = np.clip((hi - freqs) / (hi - lo), 0.0, 1.0)
    gain = 0.5 - 0.5 * np.cos(np.pi * gain)
    return np.fft.irfft(spectrum * gain, n=len(samples)).astype(np.float32)


def set_rms(samples: np.ndarray, dbfs: float) -> np.ndarray:
    rms = float(np.sqrt(np.mean(samples**2)))
    return samples * (10 ** (dbfs / 20) / rms)


def distance_colour(samples: np.ndarray) -> np.ndarray:
    """Make a voice sound a step away from the microphone: a little duller, one reflection."""
    out = lowpass(samples, OTHER_LOWPASS_HZ)
    delay = int(SAMPLE_RATE * 0.013)
    out[delay:] += 0.2 * out[:-delay]
    return out


def room_tone(n_samples: int, rng: np.random.Generator) -> np.ndarray:
    """A quiet room: soft hiss, low traffic rumble and one car passing outside."""
    t = np.arange(n_samples) / SAMPLE_RATE
    hiss = lowpass(rng.standard_normal(n_samples).astype(np.float32), 6000.0)
    rumble = lowpass(np.cumsum(rng.standard_normal(n_samples)).astype(np.float32), 180.0)
    rumble -= lowpass(rumble, 25.0)  # remove the random walk's drift, keep the rumble
    rumble /= np.abs(rumble).max()
    swell = 0.35 + 0.25 * np.sin(2 * np.pi * t / 11.0) + 1.2 * np.exp(-(((t - 26.0) / 2.5) ** 2))
    return 10 ** (-54 / 20) * hiss / hiss.std() + 10 ** (-36 / 20) * rumble * swell


def build_audio(tmp: Path) -> tuple[np.ndarray, list[dict], list[dict]]:
    """Synthesise the dialogue; return the mixed track, utterance times and personal-data times."""
    rng = np.random.default_rng(SEED)
    speech: list[tuple[int, np.ndarray]] = []  # (start sample, samples)
    utterances: list[dict] = []
    personal: list[dict] = []
    cursor = int(LEAD_IN_S * SAMPLE_RATE)
    for n, turn in enumerate(SCRIPT):
        cursor += int(turn.pause_s * SAMPLE_RATE)
        pieces: list[np.ndarray] = []
        offset = spoken_end = 0  # samples from the start of this utterance
        for k, chunk in enumerate(turn.chunks):
            say = (chunk.say or chunk.text).strip(" .")
            if not say:  # a chunk of punctuation only
                continue
            if pieces:
                pause_s = gap_between(turn.chunks[k - 1], chunk)
                gap = np.zeros(int(pause_s * SAMPLE_RATE), np.float32)
                pieces.append(gap)
                offset += len(gap)
            samples, audible = trim_silence(
                synthesise(say, turn.speaker, tmp / f"t{n:02d}_{k}.wav")
            )
            spoken_end = offset + audible
            if chunk.kind:
                personal.append(
                    {
                        "kind": chunk.kind,
                        "speaker": turn.speaker,
                        "text": chunk.text,
                        "start": round((cursor + offset) / SAMPLE_RATE, 3),
                        "end": round((cursor + spoken_end) / SAMPLE_RATE, 3),
                    }
                )
            pieces.append(samples)
            offset += len(samples)
        voice = np.concatenate(pieces)
        if turn.speaker == "wearer":
            voice = set_rms(voice, WEARER_RMS_DBFS)
        else:
            voice = set_rms(distance_colour(voice), OTHER_RMS_DBFS)
        speech.append((cursor, voice))
        utterances.append(
            {
                "speaker": turn.speaker,
                "start": round(cursor / SAMPLE_RATE, 3),
                "end": round((cursor + spoken_end) / SAMPLE_RATE, 3),
                "text": _joined_text(turn),
                "codes": list(turn.codes),
            }
        )
        cursor += len(voice)
    total = cursor + int(TAIL_S * SAMPLE_RATE)
    total = math.ceil(total / SAMPLE_RATE * FPS) * SAMPLE_RATE // FPS  # a whole number of frames
    mix = room_tone(total, rng)
    for start, voice in speech:
        mix[start : start + len(voice)] += voice
    mix *= min(1.0, 0.89 / np.abs(mix).max())  # peak at most -1 dBFS
    return mix.astype(np.float32), utterances, personal


def _joined_text(turn: Turn) -> str:
    text = ""
    for chunk in turn.chunks:
        part = chunk.text.strip()
        if text and part and part[0] not in ".,?!":
            text += " "
        text += part
    return text


def write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = np.clip(samples * 32767, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.tobytes())


# ---------------------------------------------------------------------------------------------
# Video
# ---------------------------------------------------------------------------------------------


def draw_room() -> np.ndarray:
    """A living room at night, lit by a ceiling lamp: window, sofa, picture, open doorway."""
    h, w = CANVAS_H, CANVAS_W
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.0 - 0.55 * np.clip(np.hypot((xx - 380) / 520, (yy - 40) / 420), 0, 1)
    wall = np.stack([150 * light, 178 * light, 196 * light], axis=-1)  # warm beige (BGR)
    room = wall.astype(np.uint8)

    floor_y = 330
    cv2.rectangle(room, (0, floor_y), (w, h), (48, 70, 92), -1)  # wooden floor
    for y in range(floor_y + 12, h, 18):
        cv2.line(room, (0, y), (w, y), (40, 58, 78), 1, cv2.LINE_AA)
    cv2.rectangle(room, (0, floor_y - 10), (w, floor_y), (215, 222, 226), -1)  # skirting

    # Window with blinds, a streetlight outside, curtains either side.
    cv2.rectangle(room, (70, 70), (250, 230), (235, 238, 240), -1)
    cv2.rectangle(room, (80, 80), (240, 220), (70, 45, 30), -1)
    cv2.circle(room, (205, 110), 18, (120, 190, 235), -1, cv2.LINE_AA)
    for y in range(84, 220, 9):
        cv2.line(room, (80, y), (240, y), (150, 160, 170), 2, cv2.LINE_AA)
    cv2.rectangle(room, (45, 60), (85, 300), (60, 60, 130), -1)
    cv2.rectangle(room, (235, 60), (275, 300), (60, 60, 130), -1)
    # Framed picture and a light switch.
    cv2.rectangle(room, (330, 95), (450, 175), (40, 50, 60), -1)
    cv2.rectangle(room, (338, 103), (442, 167), (120, 150, 110), -1)
    cv2.fillPoly(
        room,
        [np.array([[338, 167], [380, 125], [410, 150], [442, 120], [442, 167]])],
        (70, 110, 80),
    )
    cv2.rectangle(room, (505, 180), (518, 200), (235, 238, 240), -1)

    # Open doorway to a dark hall on the right.
    cv2.rectangle(room, (540, 90), (690, 320), (230, 234, 236), -1)
    cv2.rectangle(room, (552, 100), (678, 320), (30, 36, 44), -1)
    cv2.fillPoly(room, [np.array([[678, 100], [725, 82], [725, 338], [678, 320]])], (160, 175, 185))
    cv2.circle(room, (713, 215), 4, (60, 140, 190), -1, cv2.LINE_AA)

    # Sofa in the lower left: back, two seat cushions, an arm, short legs.
    fabric, seat, shade = (78, 88, 104), (92, 102, 120), (60, 68, 82)
    cv2.rectangle(room, (-20, 240), (250, 330), fabric, -1)
    cv2.line(room, (120, 246), (120, 322), shade, 2, cv2.LINE_AA)
    for x0, x1 in ((-20, 120), (122, 258)):
        cv2.rectangle(room, (x0, 318), (x1, 350), seat, -1)
        cv2.rectangle(room, (x0, 318), (x1, 350), shade, 1, cv2.LINE_AA)
    cv2.rectangle(room, (250, 280), (290, 372), fabric, -1)  # arm
    cv2.ellipse(room, (270, 282), (20, 10), 0, 180, 360, fabric, -1, cv2.LINE_AA)
    cv2.rectangle(room, (-20, 350), (290, 372), shade, -1)
    for x in (20, 270):
        cv2.rectangle(room, (x, 372), (x + 10, 384), (30, 36, 44), -1)
    return cv2.GaussianBlur(room, (3, 3), 0)


def face_sprite() -> tuple[np.ndarray, np.ndarray]:
    """The astronaut's head and neck (BGR) with a feathered alpha mask, from scikit-image.

    The studio backdrop is pale and unsaturated, hair and skin are saturated and the polo neck
    is dark, so colour separates the head; holes (teeth, eyes) are filled from the outline.
    """
    from skimage import data  # only needed here; not a runtime dependency of bwvreview

    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    crop = photo[8:216, 140:316].copy()  # rows 8-215, columns 140-315 of the photo
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    person = ((hsv[..., 1] > 45) | (hsv[..., 2] < 90)).astype(np.uint8)
    region = np.zeros_like(person)
    cv2.ellipse(region, (86, 92), (80, 96), 0, 0, 360, 1, -1)  # head and hair
    region[140:] = 0  # below the hair: only the jaw and neck, not the suit's neck ring
    jaw_and_neck = np.array([(40, 140), (132, 140), (124, 175), (118, 207), (58, 207), (51, 175)])
    cv2.fillPoly(region, [jaw_and_neck], 1)
    person &= region
    person = cv2.morphologyEx(person, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(person, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    alpha = np.zeros(crop.shape[:2], np.float32)
    cv2.drawContours(alpha, [outline], -1, 1.0, -1)
    alpha = cv2.GaussianBlur(cv2.erode(alpha, np.ones((3, 3), np.uint8)), (0, 0), 1.5)
    return crop, alpha


# Where the person's face is on the room canvas: (t_s, centre x, centre y, face height px).
# They walk in through the doorway, come closer and lower (sitting) while giving their details,
# then get up and move back; the last two keys are placed relative to the end of the clip.
FACE_KEYS = (
    (0.0, 860, 200, 56),
    (2.4, 615, 200, 56),
    (9.0, 520, 212, 68),
    (17.0, 430, 240, 88),
    (30.0, 360, 252, 110),
    (38.0, 400, 244, 98),
    (45.0, 500, 220, 76),
)
FACE_EXIT_KEYS = ((-3.5, 570, 210, 66), (0.0, 880, 205, 62))

Key = tuple[float, float, float, float]


def face_keys(duration_s: float) -> tuple[Key, ...]:
    """All keyframes for a clip of ``duration_s``, so the person leaves just before the end."""
    return FACE_KEYS + tuple((duration_s + dt, x, y, h) for dt, x, y, h in FACE_EXIT_KEYS)


def _smoothstep(a: float) -> float:
    return a * a * (3 - 2 * a)


def face_at(keys: tuple[Key, ...], t: float) -> tuple[float, float, float]:
    """The face's centre and height on the canvas at ``t``, eased between keyframes."""
    for (t0, *p0), (t1, *p1) in zip(keys, keys[1:], strict=False):
        if t0 <= t <= t1:
            a = _smoothstep((t - t0) / (t1 - t0))
            x, y, size = (u + a * (v - u) for u, v in zip(p0, p1, strict=True))
            return x, y + 2.5 * math.sin(2 * math.pi * 0.7 * t), size  # a little sway
    return keys[-1][1:]


# In the sprite (the crop of the photo): the face from forehead to chin, and its centre.
FACE_BOX_IN_SPRITE = (40, 67, 92, 110)  # x, y, w, h
FACE_CENTRE_IN_SPRITE = (86, 122)


def draw_person(
    canvas: np.ndarray, face: tuple[float, float, float], sprite: np.ndarray, alpha: np.ndarray
) -> tuple[float, float, float, float]:
    """Blend the scaled head onto the canvas, dress it, and return the face box on the canvas."""
    cx, cy, face_h = face
    scale = face_h / FACE_BOX_IN_SPRITE[3]
    w_px, h_px = int(sprite.shape[1] * scale), int(sprite.shape[0] * scale)
    x0 = int(cx - FACE_CENTRE_IN_SPRITE[0] * scale)
    y0 = int(cy - FACE_CENTRE_IN_SPRITE[1] * scale)
    fx, fy, fw, fh = FACE_BOX_IN_SPRITE
    box = (x0 + fx * scale, y0 + fy * scale, fw * scale, fh * scale)
    head = cv2.resize(sprite, (w_px, h_px), interpolation=cv2.INTER_AREA)
    mask = cv2.resize(alpha, (w_px, h_px), interpolation=cv2.INTER_AREA)[..., None]
    cx0, cy0 = max(x0, 0), max(y0, 0)
    cx1, cy1 = min(x0 + w_px, CANVAS_W), min(y0 + h_px, CANVAS_H)
    if cx1 > cx0 and cy1 > cy0:
        region = canvas[cy0:cy1, cx0:cx1].astype(np.float32)
        src = head[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0].astype(np.float32)
        m = mask[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
        canvas[cy0:cy1, cx0:cx1] = (region * (1 - m) + src * m).astype(np.uint8)
    draw_coat(canvas, cx, cy, scale)  # over the bottom of the neck, like a collar
    return box


def draw_coat(canvas: np.ndarray, cx: float, cy: float, scale: float) -> None:
    """A dark zipped jacket: collar round the neck, sloping shoulders, arms at the sides."""
    # Outline relative to the face centre, in sprite pixels (the face is 110 tall).
    outline = [(-44, 72), (-28, 84), (28, 84), (44, 72), (70, 88), (112, 112), (130, 150),
               (140, 400), (-140, 400), (-130, 150), (-112, 112), (-70, 88)]  # fmt: skip
    points = np.array([(cx + u * scale, cy + v * scale) for u, v in outline], np.int32)
    cv2.fillPoly(canvas, [points], (58, 40, 34), cv2.LINE_AA)
    seam, zip_colour = (44, 30, 26), (95, 95, 100)
    for side in (-1, 1):  # where the arms meet the body
        arm = [(cx + side * 100 * scale, cy + 150 * scale), (cx + side * 96 * scale, CANVAS_H)]
        cv2.line(canvas, *[tuple(int(c) for c in p) for p in arm], seam, 2, cv2.LINE_AA)
    top = (int(cx), int(cy + 84 * scale))
    cv2.line(canvas, top, (int(cx), CANVAS_H), zip_colour, 1, cv2.LINE_AA)


def box_in_frame(box: tuple[float, ...], m: np.ndarray) -> list[int] | None:
    """Map a canvas box through the camera transform; None unless mostly inside the frame."""
    x, y, w, h = box
    corners = np.array([[x, y, 1], [x + w, y, 1], [x, y + h, 1], [x + w, y + h, 1]]) @ m.T
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    area = (x1 - x0) * (y1 - y0)
    vx0, vy0 = max(x0, 0), max(y0, BANNER_HEIGHT_PX)
    vx1, vy1 = min(x1, WIDTH), min(y1, HEIGHT)
    if vx1 <= vx0 or vy1 <= vy0 or (vx1 - vx0) * (vy1 - vy0) < 0.6 * area:
        return None
    return [round(vx0), round(vy0), round(vx1 - vx0), round(vy1 - vy0)]


def _sine(t: np.ndarray, period_s: float, phase: float = 0.0) -> np.ndarray:
    return np.sin(2 * np.pi * t / period_s + phase)


def camera_path(n_frames: int, rng: np.random.Generator) -> np.ndarray:
    """Per-frame (dx, dy, angle_deg): slow drift, breathing/walking bob and smoothed jitter."""
    t = np.arange(n_frames) / FPS
    jitter = rng.standard_normal((n_frames + 8, 3))
    kernel = np.hanning(9) / np.hanning(9).sum()
    jitter = np.stack([np.convolve(jitter[:, i], kernel, "valid") for i in range(3)], axis=1)
    dx = 22 * _sine(t, 17.0) + 9 * _sine(t, 6.3, 1.0) + 1.6 * jitter[:, 0]
    dy = 10 * _sine(t, 13.0, 2.0) + 2.5 * _sine(t, 0.9) + 1.4 * jitter[:, 1]
    angle = 1.2 * _sine(t, 9.0) + 0.25 * jitter[:, 2]
    return np.stack([dx, dy, angle], axis=1)


def draw_banner(frame: np.ndarray, t: float) -> None:
    """The burned-in strip: date, running clock, device serial and collar number."""
    strip = frame[:BANNER_HEIGHT_PX]
    strip[:] = (strip.astype(np.float32) * 0.3).astype(np.uint8)
    stamp = RECORDED_START + timedelta(seconds=int(t))
    left = stamp.strftime("%Y-%m-%d %H:%M:%S +0000")
    right = f"{DEVICE}  {COLLAR}"
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, 0.45
    cv2.putText(frame, left, (8, 17), font, scale, (255, 255, 255), 1, cv2.LINE_AA)
    (tw, _), _ = cv2.getTextSize(right, font, scale, 1)
    cv2.putText(frame, right, (WIDTH - tw - 8, 17), font, scale, (255, 255, 255), 1, cv2.LINE_AA)


def render_frames(n_frames: int, face_track: list):
    """Yield the BGR frames of the clip; append each frame's face box (or None) to face_track."""
    rng = np.random.default_rng(SEED + 1)
    room = draw_room()
    sprite, alpha = face_sprite()
    path = camera_path(n_frames, rng)
    keys = face_keys(n_frames / FPS)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    distance = np.clip(np.hypot((xx - 320) / 360, (yy - 180) / 260), 0, 1)
    vignette = (1 - 0.45 * distance**2)[..., None]
    for i in range(n_frames):
        t = i / FPS
        canvas = room.copy()
        box = draw_person(canvas, face_at(keys, t), sprite, alpha)
        dx, dy, angle = path[i]
        # Map the canvas centre (plus drift) to the frame centre, slightly rotated.
        m = cv2.getRotationMatrix2D((CANVAS_W / 2 + dx, CANVAS_H / 2 + dy), angle, 1.0)
        m[0, 2] -= (CANVAS_W - WIDTH) / 2 + dx
        m[1, 2] -= (CANVAS_H - HEIGHT) / 2 + dy
        face_track.append(box_in_frame(box, m))
        frame = cv2.warpAffine(
            canvas, m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
        )
        noise = rng.normal(0.0, 3.0, (HEIGHT, WIDTH, 1))  # low-light sensor grain
        frame = np.clip(frame * vignette + noise, 0, 255).astype(np.uint8)
        draw_banner(frame, t)
        yield frame


def encode(frames, n_frames: int, wav_path: Path, out_path: Path) -> None:
    """Pipe raw frames into ffmpeg, mux with the WAV, strip metadata but keep a creation time.

    The file is written next to the WAV (a temporary folder) and moved into place when whole.
    """
    part = wav_path.with_name(out_path.name)
    cmd = [
        str(ffmpeg_exe()), "-y", "-hide_banner", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS),
        "-i", "pipe:0",
        "-i", str(wav_path),
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "slow", "-crf", str(CRF), "-pix_fmt", "yuv420p",
        "-profile:v", "high", "-g", str(2 * FPS),
        "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", "48000",
        "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact",
        "-metadata", f"creation_time={RECORDED_START.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "-movflags", "+faststart",
        "-frames:v", str(n_frames),
        str(part),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for frame in frames:
            proc.stdin.write(frame.tobytes())
    finally:
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("ffmpeg failed to encode the demo")
    shutil.move(part, out_path)


# ---------------------------------------------------------------------------------------------
# Ground truth and README
# ---------------------------------------------------------------------------------------------


def face_description(face_track: list) -> dict:
    """When the face is on screen, and its box (x, y, w, h in frame pixels) every half second."""
    shown = [i for i, box in enumerate(face_track) if box is not None]
    heights = [face_track[i][3] for i in shown]
    first, last = shown[0] / FPS, shown[-1] / FPS
    return {
        "count": 1,
        "source": "public-domain NASA portrait of astronaut Eileen Collins "
        "(skimage.data.astronaut)",
        "visible_from_s": round(first, 2),
        "visible_to_s": round(last, 2),
        "height_px_range": [min(heights), max(heights)],
        "description": (
            f"One face (the member of the public) from {first:.1f} s to {last:.1f} s. It enters "
            "through the doorway on the right, comes closer and lower (sitting) and is largest, "
            "left of centre, at about 30 s while the personal details are given, then moves back "
            "right and leaves the frame. The camera drifts and shakes throughout."
        ),
        "track_note": "every 0.5 s: box = [x, y, w, h] of the face (forehead to chin) in "
        "frame pixels; null when off screen or less than 60% visible",
        "track": [
            {"t": k / 2, "box": face_track[int(k / 2 * FPS)]}
            for k in range(2 * len(face_track) // FPS)
        ],
    }


def write_ground_truth(
    path: Path, duration_s: float, utterances: list, personal: list, face_track: list
) -> None:
    doc = {
        "title": TITLE,
        "incident_reference": INCIDENT_REF,
        "officer": COLLAR,
        "device": DEVICE,
        "recorded_date": RECORDED_START.date().isoformat(),
        "recorded_start": RECORDED_START.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(duration_s, 3),
        "video": {"width": WIDTH, "height": HEIGHT, "fps": FPS},
        "speakers": {
            "wearer": f"the officer wearing the camera (espeak-ng {VOICES['wearer']}, louder)",
            "other": (
                f"the member of the public (espeak-ng {VOICES['other']}, about 9 dB quieter, "
                "low-passed)"
            ),
        },
        "utterances": utterances,
        "personal_data": personal,
        "faces": face_description(face_track),
        "banner": {
            "position": "top",
            "height_px": BANNER_HEIGHT_PX,
            "text_example": f"{RECORDED_START:%Y-%m-%d %H:%M:%S} +0000   {DEVICE}  {COLLAR}",
            "clock": "advances one second per second of video from recorded_start",
        },
        "synthetic": True,
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


README = """\
# Demo incident (synthetic)

`demo_incident.mp4` is a made-up body-worn-video-like clip for trying bwvreview
(`bwvreview demo`), for the tests and for screenshots. Nothing in it is real:

- the room, the camera movement and the sensor noise are drawn with NumPy and OpenCV;
- the one face is the public-domain NASA portrait of astronaut Eileen Collins that ships with
  scikit-image (`skimage.data.astronaut()`);
- both voices are the espeak-ng speech synthesiser: the officer wearing the camera
  (`{wearer}`, louder) and a member of the public (`{other}`, about 9 dB quieter and duller);
- the name, address and phone number spoken in it are invented (the phone number is in
  Ofcom's range reserved for drama, 07700 900xxx), as are the collar number, device serial and
  the date and time on the banner.

The scene deliberately mixes moments a trauma-informed reviewer would flag (a "calm down"
order, a bare "sit down", an ultimatum) with good practice (introduction, safety check, a real
choice, an explained action, checking understanding, signposting and next steps).

`demo_incident.json` is the ground truth:

- `utterances`: speaker (`wearer` = the officer with the camera, or `other`), start and end
  seconds, the words, and `codes` - the codebook categories the scene was written to show;
- `personal_data`: where each planted item is spoken - `name`, `address`, `phone`, and the
  officer's own name (`officer_name`, said by design when introducing themself);
- `faces`: when the face is on screen, and its box in frame pixels every half second;
- `banner`: where the burned-in strip is and what it says.

Each utterance and each item of personal data was synthesised as its own piece and trimmed
with an energy threshold, so the times are where the speech is, to about 10 ms.

## Regenerating

From the repository root:

    python scripts/make_demo.py

It needs `espeak-ng` on PATH (e.g. `apt-get install espeak-ng`), and NumPy, OpenCV,
scikit-image and imageio-ffmpeg in the Python environment. Seeds are fixed, so a re-run on
the same machine gives byte-identical files; other versions of espeak-ng or ffmpeg (or another
number of CPU cores for the video encoder) may change the bytes but not the content.
"""


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not on PATH; install it (e.g. apt-get install espeak-ng)")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bwv-demo-") as tmp_name:
        tmp = Path(tmp_name)
        mix, utterances, personal = build_audio(tmp)
        duration_s = len(mix) / SAMPLE_RATE
        n_frames = round(duration_s * FPS)
        wav_path = tmp / "mix.wav"
        write_wav(wav_path, mix)
        face_track: list = []
        frames = render_frames(n_frames, face_track)
        encode(frames, n_frames, wav_path, OUT_DIR / "demo_incident.mp4")
    write_ground_truth(OUT_DIR / "demo_incident.json", duration_s, utterances, personal, face_track)
    (OUT_DIR / "README.md").write_text(
        README.format(wearer=VOICES["wearer"], other=VOICES["other"]), encoding="utf-8"
    )
    print(f"wrote {OUT_DIR} ({duration_s:.2f} s, {len(utterances)} utterances)")


if __name__ == "__main__":
    main()
