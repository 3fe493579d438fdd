// The package's codec against the golden vectors and the `pilekit` command.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as pk from '../pkg/node.js';
import { bytes, pilekitJson, root, vectors } from './helpers.mjs';

const HEARTBEAT = '68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A';

describe('golden vectors', () => {
  const all = vectors();

  it('there are vectors of all three dialects', () => {
    assert.ok(all.length >= 30, `${all.length} vectors`);
    assert.deepEqual([...new Set(all.map((v) => v.file))], ['dny.tsv', 'juy.tsv', 'ykc.tsv']);
  });

  for (const v of all) {
    it(`${v.file} ${v.cmd} ${v.hex.slice(0, 35)}: the CLI's decode --json record`, () => {
      const records = pk.decode(bytes(v.hex));
      assert.equal(records.length, 1);
      const [frame] = records;
      assert.equal(frame.offset, 0);
      assert.equal(frame.frame_type, parseInt(v.cmd, 16));
      assert.equal(frame.dialect, v.file.replace('.tsv', ''));
      assert.deepEqual(records, pilekitJson('decode', '--json', v.hex));
      // one-shot decode, hex text and the stream decoder agree
      assert.deepEqual(pk.decodeFrame(v.hex), frame);
      const stream = new pk.StreamDecoder();
      const half = Math.floor(v.hex.length / 6) * 3;
      const fed = [...stream.feed(v.hex.slice(0, half)), ...stream.feed(v.hex.slice(half)), ...stream.finish()];
      assert.deepEqual(fed, records);
      // and the record encodes back to the same bytes
      assert.deepEqual(pk.encode(frame), bytes(v.hex));
      assert.deepEqual(pk.encode(JSON.stringify(frame)), bytes(v.hex));
    });
  }
});

describe('decoded values', () => {
  it('a YKC heartbeat', () => {
    const f = pk.decodeFrame(HEARTBEAT);
    assert.equal(f.name, 'heartbeat');
    assert.equal(f.direction, 'up');
    assert.equal(f.seq, '0001');
    assert.equal(f.pile_code, '32010200000001');
    assert.equal(f.gun, 1);
    assert.deepEqual(f.gun_condition, { name: 'normal', code: 0 });
    assert.deepEqual(f.checksum, { kind: 'crc16_modbus', order: 'low_byte_first' });
  });

  it('a DNY heartbeat: voltage, ports, temperature', () => {
    const f = pk.decodeFrame('44 4E 59 10 00 3B 37 AB 04 01 00 21 98 08 02 00 00 09 05 EE 02');
    assert.equal(f.dialect, 'dny');
    assert.equal(f.physical_id.hex, '04AB373B');
    assert.equal(f.voltage_v, 220);
    assert.deepEqual(f.ports.map((p) => p.name), ['idle', 'idle']);
    assert.equal(f.signal, 9);
    assert.equal(f.ambient_temperature_c, -60);
  });

  it('a DNY port power report: energy, current, order number', () => {
    const f = pk.decodeFrame('44 4E 59 32 00 3B 37 AB 04 0A 00 06 01 01 10 0E 30 00 01 E8 03 B0 04 20 03 E8 03 '
      + '20 19 09 01 18 00 00 13 00 30 38 01 02 03 04 05 01 00 E8 03 98 08 C7 01 55 00 DA 08');
    assert.equal(f.name, 'port_power');
    assert.equal(f.port, 2);
    assert.equal(f.state.name, 'charging');
    assert.equal(f.duration_s, 3600);
    assert.equal(f.energy_kwh, 0.48);
    assert.equal(f.current_a, 0.455);
    assert.equal(f.order_number, '20190901180000130030380102030405');
  });

  it('a JUY login reply', () => {
    const f = pk.decodeFrame('5A A5 0C 00 81 00 00 00 00 00 00 00 00 00 F0 7D');
    assert.equal(f.name, 'login_reply');
    assert.equal(f.direction, 'down');
    assert.equal(f.result.name, 'ok_switch_to_imei_form');
  });
});

