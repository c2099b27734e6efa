// What the browser scripts in tests/e2e/ (e2e.mjs, offline.mjs, bench-page.mjs) share: starting
// Debian's Chromium (or $CHROMIUM) headless with the same switches, a fresh profile for each run,
// recording the requests and errors of a run, and the "ok / FAIL" check lines with their tally.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// ------------------------------------------------------------------ starting Chromium

/** Chromium's command-line switches for every run: no sandbox, GPU, background or first-run traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Options for `chromium.launch`: the executable ($CHROMIUM, else /usr/bin/chromium), headless, [`CHROMIUM_ARGS`]. */
export function launchOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS],
  };
}

/** Starts Chromium (see `launchOptions`) with Playwright's own temporary profile; returns the Browser. */
export function launchBrowser() {
  return chromium.launch(launchOptions());
}

/**
 * Starts Chromium (see `launchOptions`) with a fresh profile in a new temporary directory named
 * `prefix` + random characters. `options` are further `launchPersistentContext` options (viewport,
 * locale, offline, acceptDownloads, …).
 *
 * Returns `{ context, userDataDir, close }`; `close()` closes the browser and removes the profile.
 */
export async function launchFresh(prefix, options = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), prefix));
  const removeProfile = () => rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { ...launchOptions(), ...options });
  } catch (e) {
    await removeProfile();
    throw e;
  }
  const close = async () => {
    await context.close().catch(() => {});
    await removeProfile();
  };
  return { context, userDataDir, close };
}

// ------------------------------------------------------------------ recording a run

/** Every URL requested in `context` (its pages and workers), in order, in the returned array. */
export function recordRequests(context) {
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  return requests;
}

/**
 * Errors of `page`, in the returned array: console errors of the page (`page: …`) and of its
 * workers (`worker: …`), uncaught errors (`uncaught: …`) and a crash.
 */
export function recordErrors(page) {
  const errors = [];
  const noteConsole = (where) => (msg) => {
    if (msg.type() === 'error') errors.push(`${where}: ${msg.text()}`);
  };
  page.on('console', noteConsole('page'));
  page.on('pageerror', (e) => errors.push(`uncaught: ${(e && e.message) || e}`));
  page.on('worker', (w) => w.on('console', noteConsole('worker')));
  page.on('crash', () => errors.push('the page crashed'));
  return errors;
}

// ------------------------------------------------------------------ checks and their tally

let passed = 0;
let failed = 0;

/** Counts one check and prints its line: `ok   name — detail` or `FAIL name — detail`. */
export function report(ok, name, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

/**
 * Runs the check `fn` (async): it passes unless it throws; a string it returns is printed as the
 * detail, the first line of what it throws as the failure. Returns whether it passed.
 */
export async function check(name, fn) {
  try {
    const detail = await fn();
    report(true, name, typeof detail === 'string' ? detail : '');
    return true;
  } catch (e) {
    report(false, name, String((e && e.message) || e).split('\n')[0]);
    return false;
  }
}

/** Throws `msg` unless `cond` (inside a `check`). */
export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Prints "N passed, M failed" and exits: 0 when nothing failed, else 1. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
