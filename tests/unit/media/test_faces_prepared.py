"""The shipped face model is the published CenterFace file prepared by
scripts/prepare_face_model.py, and loading it needs no ``onnx`` package."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from bwvreview.media import faces

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "prepare_face_model.py"


def _script():
    spec = importlib.util.spec_from_file_location("prepare_face_model", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_model_is_the_published_file_prepared_by_the_script() -> None:
    script = _script()
    published = script.PUBLISHED.read_bytes()
    assert hashlib.sha256(published).hexdigest() == faces.MODEL_SHA256
    shipped = faces.model_path().read_bytes()
    assert faces.model_path() == script.PREPARED
    assert hashlib.sha256(shipped).hexdigest() == faces.PREPARED_MODEL_SHA256
    derived = script.prepare(published)
    if derived != shipped:
        # Another protobuf may lay the same model out in other bytes; the model must match.
        import onnx

        assert onnx.load_from_string(derived) == onnx.load_from_string(shipped)


def test_the_script_refuses_a_file_that_is_not_the_published_one() -> None:
    published = bytearray(_script().PUBLISHED.read_bytes())
    published[len(published) // 2] ^= 0xFF
    with pytest.raises(ValueError, match="not the published CenterFace file"):
        _script().prepare(bytes(published))


def test_the_prepared_model_takes_any_batch_and_frame_size() -> None:
    import onnx

    model = onnx.load_from_string(faces.model_path().read_bytes())
    (image,) = model.graph.input  # the weights are no longer inputs
    dims = [d.dim_param or d.dim_value for d in image.type.tensor_type.shape.dim]
    assert dims == ["B", 3, "H", "W"]
    for output in model.graph.output:
        dims = [d.dim_param or d.dim_value for d in output.type.tensor_type.shape.dim]
        assert dims[0] == "B" and dims[2:] == ["h", "w"]


def test_detecting_faces_in_a_fresh_process_never_imports_onnx() -> None:
    code = (
        "import sys, numpy as np\n"
        "from bwvreview.media.faces import FaceDetector, model_info\n"
        "FaceDetector().detect(np.zeros((360, 640, 3), np.uint8))\n"
        "model_info()\n"
        "print(sorted(m for m in sys.modules if m == 'onnx' or m.startswith('onnx.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
