// End-to-end test of the cohortcalc page in Debian's Chromium, driven by playwright-core.
//
//   BASE_URL=http://127.0.0.1:8000/ CHROMIUM=/usr/bin/chromium node tests/e2e/e2e.mjs
//
// Prints one line per check and ends with "N passed, M failed" (exit 1 when M > 0).
// Screenshots go to target/screenshots/.
import { chromium } from 'playwright-core';
import { mkdtemp, rm, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = path.join(ROOT, 'tests', 'data');
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000/';
const ORIGIN = new URL(BASE_URL).origin;
const TIMEOUT = 30_000;

/** The demo's headline figures (Bellow et al. 2025) that the page must show. */
const DEMO_FIGURES = ['134', '32', '7.04', '3.78', '6.75', '4.13', '< 0.001', '79.1', '78.1', '18.07'];

let passed = 0;
let failed = 0;
function report(ok, name, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
async function check(name, fn) {
  try {
    const detail = await fn();
    report(true, name, typeof detail === 'string' ? detail : '');
    return true;
  } catch (e) {
    report(false, name, String((e && e.message) || e).split('\n')[0]);
    return false;
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ------------------------------------------------------------------ helpers on the page

/** How many analyses the page has finished (it counts them on <html data-analyses>). */
async function runs(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.analyses || 0));
}

/** Waits until an analysis after the `before`-th has finished and the status names `fileLabel`. */
async function waitDone(page, before, fileLabel) {
  await page.waitForFunction(
    ([n, label]) => {
      const done = Number(document.documentElement.dataset.analyses || 0);
      const status = document.getElementById('status');
      const text = document.getElementById('status-text')?.textContent || '';
      return done > n && status && !status.classList.contains('is-busy') && text.includes(label);
    },
    [before, fileLabel],
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
      const note = c.parentElement.querySelector('.chart-note');
      if (c.width === 0 || c.height === 0) return { outcome: c.dataset.outcome, error: 'zero size' };
      const ctx = c.getContext('2d');
      if (!ctx) return { outcome: c.dataset.outcome, error: 'no 2d context' };
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      const bg = [data[0], data[1], data[2], data[3]];
      let differ = 0;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] !== bg[0] || data[i + 1] !== bg[1] || data[i + 2] !== bg[2] || data[i + 3] !== bg[3]) differ++;
        if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return {
        outcome: c.dataset.outcome,
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
    assert(!c.error, `${c.outcome}: ${c.error}`);
    assert(!c.note, `${c.outcome}: ${c.note}`);
    assert(c.share > 0.005 && c.colours >= 3, `${c.outcome}: canvas looks blank (${(c.share * 100).toFixed(2)}% drawn, ${c.colours} colours)`);
    assert(Math.abs(c.w - Math.round(c.cssW * c.dpr)) <= 2, `${c.outcome}: canvas ${c.w}px wide for ${c.cssW} CSS px at dpr ${c.dpr}`);
  }
  return info.map((c) => `${c.outcome}: ${(c.share * 100).toFixed(1)}% drawn, ${c.w}×${c.h}`).join('; ');
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

/** Distinct values of a CSV column (simple CSV: no quoted commas in that column). */
function columnValues(csv, column) {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  const i = header.indexOf(column);
  if (i < 0) return [];
  return [...new Set(lines.slice(1).map((l) => (l.split(',')[i] || '').trim().replace(/^"|"$/g, '')).filter(Boolean))];
}

// ------------------------------------------------------------------ the run

const userDataDir = await mkdtemp(path.join(tmpdir(), 'cohortcalc-e2e-'));
await mkdir(SHOTS, { recursive: true });
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
  ],
  viewport: { width: 1280, height: 900 },
  acceptDownloads: true,
});

