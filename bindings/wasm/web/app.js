// The browser tools: frame inspector, price calculator, log replay. Everything runs in the
// page through the pilekit module (pkg/pilekit.js + the module inline in pkg/pilekit-wasm.js);
// nothing is fetched, so the page also works opened from disk.
/* global wasm_bindgen, PILEKIT_WASM_BASE64, PILEKIT_PLANS, PILEKIT_LOGS */
'use strict';

(async function main() {
  const $ = (id) => document.getElementById(id);
  const status = $('status');

  const wasmBytes = Uint8Array.from(atob(PILEKIT_WASM_BASE64), (c) => c.charCodeAt(0));
  try {
    await wasm_bindgen({ module_or_path: wasmBytes });
  } catch (e) {
    status.textContent = `The pilekit module did not load: ${e.message}`;
    return;
  }
  const pk = wasm_bindgen;

  // ---------------------------------------------------------------- helpers

  /** An element with attributes and children (strings become text). */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else if (k in node && typeof v !== 'string') node[k] = v;
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
    }
    return node;
  }

  const byteRange = (a, b) => (a === b ? String(a) : `${a}–${b}`);
  const hex2 = (b) => b.toString(16).toUpperCase().padStart(2, '0');

  /** An error for people: the message, and where it is when there is an offset. */
  function errorText(e) {
    const kind = e && e.kind ? ` [${e.kind}]` : '';
    return `${e && e.message ? e.message : String(e)}${kind}`;
  }

  // Unit suffixes of canonical keys, longest first (as the command line's listing reads them).
  const UNITS = [
    ['_yuan_per_kwh', 'yuan/kWh'], ['_yuan_per_hour', 'yuan/h'], ['_yuan', 'yuan'], ['_kwh', 'kWh'],
    ['_pct', '%'], ['_min', 'min'], ['_v', 'V'], ['_a', 'A'], ['_w', 'W'], ['_c', '°C'], ['_s', 's'],
  ];
  const unitOf = (key) => {
    const last = key.split('.').pop().replace(/\[\d+\]$/, '');
    const hit = UNITS.find(([suffix]) => last.endsWith(suffix));
    return hit ? hit[1] : '';
  };

  // What fields mean, for the people reading them; other fields are named by their key.
  const MEANINGS = {
    seq: 'sequence number of the frame (replies repeat it)',
    pile_code: "the pile's 14-digit number (BCD)",
    gun: 'gun (connector) number',
    gun_condition: 'whether the gun is in order',
    physical_id: "the DNY pile's physical id (its class in the top byte)",
    message_id: 'message id (replies repeat it)',
    voltage_v: 'supply voltage',
    current_a: 'charging current',
    power_w: 'charging power',
    energy_kwh: 'energy delivered so far',
    duration_s: 'charging time so far',
    port: 'socket number',
    ports: 'state of each socket',
    state: 'socket state',
    signal: 'mobile signal strength',
    ambient_temperature_c: 'temperature inside the pile',
    port_temperature_c: 'temperature of the socket',
    order_number: 'the order the session is billed to',
    balance_yuan: "the card's balance",
    card_id: 'card number',
    imei: "the 4G module's IMEI",
    iccid: "the SIM card's ICCID",
    time: 'date and time',
    timestamp: 'date and time (Unix seconds)',
    result: 'result of the request',
    frame_result: 'result code in the frame header',
    heartbeat_interval_s: 'heartbeat interval the platform asks for',
    start_mode: 'how the session was started (platform, card, coin)',
    stop_reason: 'why the session stopped',
    max_power_w: 'highest power allowed',
    trade_serial: 'the 16-byte transaction number',
    program_version: 'firmware version',
    protocol_version: 'protocol version',
    sim: "SIM card number",
    network: 'network link (SIM, LAN, WLAN)',
    carrier: 'mobile carrier',
    model_number: 'billing model number',
    encryption: 'encryption flag',
  };
  const humanise = (path) => path.replace(/\[(\d+)\]/g, ' $1').replace(/[._]/g, ' ').trim();
  const meaningOf = (path) => {
    const key = path.replace(/\[\d+\]/g, '').split('.');
    return MEANINGS[path] || MEANINGS[key[key.length - 1]] || MEANINGS[key[0]] || humanise(path);
  };

  /** Canonical values by path; a `{name, code}` pair is one value `name (code)`. */
  function leaves(value, path = '', out = []) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push([path, '[]']);
      value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
    } else if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 2 && 'name' in value && 'code' in value) {
        out.push([path, `${value.name} (${value.code})`]);
      } else {
        for (const k of keys) leaves(value[k], path ? `${path}.${k}` : k, out);
      }
    } else {
      out.push([path, value === null ? '—' : String(value)]);
    }
    return out;
  }

  // ------------------------------------------------------------------- tabs

  const tabs = [...document.querySelectorAll('[role="tab"]')];
  function select(tab) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
  }
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(t));
    t.addEventListener('keydown', (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });

  // -------------------------------------------------------- frame inspector

  const EXAMPLES = {
    ykc: '# a YKC car pile: heartbeat, then its reply\n'
      + '2026-12-02 08:00:01.120 RX: 68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A\n'
      + '2026-12-02 08:00:01.180 TX: 68 0D 36 00 00 04 55 03 14 12 78 23 05 01 00 64 22\n',
    dny: '44 4E 59 32 00 3B 37 AB 04 0A 00 06 01 01 10 0E 30 00 01 E8 03 B0 04 20 03 E8 03 20 19 09 01 18 00 00 '
      + '13 00 30 38 01 02 03 04 05 01 00 E8 03 98 08 C7 01 55 00 DA 08',
    broken: '# noise, a frame with a bad CRC, a good frame, a frame cut off\n'
      + 'EE FF\n68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1B\n'
      + '68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A\n68 0D 00 02',
  };

  function decodeOptions() {
    const lenient = $('lenient').checked;
    return { dialect: $('dialect').value, strict: !lenient, verifyChecksum: !lenient };
  }

  /** Where each record starts, and where the next begins (its end). */
  function recordStart(r) {
    if (r.skipped) return r.skipped.offset;
    if (r.error) return r.error.offset;
    return r.offset;
  }

  function hexView(bytes, base, classify) {
    return el('div', { class: 'hex', role: 'group', 'aria-label': 'bytes' },
      [...bytes].map((b, i) => {
        const { cls, title } = classify(i);
        return el('span', { class: `b ${cls || ''}`, 'data-i': String(i), title: `byte ${base + i}${title ? `: ${title}` : ''}` }, hex2(b));
      }));
  }

  function renderFrame(record, bytes, opts) {
    let frameBytes = bytes;
    let spans = [];
    const spanOpts = { ...opts, dialect: record.dialect, direction: record.direction ?? null };
    try {
      spans = pk.fieldSpans(frameBytes, spanOpts);
    } catch (e) {
      if (e.kind === 'trailing_bytes' && e.offset > 0) {
        frameBytes = bytes.subarray(0, e.offset);
        try { spans = pk.fieldSpans(frameBytes, spanOpts); } catch (_) { spans = []; }
      }
    }
    const spanOf = (path) => {
      const own = spans.filter((s) => s.field === path || s.field.startsWith(`${path}.`) || s.field.startsWith(`${path}[`));
      if (!own.length) return null;
      return { start: Math.min(...own.map((s) => s.start)), end: Math.max(...own.map((s) => s.end)) };
    };
    const owned = new Array(frameBytes.length).fill(false);
    for (const s of spans) for (let i = s.start; i < s.end; i++) owned[i] = true;
    const hex = hexView(frameBytes, record.offset, (i) => (owned[i]
      ? { cls: '', title: '' }
      : { cls: 'framing', title: 'framing (start marker, length, command, checksum) or reserved' }));

    const HEADER = new Set(['offset', 'dialect', 'direction', 'frame_type', 'name']);
    const rows = [];
    for (const [key, value] of Object.entries(record)) {
      if (HEADER.has(key)) continue;
      for (const [path, text] of leaves(value, key)) {
        const span = spanOf(path);
        rows.push(el('tr', {
          tabindex: '0',
          'data-field': path,
          'data-start': span ? String(span.start) : null,
          'data-end': span ? String(span.end) : null,
        },
        el('th', { scope: 'row' }, path),
        el('td', { class: 'value' }, text),
        el('td', { class: 'unit' }, unitOf(path)),
        el('td', { class: 'meaning' }, meaningOf(path)),
        el('td', { class: 'span' }, span ? byteRange(record.offset + span.start, record.offset + span.end - 1) : '')));
      }
    }
    const table = el('table', { class: 'fields' },
      el('thead', {}, el('tr', {}, ['Field', 'Value', 'Unit', 'Meaning', 'Bytes'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows));

    const cells = [...hex.children];
    const light = (start, end, on) => {
      for (let i = start; i < end; i++) cells[i] && cells[i].classList.toggle('hl', on);
    };
    const rowLight = (row, on) => {
      row.classList.toggle('hl', on);
      if (row.dataset.start) light(+row.dataset.start, +row.dataset.end, on);
    };
    // The pointer lights what it is over; when it leaves, the row with keyboard focus (if any)
    // stays lit, so moving or scrolling the mouse never hides where the keyboard is.
    const keepFocusLit = () => {
      const focused = rows.find((r) => r === document.activeElement);
      if (focused) rowLight(focused, true);
    };
    for (const row of rows) {
      row.addEventListener('mouseenter', () => rowLight(row, true));
      row.addEventListener('mouseleave', () => { rowLight(row, false); keepFocusLit(); });
      row.addEventListener('focus', () => rowLight(row, true));
      row.addEventListener('blur', () => rowLight(row, false));
    }
    hex.addEventListener('mouseover', (e) => {
      const i = e.target.dataset && e.target.dataset.i;
      if (i === undefined) return;
      const best = rows.filter((r) => r.dataset.start && +r.dataset.start <= +i && +i < +r.dataset.end)
        .sort((a, b) => (a.dataset.end - a.dataset.start) - (b.dataset.end - b.dataset.start))[0];
      rows.forEach((r) => rowLight(r, false));
      if (best) rowLight(best, true);
    });
    hex.addEventListener('mouseleave', () => { rows.forEach((r) => rowLight(r, false)); keepFocusLit(); });

    const code = `0x${hex2(record.frame_type ?? 0)}`;
    return el('article', { class: 'record frame', 'data-offset': String(record.offset), 'data-name': record.name },
      el('h3', {}, `@${record.offset} `, el('span', { class: 'dialect' }, record.dialect), ` ${code} `,
        el('strong', {}, record.name), record.direction ? ` (${record.direction})` : ''),
      hex, table);
  }

  function renderProblem(title, bytes, base, err) {
    const at = err && typeof err.offset === 'number' ? err.offset - base : -1;
    return el('article', { class: 'record problem', role: 'alert' },
      el('h3', {}, title),
      bytes ? hexView(bytes, base, (i) => (i === at ? { cls: 'bad', title: err.message } : { cls: '', title: '' })) : null,
      err ? el('p', { class: 'error' }, err.offset !== null && err.offset !== undefined
        ? `error at byte ${err.offset}: ${err.message}` : err.message, err.kind ? ` [${err.kind}]` : '') : null);
  }

  function inspect() {
    const out = $('inspector-output');
    out.replaceChildren();
    const text = $('hex-input').value;
    if (!text.trim()) return;
    let bytes;
    try {
      bytes = pk.parseHex(text);
    } catch (e) {
      const at = typeof e.offset === 'number' ? e.offset : 0;
      const enc = new TextEncoder().encode(text);
      const before = new TextDecoder().decode(enc.subarray(Math.max(0, at - 24), at));
      const after = new TextDecoder().decode(enc.subarray(at, at + 24));
      out.append(el('article', { class: 'record problem', role: 'alert' },
        el('h3', {}, 'The text is not hex'),
        el('p', { class: 'error' }, errorText(e)),
        el('pre', { class: 'excerpt' }, before, el('mark', {}, after.slice(0, 1) || ' '), after.slice(1))));
      return;
    }
    let records;
    const opts = decodeOptions();
    try {
      records = pk.decode(bytes, opts);
    } catch (e) {
      out.append(renderProblem('Cannot decode', null, 0, e));
      return;
    }
    const starts = records.map(recordStart);
    const summary = { frames: 0, problems: 0 };
    records.forEach((r, i) => {
      const start = starts[i];
      const end = starts.slice(i + 1).find((s) => typeof s === 'number' && s > start) ?? bytes.length;
      if (r.skipped) {
        summary.problems++;
        const reason = r.skipped.reason;
        const title = `@${r.skipped.offset} skipped ${r.skipped.len} byte(s) that are not a frame`;
        out.append(renderProblem(title, bytes.subarray(r.skipped.offset, r.skipped.offset + r.skipped.len),
          r.skipped.offset, reason || { message: 'no frame starts here', offset: null }));
      } else if (r.error) {
        summary.problems++;
        out.append(renderProblem(`A frame that did not decode`, null, 0, r.error));
      } else if (r.item) {
        out.append(el('article', { class: 'record note' }, el('h3', {}, `@${r.offset} dny module text: ${r.item}`),
          r.iccid ? el('p', {}, `ICCID ${r.iccid}`) : null));
      } else {
        summary.frames++;
        out.append(renderFrame(r, bytes.subarray(start, end), opts));
      }
    });
    out.prepend(el('p', { class: 'summary' },
      `${bytes.length} bytes: ${summary.frames} frame(s), ${summary.problems} problem(s)`));
  }

  $('decode-btn').addEventListener('click', inspect);
  $('dialect').addEventListener('change', inspect);
  $('lenient').addEventListener('change', inspect);
  let timer;
  $('hex-input').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(inspect, 250); });
  for (const b of document.querySelectorAll('[data-example]')) {
    b.addEventListener('click', () => { $('hex-input').value = EXAMPLES[b.dataset.example]; inspect(); });
  }

  // -------------------------------------------------------- price calculator

  const plans = PILEKIT_PLANS.filter((p) => {
    try { new pk.Plan(p.text).free(); return true; } catch (_) { return false; }
  });
  const planLabel = (p) => {
    try { const plan = new pk.Plan(p.text); const n = plan.name; plan.free(); return n || p.file; } catch (_) { return p.file; }
  };
  for (const select of [$('plan-select'), $('replay-plan')]) {
    for (const p of plans) select.append(el('option', { value: p.file }, planLabel(p)));
  }
  $('plan-select').append(el('option', { value: '' }, 'my own (edit the JSON)'));
  $('replay-plan').value = 'one-yuan-four-hours.json';

  let plan = null;
  const CLASS_COLOURS = { sharp: '#b3261e', peak: '#e8710a', flat: '#f9ab00', valley: '#1e8e3e', deep_valley: '#1967d2' };

  /** The first list of 48 half-hour slots in the plan, with its rates. */
  function findSlots(value) {
    if (!value || typeof value !== 'object') return null;
    if (Array.isArray(value.slots) && value.slots.length === 48) return value;
    for (const v of Object.values(value)) {
      const hit = findSlots(v);
      if (hit) return hit;
    }
    return null;
  }

  function drawDay(json) {
    const box = $('tou');
    box.replaceChildren();
    const tou = findSlots(json);
    if (!tou) return;
    const bar = el('div', { class: 'day', role: 'img', 'aria-label': 'time-of-use classes over the day, half hour by half hour' },
      tou.slots.map((cls, i) => {
        const h = `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
        return el('span', { class: `slot ${cls}`, style: `background:${CLASS_COLOURS[cls] || '#888'}`, title: `${h} ${cls}`, 'data-class': cls });
      }));
    const ticks = el('div', { class: 'ticks' }, [0, 6, 12, 18, 24].map((h) => el('span', {}, `${h}:00`)));
    const rates = Array.isArray(tou.rates) ? tou.rates : [];
    const legend = el('ul', { class: 'legend' }, [...new Set(tou.slots)].map((cls) => {
      const rate = rates.find((r) => r.class === cls);
      const prices = rate ? Object.entries(rate).filter(([k]) => k !== 'class').map(([k, v]) => `${humanise(k.replace(/_yuan_per_kwh$|_yuan_per_hour$|_yuan$/, ''))} ${v} ${unitOf(k)}`).join(', ') : '';
      return el('li', {}, el('span', { class: 'swatch', style: `background:${CLASS_COLOURS[cls] || '#888'}` }), ` ${cls}${prices ? ` — ${prices}` : ''}`);
    }));
    box.append(el('h3', {}, 'The day'), bar, ticks, legend);
  }

  function loadPlan() {
    $('plan-error').hidden = true;
    if (plan) { plan.free(); plan = null; }
    try {
      plan = new pk.Plan($('plan-json').value);
    } catch (e) {
      $('plan-error').textContent = errorText(e);
      $('plan-error').hidden = false;
      $('plan-summary').replaceChildren();
      $('tou').replaceChildren();
      return;
    }
    const json = plan.toJSON();
    $('plan-summary').replaceChildren(el('h3', {}, plan.name || 'Unnamed plan'),
      el('p', {}, `Family: ${json.family}`));
    drawDay(json);
  }

  function choosePlan() {
    const p = plans.find((x) => x.file === $('plan-select').value);
    if (p) $('plan-json').value = p.text;
    loadPlan();
  }
  $('plan-select').addEventListener('change', choosePlan);
  $('plan-json').addEventListener('input', () => { $('plan-select').value = ''; loadPlan(); });
  $('plan-select').value = 'tou-residential.json';
  choosePlan();

  const decimalOrUndefined = (v) => (v.trim() === '' ? undefined : v.trim());

  $('quote-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const out = $('quote-result');
    out.replaceChildren();
    if (!plan) return;
    const req = { prepaidYuan: $('quote-prepaid').value.trim(), powerW: decimalOrUndefined($('quote-power').value) };
    try {
      const q = plan.quote(req);
      const rows = Object.entries(q).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, humanise(k)), el('td', {}, `${v} ${unitOf(k)}`)));
      out.append(el('table', { class: 'quote' }, el('tbody', {}, rows)), el('pre', { class: 'receipt' }, plan.quoteText(req)));
    } catch (err) {
      out.append(el('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  });

  $('bill-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const out = $('bill-result');
    out.replaceChildren();
    if (!plan) return;
    try {
      const offset = plan.toJSON().utc_offset_s ?? 28800;
      const start = pk.parseTime($('bill-start').value, offset);
      const minutes = Number.parseInt($('bill-minutes').value, 10);
      if (!Number.isInteger(minutes) || minutes < 0) throw new Error('the duration is a whole number of minutes');
      const req = { start, end: start + minutes * 60 };
      const power = decimalOrUndefined($('bill-power').value);
      const energy = decimalOrUndefined($('bill-energy').value);
      if (power !== undefined) req.powerW = power;
      if (energy !== undefined) req.energyKwh = energy;
      const pay = $('bill-pay-value').value.trim();
      switch ($('bill-payment').value) {
        case 'prepaid': req.prepaidYuan = pay; break;
        case 'coins': req.prepaidYuan = pay; req.coins = true; break;
        case 'card': req.cardExpires = pay; break;
        case 'uses': req.uses = Number.parseInt(pay, 10); break;
        default: break;
      }
      const bill = plan.bill(req);
      const lines = bill.lines.map((l) => {
        const qKey = Object.keys(l).find((k) => k.startsWith('quantity'));
        const pKey = Object.keys(l).find((k) => k.startsWith('unit_price'));
        const price = pKey ? (typeof l[pKey] === 'object' ? Object.values(l[pKey]).join(' / ') : `${l[pKey]} ${unitOf(pKey)}`) : '';
        return el('tr', {}, el('td', {}, l.kind), el('td', {}, l.class ?? (l.tier !== undefined ? `tier ${l.tier}` : '')),
          el('td', {}, qKey ? `${l[qKey]} ${unitOf(qKey)}` : ''), el('td', {}, price), el('td', { class: 'money' }, l.amount_yuan));
      });
      out.append(
        el('table', { class: 'lines' },
          el('thead', {}, el('tr', {}, ['Item', 'Class', 'Quantity', 'Unit price', 'Amount (yuan)'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, lines),
          el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', colspan: '4' }, 'Total'),
            el('td', { class: 'money', id: 'bill-total' }, bill.total_yuan)))),
        el('p', { id: 'bill-refund' }, `Prepaid ${bill.prepaid_yuan}, refund ${bill.refund_yuan}, due ${bill.due_yuan} yuan`),
        el('pre', { class: 'receipt' }, plan.receipt(req)));
    } catch (err) {
      out.append(el('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  });

  // ------------------------------------------------------------- log replay

  const unixOf = (t) => (typeof t === 'number' ? t : Date.parse(t) / 1000);
  const CAUSE_COLOURS = { battery_full: '#1e8e3e', unplugged: '#f9ab00', limit_reached: '#1967d2' };

  function replayLog() {
    const out = $('replay-output');
    out.replaceChildren();
    const log = $('replay-log').value;
    const p = plans.find((x) => x.file === $('replay-plan').value);
    let result;
    try {
      result = pk.replay(log, p ? p.text : $('plan-json').value);
    } catch (e) {
      out.append(el('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    const times = [];
    for (const s of result.sessions) times.push(s.bill ? s.bill.start_unix_s : unixOf(s.started), s.bill ? s.bill.end_unix_s : unixOf(s.ended));
    for (const o of result.open) times.push(unixOf(o.started));
    const t0 = Math.min(...times);
    const t1 = Math.max(...times, t0 + 60);
    const pct = (t) => `${(((t - t0) / (t1 - t0)) * 100).toFixed(2)}%`;
    const when = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

    out.append(el('p', { class: 'summary' },
      `${result.sessions.length} session(s) settled, ${result.open.length} open, ${result.anomalies.length} anomal${result.anomalies.length === 1 ? 'y' : 'ies'} in ${result.lines} line(s)`));
    const rows = result.sessions.map((s) => {
      const a = s.bill ? s.bill.start_unix_s : unixOf(s.started);
      const b = s.bill ? s.bill.end_unix_s : unixOf(s.ended);
      const cause = s.stop ? s.stop.cause : 'unknown';
      const total = s.bill ? s.bill.total_yuan : '—';
      return el('li', { class: 'session', tabindex: '0', 'data-pile': s.pile, 'data-port': String(s.port), 'data-stop': cause, 'data-total': total },
        el('div', { class: 'label' }, `pile ${s.pile} · port ${s.port} · order ${s.order}`),
        el('div', { class: 'track' }, el('span', { class: 'bar', style: `left:${pct(a)};width:${pct(t0 + (b - a))};background:${CAUSE_COLOURS[cause] || '#5f6368'}`, title: `${when(a)} → ${when(b)}` })),
        el('div', { class: 'facts' }, `${s.started} → ${s.ended} · ${Math.round(s.duration_s / 60)} min · ${s.energy_kwh} kWh · stop: `,
          el('strong', { class: 'stop' }, cause), ' · bill ', el('strong', { class: 'total' }, `${total} yuan`),
          s.bill_error ? el('span', { class: 'error' }, ` (${s.bill_error.message || s.bill_error})`) : null));
    });
    const open = result.open.map((o) => el('li', { class: 'session open', tabindex: '0', 'data-pile': o.pile, 'data-port': String(o.port) },
      el('div', { class: 'label' }, `pile ${o.pile} · port ${o.port} · order ${o.order}`),
      el('div', { class: 'track' }, el('span', { class: 'bar open', style: `left:${pct(unixOf(o.started))};right:0` })),
      el('div', { class: 'facts' }, `started ${o.started} (line ${o.line}), still open when the log ends`)));
    out.append(el('ol', { id: 'replay-sessions', class: 'timeline' }, rows, open),
      el('div', { class: 'ticks' }, el('span', {}, when(t0)), el('span', {}, when(t1))));
    if (result.anomalies.length) {
      out.append(el('h3', {}, 'Anomalies'), el('ul', { id: 'replay-anomalies' }, result.anomalies.map((f) =>
        el('li', { 'data-kind': f.kind }, el('strong', {}, `line ${f.line}`), ` ${f.kind}${f.pile ? ` · pile ${f.pile}` : ''}${f.port !== null ? ` · port ${f.port}` : ''}: ${f.message}`))));
    }
  }

  $('replay-btn').addEventListener('click', replayLog);
  for (const b of document.querySelectorAll('[data-log]')) {
    b.addEventListener('click', () => {
      const log = PILEKIT_LOGS.find((l) => l.file === b.dataset.log);
      if (log) $('replay-log').value = log.text;
      replayLog();
    });
  }

  status.textContent = `Ready — pilekit ${pk.version()}`;
  document.body.dataset.ready = '1';
}());