describe('streams and logs', () => {
  it('a pasted log: timestamps, RX: prefixes and comments are dropped', () => {
    const log = '# capture\n2026-12-02 08:00:01.123 RX: 68 0D 00 01 00 03 32 01\n08:00:01 RX: 02 00 00 00 01 01 00 F1 1A\n';
    const records = pk.decode(log);
    assert.equal(records.length, 1);
    assert.equal(records[0].pile_code, '32010200000001');
    assert.deepEqual(pk.parseHex(log), bytes(HEARTBEAT));
  });

  it('a broken stream: garbage and a cut-off frame are skipped runs at their offsets', () => {
    const records = pk.decode(`EE ${HEARTBEAT} 68 0D 00`);
    assert.deepEqual(records.map((r) => Object.keys(r)[0]), ['skipped', 'offset', 'skipped']);
    assert.deepEqual(records[0].skipped, { offset: 0, len: 1, reason: null });
    assert.equal(records[1].offset, 1);
    assert.equal(records[1].name, 'heartbeat');
    assert.equal(records[2].skipped.offset, 18);
    assert.equal(records[2].skipped.reason.kind, 'truncated');
  });

  it('a wrong checksum in a stream is an error record at the byte', () => {
    const records = pk.decode(HEARTBEAT.replace(/1A$/, '1B'));
    const problem = records.find((r) => r.error || r.skipped);
    const err = problem.error ?? problem.skipped.reason;
    assert.equal(err.kind, 'checksum_mismatch');
    assert.equal(err.offset, 15);
  });

  it('the shipped captures decode as the CLI decodes them', () => {
    for (const name of ['ykc-session.hex', 'dny-session.hex', 'juy-session.hex']) {
      const path = join(root, 'examples', 'captures', name);
      const records = pk.decode(readFileSync(path, 'utf8'));
      assert.ok(records.filter((r) => r.name).length >= 5, name);
      assert.deepEqual(records, pilekitJson('decode', '--json', '--file', path), name);
    }
  });

  it('a batch holds the records decode returns and builds each object on demand', () => {
    const path = join(root, 'examples', 'captures', 'ykc-session.hex');
    const text = `EE ${readFileSync(path, 'utf8')}\n68 0D 00`;
    const records = pk.decode(text);
    const batch = pk.decodeBatch(text);
    assert.equal(batch.length, records.length);
    assert.equal(batch.frameCount, records.filter((r) => r.name).length);
    assert.ok(batch.frameCount >= 5);
    for (let i = 0; i < records.length; i++) {
      assert.deepEqual(batch.get(i), records[i], `record ${i}`);
      assert.equal(batch.isFrame(i), records[i].name !== undefined);
      assert.equal(batch.name(i), records[i].name);
      assert.equal(batch.offset(i), records[i].offset ?? records[i].skipped.offset);
    }
    assert.deepEqual(batch.get(0).skipped, { offset: 0, len: 1, reason: null });
    const i = records.findIndex((r) => r.frame_type === 0x13);
    assert.equal(batch.name(i), 'real_time_data');
    assert.equal(batch.get(i).pile_code, records[i].pile_code);
    assert.equal(batch.get(i).soc_pct, records[i].soc_pct);
    assert.equal(batch.get(records.length), undefined);
    assert.equal(batch.name(records.length), undefined);
    assert.deepEqual(batch.toJSON(), records);
    assert.deepEqual(JSON.parse(JSON.stringify(batch)), JSON.parse(JSON.stringify(records)));
    batch.free();
  });

  it('a batch of every golden vector equals decode', () => {
    for (const v of vectors()) {
      const batch = pk.decodeBatch(bytes(v.hex));
      assert.equal(batch.frameCount, 1, v.hex);
      assert.deepEqual(batch.get(0), pk.decode(bytes(v.hex))[0], v.hex);
      batch.free();
    }
  });

  it('a stream decoder fed byte by byte, snapshotted mid-frame and restored', () => {
    const frame = bytes(HEARTBEAT);
    const d = new pk.StreamDecoder({ dialect: 'ykc' });
    for (const b of frame.subarray(0, 7)) assert.deepEqual(d.feed(Uint8Array.of(b)), []);
    assert.equal(d.buffered, 7);
    assert.equal(d.position, 7);
    assert.equal(d.dialect, 'ykc');
    const restored = pk.StreamDecoder.restore(d.snapshot());
    const out = restored.feed(frame.subarray(7));
    assert.equal(out.length, 1);
    assert.equal(out[0].pile_code, '32010200000001');
    assert.deepEqual(restored.finish(), []);
  });
});

