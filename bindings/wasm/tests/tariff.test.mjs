// Plans, quotes and bills: money as decimal strings, equal to what the `pilekit` command prints.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as pk from '../pkg/node.js';
import { moneyAsText, pilekitJson, planFiles, planText, root } from './helpers.mjs';

/** Every value under a key naming yuan, at any depth. */
function money(value, key = '', out = []) {
  if (Array.isArray(value)) value.forEach((v) => money(v, key, out));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => money(v, k, out));
  else if (key.includes('yuan')) out.push(value);
  return out;
}

const planPath = (name) => join(root, 'examples', 'plans', name);

// [plan, request, CLI arguments]
const BILLS = [
  ['one-yuan-four-hours.json', { start: '2024-05-01T20:00', end: '2024-05-01T23:00', prepaidYuan: '1', coins: true },
    ['--start', '2024-05-01T20:00', '--end', '2024-05-01T23:00', '--prepaid', '1', '--coins']],
  ['tou-residential.json', { start: '2024-05-01T22:00', end: '2024-05-02T01:00', powerW: 2000 },
    ['--start', '2024-05-01T22:00', '--end', '2024-05-02T01:00', '--power-w', '2000']],
  ['hourly-with-modifiers.json', { start: '2024-05-01T08:00', end: '2024-05-01T10:10', prepaidYuan: '5.00' },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T10:10', '--prepaid', '5']],
  ['power-tiers.json', { start: '2024-05-01T08:00', end: '2024-05-01T12:00', powerW: '700' },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T12:00', '--power-w', '700']],
  ['power-tiers-energy.json', { start: '2024-05-01T08:00', end: '2024-05-01T11:00', powerW: 400, energyKwh: '1.2' },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T11:00', '--power-w', '400', '--energy-kwh', '1.2']],
  ['package-two-hours.json', { start: '2024-05-01T08:00', end: '2024-05-01T09:00', prepaidYuan: 5 },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T09:00', '--prepaid', '5']],
  ['per-use.json', { start: '2024-05-01T08:00', end: '2024-05-01T09:00', uses: 3 },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T09:00', '--uses', '3']],
  ['monthly-card.json', { start: '2024-05-01T08:00', end: '2024-05-01T09:00', cardExpires: '2024-05-20T00:00' },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T09:00', '--card-expires', '2024-05-20T00:00']],
  ['starting-price-two-hours.json', { start: '2024-05-01T08:00', end: '2024-05-01T11:30' },
    ['--start', '2024-05-01T08:00', '--end', '2024-05-01T11:30']],
];

describe('plans', () => {
  it('every example plan but the versioned history loads, and its canonical form has money as text', () => {
    const loaded = planFiles().filter((f) => f !== 'plan-history.json');
    assert.ok(loaded.length >= 12);
    for (const file of loaded) {
      const plan = new pk.Plan(planText(file));
      const json = plan.toJSON();
      assert.ok(json.family, file);
      assert.ok(money(json).every((m) => typeof m === 'string' && /^-?\d+\.\d{2,}$/.test(m)), file);
      // the canonical form reads back as the same plan
      assert.deepEqual(new pk.Plan(json).toJSON(), json, file);
    }
  });

  it('a plan is read from an object as from text', () => {
    const plan = new pk.Plan({ name: 'hourly', family: 'hourly', yuan_per_hour: '1.00' });
    assert.equal(plan.name, 'hourly');
    assert.equal(plan.toJSON().yuan_per_hour, '1.00');
  });

  it('an unknown key is refused, naming the key', () => {
    assert.throws(() => new pk.Plan({ family: 'hourly', yuan_per_hour: 1, price: 2 }), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'PileError');
      assert.equal(e.kind, 'unknown_key');
      assert.equal(e.field, 'price');
      return true;
    });
    assert.throws(() => new pk.Plan('{"family": "hourly"'), { kind: 'invalid_json' });
  });
});

describe('quotes', () => {
  it('1 yuan buys 4 hours', () => {
    const q = new pk.Plan(planText('one-yuan-four-hours.json')).quote({ prepaidYuan: '1.00' });
    assert.deepEqual(q, { prepaid_yuan: '1.00', limit: 'duration', duration_s: 14400, cost_yuan: '1.00' });
  });

  it('what 1 yuan buys at 700 W under the 8-gear tiers (0.60 yuan/h): 100 minutes', () => {
    const plan = new pk.Plan(planText('power-tiers.json'));
    const q = plan.quote({ prepaidYuan: 1, powerW: 700 });
    assert.equal(q.duration_s, 6000);
    assert.equal(q.cost_yuan, '1.00');
    assert.deepEqual(q, moneyAsText(pilekitJson('quote', '--plan', planPath('power-tiers.json'),
      '--prepaid', '1', '--power-w', '700', '--json')[0]));
    assert.match(plan.quoteText({ prepaidYuan: 1, powerW: 700 }), /1 h 40 min/);
  });

  it('a power-tier plan needs the power', () => {
    assert.throws(() => new pk.Plan(planText('power-tiers.json')).quote({ prepaidYuan: 1 }), { name: 'PileError' });
  });
});

describe('bills', () => {
  for (const [file, request, args] of BILLS) {
    it(`${file}: the CLI's bill, money as text, lines summing to the total`, () => {
      const bill = new pk.Plan(planText(file)).bill(request);
      const cli = pilekitJson('bill', '--plan', planPath(file), ...args, '--json')[0];
      assert.deepEqual(bill, moneyAsText(cli));
      assert.ok(money(bill).every((m) => typeof m === 'string'));
      // sums in fen, as integers
      const fen = (s) => Math.round(Number(s) * 10000);
      const subtotal = bill.subtotals.reduce((a, s) => a + fen(s.amount_yuan), 0);
      assert.ok(fen(bill.total_yuan) <= subtotal, file);
      assert.ok(fen(bill.total_yuan) >= 0, file);
    });
  }

  it('time of use 22:00 to 01:00 at 2 kW: 4.20 yuan, itemised by class', () => {
    const bill = new pk.Plan(planText('tou-residential.json'))
      .bill({ start: '2024-05-01T22:00', end: '2024-05-02T01:00', powerW: 2000 });
    assert.equal(bill.total_yuan, '4.20');
    assert.equal(bill.energy_kwh, 6);
    assert.deepEqual(bill.subtotals, [
      { kind: 'electricity', amount_yuan: '2.20' },
      { kind: 'service', amount_yuan: '2.00' },
    ]);
    assert.deepEqual(bill.lines.map((l) => [l.kind, l.class, l.amount_yuan]), [
      ['electricity', 'flat', '1.20'], ['electricity', 'valley', '0.60'], ['electricity', 'deep_valley', '0.40'],
      ['service', 'flat', '0.80'], ['service', 'valley', '0.80'], ['service', 'deep_valley', '0.40'],
    ]);
  });

  it('an hour and a half at 1 yuan an hour, 5 yuan prepaid: 1.50 charged, 3.50 refunded', () => {
    const bill = new pk.Plan({ family: 'hourly', yuan_per_hour: 1 })
      .bill({ start: '2024-05-01T08:00', end: '2024-05-01T09:30', prepaidYuan: '5' });
    assert.equal(bill.total_yuan, '1.50');
    assert.equal(bill.refund_yuan, '3.50');
    assert.equal(bill.prepaid_yuan, '5.00');
  });

  it('samples are read with camelCase keys', () => {
    const bill = new pk.Plan(planText('tou-residential.json')).bill({
      start: '2024-05-01T22:00',
      end: '2024-05-01T23:00',
      samples: [
        { atUnixS: pk.parseTime('2024-05-01T22:00'), powerW: 1000, energyKwh: 0 },
        { atUnixS: pk.parseTime('2024-05-01T23:00'), powerW: 1000, energyKwh: '1.0' },
      ],
    });
    assert.equal(bill.energy_kwh, 1);
  });

  it('the receipt is bilingual and ends with the total', () => {
    const text = new pk.Plan({ family: 'hourly', yuan_per_hour: 1 })
      .receipt({ start: '2024-05-01T08:00', end: '2024-05-01T09:30' });
    assert.match(text, /Electricity 电费/);
    assert.match(text, /Total 合计 \(yuan\)\s+1\.50/);
  });

  it('bad requests are PileErrors with a kind and field', () => {
    const plan = new pk.Plan({ family: 'hourly', yuan_per_hour: 1 });
    assert.throws(() => plan.bill({ start: '2024-05-01T08:00', end: 'soon' }), { kind: 'invalid_time', field: 'end' });
    assert.throws(() => plan.bill({ start: '2024-05-01T08:00', end: '2024-05-01T09:00', tip: 1 }), { kind: 'invalid_json' });
    assert.throws(() => plan.bill({ start: '2024-05-01T08:00', end: '2024-05-01T09:00', prepaidYuan: '1.000001' }),
      { name: 'PileError' });
  });
});
