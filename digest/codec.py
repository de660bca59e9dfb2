"""Dataclasses to JSON-ready dicts and back, guided by their type hints (datetimes as ISO text)."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """A dataclass (or list/dict of them) as plain JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, separators=(",", ":"))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass from to_dict's output; unknown keys are ignored."""
    return _build(cls, data)


def loads(cls: type[T], text: str) -> T:
    return from_dict(cls, json.loads(text))


def _build(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(options[0], data) if len(options) == 1 else data
    if origin is list:
        (inner,) = typing.get_args(tp)
        return [_build(inner, v) for v in data]
    if origin is dict:
        _, inner = typing.get_args(tp)
        return {k: _build(inner, v) for k, v in data.items()}
    if tp is datetime:
        return datetime.fromisoformat(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _build(hints[k], v) for k, v in data.items() if k in names})
    if tp is float and isinstance(data, int):
        return float(data)
    return data
