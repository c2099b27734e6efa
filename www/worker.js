// cohortcalc analysis worker (module worker): the only place the page runs WebAssembly. Keeps the
// file being worked on (a File or Blob, whose bytes are read only while the core reads them) and the
// file as read (an `OpenFile`), so that a new mapping is analysed without the page sending the file
// again nor the core reading it again; and the analysis shown, so that tables, charts and exports are
// made from it on request. Requests are answered one at a time, in the order they come.
//
//   {id, type: 'demo', fileId, lang}                     -> {id, ok: true, bytes, mapping, inspect, result, charts}
//                                                           (the demo becomes the file worked on, read and
//                                                           analysed; `inspect` as below, the rest as `analyze`)
//   {id, type: 'inspect', fileId, file?, sheet?, encoding?, lang}
//                                                        -> {id, ok: true, result} (the core's JSON text),
//                                                           with {id, progress} while the file is read
//   {id, type: 'analyze', fileId, file?, mappingJson?, lang}
//                                                        -> {id, ok: true, result, charts} (JSON text, tables in
//                                                           both languages; the list of charts, JSON, by language),
//                                                           with {id, progress} (1 at once when the file is read
//                                                           already)
//   {id, type: 'charts', lang}                           -> {id, ok: true, result} (JSON list of charts)
//   {id, type: 'draw'|'svg', kind, outcome, lang, width, height}
//                                                        -> {id, ok: true, result} (JSON display list | SVG text)
//   {id, type: 'csv', lang}                              -> {id, ok: true, result} (CSV text)
//   {id, type: 'xlsx', lang}                             -> {id, ok: true, result} (the workbook's bytes)
//   {id, type: 'report'}                                 -> {id, ok: true, result} (the whole report, JSON)
//   {type: 'warm'}                                       -> nothing (see `warmUp`)
//   errors                                               -> {id, ok: false, message, code?, fatal?, gone?}
//                                                           (`code` for the worker's own messages, which the
//                                                           page shows in its language; the core's come in the
//                                                           language asked)
//
// Nothing leaves the browser.
import init, * as wasm from './pkg/cohortcalc.js';

// Start compiling the module at once, before the first message.
const ready = init();
/**
 * The demo read and analysed as soon as the module is ready, before the page asks for it (it always does
 * first): {bytes, mapping, handle (OpenFile), inspect, results}; taken by the first 'demo' request.
 */
let earlyDemo = null;
const demoReady = ready.then(() => {
  try {
    earlyDemo = readDemo();
  } catch {
    earlyDemo = null; // made again when asked, and the error said then
  }
});

function readDemo() {
  const bytes = wasm.demo_csv();
  const mapping = wasm.demo_mapping();
  const handle = wasm.open(bytes, undefined, () => {}, 'en');
  const inspect = handle.inspect();
  return { bytes, mapping, handle, inspect, results: handle.analyze(mapping, 'en') };
}
let broken = false;
/**
 * The file being worked on: {id, blob} (a File or Blob: a handle, not the bytes, which are read into memory
 * only while the core reads them, so that a large file is not held twice — here and as read by the core).
 */
let file = { id: null, blob: null };
/**
 * The file as read: {fileId, requested (sheet asked for), sheet (sheet read), encoding (encoding label asked
 * for, null: detected), handle: OpenFile}.
 */
let opened = null;
/** The last analysis (a `Results`), for the views of it. */
let shown = null;

/** The language the page asks its messages in. */
function langOf(msg) {
  return msg.lang === 'zh' ? 'zh' : 'en';
}

