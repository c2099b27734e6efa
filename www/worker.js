// cohortcalc analysis worker (module worker). Keeps the bytes of the file being worked on, so that a
// new mapping is analysed without the page sending the file again.
//
//   {id, type: 'inspect', fileId, bytes?, sheet?}          -> {id, ok: true, result} (result null without `inspect`)
//   {id, type: 'analyze', fileId, bytes?, mappingJson?, lang} -> {id, ok: true, result, lang}, with {id, progress} on the way
//   errors                                                  -> {id, ok: false, message, fatal?}
//
// Nothing leaves the browser.
import init, * as wasm from './pkg/cohortcalc.js';

let ready = null;
let broken = false;
/** The file being worked on: {id, bytes: Uint8Array}. */
let file = { id: null, bytes: null };

function plainMessage(e) {
  if (e && typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  if (typeof e === 'string' && e.trim() !== '') return e;
  return 'The file could not be analysed.';
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  const { id, type } = msg;
  try {
    if (broken) throw new Error('The calculator stopped after an internal error; reload the page.');
    if (!ready) ready = init();
    await ready;
    if (msg.bytes) file = { id: msg.fileId, bytes: new Uint8Array(msg.bytes) };
    if (file.id !== msg.fileId || !file.bytes) throw new Error('The file is no longer loaded; choose it again.');

    if (type === 'inspect') {
      const result = typeof wasm.inspect === 'function' ? wasm.inspect(file.bytes, msg.sheet || undefined) : null;
      self.postMessage({ id, ok: true, result });
      return;
    }
    if (type === 'analyze') {
      // Progress (share of the file read, 0 to 1): at most every 100 ms, and always when reading ends.
      let last = -Infinity;
      let lastShare = -1;
      const progress = (share) => {
        if (!Number.isFinite(share) || share <= lastShare) return;
        const now = performance.now();
        if (share < 1 && now - last < 100) return;
        last = now;
        lastShare = share;
        self.postMessage({ id, progress: share });
      };
      const lang = msg.lang === 'zh' ? 'zh' : 'en';
      const mappingJson = typeof msg.mappingJson === 'string' ? msg.mappingJson : undefined;
      const result = wasm.analyze(file.bytes, mappingJson, progress, lang);
      self.postMessage({ id, ok: true, result, lang });
      return;
    }
    throw new Error(`unknown request ${String(type)}`);
  } catch (e) {
    // A WebAssembly trap (a panic with panic = abort) leaves the module unusable: say so, and let
    // the page start a fresh worker.
    const fatal = e instanceof WebAssembly.RuntimeError || (e && e.name === 'RuntimeError');
    if (fatal) broken = true;
    self.postMessage({
      id,
      ok: false,
      fatal,
      message: fatal
        ? 'The calculator hit an internal error on this file. Please report it; the page has been reset.'
        : plainMessage(e),
    });
  }
};
