// Page benchmark in headless Chromium (run by `cargo xtask bench-page`, which builds and serves the
// site):
//
//   BASE_URL=http://127.0.0.1:8000/ CHROMIUM=/usr/bin/chromium node tests/e2e/bench-page.mjs
//
// Prints, beside their targets: the time from navigation to the demo's results painted; the time
// from a generated 1 M-row cohort CSV (11 columns, ~52 MB) being set on the file input (1.5 s after
// the demo is shown, as a person would take to choose a file) to its results painted; the longest main-thread task meanwhile; peak memory. A benchmark: it prints
// figures and never fails on them (it exits 1 only when the page cannot be measured).
import { createWriteStream } from 'node:fs';
import { stat, readFile, mkdir } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from './browser.mjs';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000/';
/** The one-file page (cohortcalc.html), timed from file:// too when given. */
const ONE_FILE = process.env.ONE_FILE || '';
const SCRATCH = process.env.SCRATCH || tmpdir();
const ROWS = Number(process.env.ROWS || 1_000_000);
const DEMO_RUNS = Number(process.env.DEMO_RUNS || 5);
const TARGET = { demo: 0.12, big: 0.5, task: 100 };
/** The pause between the demo shown and the large file chosen. */
const THINK_MS = 1500;

/**
 * A cohort CSV shaped like the one of benches/analysis.rs (same columns, same distributions,
 * ~52 bytes a row), from a fixed xorshift32 sequence; written once and reused.
 */
