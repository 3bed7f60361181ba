"""rerender's names against rerun-sdk 0.41's, walked by introspection.

Every public name of rerun's top level, `archetypes`, `components`, `datatypes`/`encodings`, `blueprint`
and `utilities` must exist in rerender's matching module (the viewer-, notebook- and server-side ones as
the stand-ins of `rerender.sdk.viewer_stubs.OUT_OF_SCOPE`), with the same parameter names (functions
and classes' `__init__`), the same members (enums) or the same constants (string types). The blueprint
sub-namespaces are checked in `test_blueprint_parity.py`.
"""

from __future__ import annotations
import __future__

import enum
import importlib
import inspect
import subprocess
import sys
import types
import typing
import warnings
from typing import Any

import pytest

import rerender
from rerender.sdk.viewer_stubs import OUT_OF_SCOPE

rerun = pytest.importorskip("rerun")

# rerun namespace -> the rerender module that mirrors it ("" is the top level).
NAMESPACES = ["", "archetypes", "components", "datatypes", "encodings", "blueprint", "utilities"]

# Module-level helpers rerun happens to import (typing, __future__), not API.
_NOT_API = {"Any", "Callable", "TYPE_CHECKING", "TypeVar", "cast", "annotations"}


def _module(package: str, namespace: str) -> types.ModuleType:
    name = f"{package}.{namespace}" if namespace else package
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rerun.datatypes is a deprecated alias
        return importlib.import_module(name)


def rerun_names(namespace: str) -> set[str]:
    """rerun's public names in a namespace: `__all__` where it has one, else what `dir` shows, less
    submodules and typing helpers."""
    module = _module("rerun", namespace)
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    out = set()
    for name in names:
        value = getattr(module, name, None)
        if name in _NOT_API or isinstance(value, (types.ModuleType, __future__._Feature)):
            continue
        out.add(name)
    return out


def missing_names(namespace: str) -> set[str]:
    """rerun's public names that rerender's matching module lacks."""
    ours = _module("rerender", namespace)
    return {name for name in rerun_names(namespace) if not hasattr(ours, name)}


MISSING = {ns: missing_names(ns) for ns in NAMESPACES}


def _report() -> str:
    return "\n".join(
        f"rerun{'.' + ns if ns else ''}: missing {', '.join(sorted(MISSING[ns]))}"
        for ns in NAMESPACES
        if MISSING[ns]
    )


def test_every_rerun_name_exists() -> None:
    """Every public name of rerun-sdk's namespaces exists in rerender's; the viewer-, notebook- and
    server-side ones exist as the stand-ins `OUT_OF_SCOPE` lists."""
    assert not any(MISSING.values()), _report()


def test_out_of_scope_list_is_short_and_documented() -> None:
    assert len(OUT_OF_SCOPE) <= 10
    for name, why in OUT_OF_SCOPE.items():
        assert name in rerun_names("") and callable(getattr(rerender, name)), name
        assert len(why) > 20 and "\n" not in why  # one line: why, and what calling it does here


# ---- what we claim ------------------------------------------------------------------------------------

# Every rerun name is a claim that ours behaves alike: same parameters, members or constants.
CLAIMED: dict[str, list[str]] = {ns: sorted(rerun_names(ns)) for ns in NAMESPACES}
CLAIMED_PAIRS = [(ns, name) for ns, names in CLAIMED.items() for name in names]


def _parameters(obj: Any) -> list[str]:
    """Parameter names of a function or of a class's constructor (less `self`); rerun's Rust classes
    give theirs through `__text_signature__`."""
    names = list(inspect.signature(obj).parameters)
    return names[1:] if names[:1] == ["self"] else names


def _is_typing_alias(obj: Any) -> bool:
    """Whether `obj` can stand in an annotation: a class, `Any`, or a union (`typing.Union` or `X | Y`)."""
    return isinstance(obj, type) or obj is Any or typing.get_origin(obj) in (typing.Union, types.UnionType)


def _constants(cls: type) -> dict[str, str]:
    """Upper-case constants of a string-valued type (MediaType.PNG, TextLogLevel.ERROR) as strings."""
    return {n: str(getattr(cls, n)) for n in dir(cls) if n.isupper() and not n.startswith("_")}


