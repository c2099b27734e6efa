// cohortcalc page: reads a file in the browser, analyses it in a Web Worker (WebAssembly), and shows
// the rounded tables and charts. Nothing is uploaded. All user-derived text goes through textContent.
import init, { demo_csv, demo_mapping, draw_paired_chart } from './pkg/cohortcalc.js';

const $ = (id) => document.getElementById(id);
const els = {
  dropzone: $('dropzone'),
  file: $('file'),
  choose: $('choose'),
  loadDemo: $('load-demo'),
  downloadDemo: $('download-demo'),
  error: $('error'),
  errorMessage: $('error-message'),
  status: $('status'),
  statusText: $('status-text'),
  results: $('results'),
  factFile: $('fact-file'),
  factRead: $('fact-read'),
  factIncluded: $('fact-included'),
  factExcluded: $('fact-excluded'),
  factMapping: $('fact-mapping'),
  diagnostics: $('diagnostics'),
  diagnosticsSummary: $('diagnostics-summary'),
  diagnosticsList: $('diagnostics-list'),
  tables: $('tables'),
  charts: $('charts'),
  downloadMapping: $('download-mapping'),
  version: $('version'),
  mappingFile: $('mapping-file'),
  chooseMapping: $('choose-mapping'),
  mappingName: $('mapping-name'),
  clearMapping: $('clear-mapping'),
};

const MAX_BYTES = 200 * 1024 * 1024;
const DEMO_NAME = 'demo.csv (demo cohort)';
/** Diagnostics lists longer than this start collapsed. */
const DIAGNOSTICS_OPEN_MAX = 6;

// ---------------------------------------------------------------- text helpers

/** A plain sentence from anything thrown: never a stack, never "undefined". */
function plainMessage(e, fallback = 'Something went wrong.') {
  let msg = '';
  if (e && typeof e.message === 'string') msg = e.message;
  else if (typeof e === 'string') msg = e;
  msg = msg
    .split('\n')
    .filter((line) => !/^\s*at\s/.test(line))
    .join(' ')
    .trim();
  if (!msg || /^(undefined|null|nan)$/i.test(msg)) return fallback;
  return msg;
}

/** Cell text for display; missing or non-finite values become a dash. */
function cellText(v) {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (/^\s*$/.test(s) || /^(undefined|null|nan|[+-]?inf(inity)?)$/i.test(s.trim())) return null;
  return s;
}

function count(n) {
  return Number.isFinite(n) ? String(n) : '—';
}

function quoted(name) {
  return `\u201c${name}\u201d`;
}

// ---------------------------------------------------------------- status / error

function setStatus(text, busy = false) {
  els.statusText.textContent = text;
  els.status.classList.toggle('is-busy', busy);
}

function showError(message) {
  els.errorMessage.textContent = message;
  els.error.hidden = false;
}

function clearError() {
  els.error.hidden = true;
  els.errorMessage.textContent = '';
}

// ---------------------------------------------------------------- the module on the main thread

// Needed for the demo bytes and for drawing charts; the analysis itself runs in the worker.
const mainReady = init();

// ---------------------------------------------------------------- the worker

let worker = null;
let nextId = 1;
const pending = new Map();

function startWorker() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = (event) => {
    const msg = event.data || {};
    const p = pending.get(msg.id);
    if (!p) return;
    if (typeof msg.progress === 'number') {
      if (p.onProgress) p.onProgress(msg.progress);
      return;
    }
    pending.delete(msg.id);
    if (msg.fatal) restartWorker();
    p.resolve(msg);
  };
  w.onerror = (event) => {
    event.preventDefault();
    failAll('The calculator could not be started in this browser.');
    restartWorker();
  };
  w.onmessageerror = () => {
    failAll('The results could not be passed back from the calculator.');
  };
  return w;
}

function failAll(message) {
  for (const [id, p] of pending) {
    pending.delete(id);
    p.resolve({ id, ok: false, message });
  }
}

function restartWorker() {
  if (worker) worker.terminate();
  worker = startWorker();
}

function runInWorker(buffer, mappingJson, onProgress) {
  if (!worker) worker = startWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve, onProgress });
    const message = { id, bytes: buffer };
    if (typeof mappingJson === 'string') message.mappingJson = mappingJson;
    worker.postMessage(message, [buffer]);
  });
}