const requests = [];
const consoleErrors = [];
context.on('request', (r) => requests.push(r.url()));
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
const noteConsole = (where) => (msg) => {
  if (msg.type() === 'error') consoleErrors.push(`${where}: ${msg.text()}`);
};
page.on('console', noteConsole('page'));
page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${(e && e.message) || e}`));
page.on('worker', (w) => w.on('console', noteConsole('worker')));
page.on('crash', () => consoleErrors.push('the page crashed'));
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
  // 1. Open: the demo is analysed and shown at once.
  const opened = await check('page opens', async () => {
    const resp = await page.goto(BASE_URL, { waitUntil: 'load' });
    assert(resp && resp.ok(), `HTTP ${resp && resp.status()}`);
    const title = await page.title();
    assert(/cohortcalc/.test(title), `title ${JSON.stringify(title)}`);
  });
  if (opened) {
    await check('header says it runs in the browser with no upload', async () => {
      const h = await page.locator('header').innerText();
      assert(h.includes('cohortcalc') && /no upload/i.test(h), JSON.stringify(h));
    });
    await check('Content-Security-Policy meta allows only self', async () => {
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert(csp && /default-src 'none'/.test(csp) && !/https?:|\*/.test(csp), String(csp));
    });
    await check('demo results appear on open', async () => {
      await waitDone(page, 0, 'demo');
      const text = await resultsText(page);
      assert(text, 'results not shown');
    });
    await check('demo figures shown on open', async () => {
      expectFigures(await resultsText(page), DEMO_FIGURES);
      return DEMO_FIGURES.join(' ');
    });
    await check('demo strata shown', async () => {
      expectFigures(await resultsText(page), ['Overall', 'Normal', 'Osteopenia', 'Osteoporosis', 'Reduced bone density']);
    });
    await check('rows read / included / excluded shown', async () => {
      const read = (await page.locator('#fact-read').innerText()).trim();
      const inc = (await page.locator('#fact-included').innerText()).trim();
      const exc = (await page.locator('#fact-excluded').innerText()).trim();
      assert(/^\d+$/.test(read) && /^\d+$/.test(inc) && /^\d+$/.test(exc), `${read}/${inc}/${exc}`);
      assert(Number(read) === 134 && Number(inc) + Number(exc) === Number(read), `read ${read}, included ${inc}, excluded ${exc}`);
      return `read ${read}, included ${inc}, excluded ${exc}`;
    });
    await check('demo tables are accessible tables', () => checkTablesAccessible(page));
    await check('demo chart drawn', () => checkCharts(page));
    await check('download links are blobs', async () => {
      const demo = await page.locator('#download-demo').getAttribute('href');
      const map = await page.locator('#download-mapping').getAttribute('href');
      assert(demo && demo.startsWith('blob:') && map && map.startsWith('blob:'), `${demo} / ${map}`);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-mapping').click()]);
      const p = await dl.path();
      const json = JSON.parse(await readFile(p, 'utf8'));
      assert(json.strata && Array.isArray(json.paired), 'mapping JSON lacks strata/paired');
      const [dl2] = await Promise.all([page.waitForEvent('download'), page.locator('#download-demo').click()]);
      const csv = await readFile(await dl2.path(), 'utf8');
      const want = await readFile(path.join(DATA, 'demo.csv'), 'utf8');
      assert(csv === want, 'downloaded demo CSV differs from tests/data/demo.csv');
      return `${dl.suggestedFilename()}, ${dl2.suggestedFilename()}`;
    });
    await check('no undefined/NaN/stack on the demo page', () => checkNoJunk(page));
    await check('screenshot target/screenshots/demo.png', async () => {
      await page.screenshot({ path: path.join(SHOTS, 'demo.png'), fullPage: true });
    });

    // 2. demo.csv through the file picker, opened from the keyboard.
    await check('file picker opens from the keyboard (Tab to the button, Enter); demo.csv gives the same figures', async () => {
      // Clicking the page heading puts the keyboard's starting point at the top of the page.
      await page.locator('header h1').click();
      let reached = false;
      for (let i = 0; i < 4 && !reached; i++) {
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
      expectFigures(await resultsText(page), DEMO_FIGURES);
      const file = (await page.locator('#fact-file').innerText()).trim();
      assert(file === 'demo.csv', `file shown as ${JSON.stringify(file)}`);
    });
    await check('demo.csv chart drawn', () => checkCharts(page));
    await check('Space on the focused button opens the file picker too', async () => {
      await page.focus('#choose');
      const [chooser] = await Promise.all([nextFileChooser(), page.keyboard.press('Space')]);
      await chooser.setFiles([]);
      assert(await page.locator('#results').isVisible(), 'results went away after an empty choice');
    });

    // 3. second.csv (clinics as strata, guessed mapping).
    const secondCsv = await readFile(path.join(DATA, 'second.csv'), 'utf8');
    const secondMapping = JSON.parse(await readFile(path.join(DATA, 'second.mapping.json'), 'utf8'));
    const stratCol = secondMapping.strata && (secondMapping.strata.column || secondMapping.strata.tscore);
    const clinics = columnValues(secondCsv, stratCol);
    const secondRows = secondCsv.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;
    await check('second.csv through the file input', async () => {
      const before = await runs(page);
      await page.setInputFiles('#file', path.join(DATA, 'second.csv'));
      await waitDone(page, before, '\u201csecond.csv\u201d');
      const text = await resultsText(page);
      assert(text, `results not shown; error: ${await page.locator('#error').innerText().catch(() => '')}`);
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
      const rowHeads = await page.evaluate(() => [...document.querySelectorAll('#tables th[scope=row]')].map((th) => th.textContent.trim()));
      const missing = clinics.filter((c) => !rowHeads.includes(c));
      assert(missing.length === 0, `no row for ${missing.join(', ')}`);
      return clinics.join(', ');
    });
    await check('second.csv: mapping shown as guessed, with a note', async () => {
      const m = await page.locator('#fact-mapping').innerText();
      assert(/guessed/i.test(m), JSON.stringify(m));
      const diag = await page.locator('#diagnostics-list').textContent();
      assert(/note/i.test(diag), 'no note in the diagnostics');
    });
    await check('second.csv tables are accessible tables', () => checkTablesAccessible(page));
    await check('second.csv chart drawn', () => checkCharts(page));
    await check('no undefined/NaN/stack on the second.csv page', () => checkNoJunk(page));
    await check('screenshot target/screenshots/second.png', async () => {
      await page.screenshot({ path: path.join(SHOTS, 'second.png'), fullPage: true });
    });

    // 3b. The same file with its mapping JSON loaded: the figures of the Python oracle.
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
    await check('a mapping naming a missing column: plain error naming it', async () => {
      const before = await runs(page);
      const bad = JSON.stringify({ paired: [{ name: 'Pain', before: 'Pain at entry', after: 'Pain after' }] });
      await page.setInputFiles('#mapping-file', { name: 'wrong.mapping.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
      await waitDone(page, before, '\u201csecond.csv\u201d');
      const msg = (await page.locator('#error-message').innerText()).trim();
      assert(await page.locator('#error').isVisible(), 'no error shown');
      assert(msg.includes('Pain at entry'), `error does not name the column: ${JSON.stringify(msg)}`);
      await checkNoJunk(page);
      return msg;
    });
    await check('Remove mapping: back to the guessed mapping', async () => {
      const before = await runs(page);
      await page.locator('#clear-mapping').click();
      await waitDone(page, before, '\u201csecond.csv\u201d');
      assert(await page.locator('#error').isHidden(), 'error still shown');
      const m = await page.locator('#fact-mapping').innerText();
      assert(/guessed/i.test(m), JSON.stringify(m));
    });

    // 4. Bad files: a plain error, no stack, no "undefined".
    const badFiles = [
      { name: 'header-only.csv', text: 'Record ID,DEXA T-score,VAS baseline,VAS 6 wk\n', how: 'drop' },
      { name: 'no-roles.csv', text: 'a,b\n1,2\n', how: 'input' },
      { name: 'empty.csv', text: '', how: 'input' },
    ];
    for (const bad of badFiles) {
      await check(`bad file ${bad.name} (${bad.how}): plain error`, async () => {
        const before = await runs(page);
        if (bad.how === 'drop') {
          const dt = await page.evaluateHandle(({ name, text }) => {
            const d = new DataTransfer();
            d.items.add(new File([text], name, { type: 'text/csv' }));
            return d;
          }, bad);
          await page.dispatchEvent('#dropzone', 'dragenter', { dataTransfer: dt });
          await page.dispatchEvent('#dropzone', 'dragover', { dataTransfer: dt });
          const lit = await page.evaluate(() => document.getElementById('dropzone').classList.contains('is-dragover'));
          assert(lit, 'drop zone not highlighted on drag-over');
          await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: dt });
        } else {
          await page.setInputFiles('#file', { name: bad.name, mimeType: 'text/csv', buffer: Buffer.from(bad.text) });
        }
        await waitDone(page, before, `\u201c${bad.name}\u201d`);
        const alert = page.locator('#error[role=alert]');
        assert(await alert.isVisible(), 'no error shown');
        const msg = (await page.locator('#error-message').innerText()).trim();
        assert(msg.length > 10, `error too short: ${JSON.stringify(msg)}`);
        assert(!/undefined|NaN|\[object/.test(msg), `error shows junk: ${JSON.stringify(msg)}`);
        assert(!/^\s*at\s/m.test(msg) && !/\.(js|rs|wasm):\d+/.test(msg) && !/RuntimeError|unreachable|panicked/.test(msg), `error looks like a stack/panic: ${JSON.stringify(msg)}`);
        assert(await page.locator('#results').isHidden(), 'old results still shown next to the error');
        await checkNoJunk(page);
        return msg;
      });
    }

    // 5. Back to the demo with the button; the error goes away.
    await check('Load demo after an error brings the demo back', async () => {
      const before = await runs(page);
      await page.locator('#load-demo').click();
      await waitDone(page, before, '(demo cohort)');
      assert(await page.locator('#error').isHidden(), 'error still shown');
      expectFigures(await resultsText(page), DEMO_FIGURES);
    });
    await check('chart redrawn crisp after a resize to 1024×768', async () => {
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.waitForTimeout(500);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 0, `page scrolls sideways by ${overflow}px at 1024 wide`);
      return checkCharts(page);
    });
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
  await context.close().catch(() => {});
  await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
