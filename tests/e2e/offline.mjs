// Offline test of the one-file page (`dist/cohortcalc.html`, written by `cargo xtask dist`), opened
// from file:// in Debian's Chromium with the network off and every non-file request blocked.
//
//   PAGE=dist/cohortcalc.html CHROMIUM=/usr/bin/chromium node tests/e2e/offline.mjs
//
// Prints one line per check and ends with "N passed, M failed" (exit 1 when M > 0).
// Screenshot: target/screenshots/offline.png.
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assert, check, finish, launchFresh, recordErrors, recordRequests, report } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = path.join(ROOT, 'tests', 'data');
const SHOTS = path.join(ROOT, 'target', 'screenshots');
const PAGE = path.resolve(ROOT, process.env.PAGE || 'dist/cohortcalc.html');
const PAGE_URL = pathToFileURL(PAGE).href;
const TIMEOUT = 30_000;

/** The demo's headline figures (Bellow et al. 2025). */
const DEMO_FIGURES = ['7.04', '3.78', '6.75', '4.13', '79.1', '78.1', '18.07'];

/** Requests the one file may make: itself, and what it makes in memory. */
function local(url) {
  return url.startsWith('file:') || url.startsWith('blob:') || url.startsWith('data:') || url.startsWith('about:');
}

async function runs(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.analyses || 0));
}

/** Waits until more than `before` analyses have finished and results are shown. */
async function waitResults(page, before) {
  await page.waitForFunction(
    (n) => {
      const done = Number(document.documentElement.dataset.analyses || 0);
      const r = document.getElementById('results');
      const err = document.getElementById('error');
      return done > n && ((r && !r.hidden) || (err && !err.hidden));
    },
    before,
    { timeout: TIMEOUT },
  );
  const text = await page.evaluate(() => {
    const r = document.getElementById('results');
    return r && !r.hidden ? r.innerText : '';
  });
  if (!text) {
    const err = await page.locator('#error').innerText().catch(() => '');
    throw new Error(`no results shown${err ? `; error: ${err.trim()}` : ''}`);
  }
  return text;
}

function missing(text, figures) {
  return figures.filter((f) => !text.includes(f));
}

// ------------------------------------------------------------------ the file itself

