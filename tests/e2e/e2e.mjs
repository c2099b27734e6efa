// End-to-end test of the cohortcalc page in Debian's Chromium, driven by playwright-core.
//
//   BASE_URL=http://127.0.0.1:8000/ CHROMIUM=/usr/bin/chromium node tests/e2e/e2e.mjs
//
// Prints one line per check and ends with "N passed, M failed" (exit 1 when M > 0).
// Screenshots of every view, in English and Chinese, go to target/screenshots/.
// (The one-file page from file:// is tested by tests/e2e/offline.mjs.)
import { mkdir, readFile, readdir, access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { assert, check, finish, launchFresh, recordErrors, recordRequests, report } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = path.join(ROOT, 'tests', 'data');
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000/';
const ORIGIN = new URL(BASE_URL).origin;
const TIMEOUT = 30_000;

/** The demo's headline figures (Bellow et al. 2025) that the page must show. */
const DEMO_FIGURES = ['134', '32', '7.04', '3.78', '6.75', '4.13', '< 0.001', '79.1', '78.1', '18.07'];
/** Names the demo mapping gives its outcomes: shown as written in every language. */
const OUTCOME_NAMES = ['VAS', 'Functional improvement', 'VCF'];
const IMG = '<img src=x onerror=alert(1)>';
const HYPERLINK = '=HYPERLINK("http://x","y")';

function skip(name, why) {
  console.log(`skip ${name} — ${why}`);
}
async function exists(p) {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ helpers on the page

/** How many analyses the page has finished (it counts them on <html data-analyses>). */
async function runs(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.analyses || 0));
}

/** Waits until an analysis after the `before`-th has finished (and, if given, the status names `label`). */
async function waitDone(page, before, label = '') {
  await page.waitForFunction(
    ([n, text]) => {
      const done = Number(document.documentElement.dataset.analyses || 0);
      const status = document.getElementById('status');
      const now = document.getElementById('status-text')?.textContent || '';
      return done > n && status && !status.classList.contains('is-busy') && now.includes(text);
    },
    [before, label],
    { timeout: TIMEOUT },
  );
  await waitRendered(page);
}

/** Tables and charts are put in a slice at a time after an analysis or a language switch: waits for the last. */
async function waitRendered(page) {
  await page.waitForFunction(
    () => {
      const r = document.getElementById('results');
      return !r || r.hidden || !r.dataset.rendering;
    },
    null,
    { timeout: TIMEOUT },
  );
}

async function resultsText(page) {
  return page.evaluate(() => {
    const r = document.getElementById('results');
    return r && !r.hidden ? r.innerText : '';
  });
}

function expectFigures(text, figures) {
  const missing = figures.filter((f) => !text.includes(f));
  assert(missing.length === 0, `missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
}

async function rowHeads(page) {
  return page.evaluate(() => [...document.querySelectorAll('#tables th[scope=row]')].map((th) => th.textContent.trim()));
}

async function captions(page) {
  return page.evaluate(() => [...document.querySelectorAll('#tables caption')].map((c) => c.textContent.trim()));
}

/** Every table has a caption, column headers with scope=col and a row header per row. */
async function checkTablesAccessible(page) {
  const problems = await page.evaluate(() => {
    const out = [];
    const tables = [...document.querySelectorAll('#tables table')];
    if (tables.length === 0) out.push('no tables');
    for (const t of tables) {
      const cap = t.querySelector('caption')?.textContent.trim();
      if (!cap) out.push('a table without caption');
      const ths = t.querySelectorAll('thead th');
      if (ths.length === 0 || [...ths].some((th) => th.getAttribute('scope') !== 'col')) out.push(`${cap}: bad column headers`);
      const rows = t.querySelectorAll('tbody tr');
      if (rows.length === 0) out.push(`${cap}: no rows`);
      for (const tr of rows) {
        const first = tr.firstElementChild;
        if (!first || first.tagName !== 'TH' || first.getAttribute('scope') !== 'row') {
          out.push(`${cap}: a row without row header`);
          break;
        }
      }
    }
    return out;
  });
  assert(problems.length === 0, problems.join('; '));
  return `${await page.locator('#tables table').count()} tables`;
}

/** Each chart canvas is sized and has a drawing on it (not one flat colour). */
async function checkCharts(page) {
  const info = await page.evaluate(() =>
    [...document.querySelectorAll('#results .chart canvas')].map((c) => {
      const fig = c.closest('.chart');
      const note = fig.querySelector('.chart-note');
      const name = `${c.dataset.kind}${c.dataset.outcome ? `/${c.dataset.outcome}` : ''}`;
      if (c.width === 0 || c.height === 0) return { name, error: 'zero size' };
      const ctx = c.getContext('2d');
      if (!ctx) return { name, error: 'no 2d context' };
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      const bg = [data[0], data[1], data[2], data[3]];
      let differ = 0;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] !== bg[0] || data[i + 1] !== bg[1] || data[i + 2] !== bg[2] || data[i + 3] !== bg[3]) differ++;
        if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return {
        name,
        w: c.width,
        h: c.height,
        cssW: c.clientWidth,
        dpr: window.devicePixelRatio,
        share: differ / (data.length / 4),
        colours: colours.size,
        note: note && !note.hidden ? note.textContent : '',
      };
    }),
  );
  assert(info.length > 0, 'no chart canvas');
  for (const c of info) {
    assert(!c.error, `${c.name}: ${c.error}`);
    assert(!c.note, `${c.name}: ${c.note}`);
    assert(c.share > 0.005 && c.colours >= 3, `${c.name}: canvas looks blank (${(c.share * 100).toFixed(2)}% drawn, ${c.colours} colours)`);
    assert(Math.abs(c.w - Math.round(c.cssW * c.dpr)) <= 2, `${c.name}: canvas ${c.w}px wide for ${c.cssW} CSS px at dpr ${c.dpr}`);
  }
  return info.map((c) => `${c.name}: ${(c.share * 100).toFixed(1)}% drawn, ${c.w}×${c.h}`).join('; ');
}

/** No "undefined", "NaN" or stack-trace lines anywhere on the page. */
async function checkNoJunk(page) {
  const text = await page.evaluate(() => document.body.innerText);
  const junk = [];
  if (/\bundefined\b/.test(text)) junk.push('"undefined"');
  if (/\bNaN\b/.test(text)) junk.push('"NaN"');
  if (/^\s*at\s+\S+.*(:\d+:\d+|\(.*\))\s*$/m.test(text)) junk.push('a stack-trace line');
  if (/\[object Object\]/.test(text)) junk.push('"[object Object]"');
  assert(junk.length === 0, `page shows ${junk.join(', ')}`);
}

/**
 * WCAG AA contrast of every visible text on the page: 4.5:1, or 3:1 for large text (24 px, or 18.7 px
 * bold). The background is the first opaque one up the tree.
 */
async function checkContrast(page) {
  const bad = await page.evaluate(() => {
    const parse = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (node) => {
      for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c && c.a >= 0.99) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const e = t.parentElement;
      if (!t.textContent.trim() || !e || seen.has(e)) continue;
      seen.add(e);
      if (e.closest('[hidden], canvas, noscript, .visually-hidden, option')) continue;
      const rect = e.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
      const fg = parse(s.color);
      if (!fg) continue;
      const bg = background(e);
      const mix = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
      const [l1, l2] = [lum(mix), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${JSON.stringify(t.textContent.trim().slice(0, 30))} ${ratio.toFixed(2)}:1`);
    }
    return out;
  });
  assert(bad.length === 0, `low contrast: ${bad.slice(0, 6).join('; ')}`);
}

async function noHorizontalScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 0, `page scrolls sideways by ${overflow}px`);
}

/**
 * No results table is wider than its card (at 1280 px: at 1024 the widest may scroll within it, their first
 * column held in place).
 */
async function tablesFit(page) {
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('#tables .table-scroll')]
      .filter((s) => s.scrollWidth > s.clientWidth + 1)
      .map((s) => `${(s.querySelector('caption') || {}).textContent}: ${s.scrollWidth} > ${s.clientWidth}px`),
  );
  assert(wide.length === 0, `tables wider than their card: ${wide.join(' | ')}`);
}

/** Opens the mapping panel (step 2) if it is collapsed. */
async function openMapping(page) {
  if (await page.locator('#mapping-body').isHidden()) await page.locator('#mapping-toggle').click();
  await page.locator('#mapping-form fieldset').first().waitFor();
}

