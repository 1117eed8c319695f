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
"""The largest scenario read (16 MiB): a hundred thousand events fit in a few."""

STDIN: Final = "-"


def read_document(path: str | Path, error: type[InvalidInput]) -> Any:
    """The decoded document at *path* (``.json`` as JSON, anything else as TOML; ``-`` reads
    standard input, JSON when it starts with ``{``).

    Args:
        path: a regular file, or ``-``.
        error: the error class to raise (``InvalidScenario``).

    Raises:
        InvalidScenario: ``file_not_found``, ``not_a_file``, ``input_too_large``,
            ``invalid_json``, ``invalid_toml``, ``float_refused`` or ``too_deep``.
    """
    if not isinstance(path, str | Path) or not str(path) or "\0" in str(path):
        raise error("file_not_found", "the path must be a file name or '-'", field="path")
    name = str(path)
    if name == STDIN:
        raw = _bounded(sys.stdin.buffer, name, error)
        as_json = raw.lstrip()[:1] == b"{"
    else:
        raw = _read_file(name, error)
        as_json = Path(name).suffix.lower() == ".json"
    text = _text(raw, as_json, name, error)
    del raw  # a large file's bytes go before its values are built from the text
    data = _decode(text, as_json, name, error)
    if depth_of(data) > MAX_DEPTH:
        raise error(
            "too_deep",
            f"{name} nests deeper than {MAX_DEPTH} levels of tables and lists",
            field=name,
        )
    return data


def _read_file(name: str, error: type[InvalidInput]) -> bytes:
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
            return _bounded(file, name, error)
    except OSError as failure:
        raise error(
            "file_not_found", f"{name} cannot be read ({failure.strerror})", field=name
        ) from None
    finally:
        os.close(descriptor)


def _bounded(stream: BinaryIO, name: str, error: type[InvalidInput]) -> bytes:
    raw = stream.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise error(
            "input_too_large",
            f"{name} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB",
            field=name,
        )
    return raw


def _text(raw: bytes, as_json: bool, name: str, error: type[InvalidInput]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as failure:
        kind = "invalid_json" if as_json else "invalid_toml"
        raise error(kind, f"{name} is not UTF-8 text ({failure.reason})", field=name) from None


def _decode(text: str, as_json: bool, name: str, error: type[InvalidInput]) -> Any:
    try:
        if as_json:
            return json.loads(text, parse_float=_refuse_float(error))
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


def _refuse_float(error: type[InvalidInput]) -> Any:
    def refuse(text: str) -> Any:
        raise error(
            "float_refused",
            f"a number {text[:40]} is a float; write amounts and rates as decimal strings "
            'like "12.34"',
            field="a number",
            value=text[:40],
        )

    return refuse
