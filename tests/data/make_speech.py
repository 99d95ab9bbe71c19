"""Regenerate ``tests/data/speech_two_voices.mp4`` (run once; tests never need espeak-ng).

A 160x120 dark video with a mono AAC track of a short, invented exchange between two
synthetic voices: the camera wearer (espeak-ng ``en-gb``, male, close: full level with a
little low-frequency warmth) and a member of the public (``en-us+f2``, female, further
away: 12 dB quieter and band-limited to 200-5000 Hz). A faint pink-noise floor keeps the
silences realistic. The file is about 15.6 s and 105 KB. The turns, the voices and the
words are listed in ``TURNS`` so tests can check what should be heard and who said it.

    apt-get install -y espeak-ng
    PYTHONPATH=. .venv/bin/python tests/data/make_speech.py
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path

from bwvreview.media.ffmpeg import ffmpeg_exe

OUT_PATH = Path(__file__).with_name("speech_two_voices.mp4")
GAP_S = 1.0  # silence between turns, long enough for the VAD to split them
LEAD_S = 0.8  # silence before the first word
TAIL_S = 0.5  # silence after the last turn's gap
# espeak pads each utterance with silence; cut it so GAP_S is the real gap
_TRIM = (
    "silenceremove=start_periods=1:start_threshold=-50dB,areverse,"
    "silenceremove=start_periods=1:start_threshold=-50dB,areverse"
)

# (role, espeak voice, words per minute, text)
TURNS = (
    ("wearer", "en-gb", 165, "Hello, my name is Officer Smith. Can you tell me what happened?"),
    ("other", "en-us+f2", 140, "A man took my bag and ran towards the station."),
    ("wearer", "en-gb", 165, "Thank you. Are you hurt?"),
    ("other", "en-us+f2", 140, "No, I am okay."),
)

# The wearer is close to the microphone; the other voice is further away.
FILTERS = {
    "wearer": "volume=1.0,bass=g=3:f=150",
    "other": "volume=-12dB,highpass=f=200,lowpass=f=5000",
}


def _speak(voice: str, wpm: int, text: str, out: Path) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(out), text], check=True)


def _run(*args: str) -> None:
    subprocess.run(
        [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-y", *args], check=True
    )


def _mix_turns(tmp: Path) -> Path:
    """Speak each turn, trim espeak's own silence, shape it by role and join with gaps."""
    inputs: list[str] = []
    chains: list[str] = []
    for index, (role, voice, wpm, text) in enumerate(TURNS):
        wav = tmp / f"turn{index}.wav"
        _speak(voice, wpm, text, wav)
        inputs += ["-i", str(wav)]
        chains.append(
            f"[{index}:a]aresample=16000,{_TRIM},{FILTERS[role]},apad=pad_dur={GAP_S}[t{index}]"
        )
    count = len(TURNS)
    labels = "".join(f"[t{i}]" for i in range(count))
    graph = ";".join(
        [
            *chains,
            f"{labels}concat=n={count}:v=0:a=1,adelay={int(LEAD_S * 1000)}:all=1,"
            f"apad=pad_dur={TAIL_S}[speech]",
            "anoisesrc=color=pink:amplitude=0.002:sample_rate=16000[noise]",
            "[speech][noise]amix=inputs=2:duration=first:normalize=0[mixed]",
        ]
    )
    mixed = tmp / "mixed.wav"
    _run(*inputs, "-filter_complex", graph, "-map", "[mixed]", "-ac", "1", str(mixed))
    return mixed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        mixed = _mix_turns(Path(tmp))
        with wave.open(str(mixed)) as handle:
            seconds = handle.getnframes() / handle.getframerate()
        _run(
            "-i",
            str(mixed),
            "-f",
            "lavfi",
            "-i",
            "color=c=0x202020:size=160x120:rate=5",
            "-map",
            "1:v",
            "-map",
            "0:a",
            "-t",
            f"{seconds:.3f}",
            "-c:v",
            "libx264",
            "-preset",
            "veryslow",
            "-crf",
            "35",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "48k",
            "-ar",
            "16000",
            "-movflags",
            "+faststart",
            str(OUT_PATH),
        )
    print(f"wrote {OUT_PATH} ({OUT_PATH.stat().st_size // 1024} KB, {seconds:.1f} s)")


if __name__ == "__main__":
    main()
