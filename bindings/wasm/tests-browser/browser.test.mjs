// The browser tools end to end in headless Chromium: the page is served from web/ on loopback,
// driven with playwright-core, and its screenshots are saved to target/wasm-screenshots/.

import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..', 'web');
const shots = join(here, '..', '..', '..', 'target', 'wasm-screenshots');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

let server;
let browser;
let page;
let base;
const requests = [];
const pageErrors = [];

/** A static file server for web/, on loopback. */
function serve() {
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const file = join(web, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(web) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await serve();
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(base);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

describe('the browser tools', () => {
  it('load offline: every request stays on the page\'s own server, no errors', () => {
    assert.ok(requests.length >= 5);
    assert.ok(requests.every((u) => u.startsWith(base)), requests.join('\n'));
    assert.deepEqual(pageErrors, []);
  });

  it('inspector: a pasted YKC log line shows every field with its value, and points at its bytes', async () => {
    await page.fill('#hex-input', '2026-12-02 08:00:01 RX: 68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A');
    await page.click('#decode-btn');
    const frame = page.locator('#inspector-output article.frame');
    assert.equal(await frame.count(), 1);
    assert.equal(await frame.getAttribute('data-name'), 'heartbeat');
    const value = (field) => frame.locator(`tr[data-field="${field}"] td.value`).textContent();
    assert.equal(await value('pile_code'), '32010200000001');
    assert.equal(await value('gun'), '1');
    assert.equal(await value('gun_condition'), 'normal (0)');
    assert.equal(await value('seq'), '0001');
    // pointing at the pile code highlights bytes 6..12 and nothing else
    await frame.locator('tr[data-field="pile_code"]').hover();
    const lit = await frame.locator('.hex .b.hl').evaluateAll((cells) => cells.map((c) => +c.dataset.i));
    assert.deepEqual(lit, [6, 7, 8, 9, 10, 11, 12]);
    // and from the keyboard (with the pointer out of the way)
    await page.mouse.move(0, 0);
    assert.equal(await frame.locator('.hex .b.hl').count(), 0);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await frame.locator('tr[data-field="gun"]').focus();
    // focusing may scroll the page under the resting pointer; wait for the settled highlight
    await page.waitForFunction(() => [...document.querySelectorAll('#inspector-output article.frame .hex .b.hl')]
      .map((c) => c.dataset.i).join(',') === '13', null, { timeout: 5000 }).catch(() => {});
    const litByKey = await frame.locator('.hex .b.hl').evaluateAll((cells) => cells.map((c) => +c.dataset.i));
    assert.deepEqual(litByKey, [13]);
    await page.screenshot({ path: join(shots, 'inspector-ykc.png'), fullPage: true });
  });

  it('inspector: units and meanings of a DNY port power report', async () => {
    await page.click('[data-example="dny"]');
    const frame = page.locator('#inspector-output article.frame');
    assert.equal(await frame.getAttribute('data-name'), 'port_power');
    const row = frame.locator('tr[data-field="voltage_v"]');
    assert.equal(await row.locator('td.value').textContent(), '220');
    assert.equal(await row.locator('td.unit').textContent(), 'V');
    assert.equal(await row.locator('td.meaning').textContent(), 'supply voltage');
    assert.equal(await frame.locator('tr[data-field="current_a"] td.value').textContent(), '0.455');
    assert.equal(await frame.locator('tr[data-field="energy_kwh"] td.unit').textContent(), 'kWh');
  });

  it('inspector: a broken stream shows the good frame and points at the bad bytes', async () => {
    await page.click('[data-example="broken"]');
    const out = page.locator('#inspector-output');
    assert.equal(await out.locator('article.frame').count(), 1);
    assert.equal(await out.locator('article.frame').getAttribute('data-offset'), '19');
    const problems = out.locator('article.problem');
    // the noise and the frame with the bad CRC are one skipped run, its reason at the CRC
    assert.equal(await problems.count(), 2);
    const crc = problems.nth(0);
    assert.match(await crc.textContent(), /skipped 19 byte/);
    assert.match(await crc.textContent(), /error at byte 17: checksum mismatch/);
    assert.equal(await crc.locator('.b.bad').getAttribute('title'), 'byte 17: checksum mismatch: frame carries `1BF1`, contents give `1AF1`');
    assert.match(await problems.nth(1).textContent(), /@36 skipped 4 byte.*truncated/);
    await page.screenshot({ path: join(shots, 'inspector-broken.png'), fullPage: true });
  });

  it('inspector: text that is not hex points at the character', async () => {
    await page.fill('#hex-input', '68 0D 00 zz 01');
    await page.click('#decode-btn');
    const problem = page.locator('#inspector-output article.problem');
    assert.match(await problem.textContent(), /invalid hex character `z` at offset 9/);
    assert.equal(await problem.locator('mark').textContent(), 'z');
  });

  it('calculator: a time-of-use bill, its total and the day drawn as a bar', async () => {
    await page.click('#tab-calculator');
    await page.selectOption('#plan-select', 'tou-residential.json');
    assert.equal(await page.locator('#tou .day .slot').count(), 48);
    const slot = (i) => page.locator('#tou .day .slot').nth(i).getAttribute('data-class');
    assert.deepEqual([await slot(0), await slot(22), await slot(40), await slot(47)], ['valley', 'sharp', 'peak', 'deep_valley']);
    await page.fill('#bill-start', '2024-05-01T22:00');
    await page.fill('#bill-minutes', '180');
    await page.fill('#bill-power', '2000');
    await page.selectOption('#bill-payment', 'postpaid');
    await page.click('#bill-btn');
    assert.equal(await page.locator('#bill-total').textContent(), '4.20');
    assert.equal(await page.locator('#bill-result table.lines tbody tr').count(), 6);
    assert.match(await page.locator('#bill-result pre.receipt').textContent(), /Total 合计 \(yuan\)\s+4\.20/);
    await page.screenshot({ path: join(shots, 'calculator-tou.png'), fullPage: true });
  });

  it('calculator: what 1 yuan buys at 700 W, and a prepaid bill with its refund', async () => {
    await page.selectOption('#plan-select', 'power-tiers.json');
    await page.fill('#quote-prepaid', '1');
    await page.fill('#quote-power', '700');
    await page.click('#quote-btn');
    assert.match(await page.locator('#quote-result').textContent(), /duration s6000 s/);
    await page.selectOption('#plan-select', 'one-yuan-four-hours.json');
    await page.fill('#bill-minutes', '120');
    await page.selectOption('#bill-payment', 'prepaid');
    await page.fill('#bill-pay-value', '1');
    await page.click('#bill-btn');
    assert.equal(await page.locator('#bill-total').textContent(), '0.50');
    assert.match(await page.locator('#bill-refund').textContent(), /refund 0\.50/);
  });

  it('calculator: an edited plan with a misspelt key names the key', async () => {
    await page.fill('#plan-json', '{"family": "hourly", "yuan_per_hr": 1}');
    assert.match(await page.locator('#plan-error').textContent(), /unknown key `yuan_per_hr`/);
    await page.fill('#plan-json', '{"family": "hourly", "yuan_per_hour": 1}');
    assert.equal(await page.locator('#plan-error').isHidden(), true);
    await page.fill('#bill-minutes', '90');
    await page.selectOption('#bill-payment', 'postpaid');
    await page.click('#bill-btn');
    assert.equal(await page.locator('#bill-total').textContent(), '1.50');
  });

  it('replay: a DNY pile log gives its session, stop reason, bill and anomalies', async () => {
    await page.click('#tab-replay');
    await page.selectOption('#replay-plan', 'one-yuan-four-hours.json');
    await page.click('[data-log="dny-session.log"]');
    const sessions = page.locator('#replay-sessions li.session');
    assert.equal(await sessions.count(), 1);
    const s = sessions.first();
    assert.equal(await s.getAttribute('data-pile'), '05-11220795');
    assert.equal(await s.getAttribute('data-port'), '3');
    assert.equal(await s.getAttribute('data-stop'), 'battery_full');
    assert.equal(await s.getAttribute('data-total'), '0.63');
    assert.deepEqual(await page.locator('#replay-anomalies li').evaluateAll((li) => li.map((x) => x.dataset.kind)),
      ['duplicate_settlement', 'alarm']);
    await page.screenshot({ path: join(shots, 'replay-dny.png'), fullPage: true });
  });

  it('replay: the YKC and JUY logs give sessions too', async () => {
    for (const log of ['ykc-session.log', 'juy-session.log']) {
      await page.click(`[data-log="${log}"]`);
      const n = await page.locator('#replay-sessions li.session:not(.open)').count();
      assert.ok(n >= 1, log);
      const totals = await page.locator('#replay-sessions li.session:not(.open)').evaluateAll((li) => li.map((x) => x.dataset.total));
      assert.ok(totals.every((t) => /^\d+\.\d{2,}$/.test(t)), `${log}: ${totals}`);
    }
    await page.screenshot({ path: join(shots, 'replay-juy.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  it('opened from disk, with no server, the page decodes too', async () => {
    const local = await browser.newPage();
    const errors = [];
    local.on('pageerror', (e) => errors.push(e.message));
    await local.goto(pathToFileURL(join(web, 'index.html')).href);
    await local.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
    await local.click('[data-example="ykc"]');
    assert.equal(await local.locator('#inspector-output article.frame').count(), 2);
    assert.deepEqual(errors, []);
    await local.close();
  });

  it('the tabs work from the keyboard', async () => {
    await page.focus('#tab-replay');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-inspector', 'aria-selected'), 'true');
    assert.equal(await page.locator('#inspector').isVisible(), true);
    assert.equal(await page.locator('#replay').isHidden(), true);
  });
});
