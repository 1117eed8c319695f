"""The one family of errors tuangou_core raises.

Every error is a :class:`TuangouError` (itself a :class:`ValueError`) with a stable
snake_case ``code`` a backend can map to a response, a message a person can act on, and the
structured fields behind the message (``field``, ``value`` and whatever the raiser names).

The subclasses say what kind of wrong it was:

- :class:`InvalidInput`: a value that cannot be what it claims (a float amount, junk text).
  A backend maps it to 422.
- :class:`InvalidRule`: a campaign or policy that cannot be run as written. Raised when the
  campaign is built, never when a customer pays.
- :class:`Rejected`: a well-formed command that the rules refuse (a full group). Nothing
  changed. A backend maps it to 409.
- :class:`Conflict`: a command that contradicts what already happened (the same payment id
  with another amount). Also a :class:`Rejected`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Conflict", "InvalidInput", "InvalidRule", "Rejected", "TuangouError"]


class TuangouError(ValueError):
    """The root of every error the library raises.

    Args:
        code: a stable snake_case identifier, e.g. ``"group_full"``.
        message: what went wrong, naming the field or value at fault.
        **fields: structured context, e.g. ``field="tier.size"``, ``value=1``.

    Attributes:
        code: the stable identifier.
        message: the human message (also ``str(error)``).
        fields: the structured context, a plain dict.
    """

    default_code = "tuangou_error"

    def __init__(self, code: str | None = None, message: str = "", **fields: Any) -> None:
        self.code = code or self.default_code
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
        extra = "".join(f", {k}={v!r}" for k, v in self.fields.items())
        return f"{type(self).__name__}({self.code!r}, {self.message!r}{extra})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.code, self.message, self.fields))


def _rebuild(
    cls: type[TuangouError], code: str, message: str, fields: dict[str, Any]
) -> TuangouError:
    return cls(code, message, **fields)


class InvalidInput(TuangouError):
    """A value that is not what it must be: a float amount, junk text, a naive datetime."""

    default_code = "invalid_input"


class InvalidRule(InvalidInput):
    """A campaign, discount or policy that cannot be run as written."""

    default_code = "invalid_rule"


class Rejected(TuangouError):
    """A command that the rules refuse; nothing changed."""

    default_code = "rejected"


class Conflict(Rejected):
    """A command that contradicts a fact already recorded (e.g. a reused payment id)."""

    default_code = "conflict"
