"""pilekit: the protocol, session and billing core of community charging piles.

Decode and encode the frames of YKC car piles and AP3000 "DNY" and JUY e-bike piles, price
sessions under any community tariff, and run the sans-IO session engine.

>>> import pilekit
>>> frame = pilekit.decode(bytes.fromhex("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A"))[0]
>>> frame.name, frame.pile_code
('heartbeat', '32010200000001')

Amounts (money, energy and every other decimal quantity) are :class:`decimal.Decimal` on
attribute access, instants aware :class:`datetime.datetime`; ``to_dict()`` gives the canonical
form itself, the record ``pilekit decode --json`` prints.
"""

from __future__ import annotations

from ._pilekit import (
    Bill,
    Error,
    Frame,
    Notification,
    Plan,
    Quote,
    Skipped,
    Station,
    StreamDecoder,
    __version__,
    decode,
    decode_capture,
    decode_frame,
    encode,
    parse_time,
)
from .errors import (
    BillingError,
    DecodeError,
    EncodeError,
    PileError,
    PlanError,
    SessionError,
)

__all__ = [
    "Bill",
    "BillingError",
    "DecodeError",
    "EncodeError",
    "Error",
    "Frame",
    "Notification",
    "PileError",
    "Plan",
    "PlanError",
    "Quote",
    "SessionError",
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
