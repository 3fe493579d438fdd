// Turns the compiled crate (target/wasm32-unknown-unknown/release/pilekit_wasm.wasm) into
//
// - pkg/: the npm package `pilekit` — ES module glue for browsers and bundlers (`await init()`
//   first), an entry for Node that loads the module synchronously, the TypeScript types, one
//   optimised .wasm shared by both;
// - web/pkg/: what the browser tools load with classic <script> tags, so the page also works
//   opened from disk: the glue, the .wasm as base64, the example plans and logs.
//
// Runs wasm-bindgen (the CLI version the crate pins) and, when the `binaryen` npm package is
// installed, wasm-opt -Oz without debug or producer sections (PILEKIT_WASM_OPT=0 skips it).
// Prints the .wasm size and its gzip size.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const input = join(here, 'target', 'wasm32-unknown-unknown', 'release', 'pilekit_wasm.wasm');
const pkg = join(here, 'pkg');
const webPkg = join(here, 'web', 'pkg');
const scratch = join(here, 'target', 'bindgen');

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

for (const dir of [pkg, webPkg, scratch]) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

run('wasm-bindgen', ['--target', 'web', '--out-dir', pkg, input]);
run('wasm-bindgen', ['--target', 'no-modules', '--out-dir', scratch, input]);

// Both targets produce the same module (imports from `wbg`): optimise it once.
const wasmFile = join(pkg, 'pilekit_wasm_bg.wasm');
const before = readFileSync(wasmFile).length;
const wasmOpt = join(here, 'node_modules', '.bin', 'wasm-opt');
let optimised = false;
if (existsSync(wasmOpt) && process.env.PILEKIT_WASM_OPT !== '0') {
  const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
  run(wasmOpt, ['-Oz', '--strip-debug', '--strip-producers', ...features, wasmFile, '-o', wasmFile]);
  optimised = true;
}
const wasm = readFileSync(wasmFile);

// The Node entry: the same glue, initialised synchronously from the file next to it.
writeFileSync(join(pkg, 'node.js'), `// The pilekit package in Node: the module is loaded when this file is imported.
import { readFileSync } from 'node:fs';
import { initSync } from './pilekit_wasm.js';

initSync({ module: readFileSync(new URL('./pilekit_wasm_bg.wasm', import.meta.url)) });

export * from './pilekit_wasm.js';
`);
writeFileSync(join(pkg, 'node.d.ts'), `export * from './pilekit_wasm.js';\n`);

const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(here, 'Cargo.toml'), 'utf8'))[1];
writeFileSync(join(pkg, 'package.json'), JSON.stringify({
  name: 'pilekit',
  version,
  description: 'Decode and encode charging-pile frames (YKC, DNY, JUY) and price sessions, in Node and the browser',
  license: 'MIT OR Apache-2.0',
  repository: 'https://github.com/pilekit/pilekit',
  type: 'module',
  main: './node.js',
  module: './pilekit_wasm.js',
  types: './pilekit_wasm.d.ts',
  exports: {
    '.': {
      node: { types: './node.d.ts', default: './node.js' },
      types: './pilekit_wasm.d.ts',
      default: './pilekit_wasm.js',
    },
    './pilekit_wasm_bg.wasm': './pilekit_wasm_bg.wasm',
  },
  files: ['pilekit_wasm.js', 'pilekit_wasm.d.ts', 'pilekit_wasm_bg.wasm', 'pilekit_wasm_bg.wasm.d.ts',
    'node.js', 'node.d.ts'],
  sideEffects: ['./node.js'],
}, null, 2) + '\n');
copyFileSync(join(here, 'README.md'), join(pkg, 'README.md'));

// The page: classic scripts, the module inline.
copyFileSync(join(scratch, 'pilekit_wasm.js'), join(webPkg, 'pilekit.js'));
writeFileSync(join(webPkg, 'pilekit-wasm.js'),
  `// The pilekit module, base64: the page works from disk, with no server.\n` +
  `var PILEKIT_WASM_BASE64 = "${wasm.toString('base64')}";\n`);
const examples = (dir) => readdirSync(join(root, 'examples', dir)).sort()
  .filter((f) => f.endsWith('.json') || f.endsWith('.log'))
  .map((file) => ({ file, text: readFileSync(join(root, 'examples', dir, file), 'utf8') }));
writeFileSync(join(webPkg, 'examples.js'),
  '// The example plans and pile logs shipped with pilekit (examples/plans, examples/logs).\n' +
  `var PILEKIT_PLANS = ${JSON.stringify(examples('plans'))};\n` +
  `var PILEKIT_LOGS = ${JSON.stringify(examples('logs'))};\n`);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sizes = {
  wasm_bytes: wasm.length,
  wasm_gzip_bytes: gzipSync(wasm, { level: 9 }).length,
  before_wasm_opt_bytes: before,
  wasm_opt: optimised,
};
writeFileSync(join(here, 'target', 'wasm-size.json'), JSON.stringify(sizes) + '\n');
console.log(`pilekit_wasm_bg.wasm: ${kb(sizes.wasm_bytes)} (gzip ${kb(sizes.wasm_gzip_bytes)})` +
  (optimised ? `, ${kb(before)} before wasm-opt -Oz` : ', without wasm-opt'));
