"""All archetypes, grouped by kind in the submodules."""

from .annotations import AnnotationContext
from .depth import EncodedDepthImage
from .ellipses import Ellipses2D
from .frames import CoordinateFrame, TransformAxes3D
from .geo import GeoLineStrings, GeoPoints
from .graphs import GraphEdges, GraphNodes
from .images import DepthImage, EncodedImage, Image, SegmentationImage
from .lines import Arrows2D, Arrows3D, LineStrips2D, LineStrips3D
from .mcap import McapChannel, McapMessage, McapSchema, McapStatistics
from .measurements import Measurements
from .media import AssetAudio, AssetVideo, VideoFrameReference, VideoStream
from .meshes import Asset3D, Mesh3D
from .misc import AnyValues, Clear, Scalars
from .plots import SeriesLines, SeriesPoints
from .points import Points2D, Points3D
from .recording_info import RecordingInfo
from .shapes import Boxes2D, Boxes3D, Capsules3D, Cylinders3D, Ellipsoids3D
from .splats import GaussianSplats3D
from .states import StateChange, StateConfiguration
from .tensors import BarChart, Tensor
from .text import TextDocument, TextLog
from .transforms import InstancePoses3D, Pinhole, Transform3D, ViewCoordinates
from .volumes import GridMap, Volume3D, VoxelGridMap

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
    "CoordinateFrame",
    "Cylinders3D",
    "DepthImage",
    "Ellipses2D",
    "Ellipsoids3D",
    "EncodedDepthImage",
    "EncodedImage",
    "GaussianSplats3D",
    "GeoLineStrings",
    "GeoPoints",
    "GraphEdges",
    "GraphNodes",
    "GridMap",
    "Image",
    "InstancePoses3D",
    "LineStrips2D",
    "LineStrips3D",
    "McapChannel",
    "McapMessage",
    "McapSchema",
    "McapStatistics",
    "Measurements",
    "Mesh3D",
    "Pinhole",
    "Points2D",
    "Points3D",
    "RecordingInfo",
    "Scalars",
    "SegmentationImage",
    "SeriesLines",
    "SeriesPoints",
    "StateChange",
    "StateConfiguration",
    "Tensor",
    "TextDocument",
    "TextLog",
    "Transform3D",
    "TransformAxes3D",
    "VideoFrameReference",
    "VideoStream",
    "ViewCoordinates",
    "Volume3D",
    "VoxelGridMap",
]
