"""Bring chunks written by older Rerun versions (0.23-0.40) to the current Sorbet layout, 0.1.4.

Rerun migrates on load; we do the same renames so that a chunk means the same thing whichever
version wrote it. Each step is keyed by the Sorbet version it upgrades from.
"""

from __future__ import annotations

import pyarrow as pa

SORBET_VERSION = "0.1.4"
_SORBET_VERSION_BYTES = SORBET_VERSION.encode()

# Before 0.24 metadata keys used a dot prefix.
_LEGACY_KEY_PREFIX = "rerun."

# 0.1.1 -> 0.1.2: pose components became the ordinary transform components.
_RENAMED_COMPONENT_TYPES = {
    "rerun.components.PoseTranslation3D": "rerun.components.Translation3D",
    "rerun.components.PoseRotationAxisAngle": "rerun.components.RotationAxisAngle",
    "rerun.components.PoseRotationQuat": "rerun.components.RotationQuat",
    "rerun.components.PoseScale3D": "rerun.components.Scale3D",
    "rerun.components.PoseTransformMat3x3": "rerun.components.TransformMat3x3",
    # 0.1.2 -> 0.1.3
    "rerun.components.SeriesVisible": "rerun.components.Visible",
}

# 0.1.1 -> 0.1.2: components that moved to another archetype or were renamed.
_RENAMED_COMPONENTS = {
    "Transform3D:axis_length": ("TransformAxes3D:axis_length", "rerun.archetypes.TransformAxes3D"),
    "CoordinateFrame:frame_id": ("CoordinateFrame:frame", "rerun.archetypes.CoordinateFrame"),
}


def _version_tuple(text: str | None) -> tuple[int, ...]:
    if not text:
        return (0, 0, 0)
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return (0, 0, 0)


def _decode(meta) -> dict[str, str]:
    if not meta:
        return {}
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in meta.items()}


def _new_key(key: str) -> str:
    if key.startswith(_LEGACY_KEY_PREFIX):
        return "rerun:" + key[len(_LEGACY_KEY_PREFIX) :]
    return key


def needs_migration(batch: pa.RecordBatch) -> bool:
    """True when the batch predates Sorbet 0.1.4 (older files also use `rerun.` keys)."""
    meta = batch.schema.metadata or {}
    return meta.get(b"sorbet:version") != _SORBET_VERSION_BYTES


def migrate_record_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Return `batch` itself when current, else a migrated copy (data buffers are shared)."""
    if not needs_migration(batch):
        return batch
    schema_meta = {_new_key(k): v for k, v in _decode(batch.schema.metadata).items()}
    if "rerun:version" in schema_meta and "sorbet:version" not in schema_meta:
        schema_meta.pop("rerun:version")
    version = _version_tuple(schema_meta.get("sorbet:version"))
    schema_meta["sorbet:version"] = SORBET_VERSION

    fields, columns = [], []
    for f, col in zip(batch.schema, batch.columns, strict=True):
        meta = {_new_key(k): v for k, v in _decode(f.metadata).items()}
        if meta.get("rerun:kind") == "time":  # pre-0.24 name for index columns
            meta["rerun:kind"] = "index"
        if meta.pop("rerun:is_indicator", "false") == "true" or f.name.endswith("Indicator"):
            continue  # indicator components were dropped in 0.1.1
        name = f.name
        if meta.get("rerun:kind", "data") == "data":
            name, meta = _migrate_component(name, meta, version)
        fields.append(pa.field(name, f.type, f.nullable, metadata=meta))
        columns.append(col)
    schema = pa.schema(fields, metadata=schema_meta)
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _migrate_component(name: str, meta: dict[str, str], version: tuple[int, ...]) -> tuple[str, dict]:
    # Pre-0.24 columns were named by component type, with the field name beside it.
    field_name = meta.pop("rerun:archetype_field", None)
    archetype = meta.get("rerun:archetype")
    if archetype and "." not in archetype:
        archetype = meta["rerun:archetype"] = f"rerun.archetypes.{archetype}"
    if field_name and archetype:
        if "rerun:component" in meta and "rerun:component_type" not in meta:
            meta["rerun:component_type"] = meta["rerun:component"]
        meta["rerun:component"] = f"{archetype.rsplit('.', 1)[-1]}:{field_name}"
        name = meta["rerun:component"]
    meta.setdefault("rerun:component", name)

    if version < (0, 1, 3):
        ctype = meta.get("rerun:component_type")
        if ctype in _RENAMED_COMPONENT_TYPES:
            meta["rerun:component_type"] = _RENAMED_COMPONENT_TYPES[ctype]
        renamed = _RENAMED_COMPONENTS.get(meta["rerun:component"])
        if renamed:
            new_component, new_archetype = renamed
            if name == meta["rerun:component"]:
                name = new_component
            meta["rerun:component"] = new_component
            meta["rerun:archetype"] = new_archetype
    return name, meta
