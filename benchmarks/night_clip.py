"""A night-time, body-worn-video-like clip with small faces, and where each face is.

    .venv/bin/python benchmarks/night_clip.py OUT.mp4 [--seconds 12]

Writes OUT.mp4 (1280x720, 25 fps, H.264, brown street noise for sound) and OUT.json
(every face's box on every frame, its kind and whether something is in front of it).
Everything is made here from material that ships offline with scikit-image (the bench
extra), so the clip is the same on every machine with the same library versions:

- faces: the public-domain NASA portrait of Eileen Collins (``data.astronaut``, frontal,
  and the same photo turned by a perspective warp), the cameraman (``data.camera``, a
  three-quarter profile, also mirrored), and two people from the Labeled Faces in the Wild
  sample (``data.lfw_subset``, frontal); five faces from 40 to about 100 px high, each
  on a dark body, walking, standing or coming closer;
- a street at night: dark buildings with lit windows, three sodium lamps with glow, the
  gravel texture for the pavement, an orange colour cast and low light;
- running-pace camera shake (a 2.6 Hz bob, a slower sway, random jolts and a little roll)
  with the motion blur it causes, heavy sensor noise in luma and chroma, and something
  dark crossing close to the camera every three seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT, FPS = 1280, 720, 25
MARGIN = 110  # the world is drawn this much larger on each side, for the shake to move in
SEED = 20


@dataclass(frozen=True)
class Person:
    name: str
    kind: str  # "frontal" | "turned" | "profile"
    sprite: np.ndarray  # BGR float32 0..1
    alpha: np.ndarray  # float32 0..1
    face: tuple[float, float, float, float]  # the face's box in the sprite (x0, y0, x1, y1)
    keys: tuple[tuple[float, float, float, float], ...]  # (t_s, centre x, centre y, face px)
    light: float  # how much of the street light reaches the face


def _feathered_ellipse(shape: tuple[int, int], centre, axes, feather: float) -> np.ndarray:
    alpha = np.zeros(shape, np.float32)
    cv2.ellipse(alpha, centre, axes, 0, 0, 360, 1.0, -1, cv2.LINE_AA)
    return cv2.GaussianBlur(alpha, (0, 0), feather)


def _sprites() -> dict[str, tuple[np.ndarray, np.ndarray, tuple[float, ...]]]:
    from skimage import data  # the bench extra: not a dependency of bwvreview

    out = {}
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)[8:216, 140:316]
    hsv = cv2.cvtColor(photo, cv2.COLOR_BGR2HSV)
    person = ((hsv[..., 1] > 45) | (hsv[..., 2] < 90)).astype(np.uint8)  # not the backdrop
    person = cv2.morphologyEx(person, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    person &= _feathered_ellipse(photo.shape[:2], (88, 100), (80, 100), 0.1) > 0.5
    contours, _ = cv2.findContours(person, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    alpha = np.zeros(photo.shape[:2], np.float32)  # the outline filled: no holes at the teeth
    cv2.drawContours(alpha, [max(contours, key=cv2.contourArea)], -1, 1.0, -1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 1.5)
    out["astronaut"] = (photo.astype(np.float32) / 255, alpha, (41, 50, 130, 170))
    # Turned: the right half of the head pushed back by a perspective warp (about 40°).
    h, w = photo.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[0, 0], [w * 0.62, h * 0.08], [w * 0.62, h * 0.92], [0, h]])
    warp = cv2.getPerspectiveTransform(src, dst)
    turned = cv2.warpPerspective(photo, warp, (w, h), borderMode=cv2.BORDER_REPLICATE)
    turned_alpha = cv2.warpPerspective(alpha, warp, (w, h))
    corners = cv2.perspectiveTransform(np.float32([[[41, 50], [130, 50], [130, 170], [41, 170]]]),
                                       warp)[0]  # fmt: skip
    face = (*corners.min(axis=0), *corners.max(axis=0))
    out["turned"] = (turned.astype(np.float32) / 255, turned_alpha, tuple(map(float, face)))
    camera = cv2.cvtColor(data.camera(), cv2.COLOR_GRAY2BGR)[50:215, 140:262]
    sky = (camera[..., 0] > 175).astype(np.float32)  # the bright sky behind the head
    cam_alpha = _feathered_ellipse(camera.shape[:2], (66, 82), (58, 80), 2) * (1 - sky)
    cam_alpha = cv2.GaussianBlur(cam_alpha, (0, 0), 1.5)
    out["profile"] = (camera.astype(np.float32) / 255, cam_alpha, (62, 69, 118, 147))
    mirrored = camera[:, ::-1].copy()
    cw = camera.shape[1]
    out["profile_mirrored"] = (
        mirrored.astype(np.float32) / 255, cam_alpha[:, ::-1].copy(),
        (cw - 118, 69, cw - 62, 147),
    )  # fmt: skip
    lfw = data.lfw_subset()  # the first 100 are faces, 25x25, brows to chin
    for name, index in (("lfw_a", 3), ("lfw_b", 7)):
        face = cv2.resize(lfw[index].astype(np.float32), (100, 100), interpolation=cv2.INTER_CUBIC)
        sprite = np.zeros((140, 120, 3), np.float32) + 0.12  # dark hair and surround
        sprite[30:130, 10:110] = face[..., None]
        sprite_alpha = _feathered_ellipse((140, 120), (60, 76), (54, 68), 3)
        out[name] = (sprite, sprite_alpha, (14.0, 30.0, 106.0, 130.0))
    return out


def _people() -> list[Person]:
    s = _sprites()
    cx, cy = MARGIN, MARGIN  # world coordinates are frame coordinates plus the margin

    def person(name, kind, sprite, keys, light):
        img, alpha, face = s[sprite]
        keyed = tuple((t, x + cx, y + cy, size) for t, x, y, size in keys)
        return Person(name, kind, img, alpha, face, keyed, light)

    # Drawn in this order, the farthest (smallest) first, so nearer people stand in front.
    return [
        person("far profile", "profile", "profile",
               ((0.0, 1180, 262, 42), (7.0, 1090, 258, 44), (12.0, 1040, 262, 42)), 0.75),
        person("far frontal", "frontal", "astronaut",
               ((0.0, 400, 292, 40), (6.0, 560, 286, 42), (12.0, 700, 292, 40)), 0.8),
        person("second frontal", "frontal", "lfw_b",
               ((0.0, 90, 380, 42), (12.0, 200, 372, 44)), 0.75),
        person("standing frontal", "frontal", "lfw_a",
               ((0.0, 330, 420, 48), (12.0, 350, 424, 50)), 0.9),
        person("approaching profile", "profile", "profile_mirrored",
               ((0.0, 1020, 390, 60), (12.0, 960, 440, 82)), 0.85),
        person("turned", "turned", "turned",
               ((0.0, 640, 400, 64), (4.0, 660, 410, 76), (9.0, 720, 424, 96),
                (12.0, 760, 430, 100)), 0.9),
    ]  # fmt: skip


def _at(keys, t: float) -> tuple[float, float, float]:
    for (t0, *p0), (t1, *p1) in zip(keys, keys[1:], strict=False):
        if t0 <= t <= t1:
            a = (t - t0) / (t1 - t0)
            return tuple(u + a * (v - u) for u, v in zip(p0, p1, strict=True))  # type: ignore[return-value]
    return tuple(keys[-1][1:]) if t > keys[-1][0] else tuple(keys[0][1:])  # type: ignore[return-value]


def _street(rng: np.random.Generator) -> np.ndarray:
    from skimage import data

    h, w = HEIGHT + 2 * MARGIN, WIDTH + 2 * MARGIN
    world = np.zeros((h, w, 3), np.float32)
    sky = np.linspace(0.05, 0.11, h // 2, dtype=np.float32)[:, None, None]
    world[: h // 2] = sky * np.array([1.0, 0.8, 0.7], np.float32)
    x = 0
    while x < w:  # buildings with a few lit windows
        bw = int(rng.integers(120, 260))
        top = int(rng.integers(60, 260))
        tone = float(rng.uniform(0.05, 0.1))
        world[top : h // 2 + 200, x : x + bw] = tone
        for wy in range(top + 20, h // 2 + 160, 48):
            for wx in range(x + 14, x + bw - 30, 40):
                if rng.random() < 0.3:
                    world[wy : wy + 24, wx : wx + 18] = np.array([0.25, 0.55, 0.7]) * rng.uniform(
                        0.4, 1.0
                    )
        x += bw + int(rng.integers(0, 20))
    gravel = cv2.resize(data.gravel(), (w, h - (h // 2 + 200))).astype(np.float32) / 255
    world[h // 2 + 200 :] = gravel[..., None] * 0.28
    glow = np.zeros((h, w), np.float32)
    for lx in (300, 820, 1340):
        cv2.circle(glow, (lx, 150), 9, 4.0, -1)
        cv2.rectangle(world, (lx - 3, 160), (lx + 3, h), (0.04, 0.04, 0.04), -1)
    glow = cv2.GaussianBlur(glow, (0, 0), 30) * 4 + cv2.GaussianBlur(glow, (0, 0), 4)
    world += glow[..., None] * np.array([0.35, 0.7, 1.0], np.float32)
    return world


def _draw_person(world: np.ndarray, p: Person, t: float) -> tuple[float, ...]:
    x, y, size = _at(p.keys, t)
    fx0, fy0, fx1, fy1 = p.face
    scale = size / (fy1 - fy0)
    sh, sw = p.sprite.shape[:2]
    w, h = max(2, round(sw * scale)), max(2, round(sh * scale))
    left = round(x - ((fx0 + fx1) / 2) * scale)
    top = round(y - ((fy0 + fy1) / 2) * scale)
    body_c = (round(x), round(y + 2.6 * size))
    cv2.ellipse(world, body_c, (round(1.3 * size), round(2.0 * size)), 0, 0, 360,
                (0.05, 0.06, 0.08), -1, cv2.LINE_AA)  # fmt: skip
    sprite = cv2.resize(p.sprite, (w, h), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(p.alpha, (w, h), interpolation=cv2.INTER_AREA)[..., None]
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(world.shape[0], top + h), min(world.shape[1], left + w)
    patch = sprite[y0 - top : y1 - top, x0 - left : x1 - left] * p.light
    a = alpha[y0 - top : y1 - top, x0 - left : x1 - left]
    world[y0:y1, x0:x1] = world[y0:y1, x0:x1] * (1 - a) + patch * a
    return (left + fx0 * scale, top + fy0 * scale, left + fx1 * scale, top + fy1 * scale)


def _camera(t: float, rng_jolts: list[tuple[float, float, float]]) -> np.ndarray:
    """The affine map from the world to the frame at ``t``: running bob, sway, jolts, roll."""
    dy = 20 * math.sin(2 * math.pi * 2.6 * t) + 6 * math.sin(2 * math.pi * 5.2 * t + 0.7)
    dx = 16 * math.sin(2 * math.pi * 1.3 * t + 0.3)
    for at, jx, jy in rng_jolts:
        if 0 <= t - at < 0.25:
            k = math.sin(math.pi * (t - at) / 0.25)
            dx, dy = dx + jx * k, dy + jy * k
    angle = 1.6 * math.sin(2 * math.pi * 1.3 * t + 1.1)
    centre = (WIDTH / 2 + MARGIN, HEIGHT / 2 + MARGIN)
    m = cv2.getRotationMatrix2D(centre, angle, 1.0)
    m[0, 2] += -MARGIN + dx
    m[1, 2] += -MARGIN + dy
    return m


def _motion_kernel(dx: float, dy: float) -> np.ndarray | None:
    length = math.hypot(dx, dy)
    if length < 1.5:
        return None
    size = int(math.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    ux, uy = dx / length, dy / length
    half_x, half_y = ux * length / 2, uy * length / 2
    start, end = (round(c - half_x), round(c - half_y)), (round(c + half_x), round(c + half_y))
    cv2.line(kernel, start, end, 1.0, 1, cv2.LINE_AA)
    return kernel / kernel.sum()


def _occluder(t: float) -> tuple[int, int, int, int] | None:
    """Something dark crossing close to the camera: 0.9 s in every 3 s."""
    phase = (t + 0.8) % 3.0
    if phase > 0.9:
        return None
    x = -260 + (WIDTH + 400) * phase / 0.9
    if int((t + 0.8) // 3.0) % 2:
        x = WIDTH + 140 - (WIDTH + 400) * phase / 0.9
    return round(x), 60, round(x) + 170, HEIGHT


def render(out: Path, seconds: float = 12.0) -> dict:
    """Write the clip to ``out`` and its ground truth beside it; return the ground truth."""
    from bwvreview.media.ffmpeg import ffmpeg_exe

    rng = np.random.default_rng(SEED)
    street = _street(rng)
    people = _people()
    jolts = [(float(t), float(rng.uniform(-25, 25)), float(rng.uniform(-30, 30)))
             for t in np.arange(0.7, seconds, 1.9)]  # fmt: skip
    frames = round(seconds * FPS)
    cmd = [str(ffmpeg_exe()), "-hide_banner", "-loglevel", "error", "-y",
           "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{WIDTH}x{HEIGHT}",
           "-framerate", str(FPS), "-i", "pipe:0",
           # Street noise for sound: body-worn video always has some (and needs it here).
           "-f", "lavfi", "-i", f"anoisesrc=color=brown:amplitude=0.05:duration={seconds}",
           "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-b:a", "64k", "-shortest", str(out)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    truth: list[list[dict]] = []
    previous = None
    for index in range(frames):
        t = index / FPS
        world = street.copy()
        boxes = [(p, _draw_person(world, p, t)) for p in people]
        m = _camera(t, jolts)
        frame = cv2.warpAffine(world, m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REFLECT)  # fmt: skip
        centre = m @ np.array([WIDTH / 2 + MARGIN, HEIGHT / 2 + MARGIN, 1.0])
        if previous is not None:
            kernel = _motion_kernel(*(centre - previous) * 0.8)  # shutter open 80% of a frame
            if kernel is not None:
                frame = cv2.filter2D(frame, -1, kernel, borderType=cv2.BORDER_REFLECT)
        previous = centre
        occluder = _occluder(t)
        if occluder is not None:
            x0, y0, x1, y1 = occluder
            cv2.rectangle(frame, (x0, y0), (x1, y1), (0.03, 0.03, 0.035), -1)
            cv2.ellipse(frame, ((x0 + x1) // 2, y0), ((x1 - x0) // 2, 60), 0, 0, 360,
                        (0.03, 0.03, 0.035), -1)  # fmt: skip
        # Low light: an orange cast, a lifted black level, then sensor noise and quantisation.
        frame = frame * np.array([0.55, 0.8, 1.0], np.float32) * 0.9 + 0.02
        luma_noise = rng.normal(0, 0.045, (HEIGHT, WIDTH, 1)).astype(np.float32)
        chroma_noise = rng.normal(0, 0.02, (HEIGHT, WIDTH, 3)).astype(np.float32)
        frame = np.clip((frame + luma_noise + chroma_noise) * 255, 0, 255).astype(np.uint8)
        proc.stdin.write(frame.tobytes())  # type: ignore[union-attr]
        truth.append([_truth_box(p, box, m, occluder) for p, box in boxes])
    proc.stdin.close()  # type: ignore[union-attr]
    if proc.wait() != 0:
        raise SystemExit("ffmpeg failed to write the night clip")
    facts = {
        "width": WIDTH,
        "height": HEIGHT,
        "fps": FPS,
        "frames": frames,
        "people": [{"name": p.name, "kind": p.kind} for p in people],
        "faces": truth,  # per frame, per person: box in frame pixels, size, occluded
    }
    out.with_suffix(".json").write_text(json.dumps(facts), encoding="utf-8")
    return facts


def _truth_box(p: Person, box, m: np.ndarray, occluder) -> dict:
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], np.float64)
    moved = corners @ m.T
    fx0, fy0 = moved.min(axis=0)
    fx1, fy1 = moved.max(axis=0)
    inside = max(0.0, min(fx1, WIDTH) - max(fx0, 0)) * max(0.0, min(fy1, HEIGHT) - max(fy0, 0))
    area = (fx1 - fx0) * (fy1 - fy0)
    hidden = 0.0
    if occluder is not None:
        ox0, oy0, ox1, oy1 = occluder
        hidden = max(0.0, min(fx1, ox1) - max(fx0, ox0)) * max(0.0, min(fy1, oy1) - max(fy0, oy0))
    return {
        "name": p.name,
        "kind": p.kind,
        "box": [round(float(v), 1) for v in (fx0, fy0, fx1, fy1)],
        "height_px": round(float(fy1 - fy0), 1),
        "visible": bool(inside / area > 0.8 and hidden / area < 0.4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=float, default=12.0)
    args = parser.parse_args()
    render(args.out, args.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
