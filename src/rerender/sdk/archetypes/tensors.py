"""N-dimensional data: `Tensor` and `BarChart`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from .. import components_tensors as ca
from ..batch import Archetype, Field
from ..datatypes import TensorData
from ..recording import is_strict_mode, warn_once


class BarChart(Archetype):
    """A bar chart of a 1D tensor of values, with optional color, abscissa and bar widths."""

    _FIELDS = (
        Field("values", "TensorData", ca.tensor_data),
        Field("color", "Color", c.colors),
        Field("abscissa", "TensorData", ca.tensor_data),
        Field("widths", "Length", c.float32s),
    )

    def __init__(
        self,
        values: Any,
        *,
        color: Any = None,
        abscissa: Any = None,
        widths: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("values", values)
        if "values" in self._arrays:
            shape = ca.tensor_shape(self._arrays["values"])
            # Singleton dimensions are ignored, so (1, N) and (1,) are valid bar charts too.
            if not shape or sum(d != 1 for d in shape) > 1:
                detail = f"has shape {shape}; expected a 1D vector of values"
                if is_strict_mode():
                    self._fail("values", detail)
                # Like rerun-sdk outside strict mode: warn, and log the values anyway.
                warn_once(f"BarChart:{shape}", f"BarChart: values {detail}")
        self._set_field("color", color)
        self._set_field("abscissa", abscissa)
        self._set_field("widths", widths)


class Tensor(Archetype):
    """An N-dimensional array (numpy, lists, torch, or a `TensorData`) with optional dimension names."""

    _FIELDS = (
        Field("data", "TensorData", ca.tensor_data),
        Field("value_range", "ValueRange", ca.value_range),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        dim_names: Any = None,
        value_range: Any = None,
    ) -> None:
        super().__init__()
        if data is None:
            self._fail("data", "is missing; expected an array or a TensorData")
        try:
            if not isinstance(data, TensorData):
                data = TensorData(array=data, dim_names=dim_names)
            elif dim_names is not None:
                data = TensorData(shape=data.shape.tolist(), buffer=data.buffer, dim_names=dim_names)
        except ValueError as err:
            self._fail("data", f"could not be converted: {err}")
        self._set_field("data", data)
        self._set_field("value_range", value_range)
