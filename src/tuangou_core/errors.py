"""The one family of errors tuangou_core raises.

Every error is a :class:`TuangouError` with a stable snake_case ``code`` (an
:class:`ErrorCode`) a backend can map to a response, a message a person can act on, and the
structured fields behind the message (``field``, ``value`` and whatever the raiser names).

The subclasses say what kind of wrong it was, and each states the HTTP status a backend would
answer with (``http_status``):

- :class:`InvalidInput` (a ``ValueError``): a value that cannot be what it claims (a float
  amount, junk text). 422.
- :class:`InvalidRule`: a campaign or policy that cannot be run as written. Raised when the
  campaign is built, never when a customer pays. 422.
- :class:`Rejected` (a ``ValueError``): a well-formed command that the rules refuse (a full
  group). Nothing changed. 409.
- :class:`Conflict`: a command that contradicts what already happened (the same payment id
  with another amount). Also a :class:`Rejected`. 409.
- :class:`InternalError` (a ``RuntimeError``, not a ``ValueError``): the library broke its
  own rules — a bug, never the caller's mistake, so no ``except ValueError`` treats it as a
  refused command. 500.
"""

from __future__ import annotations

import reprlib
from typing import Any, ClassVar

from tuangou_core._codes import ErrorCode

__all__ = [
    "Conflict",
    "ErrorCode",
    "InternalError",
    "InvalidInput",
    "InvalidRule",
    "Rejected",
    "TuangouError",
]


class TuangouError(Exception):
    """The root of every error the library raises.

    Args:
        code: an :class:`ErrorCode` or its string, e.g. ``"group_full"``; the class's
            ``default_code`` when omitted.
        message: what went wrong, naming the field or value at fault.
        **fields: structured context, e.g. ``field="tier.size"``, ``value=1``.

    Attributes:
        code: the :class:`ErrorCode` (a ``str``: it compares equal to its text).
        message: the human message (also ``str(error)``).
        fields: the structured context, a plain dict.
        http_status: the status a backend would answer with, per class.

    Raises:
        InternalError: ``unknown_error_code`` for a code that is not an :class:`ErrorCode`.
    """

    default_code: ClassVar[str] = "internal_error"
    http_status: ClassVar[int] = 500

    def __init__(self, code: str | None = None, message: str = "", **fields: Any) -> None:
        try:
            self.code = ErrorCode(code or self.default_code)
        except ValueError:
            raise InternalError(
                "unknown_error_code", f"{code!r} is not an ErrorCode", value=code
            ) from None
        self.message = message or self.code.replace("_", " ")
        self.fields = fields
        super().__init__(self.message)

    def __getattr__(self, name: str) -> Any:
        # Structured fields read as attributes (error.field, error.group) for convenience.
        fields = self.__dict__.get("fields", {})
        if name in fields:
            return fields[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        # Field values are shown bounded: a caller's junk (a list nested a thousand deep, a
        # megabyte of text) must not make the repr of its own refusal fail or flood a log.
        extra = "".join(f", {k}={_FIELD_REPR.repr(v)}" for k, v in self.fields.items())
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r}{extra})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.code.value, self.message, self.fields))


class _BoundedRepr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        return repr(x) if x.bit_length() <= 256 else f"<int of {x.bit_length()} bits>"


_FIELD_REPR = _BoundedRepr()
_FIELD_REPR.maxlevel = 4
_FIELD_REPR.maxstring = _FIELD_REPR.maxother = 200
_FIELD_REPR.maxlist = _FIELD_REPR.maxtuple = _FIELD_REPR.maxdict = _FIELD_REPR.maxset = 10


def _rebuild(
    cls: type[TuangouError], code: str, message: str, fields: dict[str, Any]
) -> TuangouError:
    return cls(code, message, **fields)


class InvalidInput(TuangouError, ValueError):
    """A value that is not what it must be: a float amount, junk text, a naive datetime."""

    default_code = "invalid_input"
    http_status = 422


class InvalidRule(InvalidInput):
    """A campaign, discount or policy that cannot be run as written."""

    default_code = "invalid_rule"


class Rejected(TuangouError, ValueError):
    """A command that the rules refuse; nothing changed."""

    default_code = "rejected"
    http_status = 409


class Conflict(Rejected):
    """A command that contradicts a fact already recorded (e.g. a reused payment id)."""

    default_code = "conflict"


class InternalError(TuangouError, RuntimeError):
    """The library broke one of its own rules: a bug to report, never the caller's mistake."""

    default_code = "internal_error"
    http_status = 500
