"""Turns the contexts users pass (dict, JSON, bytes, message) into payloads
for the C++ layer, and RFC 3339 / proto3 JSON values back into Python."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from typing import Any, Tuple, Union

from .errors import ContextError

# Context encodings understood by _tact.
JSON = 0
BINARY = 1
PARSED = 2  # a _tact.ParsedContext from _tact.context_from_dict()

_CONTEXT_MESSAGE = "tact.v1.Context"
_UTC = _dt.timezone.utc


def _rfc3339(value: _dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)  # naive datetimes are UTC
    value = value.astimezone(_UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def _duration(value: _dt.timedelta) -> str:
    micros = value // _dt.timedelta(microseconds=1)
    sign = "-" if micros < 0 else ""
    seconds, micros = divmod(abs(micros), 1_000_000)
    return f"{sign}{seconds}.{micros:06d}s" if micros else f"{sign}{seconds}s"


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return _rfc3339(value)
    if isinstance(value, _dt.timedelta):
        return _duration(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def context_payload(context: Any) -> Tuple[int, bytes]:
    """(encoding, payload) for a context given as a dict, a JSON string,
    wire-format bytes or a tact.v1.Context message.

    Raises ContextError when a dict cannot be written as JSON, TypeError
    for any other kind of object.
    """
    if isinstance(context, Mapping):
        try:
            text = json.dumps(context, default=_json_default, ensure_ascii=False,
                              allow_nan=False)
            return JSON, text.encode("utf-8")
        except (TypeError, ValueError, RecursionError) as e:
            raise ContextError(f"context dict cannot be written as JSON: {e}") from None
    if isinstance(context, str):
        try:
            # surrogateescape: a line read with errors="surrogateescape"
            # (as tact.dask reads files) gives back its bytes, and the JSON
            # reader names the invalid UTF-8 as `tact simulate` does.
            return JSON, context.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as e:
            raise ContextError(f"context JSON is not valid Unicode: {e}") from None
    if isinstance(context, (bytes, bytearray, memoryview)):
        return BINARY, bytes(context)
    descriptor = getattr(context, "DESCRIPTOR", None)
    if descriptor is not None and hasattr(context, "SerializeToString"):
        name = getattr(descriptor, "full_name", "?")
        if name != _CONTEXT_MESSAGE:
            raise ContextError(f"expected a {_CONTEXT_MESSAGE} message, got {name}")
        return BINARY, context.SerializeToString()
    raise TypeError(
        "a context is a dict, a JSON str, wire-format bytes or a "
        f"tact.v1.Context message, not {type(context).__name__}")


_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")


def parse_timestamp(text: str) -> "_dt.datetime | None":
    """An aware UTC datetime from proto3 JSON ("2026-01-05T10:00:00.5Z");
    sub-microsecond digits are dropped. None for text that is not one."""
    m = _TIMESTAMP.fullmatch(text)
    if not m:
        return None
    fraction = (m.group(7) or "").ljust(6, "0")[:6]
    try:
        return _dt.datetime(*(int(g) for g in m.groups()[:6]), int(fraction),
                            tzinfo=_UTC)
    except ValueError:
        return None


def parse_duration(text: str) -> "_dt.timedelta | None":
    """A timedelta from proto3 JSON ("3600s", "-1.5s"); None if not one."""
    m = re.fullmatch(r"(-?)(\d+)(?:\.(\d{1,9}))?s", text)
    if not m:
        return None
    micros = int(m.group(2)) * 1_000_000 + int((m.group(3) or "").ljust(6, "0")[:6])
    return _dt.timedelta(microseconds=-micros if m.group(1) else micros)


ParamValue = Union[bool, int, float, str, _dt.datetime, _dt.timedelta, None]


def param_value(value: Mapping) -> ParamValue:
    """The Python value of a proto3 JSON tact.v1.Value."""
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "intValue" in value:
        return int(value["intValue"])  # int64 is a string in proto3 JSON
    if "doubleValue" in value:
        v = value["doubleValue"]
        return float(v)  # also "NaN", "Infinity"
    if "stringValue" in value:
        return str(value["stringValue"])
    if "timestampValue" in value:
        return parse_timestamp(value["timestampValue"])
    if "durationValue" in value:
        return parse_duration(value["durationValue"])
    return None
