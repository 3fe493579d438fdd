// What the tests share: the golden vectors, the example plans, and the `pilekit` command whose
// `--json` output the package must equal.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every golden vector: `{file, cmd, hex, note}`. */
export function vectors() {
  const dir = join(root, 'testdata', 'vectors');
  return readdirSync(dir).filter((f) => f.endsWith('.tsv')).sort().flatMap((file) =>
    readFileSync(join(dir, file), 'utf8').split('\n').slice(1).filter((l) => l.trim())
      .map((line) => {
        const [cmd, hex, note] = line.split('\t');
        return { file, cmd, hex, note };
      }));
}

/** The text of an example plan. */
export function planText(name) {
  return readFileSync(join(root, 'examples', 'plans', name), 'utf8');
}

/** Every example plan's file name. */
export function planFiles() {
  return readdirSync(join(root, 'examples', 'plans')).filter((f) => f.endsWith('.json')).sort();
}

const cli = process.env.PILEKIT_CLI ?? join(root, 'target', 'debug', 'pilekit');

/** Runs the `pilekit` command (built by scripts/test-wasm.sh) and returns its standard output. */
export function pilekit(...args) {
  if (!existsSync(cli)) {
    throw new Error(`the pilekit command is not at ${cli}: run \`cargo build -p pilekit-cli\` or set PILEKIT_CLI`);
  }
  try {
    return execFileSync(cli, args, { encoding: 'utf8' });
  } catch (e) {
    // decode exits non-zero when the input has problems; its records are still printed
    if (typeof e.stdout === 'string' && e.stdout) return e.stdout;
    throw e;
  }
}

/** The JSON Lines the command prints, parsed. */
export function pilekitJson(...args) {
  return pilekit(...args).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Bytes from hex with spaces. */
export function bytes(hex) {
  return Uint8Array.from(hex.trim().split(/\s+/).map((h) => parseInt(h, 16)));
}

/** The CLI's canonical JSON with money written as the package writes it ("1.50"). */
export function moneyAsText(value, key = '') {
  if (Array.isArray(value)) return value.map((v) => moneyAsText(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, moneyAsText(v, k)]));
  }
  if (typeof value === 'number' && key.includes('yuan')) {
    const [whole, frac = ''] = String(value).split('.');
    return `${whole}.${frac.padEnd(2, '0')}`;
  }
  return value;
}
