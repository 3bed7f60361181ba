"""`AnnotationContext`: class ids to labels, colours and keypoint skeletons."""

from __future__ import annotations

from typing import Any

from .. import components_tensors as ca
from ..batch import Archetype, Field


class AnnotationContext(Archetype):
    """Class id -> label, color and keypoint annotations, for this entity and everything below it."""

    _FIELDS = (Field("context", "AnnotationContext", ca.annotation_context),)

    def __init__(self, context: Any) -> None:
        super().__init__()
        self._set_field("context", context)
