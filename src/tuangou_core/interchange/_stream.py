"""Reading a JSON scenario's events one at a time, so a million are never all decoded at once.

``json.loads`` of a million-event day builds every event's table before the first command is
read: about six times the file's size (700 MiB for 112 MiB). A scenario whose ``events`` list
is its last key is read here instead: the keys before it are decoded as usual, and each event
is decoded when the parser asks for it, its table let go once its command is built.

The streamed reading only ever gives the answer the whole reading gives. Anything it is not
sure of (a document that is not an object, keys after ``events``, a syntax error, a float, a
table nested too deep, an absurd number) sends the caller back to the whole reading, which
raises exactly the error it always did: a result comes from the stream only when the document
is well-formed JSON with ``events`` last.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Final, cast

from tuangou_core._validators import MAX_DEPTH, depth_of
from tuangou_core.errors import TuangouError

# JSON's own four whitespace characters; a pattern that matches the empty text always matches.
_BLANK: Final = cast(Callable[[str, int], re.Match[str]], re.compile(r"[ \t\n\r]*").match)
_SPACES: Final = frozenset(" \t\n\r")
_EVENT_DEPTH: Final = MAX_DEPTH - 2  # under the document's table and the events list
_SCALARS: Final = (str, int)
# What decoding a value may raise on input the whole reading refuses: a syntax error
# (JSONDecodeError is a ValueError; a value missing is StopIteration), too many digits
# (ValueError), nesting past the interpreter's limit (RecursionError), a float (the decoder's
# own refusal, a TuangouError).
_UNSURE: Final = (ValueError, RecursionError, StopIteration, TuangouError)


class Fallback(Exception):  # a signal between two private callers, never raised to a user
    """The streamed reading cannot vouch for the document: read it whole instead."""


class EventStream:
    """The events of a JSON scenario, decoded one table at a time as they are iterated.

    Iterating raises :class:`Fallback` where the whole reading would refuse the document (or
    would read it differently); once iteration ends, :attr:`last` says whether the events list
    closed the document, so that what was read is all the document says.
    """

    __slots__ = ("_closed", "_items")

    def __init__(self, text: str, start: int, scan: Callable[[str, int], tuple[Any, int]]) -> None:
        # The reading sets the flag in a list of its own, not on the stream: a generator that
        # held its stream would make a cycle keeping the whole text alive until collected.
        self._closed = [False]
        self._items = _read(text, start, scan, self._closed)

    def __iter__(self) -> Iterator[Any]:
        return self._items

    @property
    def last(self) -> bool:
        """Whether the events list, read to its end, closed the document."""
        return self._closed[0]

    def finish(self) -> bool:
        """Read the events not yet asked for, keeping none. Returns whether the document is
        well-formed with the events list last (so an error found on the way is the one the
        whole reading finds too)."""
        try:
            for _item in self._items:
                pass
        except Fallback:
            return False
        return self.last


def _read(
    text: str, start: int, scan: Callable[[str, int], tuple[Any, int]], closed: list[bool]
) -> Iterator[Any]:
    at = _BLANK(text, start).end()
    if text[at : at + 1] != "]":
        while True:
            try:
                item, at = scan(text, at)
            except _UNSURE:
                raise Fallback from None
            if type(item) is dict:
                # Most events are flat: a value that is not a string or a whole number
                # is what may nest, and only then is the event's depth measured.
                for value in item.values():
                    if type(value) not in _SCALARS:
                        if depth_of(item, _EVENT_DEPTH) > _EVENT_DEPTH:
                            raise Fallback
                        break
            elif depth_of(item, _EVENT_DEPTH) > _EVENT_DEPTH:
                raise Fallback
            yield item
            separator = text[at : at + 1]
            if separator in _SPACES:
                at = _BLANK(text, at).end()
                separator = text[at : at + 1]
            if separator == "]":
                break
            if separator != ",":
                raise Fallback
            at += 1
            if text[at : at + 1] in _SPACES:  # ", " as json.dumps writes it, or a new line
                at = _BLANK(text, at).end()
    at = _BLANK(text, at + 1).end()
    # Keys after the events (or a second events list) would change what the keys before
    # them mean: only a document the list closes is the stream's to answer for.
    closed[0] = text[at : at + 1] == "}" and _BLANK(text, at + 1).end() == len(text)


def stream_scenario(text: str, parse_float: Callable[[str], Any]) -> dict[str, Any] | None:
    """The JSON scenario *text* as its top-level table with ``events`` an :class:`EventStream`,
    or None when it is not an object whose ``events`` list is reached after well-formed keys.

    Args:
        text: the document.
        parse_float: the decoder's float hook (the scenario reader refuses floats).
    """
    # The C scanner behind JSONDecoder.raw_decode, without its wrapper (typeshed omits it).
    scan: Callable[[str, int], tuple[Any, int]]
    scan = json.JSONDecoder(parse_float=parse_float).scan_once  # type: ignore[attr-defined]
    head: dict[str, Any] = {}
    try:
        at = _BLANK(text, 0).end()
        if text[at : at + 1] != "{":
            return None
        at = _BLANK(text, at + 1).end()
        while text[at : at + 1] == '"':
            key, at = scan(text, at)  # a JSON string: the key
            at = _BLANK(text, at).end()
            if text[at : at + 1] != ":":
                return None
            at = _BLANK(text, at + 1).end()
            if key == "events" and text[at : at + 1] == "[":
                if depth_of(head) > MAX_DEPTH:
                    return None
                head[key] = EventStream(text, at + 1, scan)
                return head
            head[key], at = scan(text, at)
            at = _BLANK(text, at).end()
            if text[at : at + 1] != ",":
                return None
            at = _BLANK(text, at + 1).end()
    except _UNSURE:
        return None
    return None