const html = await readFile(PAGE, 'utf8').catch(() => null);
await check(`${path.relative(ROOT, PAGE)} exists and is one self-contained file`, async () => {
  assert(html !== null, `${PAGE} is missing; run \`cargo xtask dist\``);
  const size = (await stat(PAGE)).size;
  // Every src/href is inline (data:), in-page (#…) or made at run time; nothing names a file.
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
  const refs = [...markup.matchAll(/\s(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1]);
  const outside = refs.filter((r) => r !== '' && !r.startsWith('data:') && !r.startsWith('#') && !r.startsWith('blob:'));
  assert(outside.length === 0, `refers to ${outside.join(', ')}`);
  assert(!/<link[^>]+rel=["']?stylesheet/i.test(html), 'links a stylesheet');
  assert(!/<script[^>]+type=["']?module/i.test(html), 'has a module script');
  return `${(size / 1000).toFixed(1)} kB, ${refs.length} inline references`;
});
const csp = html && /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
await check('CSP: default-src \'none\', scripts only by hash, worker from blob:, nothing from a network', async () => {
  assert(csp, 'no Content-Security-Policy meta');
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
  assert(csp.trim().startsWith("default-src 'none'"), 'does not start with default-src \'none\'');
  assert(!/https?:|\*|'unsafe-eval'|'self'/.test(csp), `allows too much: ${csp}`);
  const script = directives['script-src'] || [];
  assert(script.length > 0 && script.every((s) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(s) || s === "'wasm-unsafe-eval'"), `script-src ${script.join(' ')}`);
  assert(script.includes("'wasm-unsafe-eval'"), 'no wasm-unsafe-eval');
  assert((directives['worker-src'] || []).join(' ') === 'blob:', `worker-src ${directives['worker-src']}`);
  const idx = html.indexOf('Content-Security-Policy');
  assert(idx < html.search(/<script|<style/i), 'the CSP comes after a script or style');
  return csp.replace(/'sha256-[^']+'/g, "'sha256-…'");
});

// ------------------------------------------------------------------ in the browser

const { context, close } = await launchFresh('cohortcalc-offline-', {
  viewport: { width: 1280, height: 900 },
  locale: 'en-US',
  offline: true,
  acceptDownloads: true,
});
await mkdir(SHOTS, { recursive: true });

const requests = recordRequests(context);
const blocked = [];
// Anything that is not the file itself or made in memory is refused (and counted).
await context.route(
  (url) => !local(url.href),
  (route) => {
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  },
);
// CSP violations, wherever they happen, are errors too (they are also printed to the console).
await context.addInitScript(() => {
  self.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
  });
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
const consoleErrors = recordErrors(page);

try {
  const opened = html !== null && (await check(`opens from ${PAGE_URL}`, async () => {
    await page.goto(PAGE_URL, { waitUntil: 'load' });
    const title = await page.title();
    assert(/cohortcalc/.test(title), `title ${JSON.stringify(title)}`);
  }));
  if (opened) {
    await check('demo results appear, with the headline figures', async () => {
      const text = await waitResults(page, 0);
      const gone = missing(text, DEMO_FIGURES);
      assert(gone.length === 0, `missing ${gone.join(', ')}`);
      return DEMO_FIGURES.join(' ');
    });
    await check('the analysis ran in a worker started from a blob: URL', async () => {
      const workers = page.workers().map((w) => w.url());
      assert(workers.length > 0, 'no worker');
      assert(workers.every((u) => u.startsWith('blob:')), workers.join(', '));
      return `${workers.length} worker(s)`;
    });
    await check('a chart is drawn', async () => {
      // The charts are drawn after the results are painted (by the worker, once it has the demo).
      await page.waitForFunction(() => !document.getElementById('results')?.dataset.rendering, null, { timeout: TIMEOUT });
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll('#results canvas')].map((c) => {
          if (!c.width || !c.height) return 0;
          const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
          let differ = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) differ++;
          }
          return differ / (data.length / 4);
        }),
      );
      assert(drawn.length > 0, 'no canvas in the results');
      assert(drawn.some((share) => share > 0.005), `canvases look blank (${drawn.map((s) => (s * 100).toFixed(2) + '%').join(', ')})`);
      return `${drawn.length} canvas(es), most drawn ${(Math.max(...drawn) * 100).toFixed(1)}%`;
    });
    await check('the demo CSV downloads from the page', async () => {
      const link = page.locator('#download-demo');
      if ((await link.count()) === 0) return 'no such link on this page';
      await page.waitForFunction(() => (document.getElementById('download-demo').getAttribute('href') || '').startsWith('blob:'));
      const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const got = await readFile(await dl.path(), 'utf8');
      const want = await readFile(path.join(DATA, 'demo.csv'), 'utf8');
      assert(got === want, 'differs from tests/data/demo.csv');
      return dl.suggestedFilename();
    });

    const secondCsv = await readFile(path.join(DATA, 'second.csv'), 'utf8');
    const secondRows = secondCsv.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;
    await check('a CSV given through the file input is analysed', async () => {
      const before = await runs(page);
      await page.setInputFiles('input[type=file]#file', path.join(DATA, 'second.csv'));
      const text = await waitResults(page, before);
      const read = (await page.locator('#fact-read').innerText()).trim();
      assert(Number(read) === secondRows, `rows read ${JSON.stringify(read)}, the file has ${secondRows}`);
      const left = ['7.04', '3.78', '6.75', '4.13', '18.07'].filter((f) => text.includes(f));
      assert(left.length === 0, `still shows the demo's ${left.join(', ')}`);
      return `second.csv: ${read} rows`;
    });
    // A workbook, where there is one: calamine in the inlined module, from a file:// page.
    const workbook = path.join(DATA, 'ingest', 'cohort.xlsx');
    if (await stat(workbook).catch(() => null)) {
      await check('an XLSX workbook given through the file input is analysed', async () => {
        const before = await runs(page);
        await page.setInputFiles('input[type=file]#file', workbook);
        await waitResults(page, before);
        const read = (await page.locator('#fact-read').innerText()).trim();
        assert(Number(read) > 0, `rows read ${JSON.stringify(read)}`);
        return `cohort.xlsx: ${read} rows`;
      });
    } else {
      console.log('skip an XLSX workbook (there is no tests/data/ingest/cohort.xlsx)');
    }
    await check('screenshot target/screenshots/offline.png', async () => {
      await page.screenshot({ path: path.join(SHOTS, 'offline.png'), fullPage: true });
    });
  }

  await check('no request left the file (none to any http(s) origin)', async () => {
    const foreign = requests.filter((u) => !local(u));
    assert(foreign.length === 0 && blocked.length === 0, [...new Set([...foreign, ...blocked])].join(', '));
    const files = new Set(requests.filter((u) => u.startsWith('file:')));
    assert(files.size <= 1, `read other files: ${[...files].join(', ')}`);
    return `${requests.length} requests: ${[...new Set(requests.map((u) => u.split(':')[0]))].join(', ')}`;
  });
  await check('no console errors, uncaught errors or CSP violations', async () => {
    assert(consoleErrors.length === 0, [...new Set(consoleErrors)].join(' | '));
  });
} catch (e) {
  report(false, 'the test itself', String((e && e.message) || e).split('\n')[0]);
} finally {
  await close();
}

finish();
