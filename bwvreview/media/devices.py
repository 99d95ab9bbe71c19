"""Where the heavy work runs: an NVIDIA GPU (CUDA) when there is one, else the CPU.

Whisper runs on CTranslate2, which can use CUDA itself; the face detector runs on
onnxruntime, which can use CUDA when the ``onnxruntime-gpu`` build is installed. The choice
is ``auto`` (CUDA when the library finds a GPU) unless the person asks otherwise: for every
command and the window with ``BWVREVIEW_DEVICE=auto|cpu|cuda``, or for one command with
``--device cpu|cuda`` (which wins over the variable; ``auto`` follows it).
A GPU that cannot be used (no device, a driver too old for the CUDA runtime, a missing
cuBLAS or cuDNN) is never fatal: the work runs on the CPU and a warning says why.

On the CPU, Whisper's int8 matrix products go to oneDNN unless the person set
``CT2_USE_MKL`` (see ``bwvreview/media/__init__.py``); ``backend_label`` says which, so the
doctor, the command line's progress line and the window can all show where a transcript
was made.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from dataclasses import dataclass
from typing import Any

from bwvreview.media.errors import MediaError

log = logging.getLogger(__name__)

DEVICE_ENV = "BWVREVIEW_DEVICE"
DEVICES = ("auto", "cpu", "cuda")
CPU_COMPUTE = "int8"
# Best first: float16 on any GPU with fast half precision, int8 weights with float16
# arithmetic otherwise, float32 on the oldest.
CUDA_COMPUTE = ("float16", "int8_float16", "float32")
CUDA_PROVIDER = "CUDAExecutionProvider"
CPU_PROVIDER = "CPUExecutionProvider"
NO_CUDA_PROVIDER = "this onnxruntime has no CUDA provider (install onnxruntime-gpu to use the GPU)"


@dataclass(frozen=True)
class Placement:
    """Where Whisper is to run: ``device`` "cuda" or "cpu" and its compute type, and the
    reason when the device asked for could not be used."""

    device: str
    compute_type: str
    fallback_reason: str | None = None


def requested_device(device: str | None = None) -> str:
    """The device asked for: ``cpu`` or ``cuda`` if ``device`` says so, else what
    ``BWVREVIEW_DEVICE`` says, else ``auto``.

    Anything but auto, cpu or cuda raises ``MediaError`` naming where it came from.
    """
    if device and device != "auto":
        chosen, where = device, ""
    else:
        chosen = os.environ.get(DEVICE_ENV, "").strip().lower() or "auto"
        where = f" ({DEVICE_ENV})"
    if chosen not in DEVICES:
        raise MediaError(f"{chosen}: unknown device{where}; use auto, cpu or cuda")
    return chosen


def cuda_device_count() -> int:
    """GPUs CTranslate2 can use; 0 when there are none or the CUDA driver cannot be loaded."""
    import ctranslate2

    try:
        return ctranslate2.get_cuda_device_count()
    except RuntimeError:  # a CUDA build without a usable driver
        return 0


def cuda_compute_type() -> str:
    """The fastest compute type CTranslate2 supports on GPU 0 (``CUDA_COMPUTE`` order).

    Raises ``RuntimeError`` with CTranslate2's reason when CUDA cannot start, or saying
    there is no GPU (CTranslate2 gives its reason only the first time it is asked).
    """
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types("cuda")
    if not supported or cuda_device_count() == 0:
        raise RuntimeError("CTranslate2 finds no CUDA device (no NVIDIA GPU, or no driver)")
    return next(c for c in (*CUDA_COMPUTE, *sorted(supported)) if c in supported)


def whisper_placement(device: str | None = None) -> Placement:
    """Where Whisper should run, before loading it: CUDA when asked for or, with ``auto``,
    when CTranslate2 finds a GPU; else the CPU in int8.

    ``cuda`` asked for explicitly is always tried, so a missing GPU or driver gives the
    CPU with the library's own reason in ``fallback_reason``; ``auto`` tries CUDA only
    when a GPU is found. Nothing is logged here: ``load_model`` warns when it falls back,
    and ``bwvreview doctor`` shows the reason as a warning.
    """
    requested = requested_device(device)
    if requested == "cpu":
        return Placement("cpu", CPU_COMPUTE)
    if requested == "auto" and cuda_device_count() == 0:
        return Placement("cpu", CPU_COMPUTE)
    try:
        return Placement("cuda", cuda_compute_type())
    except RuntimeError as exc:  # what CTranslate2 raises when CUDA cannot start
        return cpu_fallback(exc)


def cpu_fallback(exc: BaseException) -> Placement:
    """The CPU, after CUDA failed with ``exc``, with the library's reason (its first line)."""
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return Placement("cpu", CPU_COMPUTE, reason)


def int8_library() -> str:
    """The library doing CTranslate2's int8 matrix products on the CPU."""
    value = os.environ.get("CT2_USE_MKL", "").strip().lower()
    return "oneDNN" if value in ("0", "false", "off", "no") else "Intel MKL"


def backend_label(device: str, compute_type: str) -> str:
    """A short, plain description: "CPU (int8, oneDNN)" or "GPU (CUDA, float16)"."""
    if device == "cuda":
        return f"GPU (CUDA, {compute_type})"
    return f"CPU ({compute_type}, {int8_library()})"


# --- onnxruntime (the face detector) -------------------------------------------------------


def onnx_providers(device: str | None = None) -> list[str]:
    """The onnxruntime execution providers to ask for, best first.

    CUDA first when it is asked for (``auto`` or ``cuda``) and this onnxruntime has it
    (the ``onnxruntime-gpu`` build); the CPU always, last.
    """
    import onnxruntime

    if requested_device(device) != "cpu" and CUDA_PROVIDER in onnxruntime.get_available_providers():
        return [CUDA_PROVIDER, CPU_PROVIDER]
    return [CPU_PROVIDER]


def onnx_session(model: bytes, options: Any, device: str | None = None) -> Any:
    """An onnxruntime ``InferenceSession`` on the providers ``onnx_providers`` picks.

    When CUDA cannot start, onnxruntime itself goes on with the CPU; it says so with
    ``print`` (on standard output, which carries `--json`) or a Python warning, so what it
    says is caught and logged as one warning instead. The providers in use are logged.
    """
    import onnxruntime

    providers = onnx_providers(device)
    if requested_device(device) == "cuda" and providers[0] != CUDA_PROVIDER:
        log.warning("the face detector runs on the CPU: %s", NO_CUDA_PROVIDER)
    said = io.StringIO()
    with contextlib.redirect_stdout(said), warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        session = onnxruntime.InferenceSession(model, sess_options=options, providers=providers)
    used = session.get_providers()
    if providers[0] == CUDA_PROVIDER and used[0] != CUDA_PROVIDER:
        told = " ".join([said.getvalue(), *(str(w.message) for w in warned)])
        reason = " ".join(told.split())[:300] or "onnxruntime did not say why"
        log.warning("the face detector runs on the CPU: CUDA could not be used (%s)", reason)
    log.info("face detector on %s", ", ".join(used))
    return session