/** Chooses `value` in the mapping panel's control `key` and waits for the new analysis. */
/** Loads (on second.csv) a mapping whose "before" column is not in the file; returns the error shown. */
async function loadMissingColumnMapping(page) {
  const before = await runs(page);
  const bad = JSON.stringify({ paired: [{ name: 'Pain', before: 'Pain at entry', after: 'Pain after' }] });
  await page.setInputFiles('#mapping-file', { name: 'wrong.mapping.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await waitDone(page, before, '\u201csecond.csv\u201d');
  return (await page.locator('#error-message').innerText()).trim();
}

async function choose(page, key, value, label = '') {
  const before = await runs(page);
  await page.selectOption(`#mapping-form [data-key="${key}"]`, value);
  await waitDone(page, before, label);
}

/**
 * The body rows of the results table captioned `caption` (its caption's text, or the start of it), each as
 * its cells' texts; null when there is no such table.
 */
async function tableRows(page, caption) {
  return page.evaluate((cap) => {
    const tables = [...document.querySelectorAll('#tables table')];
    const text = (t) => (t.caption ? t.caption.textContent.trim() : '');
    const t = tables.find((x) => text(x) === cap) || tables.find((x) => text(x).startsWith(cap));
    if (!t) return null;
    // Spaces as they are read (a figure's parts are held together by no-break spaces).
    return [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim()));
  }, caption);
}

/** The row of `rows` whose first cell is `head` (and whose cells match `more`, if given). */
function rowOf(rows, head, more = () => true) {
  const row = (rows || []).find((r) => r[0] === head && more(r));
  assert(row, `no row ${JSON.stringify(head)} in ${JSON.stringify((rows || []).map((r) => r.slice(0, 3)))}`);
  return row;
}

/** Opens tests/data/coded.csv (codes 1/2 and a 0–3 scale) and loads its mapping (or `mapping`). */
async function openCoded(page, mapping = null) {
  let before = await runs(page);
  await page.setInputFiles('#file', path.join(DATA, 'coded.csv'));
  await waitDone(page, before, '\u201ccoded.csv\u201d');
  before = await runs(page);
  if (mapping) {
    const buffer = Buffer.from(JSON.stringify(mapping));
    await page.setInputFiles('#mapping-file', { name: 'coded.mapping.json', mimeType: 'application/json', buffer });
  } else await page.setInputFiles('#mapping-file', path.join(DATA, 'coded.mapping.json'));
  await waitDone(page, before, '\u201ccoded.csv\u201d');
}

/** Types `text` into the panel's field `selector` and waits for the analysis it makes. */
async function typeIn(page, selector, text) {
  const before = await runs(page);
  await page.fill(`#mapping-form ${selector}`, text);
  await waitDone(page, before);
}

/** Opens the editor of the names of `column`'s values (step 2, categories). */
async function openNames(page, column) {
  const details = page.locator('#categories-group .cat-item', { has: page.locator(`.cat-col:text-is(${JSON.stringify(column)})`) }).locator('details');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
}

/** The yes/no column coded 1/2: the error shown, and where (for English and 中文). */
async function yesErrorShown(page) {
  assert(await page.locator('#error').isVisible(), 'no error shown');
  const msg = (await page.locator('#error-message').innerText()).trim();
  const hint = (await page.locator('#error-hint').innerText()).trim();
  assert(msg.includes('Sore throat'), `the error does not name the column: ${JSON.stringify(msg)}`);
  assert(!/undefined|NaN|\[object/.test(msg + hint), `junk in ${JSON.stringify(msg + hint)}`);
  assert(!/^\s*at\s/m.test(msg) && !/\.(js|rs|wasm):\d+/.test(msg) && !/RuntimeError|unreachable|panicked/.test(msg), `a stack or panic: ${msg}`);
  assert(await page.locator('#mapping-body #error').count(), 'the error is not shown in step 2');
  assert(await page.locator('#results').isHidden(), 'results shown beside the error');
  const rule = page.locator('#mapping-form [data-key="binary.0.yes_rule"]');
  assert((await rule.getAttribute('aria-invalid')) === 'true', 'the yes/no outcome is not marked in the panel');
  const note = await page.locator('#mapping-form .role-item', { has: page.locator('[data-key="binary.0.yes_rule"]') }).locator('.row-note').innerText();
  await checkNoJunk(page);
  return { msg, hint, note };
}

/** The parts of a zip file (as the XLSX export writes it: sizes in the local headers), as text. */
function unzip(buf) {
  const parts = new Map();
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const method = buf.readUInt16LE(at + 8);
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const extraLen = buf.readUInt16LE(at + 28);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    const start = at + 30 + nameLen + extraLen;
    const data = buf.subarray(start, start + size);
    parts.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at = start + size;
  }
  return parts;
}

async function downloadOf(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const text = await readFile(await dl.path(), 'utf8');
  return { name: dl.suggestedFilename(), text };
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage });
}

async function dropFile(page, name, buffer, mimeType = 'text/csv') {
  const dt = await page.evaluateHandle(
    ({ name, bytes, mimeType }) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      return d;
    },
    { name, bytes: [...buffer], mimeType },
  );
  await page.dispatchEvent('#dropzone', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('#dropzone', 'dragover', { dataTransfer: dt });
  const lit = await page.evaluate(() => document.getElementById('dropzone').classList.contains('is-dragover'));
  await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: dt });
  return lit;
}

/** Distinct values of a CSV column (simple CSV: no quoted commas in that column). */
function columnValues(csv, column) {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  const i = header.indexOf(column);
  if (i < 0) return [];
  return [...new Set(lines.slice(1).map((l) => (l.split(',')[i] || '').trim().replace(/^"|"$/g, '')).filter(Boolean))];
}

/** A cohort of about `mb` megabytes: the demo's rows again and again with new record IDs. */
async function bigCohort(mb) {
  const demo = (await readFile(path.join(DATA, 'demo.csv'), 'utf8')).trim().split(/\r?\n/);
  const [header, ...rows] = demo;
  const out = [header];
  let size = header.length;
  for (let k = 0; size < mb * 1024 * 1024; k++) {
    for (const r of rows) {
      const line = r.replace(/^[^,]*/, `P${k}-${out.length}`);
      out.push(line);
      size += line.length + 1;
    }
  }
  return { text: `${out.join('\n')}\n`, rows: out.length - 1 };
}

// ------------------------------------------------------------------ the run

const { context, userDataDir, close } = await launchFresh('cohortcalc-e2e-', {
  viewport: { width: 1280, height: 900 },
  locale: 'en-US',
  acceptDownloads: true,
});
await mkdir(SHOTS, { recursive: true });
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN }).catch(() => {});

const dialogs = [];
const requests = recordRequests(context);
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
const consoleErrors = recordErrors(page);
page.on('dialog', (d) => {
  dialogs.push(d.message());
  d.dismiss().catch(() => {});
});
// File-chooser interception is switched on when the first listener is added, asynchronously; a
// listener added just before the key press can lose that race, so one listens from the start.
const choosers = [];
let chooserWaiter = null;
page.on('filechooser', (fc) => {
  if (chooserWaiter) {
    chooserWaiter(fc);
    chooserWaiter = null;
  } else choosers.push(fc);
});
function nextFileChooser() {
  if (choosers.length) return Promise.resolve(choosers.shift());
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no file chooser opened')), 10_000);
    chooserWaiter = (fc) => {
      clearTimeout(t);
      resolve(fc);
    };
  });
}