// ---------------------------------------------------------------- analysis

let latestRun = 0;
let finishedRuns = 0;
let current = null; // {name, result}
let mappingUrl = null;

/** Analyses `buffer` (transferred to the worker) and shows the result; stale runs are dropped. */
async function analyzeBuffer(name, buffer, mappingJson, note = '', mappingName = null) {
  const run = ++latestRun;
  clearError();
  setStatus(`Analysing ${quoted(name)}…`, true);
  els.results.setAttribute('aria-busy', 'true');
  const t0 = performance.now();
  let answer;
  try {
    answer = await runInWorker(buffer, mappingJson, (share) => {
      if (run !== latestRun) return;
      const pct = Math.round(Math.min(Math.max(share, 0), 1) * 100);
      setStatus(`Analysing ${quoted(name)}… ${pct}% read`, true);
    });
  } catch (e) {
    answer = { ok: false, message: plainMessage(e) };
  }
  if (run !== latestRun) return;
  const ms = Math.round(performance.now() - t0);
  if (answer.ok) {
    try {
      await render(name, answer.result, mappingName);
      const r = answer.result.report;
      setStatus(
        `Showing ${quoted(name)}: ${count(r.rows_included)} of ${count(r.rows_read)} rows analysed in ${ms} ms.${note}`,
      );
    } catch (e) {
      hideResults();
      showError(plainMessage(e, 'The results could not be shown.'));
      setStatus(`${quoted(name)} could not be shown.`);
    }
  } else {
    hideResults();
    showError(plainMessage({ message: answer.message }, 'The file could not be analysed.'));
    setStatus(`${quoted(name)} could not be analysed; see the message beside the drop zone.`);
  }
  // A counter of finished analyses, for tests and tools that drive the page.
  document.documentElement.dataset.analyses = String(++finishedRuns);
}

/** The mapping the user loaded, used for their files (not for the demo): {name, text} or null. */
let userMapping = null;
/** The last file the user gave, to analyse again when the mapping changes. */
let lastFile = null;

async function analyzeFile(file, note = '') {
  if (!file) return;
  lastFile = file;
  const name = file.name || 'the file';
  if (file.size > MAX_BYTES) {
    hideResults();
    showError(`${quoted(name)} is ${Math.round(file.size / 1048576)} MB; files up to ${MAX_BYTES / 1048576} MB can be analysed here.`);
    setStatus(`${quoted(name)} was not analysed.`);
    return;
  }
  let buffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (e) {
    hideResults();
    showError(`${quoted(name)} could not be read by the browser: ${plainMessage(e, 'unknown reason')}.`);
    setStatus(`${quoted(name)} was not analysed.`);
    return;
  }
  // The buffer is transferred to the worker (not copied); the File stays for a re-run.
  await analyzeBuffer(name, buffer, userMapping ? userMapping.text : undefined, note, userMapping && userMapping.name);
}

async function analyzeDemo() {
  try {
    await mainReady;
  } catch (e) {
    showError(`The calculator could not be loaded: ${plainMessage(e, 'unknown reason')}`);
    setStatus('The calculator could not be loaded.');
    return;
  }
  const bytes = demo_csv();
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  await analyzeBuffer(DEMO_NAME, copy.buffer, demo_mapping());
}

// ---------------------------------------------------------------- rendering

function hideResults() {
  els.results.hidden = true;
  els.results.setAttribute('aria-busy', 'false');
  current = null;
}

/** Entries of an object or a Map (serde-wasm-bindgen may give either). */
function entriesOf(x) {
  if (!x) return [];
  if (x instanceof Map) return [...x.entries()];
  return Object.entries(x);
}

function diagnosticText(d) {
  let where = '';
  const hasRow = typeof d.row === 'number' && Number.isFinite(d.row);
  const hasCol = typeof d.column === 'string' && d.column !== '';
  if (hasRow && hasCol) where = `row ${d.row}, column "${d.column}": `;
  else if (hasRow) where = `row ${d.row}: `;
  else if (hasCol) where = `column "${d.column}": `;
  return where + (cellText(d.message) ?? '');
}

