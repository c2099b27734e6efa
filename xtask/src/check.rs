//! `cargo xtask test`: every check, in order, stopping at the first failure.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::tools::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::util::{self, root, Result};
use crate::{server, site};

/// Chromium's arguments for the tests. As root it needs --no-sandbox; on a closed network,
/// without the background-networking flags, it keeps dialling hosts it cannot reach.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
];

/// The wasm-bindgen tests and the e2e test are stopped after these (they never take that long).
const WASM_TEST_LIMIT: Duration = Duration::from_secs(20 * 60);
const E2E_LIMIT: Duration = Duration::from_secs(15 * 60);

struct Steps {
    done: Vec<(String, Duration, bool)>,
    /// Steps numbered below this one are skipped (but the installing ones).
    from: usize,
    number: usize,
}

impl Steps {
    fn run(&mut self, name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
        self.number += 1;
        if self.number < self.from && !name.starts_with("install") {
            println!("\n==> [{}] {name}: skipped (--from {})", self.number, self.from);
            return Ok(());
        }
        println!("\n==> [{}] {name}", self.number);
        let start = Instant::now();
        let result = f();
        let took = start.elapsed();
        match &result {
            Ok(()) => println!("==> ok: {name} ({})", util::secs(took)),
            Err(e) => println!("==> FAILED: {name} ({}): {e}", util::secs(took)),
        }
        self.done.push((name.to_string(), took, result.is_ok()));
        result.map_err(|e| format!("step `{name}` failed: {e}"))
    }

    fn summary(&self) {
        println!("\nSummary of `cargo xtask test`:");
        for (name, took, ok) in &self.done {
            println!("  {:<6} {:>8}  {name}", if *ok { "ok" } else { "FAILED" }, util::secs(*took));
        }
        let failed = self.done.iter().filter(|s| !s.2).count();
        let total: Duration = self.done.iter().map(|s| s.1).sum();
        println!("  total  {:>8}", util::secs(total));
        println!("steps: {} passed, {failed} failed", self.done.len() - failed);
    }
}

/// Runs the steps, skipping those numbered below `from` (1 = all).
pub fn run_all(from: usize) -> Result<()> {
    let mut steps = Steps { done: Vec::new(), from, number: 0 };
    let result = run_steps(&mut steps);
    steps.summary();
    result
}

