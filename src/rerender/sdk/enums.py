"""Enumerations used as archetype arguments, accepting the same spellings as rerun-sdk."""

from __future__ import annotations

import itertools
from enum import Enum
from typing import Any, Self

__all__ = [
    "Box2DFormat",
    "ChannelDatatype",
    "ColorModel",
    "Colormap",
    "EntryKind",
    "FillMode",
    "MagnificationFilter",
    "MeshFaceRendering",
    "PixelFormat",
    "PointShading",
    "TransformRelation",
    "ViewDir",
    "view_coordinate_conventions",
]


class AutoEnum(Enum):
    """An enum that converts members, ints (by value) and names (case-insensitively)."""

    @classmethod
    def auto(cls, value: Any) -> Self:
        """Convert a member, an int value or a (case-insensitive) name into a member."""
        if isinstance(value, cls):
            return value
        # Members of a same-named enum from another library (e.g. rerun's) convert by name.
        if isinstance(value, Enum):
            value = value.name
        if isinstance(value, bool):
            raise ValueError(f"expected a {cls.__name__} (member, name or int); got {value!r}")
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                raise ValueError(
                    f"{value} is not a {cls.__name__} value; expected one of "
                    + ", ".join(f"{m.value} ({m.name})" for m in cls)
                ) from None
        if isinstance(value, str):
            if value in cls.__members__:
                return cls[value]
            lowered = value.lower()
            for member in cls:
                if member.name.lower() == lowered:
                    return member
        raise ValueError(
            f"expected a {cls.__name__} (one of {', '.join(m.name for m in cls)}); got {value!r}"
        )

    def __str__(self) -> str:
        return self.name


class FillMode(AutoEnum):
    """How boxes and ellipsoids are drawn."""

    MajorWireframe = 1
    DenseWireframe = 2
    Solid = 3
    TransparentFillMajorWireframe = 4


class Colormap(AutoEnum):
    """Colormaps for depth images and other scalar images."""

    Grayscale = 1
    Inferno = 2
    Magma = 3
    Plasma = 4
    Turbo = 5
    Viridis = 6
    CyanToYellow = 7
    Spectral = 8
    Twilight = 9
    RvizMap = 10
    RvizCostmap = 11
    Costmap = 12


class MagnificationFilter(AutoEnum):
    """Filter used when an image texel is displayed larger than a screen pixel."""

    Nearest = 1
    Linear = 2
    Bicubic = 3


class MeshFaceRendering(AutoEnum):
    """Which faces of a mesh are drawn."""

    DoubleSided = 1
    Front = 2
    Back = 3


class TransformRelation(AutoEnum):
    """Whether a transform maps child to parent space or the other way round."""

    ParentFromChild = 1
    ChildFromParent = 2


class PointShading(AutoEnum):
    """How 3D points are shaded."""

    Gradient = 1
    Flat = 2


class ColorModel(AutoEnum):
    """The channel layout of an image."""

    L = 1
    RGB = 2
    RGBA = 3
    BGR = 4
    BGRA = 5

    def num_channels(self) -> int:
        """Number of channels per pixel."""
        return 1 if self is ColorModel.L else 3 if self in (ColorModel.RGB, ColorModel.BGR) else 4


class ChannelDatatype(AutoEnum):
    """The element type of an image channel."""

    U8 = 6
    I8 = 7
    U16 = 8
    I16 = 9
    U32 = 10
    I32 = 11
    U64 = 12
    I64 = 13
    F16 = 33
    F32 = 34
    F64 = 35


class PixelFormat(AutoEnum):
    """Chroma-subsampled and other packed pixel formats (used instead of color model + datatype)."""

    Y_U_V12_LimitedRange = 20
    NV12 = 26
    YUY2 = 27
    Y8_FullRange = 30
    Y_U_V24_LimitedRange = 39
    Y_U_V24_FullRange = 40
    Y8_LimitedRange = 41
    Y_U_V12_FullRange = 44
    Y_U_V16_LimitedRange = 49
    Y_U_V16_FullRange = 50
    BayerRGGB8 = 128
    BayerBGGR8 = 129
    BayerGBRG8 = 130
    BayerGRBG8 = 131


