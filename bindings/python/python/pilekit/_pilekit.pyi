"""The native module of pilekit: decoding, encoding, tariffs and the session engine."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, final

__all__ = [
    "Bill",
    "Error",
    "Frame",
    "Notification",
    "Plan",
    "Quote",
    "Skipped",
    "Station",
    "StreamDecoder",
    "__version__",
    "decode",
    "decode_capture",
    "decode_frame",
    "encode",
    "parse_time",
]

__version__: str

_Dialect = Literal["auto", "ykc", "dny", "juy"]
_Amount = Decimal | int | float | str
_Time = datetime | str | int

@final
class Frame:
    """A decoded frame (or DNY module text, with ``item``); fields are attributes."""

    @property
    def offset(self) -> int:
        """The byte offset of the frame in the decoded input."""
    def to_dict(self) -> dict[str, Any]:
        """The canonical form, equal to ``json.loads`` of ``pilekit decode --json``'s line."""
    def to_json(self) -> str:
        """The canonical form as one line of JSON."""
    def encode(self) -> bytes:
        """The frame's bytes, encoded again."""
    def listing(self) -> str:
        """The readable listing, as ``pilekit decode`` prints it."""
    def __getattr__(self, name: str) -> Any:
        """A field: amounts ``Decimal``, instants aware ``datetime``."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Error:
    """A frame that could not be decoded (a record of the stream, not an exception)."""

    @property
    def kind(self) -> str:
        """What went wrong, a stable snake_case name."""
    @property
    def offset(self) -> int | None:
        """The byte offset of the problem, where there is one."""
    @property
    def field(self) -> str | None:
        """The field the problem is in, when known."""
    @property
    def message(self) -> str:
        """What is wrong, for people."""
    @property
    def line(self) -> int | None:
        """The line of a text input the problem is on, counted from 1."""
    def to_dict(self) -> dict[str, Any]:
        """``{"kind", "offset", "field", "message"}``."""
    def exception(self) -> Exception:
        """The ``DecodeError`` of this record, to raise."""

@final
class Skipped:
    """Bytes that were not part of any frame."""

    @property
    def offset(self) -> int:
        """The byte offset of the first skipped byte."""
    @property
    def len(self) -> int:
        """How many bytes."""
    @property
    def reason(self) -> Error | None:
        """Why the first frame candidate in them was rejected, if one was."""
    def to_dict(self) -> dict[str, Any]:
        """``{"skipped": {"offset", "len", "reason"}}``."""

def decode(
    data: bytes | bytearray | memoryview, dialect: _Dialect = "auto", strict: bool = True
) -> list[Frame]:
    """Every frame in ``data``; raises ``DecodeError`` at the first bytes that are not one."""

def decode_capture(
    data: str | bytes | bytearray | memoryview,
    dialect: _Dialect = "auto",
    strict: bool = True,
    format: Literal["auto", "hex", "binary"] = "auto",
) -> list[Frame | Skipped | Error]:
    """Every record of a capture, raw or hex text with log prefixes, in order."""

def decode_frame(
    data: bytes | bytearray | memoryview, dialect: _Dialect = "auto", strict: bool = True
) -> Frame:
    """Exactly one frame; bytes after it are ``trailing_bytes``."""

def encode(record: dict[str, Any] | str) -> bytes:
    """The bytes of a record in canonical form (a dict or its JSON text)."""

def parse_time(text: str, utc_offset_s: int = 28800) -> datetime:
    """ISO 8601 text or Unix seconds as an aware ``datetime``."""

@final
class StreamDecoder:
    """A stream decoder for one connection."""

    def __new__(cls, dialect: _Dialect = "auto", strict: bool = True) -> StreamDecoder: ...
    def feed(self, data: bytes | bytearray | memoryview) -> list[Frame | Skipped | Error]:
        """The records a chunk completes, in stream order."""
    def finish(self) -> list[Frame | Skipped | Error]:
        """The last records at the end of the stream."""
    @property
    def buffered(self) -> int:
        """Bytes held, waiting for the rest of a frame."""
    @property
    def position(self) -> int:
        """Total bytes fed so far."""
    @property
    def dialect(self) -> str | None:
        """The dialect of the stream once known."""
    def snapshot(self) -> bytes:
        """The decoder's whole state."""
    @staticmethod
    def restore(snapshot: bytes) -> StreamDecoder:
        """A decoder from a snapshot."""