try {
  // ================================================================ 1. the demo on open
  const opened = await check('page opens', async () => {
    const resp = await page.goto(BASE_URL, { waitUntil: 'load' });
    assert(resp && resp.ok(), `HTTP ${resp && resp.status()}`);
    const title = await page.title();
    assert(/cohortcalc/.test(title), `title ${JSON.stringify(title)}`);
  });
  if (opened) {
    await check('header says it runs in the browser with no upload; English chosen for an English browser', async () => {
      const h = await page.locator('header').innerText();
      assert(h.includes('cohortcalc') && /no upload/i.test(h), JSON.stringify(h));
      assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang is not en');
      assert((await page.getAttribute('.lang[data-lang="en"]', 'aria-pressed')) === 'true', 'English not pressed');
    });
    await check('Content-Security-Policy meta allows only self', async () => {
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert(csp && /default-src 'none'/.test(csp) && !/https?:|\*/.test(csp), String(csp));
    });
    await check('demo results appear on open', async () => {
      await waitDone(page, 0, 'demo');
      assert(await resultsText(page), 'results not shown');
    });
    await check('the demo shown at once (made at build time) is what the worker computes', async () => {
      await page.waitForFunction(() => document.documentElement.dataset.prerender, null, { timeout: 30_000 });
      const verdict = await page.evaluate(() => document.documentElement.dataset.prerender);
      assert(verdict === 'same', `the worker's demo results differ from the build's (data-prerender=${verdict})`);
      return verdict;
    });
    await check('demo figures shown on open', async () => {
      expectFigures(await resultsText(page), DEMO_FIGURES);
      return DEMO_FIGURES.join(' ');
    });
    await check('demo strata shown', async () => {
      expectFigures(await resultsText(page), ['Overall', 'Normal', 'Osteopenia', 'Osteoporosis', 'Reduced bone density']);
    });
    await check('rows read / included / excluded shown, and the flow summary', async () => {
      const read = (await page.locator('#fact-read').innerText()).trim();
      const inc = (await page.locator('#fact-included').innerText()).trim();
      const exc = (await page.locator('#fact-excluded').innerText()).trim();
      assert(/^\d+$/.test(read) && /^\d+$/.test(inc) && /^\d+$/.test(exc), `${read}/${inc}/${exc}`);
      assert(Number(read) === 134 && Number(inc) + Number(exc) === Number(read), `read ${read}, included ${inc}, excluded ${exc}`);
      const flow = await page.locator('#flow').innerText();
      expectFigures(flow, ['Rows read', '134', 'Included', 'Normal', '60', 'VAS: 134 complete pairs']);
      return `read ${read}, included ${inc}, excluded ${exc}`;
    });
    await check('demo tables are accessible tables, each as wide as its card at most', async () => {
      await checkTablesAccessible(page);
      await tablesFit(page);
    });
    await check('every table of the report is shown, each with a Copy button', async () => {
      const n = await page.locator('#tables table').count();
      const copies = await page.locator('#tables .copy-table').count();
      assert(n >= 8 && copies === n, `${n} tables, ${copies} copy buttons`);
      const toc = await page.locator('#toc a').count();
      assert(toc >= n, `contents list has ${toc} links for ${n} tables`);
    });
    await check('methods paragraph shown', async () => {
      const m = await page.locator('#methods-text').innerText();
      assert(/paired t-test/i.test(m) && /Wilcoxon/.test(m) && /Wilson/.test(m), JSON.stringify(m.slice(0, 120)));
    });
    await check('demo charts drawn', () => checkCharts(page));
    await check('every chart has a PNG download (and SVG when the module draws SVG)', async () => {
      const figs = await page.locator('#charts figure').count();
      const png = await page.locator('#charts .chart-tools button').filter({ hasText: 'PNG' }).count();
      assert(figs > 0 && png === figs, `${figs} figures, ${png} PNG buttons`);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#charts .chart-tools button').first().click()]);
      const buf = await readFile(await dl.path());
      assert(buf.subarray(1, 4).toString() === 'PNG' && buf.length > 5000, `${dl.suggestedFilename()}: not a PNG (${buf.length} bytes)`);
      let svgNote = 'no SVG export in this build';
      const svgButtons = page.locator('#charts .chart-tools button').filter({ hasText: 'SVG' });
      if ((await svgButtons.count()) > 0) {
        const [sv] = await Promise.all([page.waitForEvent('download'), svgButtons.first().click()]);
        const svg = await readFile(await sv.path(), 'utf8');
        assert(/<svg[\s>]/.test(svg), `${sv.suggestedFilename()}: not an SVG`);
        svgNote = `${sv.suggestedFilename()} ${svg.length} bytes`;
      }
      return `${dl.suggestedFilename()} ${buf.length} bytes; ${svgNote}`;
    });
    await check('no undefined/NaN/stack on the demo page', () => checkNoJunk(page));
    await check('contrast AA on the demo page', () => checkContrast(page));
    await check('screenshot en-demo.png', () => shot(page, 'en-demo.png'));

    // ================================================================ 2. exports
    await check('exported CSV: every table, figures as shown, UTF-8 with BOM', async () => {
      const { name, text } = await downloadOf(page, '#export-csv');
      assert(text.startsWith('\uFEFF'), 'no byte-order mark');
      const caps = await captions(page);
      const missing = caps.filter((c) => !text.includes(c.includes(',') ? `"${c}"` : c));
      assert(missing.length === 0, `titles missing: ${missing.join(' | ')}`);
      expectFigures(text, ['7.04 ± 1.26', '3.78 ± 2.16', '< 0.001', 'Reduced bone density']);
      return `${name}, ${text.split('\r\n').length} lines`;
    });
    await check('exported Excel workbook: the tables, numbers as numbers, no formulas', async () => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-xlsx').click()]);
      const parts = unzip(await readFile(await dl.path()));
      assert(dl.suggestedFilename().endsWith('.xlsx'), dl.suggestedFilename());
      for (const p of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/styles.xml']) assert(parts.has(p), `no ${p}`);
      const sheet = parts.get('xl/worksheets/sheet1.xml') || '';
      expectFigures(sheet, ['7.04 ± 1.26', '3.78 ± 2.16', '&lt; 0.001', 'Reduced bone density']);
      assert(/<c r="B3" s="2"><v>134<\/v><\/c>/.test(sheet), 'N = 134 is not a number cell');
      assert(!sheet.includes('<f>'), 'the sheet has a formula');
      return `${dl.suggestedFilename()}, ${parts.size} parts`;
    });
    await check('exported report JSON has the full-precision report', async () => {
      const { text } = await downloadOf(page, '#export-json');
      const json = JSON.parse(text);
      assert(json.report && json.report.rows_read === 134 && Array.isArray(json.diagnostics), 'not a report');
      const vas = json.report.strata[0].paired.VAS;
      assert(Math.abs(vas.before.mean - 7.04) < 0.005 && String(vas.before.mean).length > 4, `VAS before mean ${vas.before.mean}`);
    });
    await check('demo CSV link is a blob with the demo file', async () => {
      const href = await page.locator('#download-demo').getAttribute('href');
      assert(href && href.startsWith('blob:'), String(href));
      const { text } = await downloadOf(page, '#download-demo');
      assert(text === (await readFile(path.join(DATA, 'demo.csv'), 'utf8')), 'downloaded demo CSV differs from tests/data/demo.csv');
    });
    await check('copy a table: HTML for Word and tab-separated text for Excel', async () => {
      const btn = page.locator('#tables .copy-table').nth(1);
      await btn.click();
      await page.waitForFunction(() => document.querySelectorAll('#tables .copy-table.done').length > 0, null, { timeout: 5000 });
      const clip = await page.evaluate(async () => {
        const items = await navigator.clipboard.read();
        const out = {};
        for (const it of items) for (const type of it.types) out[type] = await (await it.getType(type)).text();
        return out;
      });
      assert(clip['text/html'] && /<table[\s>]/.test(clip['text/html']) && clip['text/html'].includes('<th scope="row"'), 'no HTML table on the clipboard');
      const tsv = clip['text/plain'] || '';
      const lines = tsv.split(/\r?\n/);
      assert(lines.length >= 7 && lines[1].split('\t').length >= 5, `plain text is not a TSV table: ${JSON.stringify(tsv.slice(0, 80))}`);
      expectFigures(tsv, ['Overall\t134', '7.04 ± 1.26']);
      return `${lines.length} lines, ${lines[1].split('\t').length} columns`;
    });
    await check('copy the methods text', async () => {
      await page.locator('#copy-methods').click();
      await page.waitForFunction(() => document.getElementById('copy-methods').classList.contains('done'), null, { timeout: 5000 });
      const text = await page.evaluate(() => navigator.clipboard.readText());
      assert(/paired t-test/i.test(text), JSON.stringify(text.slice(0, 80)));
    });
    await check('the Results paragraph shows the published figures, and copies', async () => {
      const text = await page.locator('#results-text').innerText();
      expectFigures(text, ['134 patients were included', 'from 7.04 ± 1.26 to 3.78 ± 2.16', 'from 6.75 ± 0.98 to 4.13 ± 1.81', '106/134 (79.1%', '0/134']);
      await page.locator('#copy-results-text').click();
      await page.waitForFunction(() => document.getElementById('copy-results-text').classList.contains('done'), null, { timeout: 5000 });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert(copied === text, 'the copied text is not the paragraph shown');
      return `${text.length} characters`;
    });
    await check('save the mapping as JSON', async () => {
      await openMapping(page);
      const { name, text } = await downloadOf(page, '#save-mapping');
      const json = JSON.parse(text);
      assert(json.strata && json.strata.tscore === 'DEXA T-score' && json.paired[0].after === 'VAS 6 wk', text.slice(0, 100));
      return name;
    });
    await check('print stylesheet: controls hidden, tables and figures kept', async () => {
      await page.emulateMedia({ media: 'print' });
      const vis = await page.evaluate(() => {
        const shown = (sel) => {
          const e = document.querySelector(sel);
          return !!e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0;
        };
        return {
          input: shown('.input'),
          mapping: shown('#mapping'),
          exports: shown('.exports'),
          copy: shown('.copy-table'),
          tables: shown('#tables table'),
          charts: shown('#charts canvas'),
          title: shown('#print-title'),
          breakInside: getComputedStyle(document.querySelector('#tables table')).breakInside,
        };
      });
      // About the printable width of A4 at 96 dpi (Chromium shrinks up to 1.33 times more to fit).
      await page.setViewportSize({ width: 720, height: 1000 });
      await page.waitForTimeout(300);
      // Portrait blocks within the page; tables of many columns (printed landscape) within A4 landscape.
      vis.overflow = await page.evaluate(() => {
        let worst = 0;
        for (const e of document.querySelectorAll('#results table, #results canvas, #results .flow-row, #results p')) {
          const landscape = !!e.closest('.landscape');
          const over = e.getBoundingClientRect().right - (landscape ? 1030 : document.documentElement.clientWidth);
          worst = Math.max(worst, Math.round(over));
        }
        return worst;
      });
      await shot(page, 'en-print.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.pdf({ path: path.join(SHOTS, 'en-report.pdf'), format: 'A4', printBackground: true }).catch(() => {});
      await page.emulateMedia({ media: 'screen' });
      assert(!vis.input && !vis.mapping && !vis.exports && !vis.copy, `controls printed: ${JSON.stringify(vis)}`);
      assert(vis.tables && vis.charts && vis.title, `content not printed: ${JSON.stringify(vis)}`);
      assert(vis.breakInside === 'avoid', `tables may break across pages (${vis.breakInside})`);
      assert(vis.overflow <= 0, `something printed is ${vis.overflow}px wider than its A4 page`);
    });

    // ================================================================ 3. the mapping panel on the demo
    await check('mapping panel shows the demo mapping in its dropdowns', async () => {
      await openMapping(page);
      const v = await page.evaluate(() => {
        const val = (k) => document.querySelector(`#mapping-form [data-key="${k}"]`)?.value;
        return {
          id: val('id'),
          strata: val('strata.column'),
          kind: val('strata.kind'),
          before: val('paired.0.before'),
          after: val('paired.0.after'),
          binary: val('binary.0.column'),
          fu: val('followup.kind'),
          start: val('followup.start'),
          event: val('events.0.column'),
          eventDate: val('events.0.date'),
          covariates: [...document.querySelectorAll('#mapping-form [data-key="covariates"]:checked')].map((c) => c.dataset.column),
          options: document.querySelectorAll('#mapping-form [data-key="paired.0.after"] option').length,
        };
      });
      const want = {
        id: 'Record ID',
        strata: 'DEXA T-score',
        kind: 'tscore',
        before: 'VAS baseline',
        after: 'VAS 6 wk',
        binary: 'Functional improvement',
        fu: 'dates',
        start: 'Procedure date',
        event: 'VCF',
        eventDate: 'VCF date',
      };
      for (const [k, w] of Object.entries(want)) assert(v[k] === w, `${k} is ${JSON.stringify(v[k])}, not ${JSON.stringify(w)}`);
      assert(v.covariates.join() === 'Age,Sex', `covariates ${v.covariates}`);
      assert(v.options === 12, `the after dropdown lists ${v.options} options, not the 11 headers + none`);
      await shot(page, 'en-mapping.png', false);
      await page.locator('#mapping').screenshot({ path: path.join(SHOTS, 'en-mapping-panel.png') });
    });
    await check('choose the strata compared in the panel: add Osteoporosis vs Normal, then remove it', async () => {
      const val = (k) => page.inputValue(`#mapping-form [data-key="${k}"]`);
      assert((await val('compare.0.0')) === 'Reduced bone density' && (await val('compare.0.1')) === 'Normal', 'the demo comparison is not in the panel');
      const comparisons = async () => (await page.locator('.table-block', { has: page.locator('caption', { hasText: 'Comparisons between strata' }) }).innerText());
      assert(!(await comparisons()).includes('Osteoporosis vs Normal'), 'compared before it was asked for');
      await page.locator('#mapping-form [data-add="compare"]').click();
      const focused = await page.evaluate(() => document.activeElement?.dataset.key);
      assert(focused === 'compare.1.0', `focus went to ${focused}`);
      assert(await page.locator('#mapping-form .row-note').filter({ hasText: 'Choose two strata' }).count(), 'no note on the unfinished comparison');
      await choose(page, 'compare.1.0', 'Osteoporosis');
      await choose(page, 'compare.1.1', 'Normal');
      const table = await comparisons();
      assert(table.includes('Osteoporosis vs Normal'), 'no Osteoporosis vs Normal rows in the comparisons');
      assert(table.includes('Reduced bone density vs Normal'), 'the first comparison went');
      const before = await runs(page);
      await page.locator('#mapping-form [data-remove="compare.1"]').click();
      await waitDone(page, before);
      assert(!(await comparisons()).includes('Osteoporosis vs Normal'), 'the removed comparison is still shown');
      return 'Osteoporosis vs Normal added and removed';
    });
    await check('change the strata in the panel: Sex as categories; the numbers follow', async () => {
      await choose(page, 'strata.kind', 'column');
      await choose(page, 'strata.column', 'Sex');
      const heads = await rowHeads(page);
      assert(heads.includes('F') && heads.includes('M'), `no F/M strata: ${heads.slice(0, 8).join(', ')}`);
      assert(!heads.includes('Osteopenia'), 'WHO categories still shown');
      expectFigures(await resultsText(page), ['7.04', '3.78']);
      assert(/chosen/.test(await page.locator('#fact-mapping').innerText()), 'mapping not shown as chosen');
    });
    await check('change the after column (keyboard only): the numbers change', async () => {
      const before = await runs(page);
      await page.focus('#mapping-form [data-key="paired.0.after"]');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      });
      assert(ring, 'no visible focus ring on the dropdown');
      // One step up the list: "VAS 6 wk" → "VAS baseline" (after = before: every difference is 0).
      await page.keyboard.press('ArrowUp');
      await waitDone(page, before);
      const after = await page.inputValue('#mapping-form [data-key="paired.0.after"]');
      assert(after === 'VAS baseline', `after is ${after}`);
      const text = await resultsText(page);
      assert(!text.includes('3.78'), 'the old after mean 3.78 is still shown');
      expectFigures(text, ['7.04', '0.00']);
      await checkNoJunk(page);
    });
    await check('add and remove an outcome in the panel', async () => {
      const n0 = await page.locator('#tables table').count();
      await page.locator('#mapping-form [data-add="binary"]').click();
      const focused = await page.evaluate(() => document.activeElement?.dataset.key);
      assert(focused === 'binary.1.column', `focus went to ${focused}`);
      assert(await page.locator('#mapping-form .row-note').filter({ hasText: 'Incomplete' }).count(), 'no note on the incomplete row');
      await choose(page, 'binary.1.column', 'VCF');
      const caps = await captions(page);
      assert(caps.some((c) => c.startsWith('VCF') && !/event/i.test(c)), `no yes/no table for VCF: ${caps.join(' | ')}`);
      const before = await runs(page);
      await page.locator('#mapping-form [data-remove="binary.1"]').click();
      await waitDone(page, before);
      assert((await page.locator('#tables table').count()) === n0, 'table count not back');
    });
    await check('Load demo restores the demo mapping and figures', async () => {
      const before = await runs(page);
      await page.locator('#load-demo').click();
      await waitDone(page, before, 'demo');
      expectFigures(await resultsText(page), DEMO_FIGURES);
    });

    // ================================================================ 4. files from the picker and drops
    await check('file picker opens from the keyboard (Tab to the button, Enter); demo.csv gives the same figures', async () => {
      await page.locator('header h1').click();
      let reached = false;
      for (let i = 0; i < 8 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'choose');
      }
      assert(reached, 'the choose button is not reachable with Tab');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
      });
      assert(ring, 'no visible focus ring on the choose button');
      const [chooser] = await Promise.all([nextFileChooser(), page.keyboard.press('Enter')]);
      const before = await runs(page);
      await chooser.setFiles(path.join(DATA, 'demo.csv'));
      await waitDone(page, before, '\u201cdemo.csv\u201d');
      const text = await resultsText(page);
      expectFigures(text, DEMO_FIGURES.filter((f) => f !== '32'));
      const file = (await page.locator('#fact-file').innerText()).trim();
      assert(file === 'demo.csv', `file shown as ${JSON.stringify(file)}`);
    });
    await check('Space on the focused button opens the file picker too', async () => {
      await page.focus('#choose');
      const [chooser] = await Promise.all([nextFileChooser(), page.keyboard.press('Space')]);
      await chooser.setFiles([]);
      assert(await page.locator('#results').isVisible(), 'results went away after an empty choice');
    });
    await check('drop a CSV on the page', async () => {
      const before = await runs(page);
      const lit = await dropFile(page, 'dropped.csv', await readFile(path.join(DATA, 'demo.csv')));
      assert(lit, 'drop zone not highlighted on drag-over');
      await waitDone(page, before, '\u201cdropped.csv\u201d');
      expectFigures(await resultsText(page), ['7.04', '3.78', '79.1']);
    });

    await check('follow-up in days: guessed in its unit, given in months; its unit changed in the panel', async () => {
      const csv = 'ID,VAS pre,VAS post,Follow-up (days),VCF\n1,8,3,365.25,No\n2,7,2,730.5,Yes\n3,9,4,365.25,No\n4,6,1,730.5,No\n';
      const before = await runs(page);
      await dropFile(page, 'days.csv', Buffer.from(csv));
      await waitDone(page, before, '\u201cdays.csv\u201d');
      await openMapping(page);
      const kind = await page.inputValue('#mapping-form [data-key="followup.kind"]');
      assert(kind === 'days', `follow-up kind ${kind}`);
      const column = await page.inputValue('#mapping-form [data-key="followup.column"]');
      assert(column === 'Follow-up (days)', `follow-up column ${column}`);
      // 365.25 and 730.5 days: 12 and 24 months, mean 18.00.
      expectFigures(await resultsText(page), ['18.00 ± 6.93']);
      await choose(page, 'followup.kind', 'weeks');
      // The same numbers as weeks: 84 and 168 months, mean 126.00.
      const text = await resultsText(page);
      assert(!text.includes('18.00 ± 6.93') && text.includes('126.00 ± 48.50'), 'the follow-up did not change with its unit');
      return kind;
    });

    // ================================================================ 4b. what counts as yes, responders, categories
    await check('a yes/no column coded 1/2: the analysis stops with an error naming it; step 2 says what to do and marks the row', async () => {
      await openCoded(page);
      const { msg, hint, note } = await yesErrorShown(page);
      assert(hint.includes('Yes/no outcomes') && hint.includes('Sore throat'), `the hint does not point to the row: ${JSON.stringify(hint)}`);
      assert(/which value/.test(note), `no note on the row: ${JSON.stringify(note)}`);
      assert(/step 2/.test(await page.locator('#status-text').innerText()), 'the status does not point to step 2');
      await checkContrast(page);
      await shot(page, 'en-yes-error.png', false);
      return msg;
    });
    await check('yes/no: the value meaning yes chosen among the column’s values — "2": 5 of 12 yes; "1": 7 of 12', async () => {
      await choose(page, 'binary.0.yes_rule', 'event_value');
      const opts = await page.evaluate(() => [...document.querySelectorAll('#mapping-form [data-key="binary.0.yes_value"] option')].map((o) => o.value));
      assert(opts.join() === ',1,2', `the values offered: ${JSON.stringify(opts)}`);
      await choose(page, 'binary.0.yes_value', '2', '\u201ccoded.csv\u201d');
      assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
      let rows = await tableRows(page, 'Sore throat');
      assert(rowOf(rows, 'Overall').slice(1, 4).join() === '12,5,41.7', `overall ${rowOf(rows, 'Overall')}`);
      assert(rowOf(rows, '1').slice(1, 4).join() === '6,3,50.0', `arm 1 ${rowOf(rows, '1')}`);
      assert(rowOf(rows, '2').slice(1, 4).join() === '6,2,33.3', `arm 2 ${rowOf(rows, '2')}`);
      const saved = JSON.parse((await downloadOf(page, '#save-mapping')).text);
      assert(saved.binary[0].event_value === '2', `saved ${JSON.stringify(saved.binary)}`);
      await choose(page, 'binary.0.yes_value', '1');
      rows = await tableRows(page, 'Sore throat');
      assert(rowOf(rows, 'Overall').slice(1, 4).join() === '12,7,58.3', `overall with "1": ${rowOf(rows, 'Overall')}`);
      await choose(page, 'binary.0.yes_value', '2');
      return JSON.stringify(saved.binary[0]);
    });
    await check('yes/no: a cut-off on a scale — Pain next morning above 0: 6 of 12; at least 2: 3 of 12', async () => {
      await page.locator('#mapping-form [data-add="binary"]').click();
      await choose(page, 'binary.1.column', 'Pain next morning');
      await choose(page, 'binary.1.yes_rule', 'above');
      assert(await page.locator('#mapping-form .row-note').filter({ hasText: 'cut-off' }).count(), 'no note asking for the cut-off');
      await typeIn(page, '[data-key="binary.1.cut_off"]', '0');
      let rows = await tableRows(page, 'Pain next morning');
      assert(rowOf(rows, 'Overall').slice(1, 4).join() === '12,6,50.0', `above 0: ${rowOf(rows, 'Overall')}`);
      assert(rowOf(rows, '2').slice(1, 4).join() === '6,3,50.0', `above 0, arm 2: ${rowOf(rows, '2')}`);
      // The number stays when only the kind of cut-off changes.
      await choose(page, 'binary.1.yes_rule', 'at_least');
      assert((await page.inputValue('#mapping-form [data-key="binary.1.cut_off"]')) === '0', 'the cut-off was lost');
      await typeIn(page, '[data-key="binary.1.cut_off"]', '2');
      rows = await tableRows(page, 'Pain next morning');
      assert(rowOf(rows, 'Overall').slice(1, 4).join() === '12,3,25.0', `at least 2: ${rowOf(rows, 'Overall')}`);
      const saved = JSON.parse((await downloadOf(page, '#save-mapping')).text);
      assert(saved.binary[1].at_least === 2 && !('above' in saved.binary[1]), `saved ${JSON.stringify(saved.binary[1])}`);
      return JSON.stringify(saved.binary[1]);
    });
    await check('paired: "improvement is a higher value" and the responder cut-off change the responders (7 → 1 of 12; 5 points: 5)', async () => {
      const twoPoints = (r) => /\b2(\.0)? points/.test(r[1]);
      // Given, not left to the default (the minimal important difference of a pain score).
      await typeIn(page, '[data-key="paired.0.threshold"]', '2');
      let rows = await tableRows(page, 'Pain: responders');
      assert(rowOf(rows, 'Overall', twoPoints).slice(2, 5).join() === '12,7,58.3', `lower: ${rowOf(rows, 'Overall', twoPoints)}`);
      await choose(page, 'paired.0.better', 'higher');
      rows = await tableRows(page, 'Pain: responders');
      assert(rowOf(rows, 'Overall', twoPoints).slice(2, 5).join() === '12,1,8.3', `higher: ${rowOf(rows, 'Overall', twoPoints)}`);
      await choose(page, 'paired.0.better', 'lower');
      await typeIn(page, '[data-key="paired.0.threshold"]', '5');
      rows = await tableRows(page, 'Pain: responders');
      const five = rowOf(rows, 'Overall', (r) => /\b5(\.0)? points/.test(r[1]));
      assert(five.slice(2, 5).join() === '12,5,41.7', `5 points: ${five}`);
      assert(!rows.some((r) => twoPoints(r)), 'the 2-point definition is still shown');
      await typeIn(page, '[data-key="paired.0.threshold"]', '');
      return five[1];
    });
    await check('categorical: ECOG (numbers that are codes) counted n (%) in Table 1 instead of a mean', async () => {
      const table1Heads = async () => (await tableRows(page, 'Table 1')).map((r) => r[0]);
      let heads = await table1Heads();
      assert(heads.includes('ECOG, mean ± SD'), `ECOG not averaged before: ${heads.filter((h) => h.startsWith('ECOG'))}`);
      // Offered for columns of numbers: the strata (1/2) and ECOG (0–2).
      const boxes = await page.evaluate(() => [...document.querySelectorAll('#categories-group input[type=checkbox]')].map((b) => b.dataset.column));
      assert(boxes.join() === 'Arm,ECOG', `category boxes for ${boxes}`);
      const before = await runs(page);
      await page.locator('#categories-group input[type=checkbox][data-column="ECOG"]').check();
      await waitDone(page, before);
      heads = await table1Heads();
      assert(!heads.includes('ECOG, mean ± SD'), 'ECOG still averaged');
      const rows = await tableRows(page, 'Table 1');
      const zero = rows.find((r) => /^ECOG: 0\b/.test(r[0]));
      assert(zero && zero[1] === '5 (41.7)' && zero[2] === '3 (50.0)' && zero[3] === '2 (33.3)', `ECOG 0: ${zero}`);
      const saved = JSON.parse((await downloadOf(page, '#save-mapping')).text);
      assert(JSON.stringify(saved.categorical) === '["ECOG"]', `saved ${JSON.stringify(saved.categorical)}`);
      return zero.join(' | ');
    });
    await check('names for values: the arms 1/2 named Standard/Test and ECOG 0–2 named; the tables show the names', async () => {
      await openNames(page, 'Arm');
      const values = await page.evaluate(() => [...document.querySelectorAll('#categories-group input[data-column="Arm"][type=text]')].map((i) => i.dataset.value));
      assert(values.join() === '1,2', `values offered for Arm: ${values}`);
      await typeIn(page, 'input[data-column="Arm"][data-value="1"]', 'Standard');
      await typeIn(page, 'input[data-column="Arm"][data-value="2"]', 'Test');
      const heads = await rowHeads(page);
      assert(heads.includes('Standard') && heads.includes('Test'), `no Standard/Test strata: ${heads.slice(0, 6)}`);
      const rows = await tableRows(page, 'Sore throat');
      assert(rowOf(rows, 'Test').slice(1, 4).join() === '6,2,33.3', `Test: ${rowOf(rows, 'Test')}`);
      assert(!rows.some((r) => r[0] === '1' || r[0] === '2'), 'codes still name strata');
      await openNames(page, 'ECOG');
      await typeIn(page, 'input[data-column="ECOG"][data-value="0"]', 'Fully active');
      await typeIn(page, 'input[data-column="ECOG"][data-value="2"]', 'Ambulatory');
      const ecog = (await tableRows(page, 'Table 1')).map((r) => r[0]).filter((h) => h.startsWith('ECOG'));
      assert(ecog.some((h) => h.includes('Fully active')) && ecog.some((h) => h.includes('Ambulatory')), `ECOG rows: ${ecog}`);
      assert((await page.locator('#categories-group summary').first().innerText()).includes('2 of 2'), 'the count of names is not shown');
      const saved = JSON.parse((await downloadOf(page, '#save-mapping')).text);
      const want = { Arm: { 1: 'Standard', 2: 'Test' }, ECOG: { 0: 'Fully active', 2: 'Ambulatory' } };
      assert(JSON.stringify(saved.labels) === JSON.stringify(want), `saved ${JSON.stringify(saved.labels)}`);
      await checkNoJunk(page);
      await checkContrast(page);
      await page.locator('#mapping').screenshot({ path: path.join(SHOTS, 'en-categories-panel.png') });
      return ecog.join(' | ');
    });

    const secondCsv = await readFile(path.join(DATA, 'second.csv'), 'utf8');
    const secondMapping = JSON.parse(await readFile(path.join(DATA, 'second.mapping.json'), 'utf8'));
    const stratCol = secondMapping.strata && (secondMapping.strata.column || secondMapping.strata.tscore);
    const clinics = columnValues(secondCsv, stratCol);
    const secondRows = secondCsv.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;
    await check('second.csv through the file input', async () => {
      const before = await runs(page);
      await page.setInputFiles('#file', path.join(DATA, 'second.csv'));
      await waitDone(page, before, '\u201csecond.csv\u201d');
      assert(await resultsText(page), `results not shown; error: ${await page.locator('#error').innerText().catch(() => '')}`);
    });
    await check('second.csv: numbers changed from the demo', async () => {
      const text = await resultsText(page);
      const left = ['7.04', '3.78', '6.75', '4.13', '79.1', '18.07'].filter((f) => text.includes(f));
      assert(left.length === 0, `still shows ${left.join(', ')}`);
      const read = (await page.locator('#fact-read').innerText()).trim();
      assert(Number(read) === secondRows, `rows read ${read}, file has ${secondRows}`);
      return `rows read ${read}`;
    });
    await check(`second.csv: strata are the ${stratCol} values`, async () => {
      assert(clinics.length >= 2, `found ${clinics.length} values of ${stratCol} in second.csv`);
      const heads = await rowHeads(page);
      const missing = clinics.filter((c) => !heads.includes(c));
      assert(missing.length === 0, `no row for ${missing.join(', ')}`);
      return clinics.join(', ');
    });
    await check('second.csv: mapping shown as guessed; the panel is open with the guess', async () => {
      assert(/guessed/i.test(await page.locator('#fact-mapping').innerText()), 'not shown as guessed');
      assert(/guessed/i.test(await page.locator('#mapping-state').innerText()), 'panel does not say guessed');
      assert(await page.locator('#mapping-body').isVisible(), 'panel closed');
      const before = await page.inputValue('#mapping-form [data-key="paired.0.before"]');
      const strata = await page.inputValue('#mapping-form [data-key="strata.column"]');
      assert(before === 'Pain before' && strata === stratCol, `before ${before}, strata ${strata}`);
      // What was detected, role by role, comes from the core's inspect() with its confidence.
      assert(await page.locator('#detected').isVisible(), 'the detected roles are not listed');
      const detected = await page.locator('#detected-list').innerText();
      assert(detected.includes('Pain before') && /\d+\s*%/.test(detected), `detected list: ${detected}`);
    });
    await check('second.csv tables are accessible tables', () => checkTablesAccessible(page));
    await check('second.csv charts drawn', () => checkCharts(page));
    await check('no undefined/NaN/stack on the second.csv page', () => checkNoJunk(page));
    await check('screenshot en-second.png', () => shot(page, 'en-second.png'));

    const expected = JSON.parse(await readFile(path.join(DATA, 'expected', 'second.json'), 'utf8'));
    const round = (x, dp) => (Math.sign(x) * Math.round(Math.abs(x) * 10 ** dp)) / 10 ** dp;
    await check('second.csv with second.mapping.json loaded: the oracle figures', async () => {
      const before = await runs(page);
      await page.setInputFiles('#mapping-file', path.join(DATA, 'second.mapping.json'));
      await waitDone(page, before, '\u201csecond.csv\u201d');
      const m = await page.locator('#fact-mapping').innerText();
      assert(m.includes('second.mapping.json'), `mapping shown as ${JSON.stringify(m)}`);
      const want = [];
      for (const st of expected.strata) {
        want.push(st.name);
        for (const p of Object.values(st.paired || {})) want.push(round(p.before_mean, 2).toFixed(2), round(p.after_mean, 2).toFixed(2));
        for (const b of Object.values(st.binary || {})) want.push(round(b.percent, 1).toFixed(1));
      }
      expectFigures(await resultsText(page), want);
      return `${want.length} figures`;
    });
    await check('a mapping naming a missing column: plain error naming it; the panel marks it', async () => {
      const msg = await loadMissingColumnMapping(page);
      assert(await page.locator('#error').isVisible(), 'no error shown');
      assert(msg.includes('Pain at entry'), `error does not name the column: ${JSON.stringify(msg)}`);
      const sel = page.locator('#mapping-form [data-key="paired.0.before"]');
      assert((await sel.getAttribute('aria-invalid')) === 'true', 'the missing column is not marked in the panel');
      assert(/not in this file/.test(await sel.locator('option:checked').innerText()), 'the option does not say the column is missing');
      await checkNoJunk(page);
      await shot(page, 'en-mapping-error.png', false);
      return msg;
    });
    await check('fix the column in the panel: the error goes and results come back', async () => {
      await choose(page, 'paired.0.before', 'Pain before', '\u201csecond.csv\u201d');
      assert(await page.locator('#error').isHidden(), 'error still shown');
      assert(await resultsText(page), 'no results');
    });
    await check('Guess again: back to the guessed mapping', async () => {
      const before = await runs(page);
      await page.locator('#reguess').click();
      await waitDone(page, before, '\u201csecond.csv\u201d');
      assert(await page.locator('#error').isHidden(), 'error still shown');
      assert(/guessed/i.test(await page.locator('#fact-mapping').innerText()), 'not guessed');
      const heads = await rowHeads(page);
      assert(clinics.every((c) => heads.includes(c)), 'clinic strata not back');
    });

    // ================================================================ 5. bad files
    const badFiles = [
      { name: 'header-only.csv', text: 'Record ID,DEXA T-score,VAS baseline,VAS 6 wk\n', how: 'drop' },
      { name: 'no-roles.csv', text: 'a,b\n1,2\n3,5\n4,4\n', how: 'input' },
      { name: 'empty.csv', text: '', how: 'input' },
    ];
    for (const bad of badFiles) {
      await check(`bad file ${bad.name} (${bad.how}): plain error`, async () => {
        const before = await runs(page);
        if (bad.how === 'drop') await dropFile(page, bad.name, Buffer.from(bad.text));
        else await page.setInputFiles('#file', { name: bad.name, mimeType: 'text/csv', buffer: Buffer.from(bad.text) });
        await waitDone(page, before, `\u201c${bad.name}\u201d`);
        assert(await page.locator('#error[role=alert]').isVisible(), 'no error shown');
        const msg = (await page.locator('#error-message').innerText()).trim();
        assert(msg.length > 10, `error too short: ${JSON.stringify(msg)}`);
        assert(!/undefined|NaN|\[object/.test(msg), `error shows junk: ${JSON.stringify(msg)}`);
        assert(
          !/^\s*at\s/m.test(msg) && !/\.(js|rs|wasm):\d+/.test(msg) && !/RuntimeError|unreachable|panicked/.test(msg),
          `error looks like a stack/panic: ${JSON.stringify(msg)}`,
        );
        assert(await page.locator('#results').isHidden(), 'old results still shown next to the error');
        await checkNoJunk(page);
        if (bad.name === 'no-roles.csv') await shot(page, 'en-error.png', false);
        return msg;
      });
      if (bad.name === 'no-roles.csv') {
        await check('no-roles.csv: mapped by hand in the panel (before a, after b) gives results', async () => {
          await openMapping(page);
          const opts = await page.evaluate(() => [...document.querySelectorAll('#mapping-form [data-key="strata.column"] option')].map((o) => o.value));
          assert(opts.join() === ',a,b', `the dropdowns list ${JSON.stringify(opts)}`);
          await page.locator('#mapping-form [data-add="paired"]').click();
          await page.selectOption('#mapping-form [data-key="paired.0.before"]', 'a');
          await choose(page, 'paired.0.after', 'b', '\u201cno-roles.csv\u201d');
          assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
          const text = await resultsText(page);
          expectFigures(text, ['2.67', '3.67']);
          await checkNoJunk(page);
          await shot(page, 'en-manual-mapping.png');
        });
      }
    }

    // ================================================================ 6. a workbook
    const ingestDir = path.join(DATA, 'ingest');
    const xlsx = (await exists(ingestDir)) ? (await readdir(ingestDir)).filter((f) => /\.xlsx$/i.test(f)).sort() : [];
    if (xlsx.length === 0) {
      skip('drop an XLSX workbook', 'no tests/data/ingest/*.xlsx yet');
    } else {
      await check(`drop the workbook ${xlsx[0]}: results, sheet picker when it has several sheets`, async () => {
        const before = await runs(page);
        await dropFile(page, xlsx[0], await readFile(path.join(ingestDir, xlsx[0])), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        await waitDone(page, before, `\u201c${xlsx[0]}\u201d`);
        const err = (await page.locator('#error').isVisible()) ? await page.locator('#error-message').innerText() : '';
        assert(!err, `error: ${err}`);
        assert(await resultsText(page), 'no results');
        await checkNoJunk(page);
        await shot(page, 'en-xlsx.png');
        // The column list of a workbook comes from the core's `inspect`, in the worker.
        const headers = await page.evaluate(() => document.querySelectorAll('#mapping-form [data-key="strata.column"] option').length - 1);
        assert(headers >= 2, `the panel lists ${headers} columns`);
        const sheets = await page.locator('#sheet option').count();
        // Another sheet: the worker reads the workbook's bytes again from the file it keeps; and back.
        const columnsShown = () => page.evaluate(() => document.querySelectorAll('#mapping-form [data-key="strata.column"] option').length - 1);
        let runsBefore = await runs(page);
        await page.selectOption('#sheet', 'Other');
        await waitDone(page, runsBefore);
        const other = await columnsShown();
        assert(other === 5, `the panel lists ${other} columns for the sheet "Other", not its 5`);
        runsBefore = await runs(page);
        await page.selectOption('#sheet', 'Cohort');
        await waitDone(page, runsBefore);
        assert((await columnsShown()) === headers, 'the columns of "Cohort" are not back');
        assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
        await checkNoJunk(page);
        return `${headers} columns, ${sheets} sheets; "Other" (${other} columns) and back`;
      });
    }

    await check('a Windows-1252 text file: its encoding detected; another chosen reads other headers, windows-1252 them right', async () => {
      // As Excel on German Windows saves CSV: Windows-1252 (these letters are Latin-1's bytes), semicolons.
      const rows = ['Patient;Größe (cm);VAS baseline;VAS 6 wk;Bemerkung', 'P01;162,5;8;3;Füße kalt', 'P02;181;7;2;Grüße', 'P03;158;6;4;', 'P04;175,5;9;5;Füße geschwollen'];
      const buffer = Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1');
      let before = await runs(page);
      await page.setInputFiles('#file', { name: 'deutsch.csv', mimeType: 'text/csv', buffer });
      await waitDone(page, before, '\u201cdeutsch.csv\u201d');
      await openMapping(page);
      const columns = () => page.evaluate(() => [...document.querySelectorAll('#mapping-form [data-key="strata.column"] option')].map((o) => o.value));
      assert((await columns()).includes('Größe (cm)'), `columns: ${await columns()}`);
      assert(await page.locator('#encoding-field').isVisible(), 'no encoding choice for a text file');
      const auto = await page.locator('#encoding option').first().innerText();
      assert(auto.includes('windows-1252'), `the automatic choice says ${auto}`);
      // Read as GB18030 (as a two-way rule once read such a file): other headers.
      before = await runs(page);
      await page.selectOption('#encoding', 'gb18030');
      await waitDone(page, before);
      const wrong = await columns();
      assert(wrong.includes('Gr鲞e (cm)') && !wrong.includes('Größe (cm)'), `columns as GB18030: ${wrong}`);
      const notes = (await page.locator('#diagnostics-list').textContent()) || '';
      assert(notes.includes('the encoding the mapping gives'), `no note of the encoding chosen: ${notes.slice(0, 300)}`);
      // Chosen Windows-1252: right again, and the mapping saved names it.
      before = await runs(page);
      await page.selectOption('#encoding', 'windows-1252');
      await waitDone(page, before);
      assert((await columns()).includes('Größe (cm)'), `columns as Windows-1252: ${await columns()}`);
      assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
      const { text } = await downloadOf(page, '#save-mapping');
      assert(JSON.parse(text).encoding === 'windows-1252', `saved mapping: ${text}`);
      // In 中文 the choice is named in Chinese.
      await page.locator('.lang[data-lang="zh"]').click();
      await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
      const zh = await page.locator('#encoding-field').innerText();
      await page.locator('.lang[data-lang="en"]').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert(zh.includes('文本编码') && zh.includes('西欧'), `in Chinese: ${zh}`);
      await checkNoJunk(page);
      return 'detected windows-1252; GB18030 read "Gr鲞e (cm)"; Windows-1252 read "Größe (cm)"';
    });

    await check('a file of many excluded rows: counted whole on the page, listed whole in the exported report', async () => {
      // 1,500 empty rows among 3 patients: the page is sent their rows cut to a thousand.
      const csv = `VAS baseline,VAS 6 wk\n7,3\n${',\n'.repeat(1500)}6,2\n8,4\n`;
      const before = await runs(page);
      await page.setInputFiles('#file', { name: 'many-empty.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await waitDone(page, before, '\u201cmany-empty.csv\u201d');
      const flow = await page.locator('#flow').innerText();
      assert(/empty row: 1,?500 \(rows 3, 4, 5/.test(flow), `flow: ${flow.slice(0, 300)}`);
      assert((await page.locator('#fact-excluded').innerText()).replace(/\D/g, '') === '1500', 'excluded count');
      const { text } = await downloadOf(page, '#export-json');
      const json = JSON.parse(text);
      assert(json.report.excluded.length === 1500 && json.report.flow.excluded[0].rows.length === 1500, 'the report is cut');
      return '1,500 excluded rows: shown as a count, exported whole';
    });

    // ================================================================ 7. hostile headers and values
    await check('xss.csv: headers and values shown as text, no element made from them, no dialog', async () => {
      const before = await runs(page);
      await page.setInputFiles('#file', path.join(DATA, 'xss.csv'));
      await waitDone(page, before, '\u201cxss.csv\u201d');
      await openMapping(page);
      await choose(page, 'strata.kind', 'column');
      await choose(page, 'strata.column', IMG, '\u201cxss.csv\u201d');
      assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
      const heads = await rowHeads(page);
      assert(heads.includes(IMG) && heads.includes(HYPERLINK), `strata not shown as text: ${heads.slice(0, 6).join(' | ')}`);
      const options = await page.evaluate(() => [...document.querySelectorAll('#mapping-form [data-key="id"] option')].map((o) => o.textContent));
      assert(options.includes(IMG) && options.includes(HYPERLINK), 'headers not listed as text in the dropdowns');
      const imgs = await page.evaluate(() => document.querySelectorAll('img, [onerror]').length);
      assert(imgs === 0, `${imgs} img elements on the page`);
      await page.waitForTimeout(300);
      assert(dialogs.length === 0, `dialogs: ${dialogs.join(' | ')}`);
      await checkNoJunk(page);
      await shot(page, 'en-xss.png');
    });
    await check('xss.csv: exported CSV has the formula cells neutralised', async () => {
      const { text } = await downloadOf(page, '#export-csv');
      assert(text.includes(`'=HYPERLINK`), 'no neutralised =HYPERLINK cell');
      const cells = text
        .replace(/^\uFEFF/, '')
        .split(/\r\n/)
        .flatMap((l) => l.split(','))
        .map((c) => c.replace(/^"/, ''));
      const live = cells.filter((c) => /^[=+@]/.test(c));
      assert(live.length === 0, `cells that start a formula: ${live.slice(0, 3).join(' | ')}`);
      assert(text.includes(IMG), 'the <img> stratum is missing from the CSV');
    });
    await check('xss.csv: exported Excel workbook has the hostile cells as text, no formulas', async () => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-xlsx').click()]);
      const sheet = unzip(await readFile(await dl.path())).get('xl/worksheets/sheet1.xml') || '';
      assert(!sheet.includes('<f>'), 'the sheet has a formula');
      assert(sheet.includes('t="inlineStr"><is><t xml:space="preserve">=HYPERLINK'), 'no =HYPERLINK text cell');
      assert(sheet.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the <img> stratum is not escaped text');
    });
    await check('xss.csv: copied table neutralised and escaped', async () => {
      const btn = page.locator('#tables .copy-table').nth(1);
      await btn.click();
      await page.waitForFunction(() => document.querySelectorAll('#tables .copy-table.done').length > 0, null, { timeout: 5000 });
      const clip = await page.evaluate(async () => {
        const out = {};
        for (const it of await navigator.clipboard.read()) for (const type of it.types) out[type] = await (await it.getType(type)).text();
        return out;
      });
      assert(!clip['text/html'].includes('<img'), 'raw <img in the copied HTML');
      assert(clip['text/html'].includes('&lt;img'), 'the <img> text is not in the copied HTML');
      assert(!/(^|\t|\n)=/.test(clip['text/plain']), 'a copied cell starts with =');
    });

    // ================================================================ 8. a big file: progress, cancel, no freeze
    await check('a long table shows the first rows of every stratum (50 in all), and all of them on request', async () => {
      // 240 patients, each with a vertebral fracture on a day of their own: a Kaplan–Meier table of 240 event times.
      const lines = ['Record ID,Age,Sex,DEXA T-score,Procedure date,Last follow-up,VAS baseline,VAS 6 wk,Functional improvement,VCF,VCF date'];
      const day = (n) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      for (let i = 0; i < 240; i++) {
        lines.push(`L${i},${50 + (i % 30)},F,${((i % 50) / 10 - 4).toFixed(1)},${day(0)},${day(400)},${4 + (i % 6)},${i % 4},Yes,Yes,${day(i + 1)}`);
      }
      const before = await runs(page);
      await page.setInputFiles('#file', { name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
      await waitDone(page, before, '\u201clong.csv\u201d');
      const block = page.locator('.table-block', { has: page.locator('caption', { hasText: 'at event times' }) });
      const shown = await block.locator('tbody tr').count();
      const button = block.locator('.show-rows');
      const label = await button.innerText();
      assert(shown > 0 && shown <= 50, `${shown} rows shown at first`);
      const n = Number((label.match(/\d+/) || [])[0]);
      assert(n > 100, `button ${JSON.stringify(label)}`);
      // Every stratum of the report (each with an event) has its first rows in the preview.
      const previewStrata = new Set(await block.locator('tbody th[scope="row"]').allInnerTexts());
      for (const name of ['Overall', 'Normal', 'Osteopenia', 'Osteoporosis']) {
        assert(previewStrata.has(name), `no ${name} rows in the preview: ${[...previewStrata].join(', ')}`);
      }
      assert(/each stratum/.test(await block.locator('.rows-note').innerText()), 'the note does not say how rows were chosen');
      await button.click();
      await page.waitForFunction((want) => {
        const cap = [...document.querySelectorAll('#tables caption')].find((c) => c.textContent.includes('at event times'));
        return cap && cap.closest('table').querySelectorAll('tbody tr').length === want;
      }, n, { timeout: 10_000 });
      assert((await block.locator('.show-rows').count()) === 0, 'the button stays after every row is shown');
      await checkTablesAccessible(page);
      return `${shown} of ${n} rows (${[...previewStrata].join(', ')}), then all`;
    });
    const big = await bigCohort(Number(process.env.BIG_MB || 12));
    const bigBuffer = Buffer.from(big.text);
    // From disk: a file given as a buffer is built inside the page, which would stall it (not the app).
    const bigPath = path.join(userDataDir, 'big.csv');
    const big2Path = path.join(userDataDir, 'big2.csv');
    await writeFile(bigPath, bigBuffer);
    await writeFile(big2Path, bigBuffer);
    await check(`a ${(bigBuffer.length / 1048576).toFixed(1)} MB file: progress bar, page stays responsive`, async () => {
      await page.evaluate(() => {
        window.__probe = { progress: 0, maxGap: 0, last: performance.now(), stop: false };
        const p = window.__probe;
        const tick = () => {
          const now = performance.now();
          p.maxGap = Math.max(p.maxGap, now - p.last);
          p.last = now;
          const bar = document.getElementById('progress');
          if (!bar.hidden) p.progress = Math.max(p.progress, bar.hasAttribute('value') ? bar.value : 100);
          // While the new file's columns are read, the previous file's choices must not be usable.
          const statusNow = document.getElementById('status-text').textContent;
          if (statusNow.startsWith('Reading the columns') || /\d% read/.test(statusNow)) {
            const m = document.getElementById('mapping');
            p.reading = true;
            if (!m.hidden && !m.inert) p.editableWhileReading = true;
          }
          if (!p.stop) setTimeout(tick, 16);
        };
        tick();
      });
      const before = await runs(page);
      const t0 = Date.now();
      await page.setInputFiles('#file', bigPath);
      await page.locator('#progress').waitFor({ state: 'visible', timeout: 10_000 });
      await shot(page, 'en-progress.png', false);
      await waitDone(page, before, '\u201cbig.csv\u201d');
      assert(!(await page.locator('#mapping').evaluate((m) => m.inert)), 'the panel stays inert after the file is read');
      const ms = Date.now() - t0;
      const probe = await page.evaluate(() => {
        window.__probe.stop = true;
        return window.__probe;
      });
      const read = (await page.locator('#fact-read').innerText()).trim();
      assert(Number(read) === big.rows, `rows read ${read}, want ${big.rows}`);
      assert(probe.progress > 0, 'the progress bar never moved');
      assert(probe.reading && !probe.editableWhileReading, `the previous mapping could be edited while the file was read (${JSON.stringify(probe)})`);
      assert(probe.maxGap < 1000, `the page stalled for ${Math.round(probe.maxGap)} ms`);
      assert(await page.locator('#progress').isHidden(), 'progress bar left on screen');
      return `${big.rows} rows in ${ms} ms, progress seen up to ${probe.progress}%, longest stall ${Math.round(probe.maxGap)} ms`;
    });
    await check('Cancel stops a running analysis; the next one still works', async () => {
      // The analysis may finish between Cancel appearing and the click on a busy machine: then try
      // again (at most 3 times), clicking from inside the page so no actionability wait races it.
      let before = 0;
      let ms = -1;
      for (let attempt = 0; attempt < 3 && ms < 0; attempt++) {
        before = await runs(page);
        await page.setInputFiles('#file', big2Path);
        await page.locator('#cancel').waitFor({ state: 'visible', timeout: 10_000 });
        const t0 = Date.now();
        const clicked = await page.evaluate(() => {
          const b = document.getElementById('cancel');
          if (b.hidden || b.offsetParent === null) return false;
          b.click();
          return true;
        });
        if (!clicked) {
          await waitDone(page, before);
          continue;
        }
        await page.waitForFunction(() => /cancelled/i.test(document.getElementById('status-text').textContent), null, { timeout: 5000 });
        ms = Date.now() - t0;
      }
      assert(ms >= 0, 'every analysis finished before Cancel could be clicked');
      assert(await page.locator('#cancel').isHidden(), 'Cancel still shown');
      assert(!(await page.locator('#status').evaluate((s) => s.classList.contains('is-busy'))), 'still busy');
      assert((await runs(page)) === before, 'the cancelled analysis finished anyway');
      // The results still shown are of the earlier file, which the fresh worker no longer has: an export
      // says so plainly instead of analysing the cancelled file.
      let stale = '';
      if (await page.locator('#results').isVisible()) {
        await page.locator('#export-csv').click();
        await page.locator('#error').waitFor({ state: 'visible', timeout: 10_000 });
        stale = await page.locator('#error-message').innerText();
        assert(/earlier file/.test(stale), `export after Cancel: ${stale}`);
        assert((await runs(page)) === before, 'the export started an analysis');
      }
      const b2 = await runs(page);
      await page.locator('#load-demo').click();
      await waitDone(page, b2, 'demo');
      expectFigures(await resultsText(page), DEMO_FIGURES);
      return `cancelled in ${ms} ms${stale ? '; export of the earlier results said so plainly' : ''}`;
    });

    // ================================================================ 9. 中文
    await check('switch to 中文: headings change, figures stay, tables fit', async () => {
      const enCaptions = await captions(page);
      await page.locator('.lang[data-lang="zh"]').click();
      await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
      await waitRendered(page);
      const zhCaptions = await captions(page);
      assert(zhCaptions.length === enCaptions.length, `${zhCaptions.length} tables in 中文, ${enCaptions.length} in English`);
      // A caption that is only an outcome's name (as the user wrote it) stays as it is.
      const same = zhCaptions.filter((c, i) => c === enCaptions[i] && !OUTCOME_NAMES.includes(c));
      assert(same.length === 0, `captions not translated: ${same.join(' | ')}`);
      assert(zhCaptions.every((c) => /[\u4e00-\u9fff]/.test(c) || OUTCOME_NAMES.includes(c)), 'a caption without Chinese');
      const heads = await page.evaluate(() => [...document.querySelectorAll('#tables thead th')].map((th) => th.textContent));
      assert(heads.some((h) => /[\u4e00-\u9fff]/.test(h)), 'column headings not translated');
      expectFigures(await resultsText(page), DEMO_FIGURES);
      expectFigures(await page.locator('body').innerText(), ['结果', '列与角色', '您的文件', '统计方法', '表格导出为 CSV']);
      const methods = await page.locator('#methods-text').innerText();
      assert(/[\u4e00-\u9fff]/.test(methods), 'methods text not in Chinese');
      await tablesFit(page);
      return zhCaptions.slice(0, 3).join(' | ');
    });
    await check('中文: every label, status and button is translated', async () => {
      const english = await page.evaluate((names) => {
        const out = [];
        const skip = (e) => e.closest('#tables td, #tables th[scope=row], #fact-file, #diagnostics-list, #error-message, .lang, #mapping-form option, #mapping-form input, #mapping-form .check, #version, .chart-outcome, h1');
        for (const e of document.querySelectorAll('button, label, legend, h2, h3, h4, dt, summary, figcaption, .field-label, #status-text, #mapping-state, .flow-label, .toc a, p')) {
          if (e.closest('[hidden]') || skip(e)) continue;
          const text = e.textContent.trim();
          if (/[A-Za-z]{4,}/.test(text) && !/[\u4e00-\u9fff]/.test(text) && !names.includes(text) && !/^(PNG|SVG|CSV|JSON)$/.test(text.replace(/^↓\s*/, ''))) out.push(text.slice(0, 40));
        }
        return out;
      }, OUTCOME_NAMES);
      assert(english.length === 0, `English left: ${english.slice(0, 8).join(' | ')}`);
    });
    await check('中文: charts redrawn, no junk, contrast AA', async () => {
      await checkCharts(page);
      await checkNoJunk(page);
      await checkContrast(page);
    });
    await check('screenshots zh-demo.png, zh-mapping.png, zh-print.png', async () => {
      await shot(page, 'zh-demo.png');
      await openMapping(page);
      await page.locator('#mapping').screenshot({ path: path.join(SHOTS, 'zh-mapping-panel.png') });
      await shot(page, 'zh-mapping.png', false);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 720, height: 1000 });
      await page.waitForTimeout(300);
      await shot(page, 'zh-print.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.pdf({ path: path.join(SHOTS, 'zh-report.pdf'), format: 'A4', printBackground: true }).catch(() => {});
      await page.emulateMedia({ media: 'screen' });
    });
    await check('中文 is remembered after a reload', async () => {
      await page.reload({ waitUntil: 'load' });
      await waitDone(page, 0);
      assert((await page.getAttribute('html', 'lang')).startsWith('zh'), 'back to English after a reload');
      assert((await page.locator('#results-heading').innerText()).includes('结果'), 'results heading not Chinese');
      expectFigures(await resultsText(page), DEMO_FIGURES);
    });
    await check('中文: a file without recognisable outcomes gets a plain Chinese message', async () => {
      const before = await runs(page);
      await page.setInputFiles('#file', { name: 'no-roles.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
      await waitDone(page, before, '\u201cno-roles.csv\u201d');
      const title = await page.locator('#error-title').innerText();
      const msg = await page.locator('#error-message').innerText();
      assert(/[\u4e00-\u9fff]/.test(title), `title ${JSON.stringify(title)}`);
      // The page asks for outcomes in step 2 itself (in Chinese); core errors would keep their
      // English text behind a Chinese lead-in.
      assert(/[\u4e00-\u9fff]/.test(msg) && msg.includes('no-roles.csv'), `message ${JSON.stringify(msg)}`);
      await checkNoJunk(page);
      await shot(page, 'zh-error.png', false);
    });
    await check('中文: second.csv with the guessed mapping', async () => {
      const before = await runs(page);
      await page.setInputFiles('#file', path.join(DATA, 'second.csv'));
      await waitDone(page, before, '\u201csecond.csv\u201d');
      assert(/自动识别/.test(await page.locator('#fact-mapping').innerText()), 'not shown as guessed in Chinese');
      await checkNoJunk(page);
      await shot(page, 'zh-second.png');
    });
    await check('中文: a mapping naming a missing column gets a Chinese error naming it (zh-mapping-error.png)', async () => {
      const msg = await loadMissingColumnMapping(page);
      assert(await page.locator('#error').isVisible(), 'no error shown');
      assert(msg.includes('Pain at entry') && /[\u4e00-\u9fff]/.test(msg), `not a Chinese error naming the column: ${JSON.stringify(msg)}`);
      // The core said it in Chinese: no lead-in claiming an English original.
      assert(!msg.includes('英文原文'), `the error claims to be English: ${msg}`);
      await checkNoJunk(page);
      await shot(page, 'zh-mapping-error.png', false);
      return msg;
    });
    await check('中文: a yes/no column coded 1/2 gets a Chinese error naming it, pointing to step 2 (zh-yes-error.png)', async () => {
      await openCoded(page);
      const { msg, hint, note } = await yesErrorShown(page);
      assert(/[\u4e00-\u9fff]/.test(msg) && !msg.includes('英文原文'), `not a Chinese error: ${JSON.stringify(msg)}`);
      assert(hint.includes('是/否结局') && hint.includes('Sore throat'), `the hint: ${JSON.stringify(hint)}`);
      assert(/[\u4e00-\u9fff]/.test(note), `the row's note: ${JSON.stringify(note)}`);
      await shot(page, 'zh-yes-error.png', false);
      return msg;
    });
    await check('中文: what counts as yes, categories and names of values, in Chinese (zh-categories-panel.png)', async () => {
      await choose(page, 'binary.0.yes_rule', 'event_value');
      await choose(page, 'binary.0.yes_value', '2', '\u201ccoded.csv\u201d');
      assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
      const before = await runs(page);
      await page.locator('#categories-group input[type=checkbox][data-column="ECOG"]').check();
      await waitDone(page, before);
      await openNames(page, 'Arm');
      await typeIn(page, 'input[data-column="Arm"][data-value="1"]', '标准治疗');
      const heads = await rowHeads(page);
      assert(heads.includes('标准治疗'), `the name is not shown: ${heads.slice(0, 6)}`);
      const english = await page.evaluate(() => {
        const out = [];
        for (const e of document.querySelectorAll('#mapping-form legend, #mapping-form .field-label, #mapping-form .row-note, #mapping-form summary, #mapping-form .check span, #mapping-form .cat-role, #mapping-form select:not([data-key$="column"]):not([data-key$="before"]):not([data-key$="after"]):not([data-key="id"]):not([data-key$="yes_value"]) option')) {
          const text = e.textContent.trim();
          if (e.closest('.checks')) continue;
          if (/[A-Za-z]{4,}/.test(text.replace(/Yes|TRUE/g, '')) && !/[\u4e00-\u9fff]/.test(text)) out.push(text.slice(0, 40));
        }
        return out;
      });
      assert(english.length === 0, `English left in the panel: ${english.slice(0, 8).join(' | ')}`);
      await checkNoJunk(page);
      await page.locator('#mapping').screenshot({ path: path.join(SHOTS, 'zh-categories-panel.png') });
    });
    await check(`中文: the ${(bigBuffer.length / 1048576).toFixed(1)} MB file shows its progress in Chinese (zh-progress.png)`, async () => {
      const before = await runs(page);
      await page.setInputFiles('#file', bigPath);
      await page.locator('#progress').waitFor({ state: 'visible', timeout: 10_000 });
      const status = await page.locator('#status-text').innerText();
      await shot(page, 'zh-progress.png', false);
      await waitDone(page, before, '\u201cbig.csv\u201d');
      assert(/[\u4e00-\u9fff]/.test(status), `the progress is not said in Chinese: ${status}`);
      assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
      return status;
    });
    await check('中文: a workbook and the hostile file, as a Chinese reader sees them (zh-xlsx.png, zh-xss.png)', async () => {
      let before = await runs(page);
      const book = path.join(DATA, 'ingest', 'cohort.xlsx');
      await dropFile(page, 'cohort.xlsx', await readFile(book), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await waitDone(page, before, '\u201ccohort.xlsx\u201d');
      assert(await page.locator('#error').isHidden(), `error: ${await page.locator('#error-message').innerText()}`);
      await checkNoJunk(page);
      await shot(page, 'zh-xlsx.png');
      before = await runs(page);
      await page.setInputFiles('#file', path.join(DATA, 'xss.csv'));
      await waitDone(page, before, '\u201cxss.csv\u201d');
      assert(dialogs.length === 0, `dialogs: ${dialogs.join(' | ')}`);
      assert((await page.locator('img').count()) === 0, 'an <img> element was made from the file');
      await checkNoJunk(page);
      await shot(page, 'zh-xss.png');
    });
    await check('中文: why rows were left out is said in Chinese (flow summary and notes)', async () => {
      const before = await runs(page);
      const csv = 'Patient,VAS before,VAS after\n1,7,3\n,,\n2,6,4\n3,8,2\n4,5,5\n';
      await page.setInputFiles('#file', { name: 'gaps.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await waitDone(page, before, '\u201cgaps.csv\u201d');
      const flow = await page.locator('#flow').innerText();
      assert(flow.includes('空行'), `no Chinese reason in the flow summary: ${flow}`);
      assert(!/empty row/i.test(await resultsText(page)), 'an English reason is shown in 中文');
      return flow.split('\n').find((l) => l.includes('空行'));
    });
    await check('中文 at 1024×768: no sideways scrolling', async () => {
      const before = await runs(page);
      await page.locator('#load-demo').click();
      await waitDone(page, before);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.waitForTimeout(400);
      await noHorizontalScroll(page);
      await shot(page, 'zh-1024.png', false);
      await checkCharts(page);
    });
    await check('switch back to English', async () => {
      await page.locator('.lang[data-lang="en"]').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      await waitRendered(page);
      const caps = await captions(page);
      assert(caps.every((c) => !/[\u4e00-\u9fff]/.test(c)), 'Chinese captions left');
      expectFigures(await resultsText(page), DEMO_FIGURES);
    });
    await check('English at 1024×768: no sideways scrolling, charts crisp', async () => {
      await page.waitForTimeout(400);
      await noHorizontalScroll(page);
      await shot(page, 'en-1024.png', false);
      await openMapping(page);
      await noHorizontalScroll(page);
      await shot(page, 'en-1024-mapping.png', false);
      return checkCharts(page);
    });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  await check('no console errors or uncaught errors', async () => {
    assert(consoleErrors.length === 0, [...new Set(consoleErrors)].join(' | '));
  });
  await check('every request went to the page origin', async () => {
    const foreign = requests.filter((u) => {
      if (u.startsWith('data:') || u.startsWith('blob:')) return false;
      try {
        return new URL(u).origin !== ORIGIN;
      } catch {
        return true;
      }
    });
    assert(foreign.length === 0, [...new Set(foreign)].join(', '));
    return `${requests.length} requests, all to ${ORIGIN}`;
  });
} catch (e) {
  report(false, 'the test itself', String((e && e.message) || e).split('\n')[0]);
} finally {
  await close();
}

finish();
