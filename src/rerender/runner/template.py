"""Placeholders in a pipeline's strings (`outputs/{stem}.mp4`, `--lr {lr}`) and matrix sweeps.

A placeholder is `{name}`; `{{` and `}}` stand for literal braces. A matrix (`{lr = [0.1, 0.01],
seed = [0, 1]}`) expands to every combination, in key order with the last key varying fastest, each a
`dict` of parameter name to its value as text (TOML numbers written as TOML writes them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TemplateError(ValueError):
    """A string or matrix that cannot be used; the message says what was expected (the caller adds the
    file, line and key)."""


def placeholders(text: str) -> list[str]:
    """The names of `text`'s placeholders, in order (repeats kept)."""
    names = []
    for m in _PLACEHOLDER.finditer(text):
        token = m[0]
        if token in ("{{", "}}"):
            continue
        if m[1] is None or not PARAM_NAME.fullmatch(m[1]):
            raise TemplateError(
                f"{text!r}: {token!r} is not a placeholder; expected {{name}} with a parameter name, "
                "or {{ and }} for literal braces"
            )
        names.append(m[1])
    return names


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each `{name}` replaced by `values[name]`; an unknown name raises TemplateError."""
    unknown = [name for name in placeholders(text) if name not in values]
    if unknown:
        known = ", ".join(f"{{{k}}}" for k in values) or "none here"
        raise TemplateError(f"{text!r}: unknown placeholder {{{unknown[0]}}}; the placeholders are: {known}")

    def replace(m: re.Match) -> str:
        return {"{{": "{", "}}": "}"}.get(m[0]) or values[m[1]]

    return _PLACEHOLDER.sub(replace, text)


def as_text(value: object) -> str:
    """A TOML scalar as a parameter's text: `0.1`, `3`, `true`, or the string itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def expand_matrix(matrix: Mapping[str, object]) -> list[dict[str, str]]:
    """Every combination of the matrix's values; `{}` gives one empty combination (no sweep)."""
    axes: list[Sequence[str]] = []
    for name, values in matrix.items():
        if not PARAM_NAME.fullmatch(name):
            raise TemplateError(
                f"{name!r} is not a parameter name; expected letters, digits and _ (not first: a digit)"
            )
        if not isinstance(values, list) or not values:
            got = "an empty array" if values == [] else f"{values!r}"
            raise TemplateError(
                f"{name}: {got}; expected a non-empty array of values to sweep, e.g. {name} = [0.1, 0.01]"
            )
        bad = next((v for v in values if not isinstance(v, str | int | float | bool)), None)
        if bad is not None:
            raise TemplateError(f"{name}: {bad!r} is not a string, number or boolean; expected scalars")
        texts = [as_text(v) for v in values]
        repeated = next((t for t in texts if texts.count(t) > 1), None)
        if repeated is not None:
            raise TemplateError(f"{name}: {repeated} appears twice; expected each value once")
        axes.append(texts)
    return [dict(zip(matrix, combo, strict=True)) for combo in itertools.product(*axes)]


def point_label(params: Mapping[str, str]) -> str:
    """`lr=0.1,seed=0`: a combination as a job name's suffix."""
    return ",".join(f"{k}={v}" for k, v in params.items())