@final
class Plan:
    """A tariff plan, read and checked."""

    @staticmethod
    def from_json(text: str) -> Plan:
        """A plan from its JSON text; raises ``PlanError``."""
    @staticmethod
    def from_dict(value: dict[str, Any]) -> Plan:
        """A plan from its canonical dict; raises ``PlanError``."""
    @property
    def utc_offset_s(self) -> int:
        """The plan's UTC offset in seconds."""
    def quote(self, prepaid_yuan: _Amount, power_w: _Amount | None = None) -> Quote:
        """What a prepayment buys."""
    def bill(
        self,
        start: _Time,
        end: _Time,
        *,
        power_w: _Amount | None = None,
        energy_kwh: _Amount | None = None,
        samples: list[dict[str, Any]] | None = None,
        prepaid_yuan: _Amount | None = None,
        coins: bool = False,
        card_expires: _Time | None = None,
        uses: int | None = None,
    ) -> Bill:
        """The itemised bill of a session."""
    def to_dict(self) -> dict[str, Any]:
        """The canonical form of the plan."""
    def to_json(self) -> str:
        """The canonical form as one line of JSON."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Quote:
    """What a prepayment buys; fields are attributes (amounts ``Decimal``)."""

    def to_dict(self) -> dict[str, Any]:
        """The canonical form."""
    def to_json(self) -> str:
        """The canonical form as one line of JSON."""
    def text(self) -> str:
        """The quote for people."""
    def __getattr__(self, name: str) -> Any:
        """A field: amounts ``Decimal``."""

@final
class Bill:
    """An itemised bill; fields are attributes (money and energy ``Decimal``)."""

    @property
    def start(self) -> datetime:
        """When the session started, in the plan's offset."""
    @property
    def end(self) -> datetime:
        """When the session ended, in the plan's offset."""
    def to_dict(self) -> dict[str, Any]:
        """The canonical form, as ``pilekit bill --json`` prints it."""
    def to_json(self) -> str:
        """The canonical form as one line of JSON."""
    def receipt(self) -> str:
        """The bilingual receipt."""
    def __getattr__(self, name: str) -> Any:
        """A field: money and energy ``Decimal``."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Notification:
    """Something the station tells the platform; fields are attributes."""

    @property
    def kind(self) -> str:
        """The notification's name (``pile_online``, ``session_ended``, ...)."""
    def to_dict(self) -> dict[str, Any]:
        """The canonical form."""
    def to_json(self) -> str:
        """The canonical form as one line of JSON."""
    def __getattr__(self, name: str) -> Any:
        """A field: amounts ``Decimal``, times aware ``datetime``."""

@final
class Station:
    """A sans-IO engine for many piles."""

    def __new__(cls, plan: Plan, config: dict[str, Any] | None = None) -> Station: ...
    def connect(self, now: datetime | int) -> int:
        """A new link for a new connection."""
    def disconnect(self, link: int, now: datetime | int) -> None:
        """The connection of ``link`` closed."""
    def handle_bytes(self, link: int, data: bytes, now: datetime | int) -> None:
        """Bytes from a link, in any chunking."""
    def handle_timeout(self, now: datetime | int) -> None:
        """Runs what is due at ``now``."""
    def start(self, pile: str, port: int, request: dict[str, Any], now: datetime | int) -> None:
        """Starts a charge; raises ``SessionError`` for refusals seen at once."""
    def stop(self, pile: str, port: int, now: datetime | int) -> None:
        """Stops the charge on a port."""
    def answer_card(
        self,
        pile: str,
        port: int | None,
        card: int | dict[str, Any],
        accepted: bool,
        balance_yuan: _Amount,
        now: datetime | int,
    ) -> None:
        """Answers a card swipe."""
    def site_alarm(self, piles: list[str], active: bool, now: datetime | int) -> None:
        """The site's fire-control host raised or cleared an alarm for a group of piles."""
    def clear_alarm(self, pile: str) -> None:
        """Clears a pile's safety alarm."""
    def set_plan(self, plan: Plan, now: datetime | int, pile: str | None = None) -> int:
        """Sets the plan for new sessions; returns its version."""
    def poll_transmit(self) -> tuple[int, bytes] | None:
        """The next ``(link, bytes)`` to write."""
    def poll_notification(self) -> Notification | None:
        """The next notification."""
    def poll_timeout(self) -> datetime | None:
        """When to call ``handle_timeout`` next."""
    def is_online(self, pile: str) -> bool:
        """Whether the pile is known and online."""
    def piles(self) -> list[str]:
        """The piles the station knows."""
    def open_sessions(self) -> int:
        """The number of sessions open."""
    def snapshot(self) -> bytes:
        """The station's whole state."""
    @staticmethod
    def restore(snapshot: bytes) -> Station:
        """A station from a snapshot."""
