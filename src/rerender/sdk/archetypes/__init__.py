"""All archetypes, grouped by kind in the submodules."""

from .annotations import AnnotationContext
from .geo import GeoLineStrings, GeoPoints
from .graphs import GraphEdges, GraphNodes
from .images import DepthImage, EncodedImage, Image, SegmentationImage
from .lines import Arrows2D, Arrows3D, LineStrips2D, LineStrips3D
from .media import AssetAudio, AssetVideo, VideoFrameReference, VideoStream
from .meshes import Asset3D, Mesh3D
from .misc import AnyValues, Clear, Scalars
from .plots import SeriesLines, SeriesPoints
from .points import Points2D, Points3D
from .shapes import Boxes2D, Boxes3D, Capsules3D, Cylinders3D, Ellipsoids3D
from .tensors import BarChart, Tensor
from .text import TextDocument, TextLog
from .transforms import InstancePoses3D, Pinhole, Transform3D, ViewCoordinates

__all__ = [
    "AnnotationContext",
    "AnyValues",
    "Arrows2D",
    "Arrows3D",
    "Asset3D",
    "AssetAudio",
    "AssetVideo",
    "BarChart",
    "Boxes2D",
    "Boxes3D",
    "Capsules3D",
    "Clear",
    "Cylinders3D",
    "DepthImage",
    "Ellipsoids3D",
    "EncodedImage",
    "GeoLineStrings",
    "GeoPoints",
    "GraphEdges",
    "GraphNodes",
    "Image",
    "InstancePoses3D",
    "LineStrips2D",
    "LineStrips3D",
    "Mesh3D",
    "Pinhole",
    "Points2D",
    "Points3D",
    "Scalars",
    "SegmentationImage",
    "SeriesLines",
    "SeriesPoints",
    "Tensor",
    "TextDocument",
    "TextLog",
    "Transform3D",
    "VideoFrameReference",
    "VideoStream",
    "ViewCoordinates",
]
