"""Regenerate ``tests/data/speech_personal_data.mp4`` and its facts (run once; tests never
need espeak-ng).

A 160x120 dark video with a mono AAC track of an invented exchange in which personal
details are given the ways people give them (issue 21): a full name, then the first name
alone in the officer's mouth; a possessive ("Sarah's"); dates of birth in five phrasings,
some answering a question with no birth word in the answer itself; a phone number split
over two breaths (Whisper writes it as two segments). Three synthetic voices (espeak-ng):
the officer wearing the camera (``en-gb``, close), a woman (``en-us+f2``) and a man
(``en-us+m3``) further away (quieter, band-limited), over a faint pink-noise floor.

Each planted detail is spoken as its own piece of its turn, so
``speech_personal_data.json`` knows where it is (to about 10 ms: espeak's own silence is
trimmed from each piece). Every name, number and date is invented; the phone number is in
Ofcom's drama range (07700 900xxx).

    apt-get install -y espeak-ng
    PYTHONPATH=. .venv/bin/python tests/data/make_personal_speech.py
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from bwvreview.media.ffmpeg import ffmpeg_exe

OUT_PATH = Path(__file__).with_name("speech_personal_data.mp4")
FACTS_PATH = Path(__file__).with_name("speech_personal_data.json")
RATE = 16_000
GAP_S = 0.9  # between turns
PIECE_GAP_S = 0.06  # between the pieces of one turn: heard as one sentence
LEAD_S, TAIL_S = 0.6, 0.6

VOICES = {"wearer": ("en-gb", 165), "woman": ("en-us+f2", 130), "man": ("en-us+m3", 140)}
FILTERS = {
    "wearer": "volume=1.0,bass=g=3:f=150",
    "woman": "volume=-10dB,highpass=f=200,lowpass=f=5000",
    "man": "volume=-9dB,highpass=f=150,lowpass=f=5000",
}
_TRIM = (
    "silenceremove=start_periods=1:start_threshold=-50dB,areverse,"
    "silenceremove=start_periods=1:start_threshold=-50dB,areverse"
)

# (speaker, pause before the turn in seconds, pieces). A piece is plain text, or
# (kind, text) for a planted detail the export must bleep and no listener may hear.
Piece = str | tuple[str, str]
TURNS: tuple[tuple[str, float, tuple[Piece, ...]], ...] = (
    ("wearer", GAP_S, ("Can I take your full name, please?",)),
    ("woman", GAP_S, (("name", "Sarah Ashworth."),)),
    ("wearer", GAP_S, ("Thanks,", ("first_name", "Sarah."), "Date of birth?")),
    ("woman", GAP_S, ("It is", ("dob_words", "the third of June, nineteen ninety one."))),
    ("wearer", GAP_S, ("And in numbers?",)),
    ("woman", GAP_S, (("dob_digits", "Zero three, zero six, ninety one."),)),
    ("wearer", GAP_S, ("And a phone number?",)),
    ("woman", GAP_S, (("phone_first_half", "Oh seven seven zero zero,"),)),
    ("wearer", GAP_S, ("Yes.",)),
    ("woman", GAP_S, (("phone_second_half", "nine double oh, four five six."),)),
    ("wearer", GAP_S, ("And you, sir? Your name?",)),
    ("man", GAP_S, (("name", "Liam Ashworth."), "I'm", ("possessive", "Sarah's"), "brother.")),
    ("wearer", GAP_S, ("When were you born?",)),
    ("man", GAP_S, ("I was born on",
                    ("dob_born_on", "the ninth of October, nineteen eighty eight."))),
    ("wearer", GAP_S, ("And your mother's date of birth?",)),
    ("man", GAP_S, (("dob_short", "Twelfth March, sixty five."),)),
    ("wearer", GAP_S, ("How old is your father?",)),
    ("man", GAP_S, (("dob_year_for_age", "Nineteen sixty two."), "He is sixty three.")),
    ("wearer", GAP_S, ("Can you say your sister's birthday again?",)),
    ("man", GAP_S, (("dob_month_first", "June the third, nineteen ninety one."),)),
    ("wearer", GAP_S, ("Thank you. Someone will call you tomorrow.",)),
)  # fmt: skip


def _run(*args: str) -> None:
    cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(cmd, check=True)


def _piece_samples(text: str, speaker: str, tmp: Path, n: int) -> np.ndarray:
    """Speak a piece, trim espeak's own silence, shape it by speaker: 16 kHz float."""
    voice, wpm = VOICES[speaker]
    raw, shaped = tmp / f"p{n}.wav", tmp / f"p{n}s.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
    _run("-i", str(raw), "-af", f"aresample={RATE},{_TRIM},{FILTERS[speaker]}", "-ac", "1",
         "-c:a", "pcm_s16le", str(shaped))  # fmt: skip
    with wave.open(str(shaped)) as handle:
        data = np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16)
    return data.astype(np.float32) / 32768


