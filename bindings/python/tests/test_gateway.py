"""The asyncio gateway of examples/python over a real loopback socket: virtual DNY piles connect,
register, are started by the platform, settle, and each session ends with its bill."""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal
from typing import Any

import pilekit
from conftest import PLANS, REPO, T0, dny

sys.path.insert(0, str(REPO / "examples" / "python"))

import gateway  # noqa: E402


class FakeClock:
    """Unix seconds the test moves on."""

    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


class VirtualPile:
    """A DNY pile on a TCP connection, played with `pilekit.encode`."""

    def __init__(self, number: int) -> None:
        self.hex = f"{(5 << 24) | number:08X}"
        self.id = f"05-{number:08d}"
        self.physical_id: dict[str, Any] = {
            "hex": self.hex, "class": {"name": "ten_way", "code": 5}, "number": number,
        }
        self.decoder = pilekit.StreamDecoder(dialect="dny")
        self.pending: list[pilekit.Frame] = []

    async def connect(self, port: int) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)

    async def send(self, message_id: int, name: str, frame_type: int, **fields: Any) -> None:
        data = dny(message_id, name, frame_type, self.physical_id, **fields)
        # in two writes, split inside the frame, as TCP may deliver it
        self.writer.write(data[:9])
        await self.writer.drain()
        self.writer.write(data[9:])
        await self.writer.drain()

    async def receive(self) -> pilekit.Frame:
        """The next frame the gateway sends."""
        while not self.pending:
            data = await asyncio.wait_for(self.reader.read(4096), 5)
            assert data, "the gateway closed the connection"
            for record in self.decoder.feed(data):
                assert isinstance(record, pilekit.Frame), record
                self.pending.append(record)
        return self.pending.pop(0)

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def next_note(gw: gateway.Gateway, kind: str) -> pilekit.Notification:
    while True:
        note = await asyncio.wait_for(gw.notifications.get(), 5)
        if note.kind == kind:
            return note


async def charge(gw: gateway.Gateway, clock: FakeClock, pile: VirtualPile, port: int,
                 order: str, minutes: int) -> pilekit.Notification:
    """One session on a pile already registered: start, accept, settle; the ended note."""
    order_hex = order.encode().ljust(16, b"\0").hex().upper()
    gw.start(pile.hex, port, {"order": order,
                              "payment": {"method": "prepaid", "amount_yuan": Decimal("1")}})
    start = await pile.receive()
    assert (start.name, start.port, start.order_number) == ("start_stop", port, order_hex)
    assert start.duration_or_energy == 14400
    await pile.send(0x0101, "start_stop_reply", 0x82, result={"name": "ok", "code": 0},
                    order_number=order_hex, port=port)
    started = await next_note(gw, "session_started")
    assert started.order == order
    clock.now += minutes * 60
    await pile.send(50, "settlement", 0x03, duration_s=minutes * 60, max_power_w=189.0,
                    energy_kwh=0.38, port=port, start_mode={"name": "online", "code": 1},
                    card_id="00000000", stop_reason={"name": "battery_full", "code": 1},
                    order_number=order_hex)
    reply = await pile.receive()
    assert reply.name == "settlement_reply"
    return await next_note(gw, "session_ended")


def test_piles_connect_over_loopback_and_sessions_settle_with_their_bills() -> None:
    async def scenario() -> None:
        plan = pilekit.Plan.from_json((PLANS / "one-yuan-four-hours.json").read_text())
        clock = FakeClock(T0)
        # the virtual piles send no heartbeats: they stay online for a day of silence
        config = {"offline_after_s": [35, 86_400, 180]}
        gw = gateway.Gateway(plan, config=config, clock=clock, verbose=False)
        server = await gw.serve("127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        piles = [VirtualPile(11220795), VirtualPile(11220796)]
        for pile in piles:
            await pile.connect(port)
            await pile.send(1, "register", 0x20, firmware_version=105, port_count=10,
                            virtual_id=0, device_type=5, work_mode=0)
            assert (await pile.receive()).name == "register_reply"
            online = await next_note(gw, "pile_online")
            assert online.pile == pile.id
        # 152 minutes of "1 yuan per 240 minutes", half up to the fen: 0.63, 0.37 back
        first = await charge(gw, clock, piles[0], 3, "Q1", 152)
        assert (first.pile, first.port, first.order) == (piles[0].id, 3, "Q1")
        assert first.bill["total_yuan"] == Decimal("0.63")
        assert first.bill["refund_yuan"] == Decimal("0.37")
        # 60 minutes: 0.25, 0.75 back
        second = await charge(gw, clock, piles[1], 7, "Q2", 60)
        assert (second.pile, second.port) == (piles[1].id, 7)
        assert second.bill["total_yuan"] == Decimal("0.25")
        assert second.bill["refund_yuan"] == Decimal("0.75")
        assert gw.station.open_sessions() == 0
        await piles[0].close()
        offline = await next_note(gw, "pile_offline")
        assert offline.pile == piles[0].id
        await piles[1].close()
        await next_note(gw, "pile_offline")
        server.close()
        await server.wait_closed()

    asyncio.run(scenario())