function plainMessage(e) {
  if (e && typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  if (typeof e === 'string' && e.trim() !== '') return e;
  return 'The file could not be analysed.';
}

/** An error of the worker's own, with a `code` the page translates. */
function own(code, message) {
  return Object.assign(new Error(message), { code });
}

/** Keeps the file a request brings (a Blob or File: the page sends it when this worker lacks it). */
function take(msg) {
  if (msg.file) file = { id: msg.fileId, blob: msg.file };
}

/** The file's bytes for a request about the file, read now. */
async function bytesOf(msg) {
  if (file.id !== msg.fileId || !file.blob) throw own('no_file', 'The file is no longer loaded; choose it again.');
  try {
    return new Uint8Array(await file.blob.arrayBuffer());
  } catch {
    throw own('unreadable', 'The file could not be read (was it moved or changed?); choose it again.');
  }
}

/**
 * The current file read (sheet `sheet`, or the one the core picks; a text file in the encoding labelled
 * `encoding`, or the one the core detects), reusing the last reading.
 */
async function openFile(msg, sheet, progress, encoding = null) {
  const want = sheet || null;
  const wantEncoding = encoding || null;
  if (
    opened &&
    opened.fileId === msg.fileId &&
    file.id === msg.fileId &&
    (want === opened.requested || want === opened.sheet) &&
    wantEncoding === opened.encoding
  ) {
    progress(1);
    return opened.handle;
  }
  const bytes = await bytesOf(msg);
  if (opened) opened.handle.free();
  opened = null;
  const handle = wasm.open(bytes, want ?? undefined, progress, langOf(msg), wantEncoding ?? undefined);
  opened = { fileId: file.id, requested: want, sheet: handle.sheet() ?? null, encoding: wantEncoding, handle };
  return handle;
}

/** Progress (share of the file read, 0 to 1) of request `id`: at most every 100 ms, and always at the end. */
function progressOf(id) {
  let last = -Infinity;
  let lastShare = -1;
  return (share) => {
    if (!Number.isFinite(share) || share <= lastShare) return;
    const now = performance.now();
    if (share < 1 && now - last < 100) return;
    last = now;
    lastShare = share;
    self.postMessage({ id, progress: share });
  };
}

/** The analysis the views are made of; `gone` tells the page to analyse again. */
function current() {
  if (!shown) throw Object.assign(new Error('The analysis is no longer here; it is being run again.'), { gone: true });
  return shown;
}

async function analyze(msg) {
  const mappingJson = typeof msg.mappingJson === 'string' ? msg.mappingJson : undefined;
  let sheet = null;
  let encoding = null;
  try {
    const m = mappingJson ? JSON.parse(mappingJson) : null;
    sheet = (m && m.sheet) || null;
    encoding = (m && typeof m.encoding === 'string' && m.encoding) || null;
  } catch {
    // The core says what is wrong with the mapping.
  }
  const handle = await openFile(msg, sheet, progressOf(msg.id), encoding);
  if (shown) shown.free();
  shown = null;
  shown = handle.analyze(mappingJson, langOf(msg));
  return shownAnswer();
}

/** The analysis shown, and the charts there are (so that the page can ask for them all at once). */
function shownAnswer() {
  return { result: shown.json(), charts: { en: shown.chart_list('en'), zh: shown.chart_list('zh') } };
}

let warmed = false;

/** Lets messages that came meanwhile be answered first. */
function pause() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Warming up, asked for by the page once the demo is shown. V8 runs a WebAssembly function in baseline code
 * first and optimises it only once it has run a while; a call already running keeps the code it started in,
 * so the loops over the rows of the first large file dropped would run in baseline code throughout (a
 * million rows: about a quarter slower). So the worker, idle while the demo is looked at, analyses a cohort
 * of the demo's rows repeated (about 4,000 rows) twice, a step at a time: a request that comes meanwhile
 * waits for one step at most. Nothing of it is kept.
 */
async function warmUp() {
  if (warmed) return;
  warmed = true;
  await ready;
  const [head, ...rows] = new TextDecoder().decode(wasm.demo_csv()).trimEnd().split('\n');
  const lines = [head];
  for (let k = 0; k < 30; k++) {
    for (const row of rows) lines.push(row.replace(/^[^,]*/, (id) => `${id}-${k}`));
  }
  const bytes = new TextEncoder().encode(lines.join('\n'));
  for (let i = 0; i < 2; i++) {
    await pause();
    const handle = wasm.open(bytes, undefined, () => {}, 'en');
    try {
      await pause();
      handle.inspect();
      handle.analyze(undefined, 'en').free();
    } finally {
      handle.free();
    }
  }
}

/** The demo, made the file worked on (the early reading if it is still unused). */
function demo(msg) {
  const d = earlyDemo || readDemo();
  earlyDemo = null;
  file = { id: msg.fileId, blob: new Blob([d.bytes], { type: 'text/csv' }) };
  if (opened) opened.handle.free();
  opened = { fileId: msg.fileId, requested: null, sheet: null, encoding: null, handle: d.handle };
  if (shown) shown.free();
  shown = d.results;
  // The page's own copy, for its download link.
  const copy = d.bytes.slice();
  return { bytes: copy.buffer, mapping: d.mapping, inspect: d.inspect, ...shownAnswer(), transfer: [copy.buffer] };
}

async function answer(msg) {
  const lang = langOf(msg);
  const outcome = typeof msg.outcome === 'string' && msg.outcome !== '' ? msg.outcome : undefined;
  switch (msg.type) {
    case 'demo':
      return demo(msg);
    case 'inspect':
      return { result: (await openFile(msg, msg.sheet, progressOf(msg.id), msg.encoding)).inspect() };
    case 'analyze':
      return analyze(msg);
    case 'charts':
      return { result: current().chart_list(lang) };
    case 'draw':
    case 'svg':
      return { result: current().chart(String(msg.kind), outcome, lang, msg.width >>> 0, msg.height >>> 0, msg.type === 'svg') };
    case 'csv':
      return { result: current().tables_csv(lang) };
    // The whole report (every list of rows, which the analysis's answer cuts to a thousand), laid out
    // to be read — here, not on the page's main thread.
    case 'report':
      return { result: `${JSON.stringify(JSON.parse(current().report_json()), null, 2)}\n` };
    case 'xlsx': {
      const bytes = current().tables_xlsx(lang);
      return { result: bytes, transfer: [bytes.buffer] };
    }
    default:
      throw new Error(`unknown request ${String(msg.type)}`);
  }
}

/** Requests are answered one after another (a file is opened by one request at a time). */
let queue = Promise.resolve();

self.onmessage = (event) => {
  const msg = event.data || {};
  if (msg.type === 'warm') {
    // Not worth a word if it fails: the next request says what is wrong.
    warmUp().catch(() => {});
    return;
  }
  queue = queue.then(() => reply(msg));
};

async function reply(msg) {
  const { id } = msg;
  try {
    if (broken) throw own('stopped', 'The calculator stopped after an internal error; reload the page.');
    await ready;
    if (msg.type === 'demo') await demoReady;
    take(msg);
    const { transfer = [], ...answered } = await answer(msg);
    self.postMessage({ id, ok: true, ...answered }, transfer);
  } catch (e) {
    // A WebAssembly trap (a panic with panic = abort) leaves the module unusable: say so, and let
    // the page start a fresh worker.
    const fatal = e instanceof WebAssembly.RuntimeError || (e && e.name === 'RuntimeError');
    if (fatal) broken = true;
    self.postMessage({
      id,
      ok: false,
      fatal,
      gone: !!(e && e.gone),
      code: e && typeof e.code === 'string' ? e.code : undefined,
      message: fatal
        ? 'The calculator hit an internal error on this file. Please report it; the page has been reset.'
        : plainMessage(e),
    });
  }
}
