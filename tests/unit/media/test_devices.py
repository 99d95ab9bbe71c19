"""Where Whisper and the face detector run (``media.devices``), with the real libraries.

This machine has no GPU, and its CTranslate2 (a CUDA build) and onnxruntime (the CPU build)
say so in their own ways: asking for CUDA here is exactly the failure a laptop without an
NVIDIA driver meets, and it must end on the CPU with the reason said, never in an error.
"""

from __future__ import annotations

import logging

import onnxruntime
import pytest

from bwvreview.media import devices, faces
from bwvreview.media.errors import MediaError
from bwvreview.media.transcribe import load_model

NO_GPU = devices.cuda_device_count() == 0
needs_no_gpu = pytest.mark.skipif(not NO_GPU, reason="this machine has a GPU CTranslate2 can use")
ORT_HAS_CUDA = devices.CUDA_PROVIDER in onnxruntime.get_available_providers()


@pytest.fixture(autouse=True)
def _no_device_setting(monkeypatch):
    monkeypatch.delenv(devices.DEVICE_ENV, raising=False)


# --- what was asked for ----------------------------------------------------------------------


def test_auto_by_default():
    assert devices.requested_device() == "auto"
    assert devices.requested_device("auto") == "auto"


def test_the_variable_is_followed_unless_a_command_names_a_device(monkeypatch):
    monkeypatch.setenv(devices.DEVICE_ENV, " CPU ")
    assert devices.requested_device() == "cpu"
    assert devices.requested_device("auto") == "cpu"  # --device auto is the default
    assert devices.requested_device("cuda") == "cuda"


def test_an_unknown_device_is_refused_naming_where_it_came_from(monkeypatch):
    monkeypatch.setenv(devices.DEVICE_ENV, "gpu")
    with pytest.raises(MediaError, match=r"^gpu: unknown device \(BWVREVIEW_DEVICE\); use auto"):
        devices.requested_device()
    with pytest.raises(MediaError, match=r"^tpu: unknown device; use auto, cpu or cuda"):
        devices.requested_device("tpu")


# --- Whisper (CTranslate2) -------------------------------------------------------------------


def test_the_cpu_runs_int8():
    assert devices.whisper_placement("cpu") == devices.Placement("cpu", "int8")


@needs_no_gpu
def test_auto_without_a_gpu_is_the_cpu_without_complaint():
    assert devices.whisper_placement("auto") == devices.Placement("cpu", "int8")


@needs_no_gpu
def test_cuda_asked_for_without_a_gpu_is_the_cpu_with_ctranslate2s_reason(monkeypatch):
    monkeypatch.setenv(devices.DEVICE_ENV, "cuda")
    placement = devices.whisper_placement()
    assert (placement.device, placement.compute_type) == ("cpu", "int8")
    assert placement.fallback_reason and "CUDA" in placement.fallback_reason


@needs_no_gpu
def test_loading_whisper_on_a_missing_gpu_loads_it_on_the_cpu_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="bwvreview.media.transcribe"):
        whisper, device, compute_type = load_model(None, device="cuda")
    assert (device, compute_type) == ("cpu", "int8")
    assert whisper.model.device == "cpu"  # CTranslate2's own word for where it runs
    assert "the GPU (CUDA) could not be used, so Whisper runs on the CPU" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bwvreview.media.transcribe"):
        assert load_model(None, device="cuda")[0] is whisper  # loaded once, said every time
    assert "could not be used" in caplog.text


def test_the_backend_is_named_in_plain_words(monkeypatch):
    monkeypatch.setenv("CT2_USE_MKL", "0")
    assert devices.backend_label("cpu", "int8") == "CPU (int8, oneDNN)"
    monkeypatch.setenv("CT2_USE_MKL", "1")
    assert devices.backend_label("cpu", "int8") == "CPU (int8, Intel MKL)"
    assert devices.backend_label("cuda", "float16") == "GPU (CUDA, float16)"


def test_bwvreview_chooses_onednn_unless_told_otherwise():
    # bwvreview/media/__init__.py sets it before CTranslate2 loads (MKL on AMD was 7x slower)
    assert devices.int8_library() == "oneDNN"


# --- the face detector (onnxruntime) ---------------------------------------------------------


def _options() -> onnxruntime.SessionOptions:
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    return options


@pytest.mark.skipif(ORT_HAS_CUDA, reason="this onnxruntime has the CUDA provider")
def test_a_cpu_only_onnxruntime_gives_the_cpu_and_says_so_when_cuda_was_asked_for(caplog):
    assert devices.onnx_providers("auto") == [devices.CPU_PROVIDER]
    assert devices.onnx_providers("cuda") == [devices.CPU_PROVIDER]
    model = faces._checked_model_bytes(faces.model_path())
    with caplog.at_level(logging.WARNING, logger="bwvreview.media.devices"):
        session = devices.onnx_session(model, _options(), "cuda")
    assert session.get_providers() == [devices.CPU_PROVIDER]
    assert devices.NO_CUDA_PROVIDER in caplog.text


def test_cuda_asked_of_onnxruntime_that_cannot_start_it_ends_on_the_cpu_quietly(
    monkeypatch, caplog, capsys
):
    """The CUDA provider chosen but not usable (here: not in this build): onnxruntime goes
    on with the CPU, and what it says reaches the log as one warning, not standard output."""
    both = [devices.CUDA_PROVIDER, devices.CPU_PROVIDER]
    monkeypatch.setattr(devices, "onnx_providers", lambda device=None: both)
    model = faces._checked_model_bytes(faces.model_path())
    with caplog.at_level(logging.WARNING, logger="bwvreview.media.devices"):
        session = devices.onnx_session(model, _options())
    if ORT_HAS_CUDA and session.get_providers()[0] == devices.CUDA_PROVIDER:
        pytest.skip("CUDA works here")
    assert session.get_providers()[0] == devices.CPU_PROVIDER
    assert "CUDA could not be used" in caplog.text
    assert capsys.readouterr().out == ""


def test_cpu_asked_for_keeps_the_face_detector_on_the_cpu():
    assert devices.onnx_providers("cpu") == [devices.CPU_PROVIDER]
