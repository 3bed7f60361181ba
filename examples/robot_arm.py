"""A robot arm picking up a box: a transform hierarchy that moves every frame.

    python examples/robot_arm.py [OUT.rrd]        (default: outputs/robot_arm.rrd)

Each joint is an entity under the previous one, so logging one joint's rotation moves everything
below it. Shows Transform3D (axis-angle, quaternion, translation), Boxes3D, Ellipsoids3D, Mesh3D,
Asset3D (an STL made on the fly), InstancePoses3D, Arrows3D, LineStrips3D, Points3D,
ViewCoordinates and Clear, on a sequence timeline and a duration timeline.
"""

import struct
import sys
from math import cos, pi, sin
from pathlib import Path

import numpy as np

import rerender as rr

FRAMES = 120
UPPER, FORE = 1.0, 0.8  # link lengths (m)


def cylinder_mesh(radius: float, height: float, sides: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and triangles of a closed cylinder along +z."""
    angles = np.linspace(0, 2 * pi, sides, endpoint=False)
    ring = np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)
    bottom = np.hstack([ring, np.zeros((sides, 1))])
    top = np.hstack([ring, np.full((sides, 1), height)])
    vertices = np.vstack([bottom, top, [[0, 0, 0], [0, 0, height]]]).astype(np.float32)
    triangles = []
    for i in range(sides):
        j = (i + 1) % sides
        triangles += [[i, j, sides + i], [j, sides + j, sides + i]]  # side
        triangles += [[2 * sides, j, i], [2 * sides + 1, sides + i, sides + j]]  # caps
    return vertices, np.array(triangles, dtype=np.uint32)


def gripper_stl() -> bytes:
    """A binary STL of a small wedge, standing in for a CAD file of the gripper."""
    corners = [
        (-0.05, -0.1, 0),
        (0.05, -0.1, 0),
        (0, -0.1, 0.2),
        (-0.05, 0.1, 0),
        (0.05, 0.1, 0),
        (0, 0.1, 0.2),
    ]
    faces = [(0, 1, 2), (3, 5, 4), (0, 3, 4), (0, 4, 1), (1, 4, 5), (1, 5, 2), (0, 2, 5), (0, 5, 3)]
    body = b"".join(
        struct.pack("<12fH", 0, 0, 0, *[c for i in face for c in corners[i]], 0) for face in faces
    )
    return b"rerender example gripper".ljust(80, b" ") + struct.pack("<I", len(faces)) + body


def main(out: str) -> None:
    rr.init("rerender_example_robot_arm", recording_id="robot_arm")
    Path(out).parent.mkdir(parents=True, exist_ok=True)  # outputs/ on a fresh checkout
    rr.save(out)

    rr.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    rr.log(
        "world/floor",
        rr.Boxes3D(half_sizes=[2, 2, 0.01], centers=[0, 0, -0.01], colors=[60, 60, 70], fill_mode="solid"),
        static=True,
    )
    # Four bolts on the base: one mesh, instanced four times.
    rr.log(
        "world/base/bolts",
        rr.Ellipsoids3D(half_sizes=[0.03, 0.03, 0.02], colors=[200, 200, 210]),
        static=True,
    )
    rr.log(
        "world/base/bolts",
        rr.InstancePoses3D(translations=[[0.2, 0.2, 0], [-0.2, 0.2, 0], [0.2, -0.2, 0], [-0.2, -0.2, 0]]),
        static=True,
    )
    vertices, triangles = cylinder_mesh(0.12, 0.3)
    rr.log(
        "world/base",
        rr.Mesh3D(vertex_positions=vertices, triangle_indices=triangles, albedo_factor=[255, 140, 0]),
        static=True,
    )
    rr.log(
        "world/base/shoulder/upper",
        rr.Boxes3D(half_sizes=[0.06, 0.06, UPPER / 2], centers=[0, 0, UPPER / 2], colors=[230, 230, 230]),
        static=True,
    )
    rr.log(
        "world/base/shoulder/upper/elbow/fore",
        rr.Boxes3D(half_sizes=[0.05, 0.05, FORE / 2], centers=[0, 0, FORE / 2], colors=[200, 200, 200]),
        static=True,
    )
    rr.log(
        "world/base/shoulder/upper/elbow/fore/wrist/gripper",
        rr.Asset3D(contents=gripper_stl(), media_type="model/stl", albedo_factor=[80, 160, 255]),
        static=True,
    )
    rr.log(
        "world/base/shoulder/upper/elbow/fore/wrist/axes",
        rr.Arrows3D(vectors=np.eye(3) * 0.2, colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]]),
        static=True,
    )

    rr.log("world/box", rr.Boxes3D(half_sizes=[0.08, 0.08, 0.08], colors=[50, 200, 80], fill_mode="solid"))
    trail = []
    for frame in range(FRAMES):
        t = frame / (FRAMES - 1)
        rr.set_time("frame", sequence=frame)
        rr.set_time("sim_time", duration=frame / 30)
        yaw = pi * 0.75 * sin(pi * t)
        shoulder = 0.4 + 0.5 * sin(2 * pi * t)
        elbow = 1.2 - 0.6 * cos(2 * pi * t)
        rr.log(
            "world/base",
            rr.Transform3D(
                translation=[0, 0, 0.3], rotation=rr.RotationAxisAngle(axis=[0, 0, 1], radians=yaw)
            ),
        )
        rr.log(
            "world/base/shoulder",
            rr.Transform3D(rotation=rr.RotationAxisAngle(axis=[0, 1, 0], radians=shoulder)),
        )
        rr.log(
            "world/base/shoulder/upper/elbow",
            rr.Transform3D(
                translation=[0, 0, UPPER], rotation=rr.Quaternion(xyzw=[0, sin(elbow / 2), 0, cos(elbow / 2)])
            ),
        )
        rr.log("world/base/shoulder/upper/elbow/fore/wrist", rr.Transform3D(translation=[0, 0, FORE]))

        # Where the gripper is in the world, for its trail (the same composition a viewer does).
        reach = UPPER * sin(shoulder) + FORE * sin(shoulder + elbow)
        height = 0.3 + UPPER * cos(shoulder) + FORE * cos(shoulder + elbow)
        tip = [reach * cos(yaw), reach * sin(yaw), height]
        trail.append(tip)
        rr.log("world/trail", rr.LineStrips3D([trail], colors=[255, 220, 0], radii=0.005))
        rr.log("world/target", rr.Points3D([tip], radii=0.03, colors=[255, 60, 60], labels=["gripper"]))
        if frame == FRAMES // 2:
            rr.log("world/box", rr.Clear(recursive=True))  # picked up: gone from the floor
    rr.disconnect()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "outputs/robot_arm.rrd")
