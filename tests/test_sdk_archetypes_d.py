"""State, grid/volume and MCAP archetypes of rerender.sdk vs rerun-sdk 0.41 (the oracle).

Same method as test_sdk_archetypes_b.py: each case `build(mod)` runs once with `mod = rerun` and once with
our classes; both must give identical component batches. The interop test logs them all under both SDKs
and compares the .rrd files.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import rerender.sdk as ours_sdk
from rerender.sdk import ArchetypeError
from rerender.sdk.archetypes import mcap, states, volumes
from rerender.sdk.components_mcap import CHANNEL_MESSAGE_COUNTS
from tests.test_sdk_archetypes import assert_same_batches

rr = pytest.importorskip("rerun")

NAMES = {
    states: ["StateChange", "StateConfiguration"],
    volumes: ["GridMap", "VoxelGridMap", "Volume3D"],
    mcap: ["McapChannel", "McapMessage", "McapSchema", "McapStatistics"],
}
ARCHETYPES = [name for names in NAMES.values() for name in names]
ours = SimpleNamespace(
    **{name: getattr(module, name) for module, names in NAMES.items() for name in names},
    RotationAxisAngle=ours_sdk.RotationAxisAngle,
    Quaternion=ours_sdk.Quaternion,
    Colormap=ours_sdk.Colormap,
)


@pytest.fixture(autouse=True)
def _strict():
    rr.set_strict_mode(True)
    ours_sdk.set_strict_mode(True)
    yield
    rr.set_strict_mode(False)
    ours_sdk.set_strict_mode(False)


def _format(width: int = 5, height: int = 4, **kwargs: Any) -> Any:
    """rerun's ImageFormat object (ours reads the same attributes)."""
    return rr.components.ImageFormat(width=width, height=height, **kwargs)


def _colormap(m: Any) -> Any:
    """The Colormap enum (rerun keeps it in `rerun.components`)."""
    return getattr(m, "Colormap", None) or m.components.Colormap


GRID = np.arange(20, dtype=np.uint8).reshape(4, 5)
STATS = dict(
    message_count=10,
    schema_count=2,
    channel_count=3,
    attachment_count=0,
    metadata_count=1,
    chunk_count=4,
    message_start_time=1_000,
    message_end_time=2_000,
)