def _script() -> tuple[np.ndarray, list[dict], list[dict]]:
    """The whole sound, each turn's words and times, and each planted detail's times."""
    sound = [np.zeros(round(LEAD_S * RATE), np.float32)]
    at = len(sound[0])
    turns, planted = [], []
    with tempfile.TemporaryDirectory() as folder:
        tmp, n = Path(folder), 0
        for index, (speaker, pause_s, pieces) in enumerate(TURNS):
            if index:
                sound.append(np.zeros(round(pause_s * RATE), np.float32))
                at += len(sound[-1])
            turn_start = at
            for k, piece in enumerate(pieces):
                kind, text = piece if isinstance(piece, tuple) else (None, piece)
                if k:
                    sound.append(np.zeros(round(PIECE_GAP_S * RATE), np.float32))
                    at += len(sound[-1])
                samples = _piece_samples(text, speaker, tmp, n)
                n += 1
                if kind is not None:
                    planted.append({"kind": kind, "speaker": speaker, "text": text,
                                    "start": round(at / RATE, 3),
                                    "end": round((at + len(samples)) / RATE, 3)})  # fmt: skip
                sound.append(samples)
                at += len(samples)
            text = " ".join(p[1] if isinstance(p, tuple) else p for p in pieces)
            turns.append({"speaker": speaker, "start": round(turn_start / RATE, 3),
                          "end": round(at / RATE, 3), "text": text})  # fmt: skip
    sound.append(np.zeros(round(TAIL_S * RATE), np.float32))
    return np.concatenate(sound), turns, planted


def main() -> None:
    sound, turns, planted = _script()
    rng = np.random.default_rng(21)
    noise = np.cumsum(rng.normal(0, 1, len(sound))).astype(np.float32)  # brown-ish floor
    noise -= np.convolve(noise, np.ones(400) / 400, mode="same")
    sound = sound + 0.002 * noise / (np.abs(noise).max() or 1)
    seconds = len(sound) / RATE
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        with wave.open(str(wav), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(RATE)
            handle.writeframes((np.clip(sound, -1, 1) * 32767).astype(np.int16).tobytes())
        _run("-i", str(wav), "-f", "lavfi", "-i", "color=c=0x202020:size=160x120:rate=5",
             "-map", "1:v", "-map", "0:a", "-t", f"{seconds:.3f}", "-c:v", "libx264",
             "-preset", "veryslow", "-crf", "35", "-pix_fmt", "yuv420p", "-c:a", "aac",
             "-b:a", "40k", "-ar", "16000", "-movflags", "+faststart", str(OUT_PATH))  # fmt: skip
    facts = {"duration_s": round(seconds, 3), "turns": turns, "planted": planted}
    FACTS_PATH.write_text(json.dumps(facts, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT_PATH} ({OUT_PATH.stat().st_size // 1024} KB, {seconds:.1f} s)")


if __name__ == "__main__":
    main()