class ViewDir(AutoEnum):
    """The direction one axis of a view coordinate system points to."""

    Up = 1
    Down = 2
    Right = 3
    Left = 4
    Forward = 5
    Back = 6


def view_coordinate_conventions() -> dict[str, tuple[ViewDir, ViewDir, ViewDir]]:
    """rerun's named axis conventions: RDF, LUF, ... (every order of one of up/down, one of left/right
    and one of forward/back) and the handed names (`RIGHT_HAND_Y_DOWN` is RDF, ...)."""
    letters = {"U": ViewDir.Up, "D": ViewDir.Down, "R": ViewDir.Right, "L": ViewDir.Left}
    letters |= {"F": ViewDir.Forward, "B": ViewDir.Back}
    named: dict[str, tuple[ViewDir, ViewDir, ViewDir]] = {}
    for picks in itertools.product("UD", "LR", "FB"):
        for order in itertools.permutations(picks):
            x, y, z = (letters[ch] for ch in order)
            named["".join(order)] = (x, y, z)
    handed = {
        "RIGHT_HAND_X_UP": "URF",
        "RIGHT_HAND_X_DOWN": "DRB",
        "RIGHT_HAND_Y_UP": "RUB",
        "RIGHT_HAND_Y_DOWN": "RDF",
        "RIGHT_HAND_Z_UP": "RFU",
        "RIGHT_HAND_Z_DOWN": "RBD",
        "LEFT_HAND_X_UP": "URB",
        "LEFT_HAND_X_DOWN": "DRF",
        "LEFT_HAND_Y_UP": "RUF",
        "LEFT_HAND_Y_DOWN": "RDB",
        "LEFT_HAND_Z_UP": "RBU",
        "LEFT_HAND_Z_DOWN": "RFD",
    }
    return named | {name: named[code] for name, code in handed.items()}


class Box2DFormat(Enum):
    """How the columns of `Boxes2D(array=...)` are laid out."""

    XYWH = "XYWH"
    YXHW = "YXHW"
    XYXY = "XYXY"
    YXYX = "YXYX"
    XCYCWH = "XCYCWH"
    XCYCW2H2 = "XCYCW2H2"


# --- plots, graphs and video (rerun-sdk 0.41 spellings: members, int values, case-insensitive names) ---


class AggregationPolicy(AutoEnum):
    """How a line series is aggregated when several of its points fall on one pixel column."""

    Off = 1
    Average = 2
    Max = 3
    Min = 4
    MinMax = 5
    MinMaxAverage = 6


class InterpolationMode(AutoEnum):
    """How a line series is drawn between its points (straight or as a staircase)."""

    Linear = 1
    StepAfter = 2
    StepBefore = 3
    StepMid = 4


class MarkerShape(AutoEnum):
    """The shape of the markers of a point series."""

    Circle = 1
    Diamond = 2
    Square = 3
    Cross = 4
    Plus = 5
    Up = 6
    Down = 7
    Left = 8
    Right = 9
    Asterisk = 10


class GraphType(AutoEnum):
    """Whether the edges of a graph are directed."""

    Undirected = 1
    Directed = 2


class VideoCodec(AutoEnum):
    """The codec of the samples of a `VideoStream` (the value is the codec's FourCC, logged as u32)."""

    AV1 = 0x61763031
    H264 = 0x61766331
    H265 = 0x68657631
    VP8 = 0x76703038
    VP9 = 0x76703039


class EntryKind(AutoEnum):
    """The kind of a catalog entry (dataset, table, ...), as rerun's catalog names them."""

    Dataset = 1
    DatasetView = 2
    Table = 3
    TableView = 4
    BlueprintDataset = 5
    AssetDataset = 6
