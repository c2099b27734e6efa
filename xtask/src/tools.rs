//! Installing what the build and the tests need, when it is missing.
//!
//! Each `ensure_*` is quick when its tool is already there, so every command calls them.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::util::{self, root, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A font with Chinese characters (Debian's `fonts-wqy-microhei`, 1.6 MB): without one, headless
/// Chromium draws every Chinese character as an empty box, and the 中文 screenshots show nothing
/// that can be checked.
pub const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// What `serve`, `site` and `dist` need.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_node_modules()
}

/// The wasm32 target of the toolchain in use.
pub fn ensure_wasm_target() -> Result<()> {
    if let Some(sysroot) = util::try_output("rustc", &["--print", "sysroot"]) {
        if Path::new(sysroot.trim()).join("lib/rustlib").join(WASM_TARGET).is_dir() {
            println!("wasm32 target: installed");
            return Ok(());
        }
    }
    util::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The version of the `wasm-bindgen` crate recorded in Cargo.lock (created when missing).
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = root().join("Cargo.lock");
    if !lock.exists() {
        util::run(&mut util::cargo(["generate-lockfile"]))?;
    }
    let text = fs::read_to_string(&lock).map_err(|e| format!("reading {}: {e}", lock.display()))?;
    let versions = locked_versions(&text, "wasm-bindgen");
    match versions.as_slice() {
        [v] => Ok(v.clone()),
        [] => Err(format!("Cargo.lock has no `wasm-bindgen` package; is it a dependency? ({})", lock.display())),
        many => Err(format!("Cargo.lock has several `wasm-bindgen` versions ({}); there must be one", many.join(", "))),
    }
}

/// Versions of package `name` in the text of a Cargo.lock.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        if field("name").as_deref() == Some(name) {
            if let Some(v) = field("version") {
                found.push(v);
            }
        }
    }
    found
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` of exactly the version in Cargo.lock.
pub fn ensure_wasm_bindgen() -> Result<()> {
    let version = wasm_bindgen_version()?;
    let has = |program: &str| {
        util::try_output(program, &["--version"])
            .is_some_and(|out| out.split_whitespace().nth(1) == Some(version.as_str()))
    };
    if has("wasm-bindgen") && has("wasm-bindgen-test-runner") {
        println!("wasm-bindgen-cli {version}: installed");
        return Ok(());
    }
    println!("Installing wasm-bindgen-cli {version} (this compiles it and takes a few minutes, once)");
    // Not `--locked`: the lock file it ships does not build with this toolchain.
    util::run(
        util::cargo(["install", "wasm-bindgen-cli", "--force", "--version", &version])
            .env("CARGO_TERM_PROGRESS_WHEN", "never"),
    )?;
    for program in ["wasm-bindgen", "wasm-bindgen-test-runner"] {
        if !has(program) {
            return Err(format!(
                "`{program} --version` is not {version} after installing; is another one earlier on PATH? \
                 ({} should come first)",
                util::cargo_bin_dir().display()
            ));
        }
    }
    Ok(())
}

/// The npm packages of package.json (binaryen's wasm-opt, playwright-core), installed by
/// `npm ci` when node_modules is missing or was installed from another package-lock.json.
pub fn ensure_node_modules() -> Result<()> {
    let root = root();
    for program in ["node", "npm"] {
        if !util::on_path(program) {
            return Err(format!(
                "`{program}` is not installed; install Node.js 20 and npm (e.g. `apt-get install nodejs npm`)"
            ));
        }
    }
    let lock = root.join("package-lock.json");
    let stamp = root.join("node_modules").join(".xtask-installed-from");
    let wanted = fs::read_to_string(&lock).ok();
    let complete = ["binaryen/bin/wasm-opt", "playwright-core/package.json"]
        .iter()
        .all(|p| root.join("node_modules").join(p).is_file());
    if complete && wanted.is_some() && fs::read_to_string(&stamp).ok() == wanted {
        println!("npm packages: installed");
        return Ok(());
    }
    let verb = if wanted.is_some() { "ci" } else { "install" };
    util::run(
        Command::new("npm")
            .args([verb, "--no-audit", "--no-fund"])
            .current_dir(&root)
            .env("NPM_CONFIG_UPDATE_NOTIFIER", "false"),
    )?;
    if let Ok(text) = fs::read_to_string(&lock) {
        fs::write(&stamp, text).map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    }
    Ok(())
}

/// Debian's Chromium and ChromeDriver (for the wasm-bindgen tests and the e2e test), and a font
/// with Chinese characters ([`CJK_FONT`]).
pub fn ensure_chromium() -> Result<()> {
    if [CHROMIUM, CHROMEDRIVER, CJK_FONT].iter().all(|p| Path::new(p).is_file()) {
        println!("Chromium, ChromeDriver and a Chinese font: installed");
        return Ok(());
    }
    let root_user = util::try_output("id", &["-u"]).is_some_and(|s| s.trim() == "0");
    let sudo: &[&str] = if root_user { &[] } else { &["sudo", "-n"] };
    let apt = |args: &[&str]| {
        let all: Vec<&str> = sudo.iter().copied().chain(["apt-get"]).chain(args.iter().copied()).collect();
        let mut c = Command::new(all[0]);
        c.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    let hint = "install them with `apt-get update && apt-get install -y chromium chromium-driver fonts-wqy-microhei`";
    util::run(&mut apt(&["update", "-q"])).map_err(|e| format!("{e}; {hint}"))?;
    util::run(&mut apt(&["install", "-y", "-q", "chromium", "chromium-driver", "fonts-wqy-microhei"]))
        .map_err(|e| format!("{e}; {hint}"))?;
    if let Some(missing) = [CHROMIUM, CHROMEDRIVER, CJK_FONT].iter().find(|p| !Path::new(p).is_file()) {
        return Err(format!("{missing} is still missing after apt-get install"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_locked_version() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"
"#;
        assert_eq!(locked_versions(lock, "wasm-bindgen"), vec!["0.2.130".to_string()]);
        assert_eq!(locked_versions(lock, "wasm-bindgen-macro"), vec!["0.2.130".to_string()]);
        assert!(locked_versions(lock, "serde").is_empty());
    }
}