function renderDiagnostics(diagnostics, excluded, guessed) {
  const list = els.diagnosticsList;
  list.replaceChildren();
  const items = [];
  for (const d of diagnostics || []) {
    const sev = d && d.severity === 'warning' ? 'warning' : 'info';
    items.push({ sev, label: sev === 'warning' ? 'warning:' : 'note:', text: diagnosticText(d || {}) });
  }
  // Excluded rows that no diagnostic already names.
  const named = new Set((diagnostics || []).filter((d) => typeof d.row === 'number').map((d) => d.row));
  for (const x of excluded || []) {
    if (named.has(x.row)) continue;
    items.push({ sev: 'warning', label: 'excluded:', text: `row ${x.row}: ${cellText(x.reason) ?? ''}` });
  }
  for (const it of items) {
    const li = document.createElement('li');
    li.className = it.sev;
    const sev = document.createElement('span');
    sev.className = 'sev';
    sev.textContent = it.label;
    li.append(sev, document.createTextNode(it.text));
    list.append(li);
  }
  const warnings = items.filter((i) => i.sev === 'warning').length;
  const notes = items.length - warnings;
  const parts = [];
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  if (notes) parts.push(`${notes} note${notes === 1 ? '' : 's'}`);
  els.diagnosticsSummary.textContent = `Notes and warnings (${parts.join(', ')})`;
  els.diagnostics.hidden = items.length === 0;
  // Open unless long; a guessed mapping is worth reading, so its notes get more room.
  const openMax = guessed ? 2 * DIAGNOSTICS_OPEN_MAX : DIAGNOSTICS_OPEN_MAX;
  els.diagnostics.open = items.length > 0 && items.length <= openMax;
}

let tableSeq = 0;

/** A cell that starts with a figure: "7.04 ± 1.26", "< 0.001", "−2.63 (…)", "79.1", "—". */
const FIGURE = /^(—|[<>≤≥]\s?)?[−+-]?\d|^—$/;

/** Which columns hold figures (right-aligned, kept whole) rather than words (left-aligned, wrapped). */
function numericColumns(t) {
  const n = (t.columns || []).length;
  const figures = new Array(n).fill(0);
  const filled = new Array(n).fill(0);
  for (const row of t.rows || []) {
    (row || []).forEach((cell, i) => {
      const text = cellText(cell);
      if (text === null || text === '—') return;
      filled[i]++;
      if (FIGURE.test(text.trim())) figures[i]++;
    });
  }
  return figures.map((f, i) => filled[i] === 0 || f / filled[i] >= 0.6);
}

/** Column headings break between words only (not at the hyphen of "t-test"). */
function fillHeaderCell(el, text) {
  // "(n = 134)" stays on one line.
  const glued = text.replace(/\s+=\s+/g, '\u00a0=\u00a0');
  glued.split(/[ \t\n]+/).filter(Boolean).forEach((word, k) => {
    if (k > 0) el.append(document.createTextNode(' '));
    const span = document.createElement('span');
    span.className = 'nb';
    span.textContent = word;
    el.append(span);
  });
}

/**
 * Puts a figure in a cell so that, when space is short, it breaks only before its interval or
 * spread ("7.00 [6.00, 8.00]" → "7.00" / "[6.00, 8.00]"), never inside a number.
 */