# Names we have whose constructors differ from rerun's because users never call them: rerun builds
# them from its Rust side, rerender from its own; only their existence and use are claimed.
EXISTENCE_ONLY = {"MemoryRecording", "ComponentColumn", "ComponentColumnList"}


def test_claimed_names_are_not_reported_missing() -> None:
    assert [(ns, n) for ns, n in CLAIMED_PAIRS if n in MISSING[ns]] == []


@pytest.mark.parametrize(
    ("namespace", "name"), CLAIMED_PAIRS, ids=[f"{ns or 'rr'}.{n}" for ns, n in CLAIMED_PAIRS]
)
def test_claimed_name_is_compatible(namespace: str, name: str) -> None:
    theirs = getattr(_module("rerun", namespace), name)
    ours = getattr(_module("rerender", namespace), name)
    if name in EXISTENCE_ONLY:
        assert isinstance(ours, type) and isinstance(theirs, type)
    elif name.endswith("Like"):
        # Typing aliases (`ColorArrayLike`): rerun's are a class, `Any` or a union, as its codegen wrote them.
        assert _is_typing_alias(ours) and _is_typing_alias(theirs)
    elif isinstance(theirs, type) and issubclass(theirs, enum.Enum):
        assert isinstance(ours, type) and issubclass(ours, enum.Enum)
        assert {m.name: m.value for m in ours} == {m.name: m.value for m in theirs}
    elif isinstance(ours, type) and issubclass(ours, str):
        # rerun's MediaType / TextLogLevel are components built from one value; ours are str subclasses.
        assert _parameters(theirs) == ["value"]
        assert _constants(ours) == _constants(theirs)
        assert str(ours("x")) == str(theirs("x")) == "x"
    elif isinstance(theirs, type) and issubclass(theirs, tuple) and hasattr(theirs, "_fields"):
        assert ours._fields == theirs._fields  # the utilities' named tuples
    elif callable(theirs):
        assert _parameters(ours) == _parameters(theirs)
    else:  # data, such as utilities.color_grid
        assert type(ours).__name__.lstrip("_") == type(theirs).__name__.lstrip("_")


@pytest.mark.parametrize("name", ["ui_points"])
def test_radius_helpers_have_rerun_signatures(name: str) -> None:
    ours, theirs = getattr(rerender.Radius, name), getattr(rerun.Radius, name)
    assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters)


# ---- the namespaces as modules ------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", ["archetypes", "components", "datatypes", "encodings", "utilities"])
def test_namespace_imports_and_matches_attribute(namespace: str) -> None:
    module = importlib.import_module(f"rerender.{namespace}")
    assert getattr(rerender, namespace) is module
    assert namespace in dir(rerender)
    theirs = _module("rerun", "datatypes" if namespace == "encodings" else namespace)
    for name in module.__all__:
        value = getattr(module, name)
        # The same class, not a copy, wherever rerun's are the same (rerun.ViewCoordinates is the
        # archetype, rerun.components.ViewCoordinates the component).
        if (
            isinstance(value, type)
            and name in rerender.sdk.__all__
            and getattr(theirs, name, None) is getattr(rerun, name, None)
        ):
            assert value is getattr(rerender, name), name


def test_import_rerender_stays_lazy() -> None:
    """`import rerender` loads neither the SDK nor numpy; the namespaces load the SDK when imported."""
    script = (
        "import sys, rerender; assert not any(m.startswith(('rerender.sdk', 'numpy')) for m in sys.modules)\n"
        "import rerender.archetypes as rra; assert 'rerender.sdk' in sys.modules and rra.Points3D"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_namespaces_work_where_rerun_is_aliased_to_rerender() -> None:
    """Under `rerender run` `import rerun` gives rerender; `import rerun.archetypes` then still gives our
    classes (the namespace modules import the SDK by absolute name, so no second SDK is loaded)."""
    script = (
        "import sys, rerender\n"
        "sys.modules['rerun'] = rerender\n"
        "import rerun.archetypes, rerun.components, rerun.datatypes\n"
        "assert rerun.archetypes.Points3D is rerender.Points3D\n"
        "assert rerun.components.Radius is rerender.Radius\n"
        "assert rerun.datatypes.Angle is rerender.Angle\n"
        "assert not any(m.startswith('rerun.sdk') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
