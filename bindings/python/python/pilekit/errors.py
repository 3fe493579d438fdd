"""The exceptions of pilekit: one tree under :class:`PileError`.

::

    PileError                      .kind .offset .field .message
    ├── DecodeError   (ValueError) bytes that are not a valid frame
    ├── EncodeError   (ValueError) a record that cannot be written as bytes
    ├── PlanError     (ValueError) a plan that is not valid (``.field`` names the key)
    ├── BillingError  (ValueError) a quote or bill that cannot be made as asked
    └── SessionError               a station call that cannot be carried out

``kind`` is a stable snake_case name (``checksum_mismatch``, ``unknown_key``, ...), ``offset``
the byte offset of the problem in the input where there is one, ``field`` the field or key.
"""

from __future__ import annotations

__all__ = [
    "PileError",
    "DecodeError",
    "EncodeError",
    "PlanError",
    "BillingError",
    "SessionError",
]


class PileError(Exception):
    """An error of pilekit. ``str(e)`` reads ``at byte 15: checksum mismatch ...``."""

    kind: str
    """What went wrong, a stable snake_case name."""
    offset: int | None
    """The byte offset of the problem in the input, where there is one."""
    field: str | None
    """The field, key or argument the problem is in, when known."""
    message: str
    """What is wrong, for people, without the offset."""

    def __init__(
        self,
        text: str,
        *,
        kind: str,
        offset: int | None = None,
        field: str | None = None,
        message: str | None = None,
    ) -> None:
        super().__init__(text)
        self.kind = kind
        self.offset = offset
        self.field = field
        self.message = text if message is None else message


class DecodeError(PileError, ValueError):
    """Bytes that are not a valid frame (``truncated``, ``checksum_mismatch``, ...)."""


class EncodeError(PileError, ValueError):
    """A record that cannot be written as bytes (``not_representable``, ``invalid_json``, ...)."""


class PlanError(PileError, ValueError):
    """A plan that is not valid: ``unknown_key`` (``field`` names the key) or ``invalid_plan``."""


class BillingError(PileError, ValueError):
    """A quote or bill that cannot be made as asked (``invalid_usage``, ``refused``, ...)."""


class SessionError(PileError):
    """A station call that cannot be carried out: ``kind`` is ``unknown_pile``, ``offline``,
    ``no_session``, ``refused`` (``refusal`` says why: ``port_busy``, ``pile_offline``, ...) or
    ``invalid_value`` (an argument that is not valid)."""

    refusal: str | None
    """Why a start was refused, for ``kind == "refused"``."""

    def __init__(
        self,
        text: str,
        *,
        kind: str,
        offset: int | None = None,
        field: str | None = None,
        message: str | None = None,
        refusal: str | None = None,
    ) -> None:
        super().__init__(text, kind=kind, offset=offset, field=field, message=message)
        self.refusal = refusal
