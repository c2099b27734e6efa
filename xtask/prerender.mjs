// The demo's results, made at build time by the page's own WebAssembly module, for the page to show
// before its worker has compiled the module (`cargo xtask site` embeds what this prints in index.html).
//
//   node xtask/prerender.mjs SITE/pkg > demo.json
//
// Prints {csv, mapping, inspect, result, charts: {en, zh}}: the demo file's text, then what the worker's
// 'demo' request answers (worker.js `readDemo`). The page checks the worker's answer against `result`
// once it comes (<html data-prerender>). The charts are not in it: they are out of view when the page
// opens, and drawn by the worker after the first paint (copies of them made the page 350 kB larger and
// its first load slower).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkg = path.resolve(process.argv[2] || 'target/site/pkg');
const wasm = await import(pathToFileURL(path.join(pkg, 'cohortcalc.js')).href);
wasm.initSync({ module: fs.readFileSync(path.join(pkg, 'cohortcalc_bg.wasm')) });

const bytes = wasm.demo_csv();
const mapping = wasm.demo_mapping();
const handle = wasm.open(bytes, undefined, () => {}, 'en');
const inspect = handle.inspect();
const results = handle.analyze(mapping, 'en');
const charts = { en: results.chart_list('en'), zh: results.chart_list('zh') };
const out = {
  csv: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
  mapping,
  inspect,
  result: results.json(),
  charts,
};
// `<` written as \u003c: the JSON goes inside a <script> element, which no `</script>` in a text may end.
process.stdout.write(JSON.stringify(out).replace(/</g, '\\u003c'));