describe('errors', () => {
  it('are Error objects named PileError with kind, offset and field', () => {
    assert.throws(() => pk.decodeFrame(HEARTBEAT.replace(/1A$/, '1B')), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'PileError');
      assert.equal(e.kind, 'checksum_mismatch');
      assert.equal(e.offset, 15);
      assert.equal(e.field, null);
      assert.match(e.message, /^at byte 15: checksum mismatch/);
      return true;
    });
  });

  it('hex that is not hex points at the character', () => {
    assert.throws(() => pk.parseHex('68 0D zz'), { name: 'PileError', kind: 'invalid_hex', offset: 6 });
  });

  it('unknown options and dialects are refused', () => {
    assert.throws(() => pk.decode(HEARTBEAT, { dialekt: 'ykc' }), { kind: 'invalid_json' });
    assert.throws(() => pk.decode(HEARTBEAT, { dialect: 'xyz' }), { kind: 'unknown_dialect' });
    assert.throws(() => pk.decode(HEARTBEAT, { strict: 'yes' }), { kind: 'invalid_json' });
    assert.throws(() => pk.decodeFrame(HEARTBEAT, { dialect: 'dny' }), { kind: 'bad_start', offset: 0 });
  });

  it('lenient decoding lists what it tolerated', () => {
    const f = pk.decodeFrame(HEARTBEAT.replace(/1A$/, '1B'), { strict: false, verifyChecksum: false });
    assert.equal(f.pile_code, '32010200000001');
    assert.ok(f.deviations.length >= 1);
  });
});

describe('inspection helpers', () => {
  it('field spans point at the bytes of each field', () => {
    const spans = Object.fromEntries(pk.fieldSpans(HEARTBEAT).map((s) => [s.field, [s.start, s.end]]));
    assert.deepEqual(spans.seq, [2, 4]);
    assert.deepEqual(spans.pile_code, [6, 13]);
    assert.deepEqual(spans.gun, [13, 14]);
    assert.deepEqual(spans['gun_condition.code'], [14, 15]);
  });

  it('every golden vector has spans within its frame', () => {
    for (const v of vectors()) {
      const spans = pk.fieldSpans(v.hex);
      const len = bytes(v.hex).length;
      assert.ok(spans.length >= 2, v.hex);
      assert.ok(spans.every((s) => s.start < s.end && s.end <= len), v.hex);
    }
  });

  it('the listing has units', () => {
    const text = pk.listing(HEARTBEAT);
    assert.match(text, /^ykc 0x03 heartbeat \(up\) seq 0001/);
    assert.match(text, /pile code\s+32010200000001/);
  });

  it('parseTime reads ISO text in the given offset', () => {
    assert.equal(pk.parseTime('2024-05-01T08:00'), 1714521600);
    assert.equal(pk.parseTime('2024-05-01T08:00', 0), 1714550400);
    assert.equal(pk.parseTime('2024-05-01T08:00Z'), 1714550400);
    assert.throws(() => pk.parseTime('2024-13-01T08:00'), { kind: 'invalid_time' });
  });
});

describe('decodeCapture', () => {
  it('reads a pile log as the command line does, bad lines among the records', () => {
    const log = `\ufeff# a pile log\n2026-12-02 08:00:01.123 RX: ${HEARTBEAT}\n[08:00:02] TX: zz\n${HEARTBEAT}\n`;
    const records = pk.decodeCapture(log);
    assert.equal(records.length, 3);
    assert.equal(records[0].offset, 0);
    assert.equal(records[0].name, 'heartbeat');
    assert.equal(records[1].error.kind, 'invalid_hex');
    assert.equal(records[1].error.line, 3);
    assert.equal(records[1].error.offset, 17);
    assert.equal(records[2].offset, 17);
    assert.deepEqual(records[2].pile_code, '32010200000001');
    // the bytes of the same text, and the raw frame, give the same records
    assert.deepEqual(pk.decodeCapture(new TextEncoder().encode(log)), records);
    assert.deepEqual(pk.decodeCapture(bytes(HEARTBEAT)), [records[0]]);
  });
});
