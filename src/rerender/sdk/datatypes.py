"""Value types users construct and pass to archetypes: rotations, text log levels, media types."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

__all__ = ["Angle", "MediaType", "Quaternion", "Radius", "RotationAxisAngle", "TextLogLevel"]


class Angle:
    """An angle, stored in radians; give either `rad` or `deg`."""

    def __init__(self, rad: float | None = None, deg: float | None = None) -> None:
        if rad is not None:
            self.radians = float(rad)
        elif deg is not None:
            self.radians = math.radians(deg)
        else:
            raise ValueError("Angle needs either `rad` or `deg`")

    def __repr__(self) -> str:
        return f"Angle(rad={self.radians})"


class RotationAxisAngle:
    """A rotation by an angle around an axis (the axis need not be normalized)."""

    def __init__(
        self,
        axis: npt.ArrayLike,
        angle: Angle | float | None = None,
        *,
        radians: float | None = None,
        degrees: float | None = None,
    ) -> None:
        if sum(x is not None for x in (angle, radians, degrees)) != 1:
            raise ValueError("RotationAxisAngle: give exactly one of angle, radians or degrees")
        self.axis = np.asarray(axis, dtype=np.float32).reshape(-1)
        if self.axis.shape != (3,):
            raise ValueError(f"RotationAxisAngle: axis must have 3 elements; got shape {self.axis.shape}")
        if radians is not None:
            self.angle = Angle(rad=radians)
        elif degrees is not None:
            self.angle = Angle(deg=degrees)
        else:
            # A bare number means radians, as in rerun-sdk.
            self.angle = angle if isinstance(angle, Angle) else Angle(rad=float(angle))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"RotationAxisAngle(axis={self.axis.tolist()}, radians={self.angle.radians})"


class Quaternion:
    """A rotation quaternion in x, y, z, w order."""

    def __init__(self, *, xyzw: npt.ArrayLike) -> None:
        self.xyzw = np.asarray(xyzw, dtype=np.float32).reshape(-1)
        if self.xyzw.shape != (4,):
            raise ValueError(f"Quaternion: xyzw must have 4 elements; got shape {self.xyzw.shape}")

    @staticmethod
    def identity() -> Quaternion:
        """The rotation that does nothing."""
        return Quaternion(xyzw=[0, 0, 0, 1])

    @staticmethod
    def invalid() -> Quaternion:
        """The all-zero quaternion, which the viewer treats as "hide this instance"."""
        return Quaternion(xyzw=[0, 0, 0, 0])

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> npt.NDArray[Any]:
        # Lets lists of quaternions go through np.asarray like any other nested sequence.
        return np.asarray(self.xyzw, dtype=dtype)

    def __repr__(self) -> str:
        return f"Quaternion(xyzw={self.xyzw.tolist()})"


class Radius:
    """The radius of a point or line: positive in scene units, negative in UI points (pixels at 100% UI).

    Archetypes take plain numbers for radii; `Radius(r)` and lists of them work too.
    """

    def __init__(self, value: float) -> None:
        self.value = np.float32(value)

    @staticmethod
    def ui_points(radii: float | npt.ArrayLike) -> Any:
        """Radii in UI points: the same magnitudes as 32-bit floats, made negative (which is how UI
        points are told apart from scene units). A number gives a numpy scalar, a list an array."""
        return -np.abs(np.array(radii, dtype=np.float32))

    def __float__(self) -> float:
        return float(self.value)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> npt.NDArray[Any]:
        return np.asarray(self.value, dtype=dtype)

    def __repr__(self) -> str:
        return f"Radius(value={float(self.value)})"


class TextLogLevel(str):
    """The severity of a `TextLog` entry; any string works, these are the conventional ones."""

    CRITICAL: ClassVar[TextLogLevel]
    ERROR: ClassVar[TextLogLevel]
    WARN: ClassVar[TextLogLevel]
    INFO: ClassVar[TextLogLevel]
    DEBUG: ClassVar[TextLogLevel]
    TRACE: ClassVar[TextLogLevel]


for _level in ("CRITICAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"):
    setattr(TextLogLevel, _level, TextLogLevel(_level))


class MediaType(str):
    """An IANA media type such as `image/png`; the constants are the ones rerun knows."""

    TEXT: ClassVar[MediaType]
    MARKDOWN: ClassVar[MediaType]
    JPEG: ClassVar[MediaType]
    PNG: ClassVar[MediaType]
    RVL: ClassVar[MediaType]
    GLB: ClassVar[MediaType]
    GLTF: ClassVar[MediaType]
    OBJ: ClassVar[MediaType]
    PLY: ClassVar[MediaType]
    STL: ClassVar[MediaType]
    MP4: ClassVar[MediaType]
    AAC: ClassVar[MediaType]
    FLAC: ClassVar[MediaType]
    M4A: ClassVar[MediaType]
    MP3: ClassVar[MediaType]
    OGG: ClassVar[MediaType]
    WAV: ClassVar[MediaType]

    @staticmethod
    def guess_from_path(path: str | Path) -> MediaType | None:
        """The media type implied by a file extension, or None when it is not one rerun knows."""
        return _MEDIA_TYPE_BY_EXTENSION.get(Path(path).suffix.lower())


_MEDIA_TYPES = {
    "TEXT": "text/plain",
    "MARKDOWN": "text/markdown",
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "RVL": "application/rvl",
    "GLB": "model/gltf-binary",
    "GLTF": "model/gltf+json",
    "OBJ": "model/obj",
    "PLY": "application/x-ply",
    "STL": "model/stl",
    "MP4": "video/mp4",
    "AAC": "audio/aac",
    "FLAC": "audio/flac",
    "M4A": "audio/mp4",
    "MP3": "audio/mpeg",
    "OGG": "audio/ogg",
    "WAV": "audio/wav",
}
for _name, _value in _MEDIA_TYPES.items():
    setattr(MediaType, _name, MediaType(_value))

_MEDIA_TYPE_BY_EXTENSION: dict[str, MediaType] = {
    ".jpg": MediaType.JPEG,
    ".jpeg": MediaType.JPEG,
    ".png": MediaType.PNG,
    ".glb": MediaType.GLB,
    ".gltf": MediaType.GLTF,
    ".obj": MediaType.OBJ,
    ".ply": MediaType.PLY,
    ".stl": MediaType.STL,
    ".mp4": MediaType.MP4,
    ".aac": MediaType.AAC,
    ".flac": MediaType.FLAC,
    ".m4a": MediaType.M4A,
    ".mp3": MediaType.MP3,
    ".oga": MediaType.OGG,
    ".ogg": MediaType.OGG,
    ".opus": MediaType.OGG,
    ".wav": MediaType.WAV,
}
