// cohortcalc analysis worker (module worker). Receives {id, bytes: ArrayBuffer, mappingJson?},
// answers {id, ok: true, result} or {id, ok: false, message}. Nothing leaves the browser.
import init, { analyze } from './pkg/cohortcalc.js';

let ready = null;
let broken = false;

function plainMessage(e) {
  if (e && typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  if (typeof e === 'string' && e.trim() !== '') return e;
  return 'The file could not be analysed.';
}

self.onmessage = async (event) => {
  const { id, bytes, mappingJson } = event.data || {};
  try {
    if (broken) throw new Error('The calculator stopped after an internal error; reload the page.');
    if (!ready) ready = init();
    await ready;
    const data = new Uint8Array(bytes);
    // Progress (share of the file read, 0 to 1), at most every 100 ms.
    let last = 0;
    const progress = (share) => {
      const now = performance.now();
      if (now - last < 100 || !Number.isFinite(share)) return;
      last = now;
      self.postMessage({ id, progress: share });
    };
    const result = analyze(data, typeof mappingJson === 'string' ? mappingJson : undefined, progress);
    self.postMessage({ id, ok: true, result });
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
