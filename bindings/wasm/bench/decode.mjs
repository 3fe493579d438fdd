// Decode speed of a YKC 0x13 real-time data frame in Node, to set beside the native figure of
// `cd benches && cargo bench --bench codec -- 0x13` (the first 0x13 frame of the same capture).
//
//   node bindings/wasm/bench/decode.mjs [native-ns-per-frame]
//
// Figures per frame: `countFrames` on one frame (the codec plus the fixed cost of a call into
// the module); `countFrames` on 1000 such frames in one stream (the codec's own speed in the
// module); `decodeBatch` on the same stream (the frames decoded, checked and held, each one's
// fields a `get(i)` away) and `get(i)` (the plain object of one held frame); `decode` on the
// stream (every plain object built); and `decodeFrame`, one call per frame with its object.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as pk from '../pkg/node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const capture = readFileSync(join(root, 'examples', 'captures', 'ykc-session.hex'), 'utf8');
const frame = capture.split('\n').filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => pk.parseHex(l)).find((f) => f[5] === 0x13);
if (!frame) throw new Error('no 0x13 frame in the capture');

/** Nanoseconds per call: the best of several rounds of `n` calls. */
function measure(fn, n) {
  for (let i = 0; i < n; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / n);
  }
  return best;
}

const opts = { dialect: 'ykc' };
if (pk.countFrames(frame, opts) !== 1 || pk.decodeFrame(frame, opts).frame_type !== 0x13) {
  throw new Error('the frame does not decode');
}
const count = measure(() => pk.countFrames(frame, opts), 20000);
const stream = new Uint8Array(frame.length * 1000);
for (let i = 0; i < 1000; i++) stream.set(frame, i * frame.length);
if (pk.countFrames(stream, opts) !== 1000) throw new Error('the stream does not decode');
const perFrame = measure(() => pk.countFrames(stream, opts), 20) / 1000;
const batchOf = () => {
  const b = pk.decodeBatch(stream, opts);
  b.free();
};
const batch = measure(batchOf, 20) / 1000;
const held = pk.decodeBatch(stream, opts);
if (held.frameCount !== 1000 || held.get(999).soc_pct !== pk.decodeFrame(frame, opts).soc_pct) {
  throw new Error('the batch does not hold the frames');
}
let at = 0;
const get = measure(() => held.get(at++ % 1000), 5000);
held.free();
const objects = measure(() => pk.decode(stream, opts), 5) / 1000;
const full = measure(() => pk.decodeFrame(frame, opts), 5000);
const native = Number(process.argv[2]);
const vs = (ns) => (native > 0 ? ` (${(ns / native).toFixed(1)}x native ${native} ns)` : '');
console.log(`0x13 (${frame.length} bytes) countFrames: ${count.toFixed(0)} ns/frame${vs(count)}`);
console.log(`0x13 (${frame.length} bytes) in a stream of 1000: ${perFrame.toFixed(0)} ns/frame${vs(perFrame)}`);
console.log(`0x13 (${frame.length} bytes) decodeBatch of 1000: ${batch.toFixed(0)} ns/frame${vs(batch)}`);
console.log(`0x13 (${frame.length} bytes) DecodedBatch.get(i): ${get.toFixed(0)} ns/frame${vs(get)}`);
console.log(`0x13 (${frame.length} bytes) decode of 1000 (every object): ${objects.toFixed(0)} ns/frame${vs(objects)}`);
console.log(`0x13 (${frame.length} bytes) decodeFrame: ${full.toFixed(0)} ns/frame${vs(full)}`);
