"""Everything that touches media. No Qt, no database."""

import os

# Whisper runs on CTranslate2, which reads this when it is first imported (so here, before
# any module of this package imports it). On Intel CPUs CTranslate2 would hand its int8
# matrix products to Intel MKL, and on a Xeon with AMX MKL's path changed what tiny.en heard
# in the demo incident ("calm town sit down", "You hurt" for "Calm down. Sit down.", "Are
# you hurt?"). oneDNN, which CTranslate2 uses on AMD CPUs anyway, heard it right on every
# instruction set tried and was as fast (4.2 s against 4.5 s for the demo on two cores), and
# the same transcript on every reviewer's PC matters more than any one library's speed.
# A setting of the user's own wins.
os.environ.setdefault("CT2_USE_MKL", "0")

from bwvreview.media.errors import MediaError  # noqa: E402

__all__ = ["MediaError"]
