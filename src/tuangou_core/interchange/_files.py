"""Reading a scenario document: regular files or standard input, bounded, never a hang.

The only place the library reads bytes from outside. A path names a regular file (a FIFO, a
device such as ``/dev/zero`` or a directory is refused before a byte is read), or is ``-`` for
standard input; at most :data:`MAX_INPUT_BYTES` are read, and a document nested deeper than
:data:`~tuangou_core._validators.MAX_DEPTH` levels is refused before it is validated.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any, BinaryIO, Final

from tuangou_core._validators import MAX_DEPTH, depth_of
from tuangou_core.errors import InvalidInput

MAX_INPUT_BYTES: Final = 16 * 1024 * 1024
"""The largest scenario read by default (16 MiB): a hundred thousand events fit in a few."""

LARGEST_INPUT_BYTES: Final = 1024 * 1024 * 1024
"""The most a caller may raise that bound to (1 GiB): a million-event day is about 112 MiB,
and a JSON document decodes into several times its size."""

STDIN: Final = "-"


def read_document(
    path: str | Path, error: type[InvalidInput], max_bytes: int = MAX_INPUT_BYTES
) -> Any:
    """The decoded document at *path* (``.json`` as JSON, anything else as TOML; ``-`` reads
    standard input, JSON when it starts with ``{``).

    Args:
        path: a regular file, or ``-``.
        error: the error class to raise (``InvalidScenario``).
        max_bytes: the largest document read, 1 to :data:`LARGEST_INPUT_BYTES`.

    Raises:
        InvalidScenario: ``file_not_found``, ``not_a_file``, ``input_too_large``,
            ``invalid_json``, ``invalid_toml``, ``float_refused`` or ``too_deep``.
        InvalidInput: ``invalid_input`` for a *max_bytes* out of its range.
    """
    return decode_document(*read_text(path, error, max_bytes), error)


def read_text(
    path: str | Path, error: type[InvalidInput], max_bytes: int = MAX_INPUT_BYTES
) -> tuple[str, bool, str]:
    """The text at *path*, whether it is JSON, and the name to give it in errors: the reading
    half of :func:`read_document` (the same arguments and refusals, but for the decoding's)."""
    check_max_bytes(max_bytes)
    if not isinstance(path, str | Path) or not str(path) or "\0" in str(path):
        raise error("file_not_found", "the path must be a file name or '-'", field="path")
    name = str(path)
    if name == STDIN:
        raw = _bounded(sys.stdin.buffer, name, error, max_bytes)
        as_json = raw.lstrip()[:1] == b"{"
    else:
        raw = _read_file(name, error, max_bytes)
        as_json = Path(name).suffix.lower() == ".json"
    # The bytes go when this returns: a large file's values are built from the text alone.
    return _text(raw, as_json, name, error), as_json, name


def decode_document(text: str, as_json: bool, name: str, error: type[InvalidInput]) -> Any:
    """The document *text* decoded and its nesting measured: the decoding half of
    :func:`read_document`."""
    data = _decode(text, as_json, name, error)
    if depth_of(data) > MAX_DEPTH:
        raise error(
            "too_deep",
            f"{name} nests deeper than {MAX_DEPTH} levels of tables and lists",
            field=name,
        )
    return data


def check_max_bytes(max_bytes: object) -> int:
    """*max_bytes* if it is a whole number of bytes from 1 to :data:`LARGEST_INPUT_BYTES`.

    Raises:
        InvalidInput: ``invalid_input`` naming ``max_bytes``.
    """
    if type(max_bytes) is not int or not 1 <= max_bytes <= LARGEST_INPUT_BYTES:
        raise InvalidInput(
            "invalid_input",
            f"max_bytes must be a whole number of bytes from 1 to {LARGEST_INPUT_BYTES} "
            f"(1 GiB), got {max_bytes!r}",
            field="max_bytes",
            value=repr(max_bytes)[:64],
        )
    return max_bytes


def _read_file(name: str, error: type[InvalidInput], max_bytes: int) -> bytes:
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as failure:
        raise error(
            "file_not_found", f"{name} cannot be read ({failure.strerror})", field=name
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise error(
                "not_a_file",
                f"{name} is not a regular file (a directory, FIFO or device); "
                "use '-' to read standard input",
                field=name,
            )
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            return _bounded(file, name, error, max_bytes)
    except OSError as failure:
        raise error(
            "file_not_found", f"{name} cannot be read ({failure.strerror})", field=name
        ) from None
    finally:
        os.close(descriptor)


def _bounded(stream: BinaryIO, name: str, error: type[InvalidInput], max_bytes: int) -> bytes:
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise error(
            "input_too_large",
            f"{name} is larger than {_size(max_bytes)} (a larger file needs a higher bound: "
            "load(..., max_bytes=) or tuangou --max-input MIB)",
            field=name,
        )
    return raw


def _size(count: int) -> str:
    mib, rest = divmod(count, 1024 * 1024)
    return f"{mib} MiB" if not rest else f"{count} bytes"


def _text(raw: bytes, as_json: bool, name: str, error: type[InvalidInput]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as failure:
        kind = "invalid_json" if as_json else "invalid_toml"
        raise error(kind, f"{name} is not UTF-8 text ({failure.reason})", field=name) from None


def _decode(text: str, as_json: bool, name: str, error: type[InvalidInput]) -> Any:
    try:
        if as_json:
            return json.loads(text, parse_float=refuse_float(error))
        return tomllib.loads(text)
    except InvalidInput:
        raise
    except RecursionError:
        raise error(
            "too_deep", f"{name} nests deeper than {MAX_DEPTH} levels", field=name
        ) from None
    except json.JSONDecodeError as failure:
        raise error("invalid_json", f"{name} is not valid JSON: {failure}", field=name) from None
    except tomllib.TOMLDecodeError as failure:
        raise error("invalid_toml", f"{name} is not valid TOML: {failure}", field=name) from None
    except ValueError as failure:  # e.g. an integer of more than 4300 digits
        kind = "invalid_json" if as_json else "invalid_toml"
        raise error(kind, f"{name} cannot be read: {str(failure)[:120]}", field=name) from None


def refuse_float(error: type[InvalidInput]) -> Any:
    def refuse(text: str) -> Any:
        raise error(
            "float_refused",
            f"a number {text[:40]} is a float; write amounts and rates as decimal strings "
            'like "12.34"',
            field="a number",
            value=text[:40],
        )

    return refuse
