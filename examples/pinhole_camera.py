"""A camera orbiting a few objects: a Pinhole with images and 2D keypoints in its image plane.

    python examples/pinhole_camera.py [OUT.rrd]   (default: outputs/pinhole_camera.rrd)

Shows Pinhole (with camera_xyz), Transform3D for the camera pose, Image, DepthImage, EncodedImage,
Points2D keypoints, LineStrips2D for a skeleton, Boxes2D for a detection, and Points3D for the scene.
The image is rendered with numpy (a flat shaded sphere), so nothing is downloaded.
"""

import struct
import sys
import zlib
from math import cos, pi, sin
from pathlib import Path

import numpy as np

import rerender as rr

WIDTH, HEIGHT, FOCAL = 160, 120, 140.0
FRAMES = 60


def look_at(eye: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Rotation whose columns are the camera's right, down and forward axes (RDF) in world space."""
    forward = (target - eye) / np.linalg.norm(target - eye)
    right = np.cross(forward, [0, 0, 1])
    right /= np.linalg.norm(right)
    down = np.cross(forward, right)
    return np.stack([right, down, forward], axis=1)


def png(rgb: np.ndarray) -> bytes:
    """Encode an RGB uint8 image as PNG (zlib only)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\0" + row.tobytes() for row in rgb)
    header = struct.pack(">IIBBBBB", rgb.shape[1], rgb.shape[0], 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def main(out: str) -> None:
    rr.init("rerender_example_pinhole_camera", recording_id="pinhole_camera")
    Path(out).parent.mkdir(parents=True, exist_ok=True)  # outputs/ on a fresh checkout
    rr.save(out)
    rng = np.random.default_rng(7)
    scene = rng.normal(size=(200, 3)) * [1.0, 1.0, 0.3]
    skeleton = np.array([[0, 0, 0.0], [0, 0, 0.6], [-0.3, 0, 0.9], [0.3, 0, 0.9], [0, 0, 1.1]])
    rr.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    rr.log("world/scene", rr.Points3D(scene, colors=[120, 180, 255], radii=0.02), static=True)
    rr.log("world/skeleton", rr.Points3D(skeleton, colors=[255, 80, 80], radii=0.04), static=True)
    rr.log(
        "world/camera/image",
        rr.Pinhole(focal_length=FOCAL, width=WIDTH, height=HEIGHT, camera_xyz=rr.ViewCoordinates.RDF),
        static=True,
    )

    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    for frame in range(FRAMES):
        rr.set_time("frame", sequence=frame)
        angle = 2 * pi * frame / FRAMES
        eye = np.array([4 * cos(angle), 4 * sin(angle), 1.5])
        rotation = look_at(eye, np.array([0, 0, 0.5]))
        rr.log("world/camera", rr.Transform3D(translation=eye, mat3x3=rotation))

        # Project the skeleton into the image: camera = R^T (world - eye), pixel = f * xy / z + c.
        cam = (skeleton - eye) @ rotation
        uv = FOCAL * cam[:, :2] / cam[:, 2:3] + [WIDTH / 2, HEIGHT / 2]
        rr.log(
            "world/camera/image/keypoints",
            rr.Points2D(uv, keypoint_ids=range(5), class_ids=1, colors=[255, 80, 80], radii=2.0),
        )
        rr.log(
            "world/camera/image/skeleton",
            rr.LineStrips2D([uv[[0, 1, 2]], uv[[1, 3]], uv[[1, 4]]], colors=[255, 255, 0]),
        )
        lo, hi = uv.min(axis=0) - 5, uv.max(axis=0) + 5
        rr.log("world/camera/image/detection", rr.Boxes2D(mins=lo, sizes=hi - lo, labels=["person"]))

        # A simple render: distance from the image centre of the skeleton, as colour and depth.
        cx, cy = uv[1]
        dist = np.hypot(xs - cx, ys - cy)
        rgb = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
        rgb[..., 0] = np.clip(255 - dist * 3, 0, 255)
        rgb[..., 2] = 90
        depth = (1000 * (float(cam[1, 2]) + dist / 100)).astype(np.uint16)
        rr.log("world/camera/image/rgb", rr.Image(rgb))
        rr.log("world/camera/image/depth", rr.DepthImage(depth, meter=1000.0, colormap="viridis"))
        if frame % 20 == 0:
            rr.log("world/camera/snapshot", rr.EncodedImage(contents=png(rgb), media_type="image/png"))
    rr.disconnect()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "outputs/pinhole_camera.rrd")