CASES: dict[str, Callable[[Any], Any]] = {
    # states
    "state_change": lambda m: m.StateChange(state="open"),
    "state_change_lanes": lambda m: m.StateChange(state=["a", "", "c"]),
    "state_change_none_is_text": lambda m: m.StateChange(state=["a", None]),
    "state_change_empty": lambda m: m.StateChange(),
    "state_change_numpy": lambda m: m.StateChange(state=np.array(["x", "y"])),
    "state_configuration": lambda m: m.StateConfiguration(
        values=["open", "closed"], labels=["Open", "Closed"], colors=[0x4CAF50FF, 0xEF5350FF], visible=[1, 0]
    ),
    "state_configuration_rgb": lambda m: m.StateConfiguration(values=["a"], colors=[[255, 0, 0]]),
    "state_configuration_float_colors": lambda m: m.StateConfiguration(colors=[[1.0, 0.5, 0.0, 1.0]]),
    # grids
    "grid_map_full": lambda m: m.GridMap(
        data=GRID.tobytes(),
        format=_format(color_model="L", channel_datatype="U8"),
        cell_size=0.05,
        translation=[1, 2, 3],
        rotation_axis_angle=m.RotationAxisAngle(axis=[0, 0, 1], radians=0.5),
        quaternion=m.Quaternion(xyzw=[0, 0, 0, 1]),
        opacity=0.5,
        draw_order=2,
        colormap="Viridis",
    ),
    "grid_map_2d_array_rows": lambda m: m.GridMap(
        data=GRID, format=_format(color_model="L", channel_datatype="U8"), cell_size=1
    ),
    "grid_map_flat_array": lambda m: m.GridMap(
        data=GRID.reshape(-1),
        format=_format(pixel_format="NV12"),
        cell_size=1,
        colormap=_colormap(m).Turbo,
    ),
    "grid_map_float_array_cast": lambda m: m.GridMap.from_fields(data=np.array([1.9, 2.0], np.float32)),
    "grid_map_list_of_ints": lambda m: m.GridMap.from_fields(data=[1, 2, 3]),
    "voxel_grid_map": lambda m: m.VoxelGridMap(
        [[0, 1, 2], [3, 4, 5], [-1, -2, -3]],
        [0.1, 0.1, 0.2],
        values=[1, 2, 3],
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
        translation=[1, 2, 3],
        rotation_axis_angle=m.RotationAxisAngle(axis=[1, 0, 0], degrees=90),
        quaternion=[0, 0, 0, 1],
        opacity=0.7,
        value_range=[0, 3],
        colormap="turbo",
    ),
    "voxel_grid_map_float_indices": lambda m: m.VoxelGridMap(np.array([[0.5, 1.7, 2.0]]), [1, 1, 1]),
    "voxel_grid_map_numpy": lambda m: m.VoxelGridMap(np.zeros((4, 3), np.int64), np.ones(3)),
    "volume3d_full": lambda m: m.Volume3D(
        np.arange(24, dtype=np.float32).reshape(2, 3, 4),
        voxel_size=[1, 2, 3],
        translation=[0, 0, 1],
        quaternion=[0, 0, 0, 1],
        value_range=[0, 23],
        gamma=2.2,
        colormap="Viridis",
        optical_density=0.5,
    ),
    "volume3d_u16": lambda m: m.Volume3D(np.arange(8, dtype=np.uint16).reshape(2, 2, 2)),
    "volume3d_list": lambda m: m.Volume3D([[[1, 2], [3, 4]]]),
    # mcap
    "mcap_channel": lambda m: m.McapChannel(
        id=1, topic="/camera", message_encoding="cdr", metadata={"a": "b", "n": 1}
    ),
    "mcap_channel_no_metadata": lambda m: m.McapChannel(id=2, topic="/t", message_encoding="json"),
    "mcap_channel_metadata_dicts": lambda m: m.McapChannel.from_fields(metadata=[{"a": "b"}, {"c": "d"}]),
    "mcap_channel_metadata_empty": lambda m: m.McapChannel.from_fields(metadata={}),
    "mcap_channel_metadata_pairs_object": lambda m: m.McapChannel.from_fields(
        metadata=rr.components.KeyValuePairs({"k": "v", "k2": "v2"})
    ),
    "mcap_message_bytes": lambda m: m.McapMessage(b"\x00\x01\x02"),
    "mcap_message_array": lambda m: m.McapMessage(np.arange(5, dtype=np.uint8)),
    "mcap_message_bytearray_per_item": lambda m: m.McapMessage(bytearray(b"ab")),
    "mcap_schema": lambda m: m.McapSchema(
        id=7, name="sensor_msgs/Image", encoding="ros2msg", data=b"uint32 h"
    ),
    "mcap_statistics": lambda m: m.McapStatistics(**STATS),
    "mcap_statistics_floats_truncate": lambda m: m.McapStatistics.from_fields(
        message_count=1.9, message_start_time=2.7
    ),
    "mcap_statistics_datetime64": lambda m: m.McapStatistics.from_fields(
        message_start_time=np.datetime64("2024-01-02T03:04:05", "s"),
        message_end_time=np.datetime64("2024-01-02T03:04:05.123456789", "ns"),
    ),
    "mcap_statistics_counts_arrow": lambda m: m.McapStatistics(
        **STATS,
        channel_message_counts=pa.array(
            [[{"channel_id": 1, "message_count": 5}, {"channel_id": 2, "message_count": 5}]],
            type=CHANNEL_MESSAGE_COUNTS,
        ),
    ),
    "mcap_statistics_cleared_counts_only": lambda m: m.McapStatistics.from_fields(message_count=[]),
}
for _name in ARCHETYPES:
    if _name != "McapStatistics":  # rerun-sdk's cleared() raises in strict mode: tested below
        CASES[f"cleared_{_name}"] = lambda m, _name=_name: getattr(m, _name).cleared()


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_batches_as_rerun(case: str) -> None:
    build = CASES[case]
    assert_same_batches(build(ours), build(rr))


