"""All archetypes, grouped by kind in the submodules."""

from .images import DepthImage, EncodedImage, Image
from .lines import Arrows3D, LineStrips2D, LineStrips3D
from .meshes import Asset3D, Mesh3D
from .misc import AnyValues, Clear, Scalars
from .points import Points2D, Points3D
from .shapes import Boxes2D, Boxes3D, Ellipsoids3D
from .text import TextDocument, TextLog
from .transforms import InstancePoses3D, Pinhole, Transform3D, ViewCoordinates

__all__ = [
    "AnyValues",
    "Arrows3D",
    "Asset3D",
    "Boxes2D",
    "Boxes3D",
    "Clear",
    "DepthImage",
    "Ellipsoids3D",
    "EncodedImage",
    "Image",
    "InstancePoses3D",
    "LineStrips2D",
    "LineStrips3D",
    "Mesh3D",
    "Pinhole",
    "Points2D",
    "Points3D",
    "Scalars",
    "TextDocument",
    "TextLog",
    "Transform3D",
    "ViewCoordinates",
]
