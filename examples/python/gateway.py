"""An asyncio TCP gateway for charging piles: piles connect, the gateway decodes what they send
with a ``StreamDecoder`` (to log it), drives a ``Station`` with the same bytes, writes the
station's answers back to each pile and prints the station's notifications.

Run it::

    python examples/python/gateway.py --plan examples/plans/one-yuan-four-hours.json --port 8767

The station is sans-IO: every call takes the time, so the gateway passes its clock (the wall
clock, or any callable returning Unix seconds, as the tests do) and arms one timer at the
station's ``poll_timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pilekit

Clock = Callable[[], int]


def wall_clock() -> int:
    """Unix seconds now."""
    return int(time.time())


class PileConnection(asyncio.Protocol):
    """One pile's TCP connection: bytes in go to the station through the gateway."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.decoder = pilekit.StreamDecoder()
        self.link = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.link = self.gateway.attach(self)

    def data_received(self, data: bytes) -> None:
        for record in self.decoder.feed(data):
            self.gateway.log_record(self.link, record)
        self.gateway.received(self.link, data)

    def connection_lost(self, exc: Exception | None) -> None:
        for record in self.decoder.finish():
            self.gateway.log_record(self.link, record)
        self.gateway.detach(self.link)

    def write(self, data: bytes) -> None:
        """Sends bytes to the pile."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)


class Gateway:
    """The station and the connections of its piles."""

    def __init__(
        self,
        plan: pilekit.Plan,
        *,
        config: dict[str, Any] | None = None,
        clock: Clock = wall_clock,
        verbose: bool = True,
    ) -> None:
        self.station = pilekit.Station(plan, config)
        self.clock = clock
        self.verbose = verbose
        self.connections: dict[int, PileConnection] = {}
        self.notifications: asyncio.Queue[pilekit.Notification] = asyncio.Queue()
        self._timer: asyncio.TimerHandle | None = None

    def protocol(self) -> PileConnection:
        """A protocol instance for a new connection (the factory for ``create_server``)."""
        return PileConnection(self)

    def attach(self, conn: PileConnection) -> int:
        """A new connection: returns its link."""
        link = self.station.connect(self.clock())
        self.connections[link] = conn
        return link

    def received(self, link: int, data: bytes) -> None:
        """Bytes from a pile."""
        self.station.handle_bytes(link, data, self.clock())
        self.flush()

    def detach(self, link: int) -> None:
        """A connection closed."""
        self.connections.pop(link, None)
        self.station.disconnect(link, self.clock())
        self.flush()

    def start(self, pile: str, port: int, request: dict[str, Any]) -> None:
        """Starts a charge (raises ``pilekit.SessionError`` for refusals seen at once)."""
        self.station.start(pile, port, request, self.clock())
        self.flush()

    def stop(self, pile: str, port: int) -> None:
        """Stops a charge."""
        self.station.stop(pile, port, self.clock())
        self.flush()

    def flush(self) -> None:
        """Writes what the station has to send, hands on its notifications, re-arms the timer."""
        while (out := self.station.poll_transmit()) is not None:
            link, data = out
            conn = self.connections.get(link)
            if conn is not None:
                conn.write(data)
        while (note := self.station.poll_notification()) is not None:
            if self.verbose:
                print(f"notification {note.kind}: {note.to_json()}")
            self.notifications.put_nowait(note)
        self._arm()

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        due = self.station.poll_timeout()
        if due is not None:
            delay = max(0.0, due.timestamp() - self.clock())
            self._timer = asyncio.get_running_loop().call_later(delay, self._timeout)

    def _timeout(self) -> None:
        self._timer = None
        self.station.handle_timeout(self.clock())
        self.flush()

    def log_record(self, link: int, record: pilekit.Frame | pilekit.Skipped | pilekit.Error) -> None:
        """Prints a record a pile sent."""
        if not self.verbose:
            return
        if isinstance(record, pilekit.Frame):
            name = record.to_dict().get("name") or record.to_dict().get("item")
            print(f"link {link} @{record.offset}: {record.dialect} {name}")
        elif isinstance(record, pilekit.Skipped):
            print(f"link {link} @{record.offset}: {record.len} bytes that are not a frame")
        else:
            print(f"link {link}: {record.kind} at byte {record.offset}: {record.message}")

    async def serve(self, host: str, port: int) -> asyncio.Server:
        """Listens for piles."""
        loop = asyncio.get_running_loop()
        return await loop.create_server(self.protocol, host, port)


async def main() -> None:
    """Runs the gateway until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--plan", type=Path, required=True, help="the tariff plan (JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    gateway = Gateway(pilekit.Plan.from_json(args.plan.read_text()))
    server = await gateway.serve(args.host, args.port)
    addresses = ", ".join(str(s.getsockname()) for s in server.sockets)
    print(f"listening on {addresses}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
