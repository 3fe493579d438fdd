// A typed use of the package, checked by `tsc --noEmit` (scripts/test-wasm.sh): decode a
// pasted log, point at a field's bytes, quote and bill under a plan, handle errors.

import {
  decode,
  decodeBatch,
  DecodedBatch,
  fieldSpans,
  Plan,
  StreamDecoder,
  type Bill,
  type DecodedRecord,
  type FieldSpan,
  type FrameRecord,
  type PileErrorFields,
} from 'pilekit';

function isFrame(r: DecodedRecord): r is FrameRecord {
  return 'name' in r && 'frame_type' in r;
}

const log = '2026-12-02 08:00:01 RX: 68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A';
const records: DecodedRecord[] = decode(log, { dialect: 'auto', strict: true });
for (const r of records) {
  if (isFrame(r)) {
    const spans: FieldSpan[] = fieldSpans(log, { dialect: r.dialect });
    const pile = spans.find((s) => s.field === 'pile_code');
    console.log(r.offset, r.name, pile ? `${pile.start}..${pile.end}` : 'no span');
  } else if ('skipped' in r) {
    console.log('skipped', r.skipped.len, 'bytes at', r.skipped.offset);
  } else if ('error' in r) {
    const e: PileErrorFields = r.error;
    console.log(e.kind, e.offset);
  }
}

const batch: DecodedBatch = decodeBatch(log, { dialect: 'ykc' });
for (let i = 0; i < batch.length; i++) {
  const name: string | undefined = batch.name(i);
  const offset: number | undefined = batch.offset(i);
  const record: DecodedRecord | undefined = batch.isFrame(i) ? batch.get(i) : undefined;
  console.log(name, offset, record);
}
const all: DecodedRecord[] = batch.toJSON();
console.log(batch.frameCount, all.length);
batch.free();

const stream = new StreamDecoder({ verifyChecksum: true });
const plain: DecodedRecord[] = decode(new Uint8Array([0x68]));
console.log(plain.length);
const early: DecodedRecord[] = stream.feed(new Uint8Array([0x68, 0x0d]));
const position: number = stream.position;
const snapshot: string = stream.snapshot();
const again: StreamDecoder = StreamDecoder.restore(snapshot);
console.log(early.length, position, again.buffered, stream.finish().length);

const plan = new Plan({ family: 'hourly', yuan_per_hour: '1.00' });
const bill: Bill = plan.bill({ start: '2024-05-01T08:00', end: '2024-05-01T09:30', prepaidYuan: '5' });
const total: string = bill.total_yuan;
console.log(total, plan.quote({ prepaidYuan: 1 }), plan.receipt({ start: 0, end: 5400 }));

try {
  new Plan({ family: 'hourly', price: 1 });
} catch (e) {
  const err = e as Error & PileErrorFields;
  console.log(err.name, err.kind, err.field, err.offset);
}

// @ts-expect-error money is a decimal string, never a number
const wrong: number = bill.total_yuan;
// @ts-expect-error the dialects are named
decode(log, { dialect: 'modbus' });
console.log(wrong);