fn run_steps(s: &mut Steps) -> Result<()> {
    let wb_version = tools::wasm_bindgen_version()?;
    s.run("install the wasm32 target", tools::ensure_wasm_target)?;
    s.run(&format!("install wasm-bindgen-cli {wb_version}"), tools::ensure_wasm_bindgen)?;
    s.run("install npm packages", tools::ensure_node_modules)?;
    s.run("install Chromium, ChromeDriver and a Chinese font", tools::ensure_chromium)?;

    s.run("cargo fmt --all --check", || util::run(&mut util::cargo(["fmt", "--all", "--check"])))?;
    s.run("cargo clippy (native, all targets)", || {
        util::run(&mut util::cargo(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    })?;
    s.run("cargo clippy (wasm32: lib and tests/wasm.rs)", || {
        util::run(&mut util::cargo([
            "clippy",
            "-p",
            "cohortcalc",
            "--target",
            WASM_TARGET,
            "--lib",
            "--test",
            "wasm",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    s.run("cargo doc (warnings are errors)", || {
        util::run(util::cargo(["doc", "--no-deps", "-p", "cohortcalc"]).env("RUSTDOCFLAGS", "-D warnings"))
    })?;
    s.run("cargo test --workspace (unit, integration, doc tests)", || {
        util::run(&mut util::cargo(["test", "--workspace"]))
    })?;
    // The measured guess quality (tests/it/guess_quality.rs): the same test as above, run again to show its
    // table of shares per file and per role (it fails below its committed floors either way).
    s.run("guess quality over tests/data/guess (printed)", || {
        util::run(&mut util::cargo([
            "test",
            "-p",
            "cohortcalc",
            "--test",
            "it",
            "guess_quality_over_the_corpus",
            "--",
            "--nocapture",
        ]))
    })?;
    s.run("wasm-bindgen tests in headless Chromium (tests/wasm.rs)", wasm_tests)?;

    let site_dir = util::target_dir().join("site");
    s.run("build the site into target/site", || site::build(&site_dir))?;
    s.run("end-to-end test (tests/e2e/e2e.mjs)", || e2e(&site_dir))?;
    let dist = root().join("dist");
    let mut weight = 0;
    s.run("build dist/ (the site and dist/cohortcalc.html)", || {
        site::copy_site(&site_dir, &dist)?;
        weight = site::print_sizes(&dist)?;
        Ok(())
    })?;
    s.run("offline test of dist/cohortcalc.html from file:// (tests/e2e/offline.mjs)", || offline(&dist))?;
    // The size budget fails the build when exceeded (deterministic: gzip -9 of the built files).
    s.run("page weight within the budget of 1,000 kB gzipped", || site::check_budget(weight))?;
    Ok(())
}

/// `cargo test --target wasm32-unknown-unknown --test wasm` through wasm-bindgen-test-runner,
/// which drives Chromium through ChromeDriver with the capabilities of a webdriver.json
/// written here (a fresh profile each run).
fn wasm_tests() -> Result<()> {
    let dir = util::target_dir().join("xtask");
    let profile = dir.join("chromium-profile");
    if profile.exists() {
        fs::remove_dir_all(&profile).map_err(|e| format!("removing {}: {e}", profile.display()))?;
    }
    fs::create_dir_all(&profile).map_err(|e| format!("creating {}: {e}", profile.display()))?;
    let webdriver_json = dir.join("webdriver.json");
    fs::write(&webdriver_json, webdriver_capabilities(&profile))
        .map_err(|e| format!("writing {}: {e}", webdriver_json.display()))?;

    let mut cmd = util::cargo(["test", "-p", "cohortcalc", "--target", WASM_TARGET, "--test", "wasm"]);
    cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    for other in ["GECKODRIVER", "SAFARIDRIVER", "MSEDGEDRIVER"] {
        cmd.env_remove(other).env_remove(format!("{other}_REMOTE"));
    }
    cmd.env_remove("CHROMEDRIVER_REMOTE").env_remove("WASM_BINDGEN_USE_NO_MODULE");
    util::run_with_timeout(&mut cmd, Some(WASM_TEST_LIMIT))
}

/// The WebDriver capabilities (JSON) for Chromium with a profile in `profile`.
fn webdriver_capabilities(profile: &Path) -> String {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| json_string(a)).collect();
    args.push(json_string(&format!("--user-data-dir={}", profile.display())));
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": {},\n    \"args\": [\n      {}\n    ]\n  }}\n}}\n",
        json_string(CHROMIUM),
        args.join(",\n      ")
    )
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs `node tests/e2e/offline.mjs` on `dist/cohortcalc.html` (opened from file://).
fn offline(dist: &Path) -> Result<()> {
    let script = root().join("tests").join("e2e").join("offline.mjs");
    let page = dist.join(crate::onefile::FILE_NAME);
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .current_dir(root())
        .env("PAGE", &page)
        .env("CHROMIUM", CHROMIUM)
        .env("NPM_CONFIG_UPDATE_NOTIFIER", "false");
    util::run_with_timeout(&mut cmd, Some(E2E_LIMIT))
}

/// Serves the site on a free port and runs `node tests/e2e/e2e.mjs` against it.
fn e2e(site_dir: &Path) -> Result<()> {
    let script = root().join("tests").join("e2e").join("e2e.mjs");
    if !script.is_file() {
        return Err(format!("{} is missing: the end-to-end test has not been written", script.display()));
    }
    let port = server::spawn(site_dir.to_path_buf())?;
    let base_url = format!("http://127.0.0.1:{port}/");
    println!("Serving {} at {base_url}", site_dir.display());
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .current_dir(root())
        .env("BASE_URL", &base_url)
        .env("CHROMIUM", CHROMIUM)
        .env("NPM_CONFIG_UPDATE_NOTIFIER", "false");
    util::run_with_timeout(&mut cmd, Some(E2E_LIMIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_are_json_with_a_fresh_profile() {
        let json = webdriver_capabilities(Path::new("/tmp/a \"b\""));
        assert!(json.contains("\"goog:chromeOptions\""));
        assert!(json.contains("\"--no-sandbox\""));
        assert!(json.contains("\"--disable-background-networking\""));
        assert!(json.contains("\"--user-data-dir=/tmp/a \\\"b\\\"\""));
        assert!(json.contains("\"binary\": \"/usr/bin/chromium\""));
    }
}
