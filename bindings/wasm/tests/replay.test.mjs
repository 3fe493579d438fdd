// Replaying pile logs: sessions, stop reasons and bills, equal to the `pilekit replay` command.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as pk from '../pkg/node.js';
import { moneyAsText, pilekitJson, planText, root } from './helpers.mjs';

const logPath = (name) => join(root, 'examples', 'logs', name);
const planPath = join(root, 'examples', 'plans', 'one-yuan-four-hours.json');

describe('replay', () => {
  for (const name of ['ykc-session.log', 'dny-session.log', 'juy-session.log']) {
    it(`${name}: the CLI's replay, money as text`, () => {
      const log = readFileSync(logPath(name), 'utf8');
      const out = pk.replay(log, new pk.Plan(planText('one-yuan-four-hours.json')));
      // the command prints one JSON line per session, open session and anomaly
      const cli = pilekitJson('replay', '--plan', planPath, '--input', logPath(name), '--json');
      const pick = (key) => cli.filter((r) => key in r).map((r) => r[key]);
      assert.deepEqual(out.sessions, moneyAsText(pick('session')));
      assert.deepEqual(out.open, moneyAsText(pick('open_session')));
      assert.deepEqual(out.anomalies, moneyAsText(pick('anomaly')));
      assert.ok(out.sessions.length >= 1, name);
      assert.equal(out.lines, log.split('\n').filter((l, i, all) => i < all.length - 1 || l).length);
    });
  }

  it('the DNY session: socket 3, full battery, 0.63 of the yuan prepaid charged', () => {
    const out = pk.replay(readFileSync(logPath('dny-session.log'), 'utf8'), planText('one-yuan-four-hours.json'));
    assert.equal(out.sessions.length, 1);
    const [s] = out.sessions;
    assert.equal(s.pile, '05-11220795');
    assert.equal(s.port, 3);
    assert.equal(s.order, 'Q2026120200042');
    assert.equal(s.duration_s, 9120);
    assert.equal(s.stop.cause, 'battery_full');
    assert.equal(s.bill.total_yuan, '0.63');
    assert.equal(s.bill.refund_yuan, '0.37');
    assert.deepEqual(out.anomalies.map((a) => [a.line, a.kind]), [[30, 'duplicate_settlement'], [34, 'alarm']]);
    assert.deepEqual(out.open, []);
  });

  it('a malformed line is a finding with its line number, not a failure', () => {
    const out = pk.replay('# a comment\nnot a line\n', { family: 'hourly', yuan_per_hour: 1 });
    assert.deepEqual(out.sessions, []);
    assert.equal(out.anomalies[0].line, 2);
    assert.equal(out.anomalies[0].kind, 'malformed_line');
    assert.equal(out.lines, 2);
  });

  it('the text form has one line per session', () => {
    const text = pk.replayText(readFileSync(logPath('dny-session.log'), 'utf8'), planText('one-yuan-four-hours.json'));
    assert.match(text, /^1 session\(s\) settled, 0 open, 2 anomalies/);
    assert.match(text, /battery_full\s+0\.63 yuan/);
  });

  it('a bad plan is a PileError', () => {
    assert.throws(() => pk.replay('', { family: 'hourly' }), { name: 'PileError' });
  });
});