def test_mcap_statistics_cleared_like_rerun_outside_strict_mode() -> None:
    rr.set_strict_mode(False)
    ours_sdk.set_strict_mode(False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = rr.McapStatistics.cleared()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # ours: no warning for an empty value
        mine = ours.McapStatistics.cleared()
    assert_same_batches(mine, theirs)


def test_channel_message_counts_logged_empty_with_warning_like_rerun() -> None:
    """rerun-sdk 0.41 cannot serialize ChannelMessageCounts: it warns and logs an empty component."""
    rr.set_strict_mode(False)
    ours_sdk.set_strict_mode(False)
    with pytest.warns(Warning):
        theirs = rr.McapStatistics(**STATS, channel_message_counts={1: 10})
    with pytest.warns(ours_sdk.RerenderWarning if hasattr(ours_sdk, "RerenderWarning") else Warning):
        mine = ours.McapStatistics(**STATS, channel_message_counts={1: 10})
    assert_same_batches(mine, theirs)
    assert mine._rerender_error is None


def test_channel_message_counts_rejected_in_strict_mode() -> None:
    with pytest.raises(ArchetypeError, match="channel_message_counts"):
        ours.McapStatistics(**STATS, channel_message_counts={1: 10})
    with pytest.raises(NotImplementedError):
        rr.McapStatistics(**STATS, channel_message_counts={1: 10})


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.McapChannel(id=70_000, topic="t", message_encoding="cdr"),
        lambda m: m.McapStatistics(**{**STATS, "message_count": -1}),
        lambda m: m.McapChannel.from_fields(metadata=[("a", "b")]),  # a list of tuples: one map per tuple
        lambda m: m.VoxelGridMap([0, 1, 2, 3], [1, 1, 1]),
        lambda m: m.Volume3D(np.array(["a", "b"])),
    ],
)
def test_both_reject(build: Callable[[Any], Any]) -> None:
    with pytest.raises(ArchetypeError):
        build(ours)
    with pytest.raises((ValueError, TypeError, OverflowError, AssertionError, pa.ArrowException)):
        build(rr)


@pytest.mark.parametrize("name", ARCHETYPES)
def test_signature_like_rerun(name: str) -> None:
    import inspect

    def params(cls: Any) -> list[tuple[str, Any, bool]]:
        sig = inspect.signature(cls.__init__)
        return [(p.name, p.kind, p.default is None) for p in list(sig.parameters.values())[1:]]

    assert params(getattr(ours, name)) == params(getattr(rr, name))


COLUMN_CASES: dict[str, Callable[[Any], Any]] = {
    "state_change": lambda m: m.StateChange.columns(state=["a", "b", "", "c"]),
    "mcap_statistics": lambda m: m.McapStatistics.columns(
        message_count=[1, 2, 3], message_start_time=[4, 5, 6]
    ),
    "mcap_message": lambda m: m.McapMessage.columns(data=[b"ab", b"c"]),
    "voxel_grid_map": lambda m: m.VoxelGridMap.columns(voxel_size=[[1, 1, 1], [2, 2, 2]], opacity=[0.1, 0.2]),
}


def _columns(column_list: Any) -> list[tuple[str, pa.Array]]:
    out = []
    for column in column_list:
        if hasattr(column, "as_list_arrays"):  # ours
            ((descriptor, array),) = column.as_list_arrays()
        else:
            descriptor, array = column.component_descriptor(), column.as_arrow_array()
        out.append((descriptor.component, array))
    return out


@pytest.mark.parametrize("case", sorted(COLUMN_CASES))
def test_columns_like_rerun(case: str) -> None:
    mine, theirs = _columns(COLUMN_CASES[case](ours)), _columns(COLUMN_CASES[case](rr))
    assert [name for name, _ in mine] == [name for name, _ in theirs]
    for (name, got), (_, expected) in zip(mine, theirs, strict=True):
        assert got.type.value_type == expected.type.value_type, name
        assert got.to_pylist() == expected.to_pylist(), name


SCRIPT = Path(__file__).parent / "scripts" / "archetypes_d.py"


@pytest.mark.interop
def test_script_equals_rerun_sdk(script_matches_rerun, tmp_path: Path) -> None:
    script_matches_rerun(SCRIPT)