function fillNumberCell(el, text) {
  const m = /^(.*?\S)\s+([([±].*)$/.exec(text);
  const parts = m ? [m[1], m[2]] : [text];
  parts.forEach((part, k) => {
    if (k > 0) el.append(document.createTextNode(' '));
    if (part.length > 24) {
      // Long remarks ("0.008 (Pearson chi-square); …") may wrap anywhere between words.
      el.append(document.createTextNode(part));
      return;
    }
    const span = document.createElement('span');
    span.className = 'nb';
    span.textContent = part;
    el.append(span);
  });
}

function renderTable(t) {
  const id = `table-${++tableSeq}`;
  const scroll = document.createElement('div');
  scroll.className = (t.columns || []).length > 8 ? 'table-scroll wide' : 'table-scroll';
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-labelledby', `${id}-caption`);
  scroll.tabIndex = 0;

  const table = document.createElement('table');
  table.id = id;
  const caption = document.createElement('caption');
  caption.id = `${id}-caption`;
  caption.textContent = cellText(t.title) ?? 'Table';
  table.append(caption);

  const numeric = numericColumns(t);
  const thead = document.createElement('thead');
  const hr = document.createElement('tr');
  (t.columns || []).forEach((c, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    if (i > 0 && !numeric[i]) th.classList.add('text');
    fillHeaderCell(th, cellText(c) ?? '');
    hr.append(th);
  });
  thead.append(hr);
  table.append(thead);

  const tbody = document.createElement('tbody');
  for (const row of t.rows || []) {
    const tr = document.createElement('tr');
    (row || []).forEach((cell, i) => {
      const el = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) el.scope = 'row';
      const text = cellText(cell);
      if (text === null) {
        el.textContent = '—';
        el.classList.add('na');
        if (i > 0 && !numeric[i]) el.classList.add('text');
        el.title = 'not available';
      } else if (i === 0) {
        el.textContent = text.replace(/\s+([=±])\s+/g, '\u00a0$1\u00a0');
      } else if (numeric[i]) {
        fillNumberCell(el, text);
      } else {
        el.textContent = text;
        el.classList.add('text');
      }
      tr.append(el);
    });
    tbody.append(tr);
  }
  table.append(tbody);
  scroll.append(table);
  return scroll;
}

/** Sizes the canvas for the device pixel ratio and draws one paired chart on it. */
function drawChart(canvas) {
  const note = canvas.parentElement.querySelector('.chart-note');
  if (!current) return;
  const cssW = Math.max(300, Math.round(canvas.clientWidth || 720));
  const cssH = Math.max(200, Math.round(canvas.clientHeight || 360));
  const dpr = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
  const w = Math.round(cssW * dpr);
  const h = Math.round(cssH * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.dataset.drawnWidth = String(cssW);
  try {
    draw_paired_chart(canvas, current.result.report, canvas.dataset.outcome);
    note.hidden = true;
  } catch (e) {
    note.textContent = `The chart could not be drawn: ${plainMessage(e, 'unknown reason')}`;
    note.hidden = false;
  }
}

function renderCharts(report) {
  els.charts.replaceChildren();
  const paired = (report.mapping && report.mapping.paired) || [];
  const canvases = [];
  for (const p of paired) {
    const name = cellText(p && p.name);
    if (name === null) continue;
    const fig = document.createElement('figure');
    fig.className = 'chart';
    const cap = document.createElement('figcaption');
    cap.textContent = `${name} by stratum: dots are the means before and after, bars their 95% confidence intervals; a grey line joins each stratum's before and after. Strata with fewer than two pairs are left out.`;
    const canvas = document.createElement('canvas');
    canvas.dataset.outcome = name;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute(
      'aria-label',
      `Chart of mean ${name} before and after, with 95% confidence intervals, for each stratum. The same figures are in the table above.`,
    );
    canvas.textContent = `Mean ${name} before and after by stratum; see the table above.`;
    const note = document.createElement('p');
    note.className = 'chart-note';
    note.hidden = true;
    fig.append(canvas, note, cap);
    // Beside the outcome's own table (the first whose caption starts with its name), else at the end.
    const table = [...els.tables.querySelectorAll('.table-scroll')].find((t) =>
      (t.querySelector('caption')?.textContent || '').startsWith(name),
    );
    if (table) table.after(fig);
    else els.charts.append(fig);
    canvases.push(canvas);
  }
  return canvases;
}

async function render(name, result, mappingName) {
  if (!result || !result.report) throw new Error('The calculator returned no report.');
  const report = result.report;
  current = { name, result };

  els.factFile.textContent = name;
  els.factRead.textContent = count(report.rows_read);
  els.factIncluded.textContent = count(report.rows_included);
  els.factExcluded.textContent = count(Array.isArray(report.excluded) ? report.excluded.length : NaN);
  els.factMapping.textContent = result.mapping_guessed
    ? 'guessed from the column headers — please check'
    : mappingName
      ? `from ${quoted(mappingName)}`
      : 'as given';
  els.factMapping.classList.toggle('guessed', !!result.mapping_guessed);

  renderDiagnostics(result.diagnostics, report.excluded, !!result.mapping_guessed);

  els.tables.replaceChildren(...(result.tables || []).map(renderTable));

  if (mappingUrl) URL.revokeObjectURL(mappingUrl);
  const mappingText = typeof result.mapping_json === 'string' ? result.mapping_json : '';
  mappingUrl = URL.createObjectURL(new Blob([mappingText], { type: 'application/json' }));
  els.downloadMapping.href = mappingUrl;
  const base = name === DEMO_NAME ? 'demo' : name.replace(/\.[^.]*$/, '') || 'cohort';
  els.downloadMapping.download = `${base}.mapping.json`;

  if (report.software && typeof report.software.version === 'string') {
    els.version.textContent = `cohortcalc ${report.software.version}`;
  }

  const canvases = renderCharts(report);
  els.results.hidden = false;
  els.results.setAttribute('aria-busy', 'false');
  await mainReady;
  for (const c of canvases) drawChart(c);
}

// Redraw the charts when their width changes (window resize, zoom).
let resizeTimer = 0;
const resizeObserver = new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const c of els.results.querySelectorAll('.chart canvas')) {
      if (String(Math.round(c.clientWidth)) !== c.dataset.drawnWidth) drawChart(c);
    }
  }, 120);
});
resizeObserver.observe(els.results);
// …and when the device pixel ratio changes (zoom, another screen), so the charts stay crisp.
function watchPixelRatio() {
  const mq = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
  mq.addEventListener(
    'change',
    () => {
      for (const c of els.results.querySelectorAll('.chart canvas')) drawChart(c);
      watchPixelRatio();
    },
    { once: true },
  );
}
watchPixelRatio();

