"""Small top-level helpers of rerun-sdk: a numpy 1/2 `asarray`, and the exit code of importers."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["EXTERNAL_IMPORTER_INCOMPATIBLE_EXIT_CODE", "asarray"]

EXTERNAL_IMPORTER_INCOMPATIBLE_EXIT_CODE = 66
"""The exit code with which an external importer (a `rerun-importer-*` executable) says it cannot read
a file, so that the next importer is tried (rerun's convention; rerender runs no external importers)."""

_NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def asarray(item: Any, dtype: npt.DTypeLike = None, copy: bool | None = None) -> np.ndarray:
    """`np.asarray` with numpy 2's `copy=` on numpy 1 too (True: always copy; None: copy if needed)."""
    if _NUMPY_2:
        return np.asarray(item, dtype=dtype, copy=copy)
    if copy is not None:  # numpy 1's asarray has no `copy`; np.array's copy=False copies only if needed
        return np.array(item, dtype=dtype, copy=copy)
    return np.asarray(item, dtype=dtype)
