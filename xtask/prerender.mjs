// The demo's results, made at build time by the page's own WebAssembly module, for the page to show
// before its worker has compiled the module (`cargo xtask site` embeds what this prints in index.html).
//
//   node xtask/prerender.mjs SITE/pkg > demo.json
//
// Prints {csv, mapping, inspect, result, charts: {en, zh}, drawings: {en: [...], zh: [...]}}: the demo
// file's text, then what the worker's 'demo' request answers (worker.js `readDemo`), then every chart
// drawn as a display list at the size the page gives it in a window 1,280 px wide or more. The page
// checks the worker's answer against `result` once it comes (<html data-prerender>), and redraws a chart
// whose size on the screen differs.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkg = path.resolve(process.argv[2] || 'target/site/pkg');
const wasm = await import(pathToFileURL(path.join(pkg, 'cohortcalc.js')).href);
wasm.initSync({ module: fs.readFileSync(path.join(pkg, 'cohortcalc_bg.wasm')) });

/** Chart sizes (px) in a window 1,280 px wide or more, at a device pixel ratio of 1 (measured). */
const WIDTH = 1086;
const HEIGHT = {
  flow_diagram: 576,
  tscore_histogram: 542,
  paired_means: 433,
  paired_lines: 433,
  change_distribution: 433,
  responders: 542,
  kaplan_meier: 576,
};

const bytes = wasm.demo_csv();
const mapping = wasm.demo_mapping();
const handle = wasm.open(bytes, undefined, () => {}, 'en');
const inspect = handle.inspect();
const results = handle.analyze(mapping, 'en');
const charts = { en: results.chart_list('en'), zh: results.chart_list('zh') };
const drawings = {};
for (const lang of ['en', 'zh']) {
  drawings[lang] = JSON.parse(charts[lang]).map(({ kind, outcome }) => {
    const height = HEIGHT[kind] || Math.round(WIDTH / 2);
    const ops = results.chart(kind, outcome ?? undefined, lang, WIDTH, height, false);
    return { kind, outcome: outcome ?? '', width: WIDTH, height, ops: JSON.parse(ops) };
  });
}
const out = {
  csv: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
  mapping,
  inspect,
  result: results.json(),
  charts,
  drawings,
};
// `<` written as \u003c: the JSON goes inside a <script> element, which no `</script>` in a text may end.
process.stdout.write(JSON.stringify(out).replace(/</g, '\\u003c'));