// ---------------------------------------------------------------- input: picker, drop, demo

els.choose.addEventListener('click', (e) => {
  e.stopPropagation();
  els.file.click();
});
els.dropzone.addEventListener('click', (e) => {
  if (e.target === els.file) return;
  els.file.click();
});
els.file.addEventListener('change', () => {
  const file = els.file.files && els.file.files[0];
  els.file.value = '';
  analyzeFile(file);
});

// Drops are accepted anywhere on the page; the drop zone lights up while something is dragged over.
let dragDepth = 0;
function hasFiles(e) {
  return e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
}
window.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth++;
  els.dropzone.classList.add('is-dragover');
});
window.addEventListener('dragover', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
  els.dropzone.classList.add('is-dragover');
});
window.addEventListener('dragleave', (e) => {
  if (!hasFiles(e)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) els.dropzone.classList.remove('is-dragover');
});
window.addEventListener('drop', (e) => {
  if (!e.dataTransfer) return;
  e.preventDefault();
  dragDepth = 0;
  els.dropzone.classList.remove('is-dragover');
  const files = Array.from(e.dataTransfer.files || []);
  if (files.length === 0) return;
  const note = files.length > 1 ? ` (${files.length} files were dropped; only this one was analysed.)` : '';
  analyzeFile(files[0], note);
});

els.loadDemo.addEventListener('click', () => analyzeDemo());

// ---------------------------------------------------------------- an optional mapping file

function showMapping() {
  els.mappingName.hidden = !userMapping;
  els.clearMapping.hidden = !userMapping;
  els.mappingName.textContent = userMapping ? userMapping.name : '';
}

els.chooseMapping.addEventListener('click', () => els.mappingFile.click());
els.mappingFile.addEventListener('change', async () => {
  const file = els.mappingFile.files && els.mappingFile.files[0];
  els.mappingFile.value = '';
  if (!file) return;
  const name = file.name || 'mapping.json';
  let text;
  try {
    text = await file.text();
    JSON.parse(text);
  } catch (e) {
    showError(`${quoted(name)} is not a JSON file: ${plainMessage(e, 'it could not be read')}`);
    setStatus(`The mapping ${quoted(name)} was not used.`);
    return;
  }
  userMapping = { name, text };
  showMapping();
  if (lastFile) {
    await analyzeFile(lastFile);
  } else {
    clearError();
    setStatus(`The mapping ${quoted(name)} will be used for the next file you choose.`);
  }
});
els.clearMapping.addEventListener('click', async () => {
  userMapping = null;
  showMapping();
  els.chooseMapping.focus();
  if (lastFile) await analyzeFile(lastFile);
  else setStatus('Columns will be guessed from their headers.');
});

// ---------------------------------------------------------------- start: show the demo at once

mainReady.then(
  () => {
    const bytes = demo_csv();
    const url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv' }));
    els.downloadDemo.href = url;
    els.downloadDemo.removeAttribute('aria-disabled');
  },
  () => {},
);
analyzeDemo();