async function cohortCsv(n) {
  const file = path.join(SCRATCH, `bench-page-${n}-v1.csv`);
  const done = await stat(file).catch(() => null);
  if (done && done.size > n * 40) return file;
  await mkdir(SCRATCH, { recursive: true });
  let state = 0x2545f491;
  const next = (m) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % m;
  };
  const pad = (x) => String(x).padStart(2, '0');
  const out = createWriteStream(file);
  const write = (s) => (out.write(s) ? null : new Promise((r) => out.once('drain', r)));
  await write('Record ID,Age,Sex,DEXA T-score,Procedure date,Last follow-up,VAS baseline,VAS 6 wk,Functional improvement,VCF,VCF date\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const t = (next(50) / 10 - 4).toFixed(1);
    const base = 4 + next(7);
    const after = Math.max(0, base - next(6));
    const y = 2019 + next(5);
    const m = 1 + next(12);
    const d = 1 + next(28);
    const months = 1 + next(40);
    const endM = ((m - 1 + months) % 12) + 1;
    const endY = y + Math.floor((m - 1 + months) / 12);
    const vcf = next(50) === 0;
    const end = `${endY}-${pad(endM)}-${pad(d)}`;
    chunk += `P${i},${45 + next(40)},${next(4) === 0 ? 'M' : 'F'},${t},${y}-${pad(m)}-${pad(d)},${end},${base},${after},${next(5) === 0 ? 'No' : 'Yes'},${vcf ? 'Yes' : 'No'},${vcf ? end : ''}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));
  return file;
}

/** Peak resident memory (VmHWM) of the renderer processes under `rootPid`, in bytes (Linux only). */
async function rendererPeakRss(rootPid) {
  if (process.platform !== 'linux') return null;
  const { readdir } = await import('node:fs/promises');
  const parents = new Map();
  for (const p of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(p)) continue;
    const st = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => '');
    const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(p), ppid);
  }
  const inTree = (pid) => {
    for (let p = pid, hops = 0; p && hops < 20; p = parents.get(p), hops++) if (p === rootPid) return true;
    return false;
  };
  let peak = null;
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmd.includes('--type=renderer')) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, kb * 1024);
  }
  return peak;
}

const secs = (ms) => `${(ms / 1000).toFixed(3)} s`;
const mb = (b) => (b == null ? 'n/a' : `${(b / 1e6).toFixed(1)} MB`);
const verdict = (ok) => (ok ? 'met' : 'NOT met');
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Installed in the page before its own scripts: long tasks, and when each analysis (the page
// counts them on <html data-analyses>) was shown and then painted.
function instrument() {
  const b = (self.__bench = { longtasks: [], shown: [], painted: [], chartsDrawn: [], fileSetAt: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    b.noLongtask = true;
  }
  // A count the page keeps on <html data-…>: when each step was shown, and painted (after the next frame).
  const follow = (attr, key, shown, painted) =>
    new MutationObserver(() => {
      const n = Number(document.documentElement.dataset[key] || 0);
      while (painted.length < n) {
        const i = painted.length;
        painted.push(null);
        if (shown) shown.push(performance.now());
        requestAnimationFrame(() => setTimeout(() => (painted[i] = performance.now()), 0));
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: [attr] });
  follow('data-analyses', 'analyses', b.shown, b.painted);
  // The results are painted before the charts out of view are drawn (one per task, then
  // <section id="results" data-rendering> goes): when that went, after each analysis shown.
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.id === 'results' && r.oldValue != null && !r.target.dataset.rendering) b.chartsDrawn.push(performance.now());
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-rendering'], attributeOldValue: true });
  document.addEventListener(
    'change',
    (e) => {
      if (e.target && e.target.type === 'file') b.fileSetAt = performance.now();
    },
    true,
  );
}

const csvFile = await cohortCsv(ROWS);
const csvBytes = (await stat(csvFile)).size;

const browser = await launchBrowser();
let ok = true;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String((e && e.message) || e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapNow = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  };

  // 1. Navigation to the demo's results painted, DEMO_RUNS times (the first is the coldest).
  const demo = [];
  const demoCharts = [];
  for (let i = 0; i < DEMO_RUNS; i++) {
    await page.goto(BASE_URL, { waitUntil: 'commit' });
    await page.waitForFunction(() => self.__bench && self.__bench.painted[0] != null, null, { timeout: 60_000 });
    demo.push(await page.evaluate(() => self.__bench.painted[0]));
    await page.waitForFunction(() => self.__bench.chartsDrawn.length > 0, null, { timeout: 60_000 });
    demoCharts.push(await page.evaluate(() => self.__bench.chartsDrawn[0]));
  }
  const demoText = await page.evaluate(() => document.getElementById('results')?.innerText || '');
  // The same from the one file, opened from disk (it unpacks and compiles its inlined module).
  const oneFile = [];
  if (ONE_FILE) {
    const onePage = await context.newPage();
    for (let i = 0; i < DEMO_RUNS; i++) {
      await onePage.goto(pathToFileURL(ONE_FILE).href, { waitUntil: 'commit' });
      await onePage.waitForFunction(() => self.__bench && self.__bench.painted[0] != null, null, { timeout: 60_000 });
      oneFile.push(await onePage.evaluate(() => self.__bench.painted[0]));
    }
    await onePage.close();
  }
  if (!demoText.includes('7.04')) {
    ok = false;
    console.log('warning: the demo results do not show 7.04; is the page working?');
  }

  // 2. The 1 M-row file on the file input, to its results painted; heap sampled meanwhile.
  const before = await page.evaluate(() => self.__bench.shown.length);
  const chartsBefore = await page.evaluate(() => self.__bench.chartsDrawn.length);
  let heapPeak = await heapNow();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const h = await heapNow().catch(() => null);
      if (h != null) heapPeak = Math.max(heapPeak ?? 0, h);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  // A person looks at the demo for a moment before choosing a file (the page warms up meanwhile).
  await page.waitForTimeout(THINK_MS);
  const wall0 = Date.now();
  await page.setInputFiles('#file', csvFile);
  await page.waitForFunction((n) => self.__bench.painted[n] != null, before, { timeout: 300_000, polling: 50 });
  await page.waitForFunction((n) => self.__bench.chartsDrawn.length > n, chartsBefore, { timeout: 60_000, polling: 50 });
  const wall = Date.now() - wall0;
  sampling = false;
  await sampler;
  const big = await page.evaluate(({ n, chartsBefore }) => {
    const b = self.__bench;
    const from = b.fileSetAt;
    const to = b.painted[n];
    const chartsAt = b.chartsDrawn[chartsBefore] ?? NaN;
    const tasks = b.longtasks.filter((t) => t.start + t.duration >= from && t.start <= to);
    return {
      from,
      to,
      charts: chartsAt - from,
      longest: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      longTasks: tasks.length,
      noLongtask: !!b.noLongtask,
      read: document.getElementById('fact-read')?.textContent?.trim() || '',
      error: (() => {
        const e = document.getElementById('error');
        return e && !e.hidden ? e.innerText.trim() : '';
      })(),
    };
  }, { n: before, chartsBefore });
  // The browser was started by this process: its renderers are below it.
  const rss = await rendererPeakRss(process.pid);

  const version = browser.version();
  const bigMs = big.from != null ? big.to - big.from : wall;
  console.log(`\ncohortcalc page benchmark — headless Chromium ${version}, ${availableParallelism()} CPUs, ${BASE_URL}`);
  console.log(`  ${'figure'.padEnd(58)} ${'measured'.padStart(10)}   target`);
  const row = (name, value, target) => console.log(`  ${name.padEnd(58)} ${value.padStart(10)}   ${target}`);
  row(`demo: navigation to results painted (first of ${DEMO_RUNS})`, secs(demo[0]), `≤ ${TARGET.demo} s: ${verdict(demo[0] <= TARGET.demo * 1000)}`);
  row(`demo: navigation to results painted (median of ${DEMO_RUNS})`, secs(median(demo)), `≤ ${TARGET.demo} s: ${verdict(median(demo) <= TARGET.demo * 1000)}`);
  row(`demo: navigation to every chart drawn (median)`, secs(median(demoCharts)), '');
  if (oneFile.length) {
    row(`demo, one-file page from file:// (median of ${DEMO_RUNS})`, secs(median(oneFile)), `≤ ${TARGET.demo} s: ${verdict(median(oneFile) <= TARGET.demo * 1000)}`);
  }
  row(`${ROWS.toLocaleString('en-US')} rows (${mb(csvBytes)}): file set to results painted`, secs(bigMs), `≤ ${TARGET.big} s: ${verdict(bigMs <= TARGET.big * 1000)}`);
  row(`${ROWS.toLocaleString('en-US')} rows: file set to every chart drawn`, secs(big.charts), '');
  const taskText = big.noLongtask ? 'n/a' : big.longTasks === 0 ? '< 50 ms' : `${Math.round(big.longest)} ms`;
  row('longest main-thread task meanwhile', taskText, `≤ ${TARGET.task} ms: ${big.noLongtask ? 'unknown' : verdict(big.longest <= TARGET.task)} (${big.longTasks} task(s) ≥ 50 ms)`);
  row('peak JS heap of the page (main thread, CDP)', mb(heapPeak), '');
  row('peak memory of the renderer (RSS: page, worker, wasm)', mb(rss), '');
  console.log(`  rows read shown by the page: ${big.read || '(none)'}${big.error ? `; error shown: ${big.error}` : ''}`);
  if (big.error || Number(big.read.replace(/\D/g, '')) !== ROWS) {
    ok = false;
    console.log('warning: the 1 M-row file was not analysed as expected; the figure above is not an analysis time');
  }
  console.log(`  (the large file is chosen ${THINK_MS / 1000} s after the demo is shown, as a person would take)`);
  if (errors.length) console.log(`  console errors: ${[...new Set(errors)].join(' | ')}`);
  console.log('\n(A benchmark: the targets are printed, not enforced.)');
} catch (e) {
  ok = false;
  console.log(`the page could not be measured: ${String((e && e.message) || e).split('\n')[0]}`);
} finally {
  await browser.close().catch(() => {});
}
process.exit(ok ? 0 : 1);
