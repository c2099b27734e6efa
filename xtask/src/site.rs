//! Building the static web page: the wasm module, its JS glue and `www/`, and the one-file page.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::onefile;
use crate::tools::WASM_TARGET;
use crate::util::{self, root, Result};

/// The Cargo profile of the WebAssembly build (see `[profile.wasm-release]` in Cargo.toml): the
/// release profile optimised for size; the native CLI keeps the release profile's speed.
pub const WASM_PROFILE: &str = "wasm-release";

/// The budget for what a browser downloads, gzipped, with everything the page does (XLSX reading
/// included): 1,000 kB. The build fails above it (`check_budget`).
pub const BUDGET_GZIP: u64 = 1000 * 1000;

/// An error when the page (the larger of index.html with its files and the one-file page) weighs
/// more than the budget, gzipped: a deterministic size check that fails the build.
pub fn check_budget(weight: u64) -> Result<()> {
    if weight <= BUDGET_GZIP {
        println!("page weight: {weight} bytes gzipped, within the budget of {BUDGET_GZIP}");
        return Ok(());
    }
    Err(format!(
        "page weight: {weight} bytes gzipped, OVER the budget of {BUDGET_GZIP} by {} bytes (see the sizes above)",
        weight - BUDGET_GZIP
    ))
}

/// The WebAssembly features rustc 1.95 uses by default for wasm32-unknown-unknown (and every
/// current browser has); wasm-opt must be told them to read and keep the module.
const WASM_FEATURES: &[&str] = &[
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the page into `site` (emptied first): `site/pkg/` holds the wasm-bindgen output
/// (optimized by wasm-opt), the files of `www/` are copied beside it, and `cohortcalc.html` is
/// the whole page in one file for use offline (see `onefile`).
pub fn build(site: &Path) -> Result<()> {
    let start = Instant::now();
    let root = root();
    // `site` is emptied, so it must be one of ours: target/site or dist.
    if !matches!(site.file_name().and_then(|n| n.to_str()), Some("site" | "dist")) {
        return Err(format!("refusing to empty and build into {}", site.display()));
    }

    util::run(&mut util::cargo([
        "build",
        "--profile",
        WASM_PROFILE,
        "--lib",
        "--target",
        WASM_TARGET,
        "-p",
        "cohortcalc",
    ]))?;
    let wasm = util::target_dir().join(WASM_TARGET).join(WASM_PROFILE).join("cohortcalc.wasm");
    if !wasm.is_file() {
        return Err(format!("the build made no {}", wasm.display()));
    }

    if site.exists() {
        fs::remove_dir_all(site).map_err(|e| format!("removing {}: {e}", site.display()))?;
    }
    let pkg = site.join("pkg");
    fs::create_dir_all(&pkg).map_err(|e| format!("creating {}: {e}", pkg.display()))?;

    util::run(
        Command::new("wasm-bindgen").args(["--target", "web", "--no-typescript", "--out-dir"]).arg(&pkg).arg(&wasm),
    )?;

    let bg = pkg.join("cohortcalc_bg.wasm");
    let before = size(&bg)?;
    optimize(&bg)?;
    println!("wasm-opt {}: {} -> {} bytes", WASM_OPT_FLAGS.join(" "), before, size(&bg)?);

    let www = root.join("www");
    if www.is_dir() {
        copy_dir(&www, site)?;
    } else {
        println!("warning: there is no www/ folder; the site has only pkg/");
    }
    prerender_demo(site)?;
    if site.join("index.html").is_file() {
        let one = onefile::write(site)?;
        println!("Wrote {} (the page in one file, for use offline)", one.display());
    } else {
        println!("warning: {} has no index.html", site.display());
    }
    println!("Built {} in {}", site.display(), util::secs(start.elapsed()));
    Ok(())
}

/// The element of index.html that the demo's results made at build time go into.
const PRERENDER_SLOT: &str = r#"<script type="application/json" id="demo-prerendered"></script>"#;

/// Runs the demo's analysis with the module just built (`xtask/prerender.mjs`) and puts its results
/// in index.html, so that the page shows them before its worker has compiled the module (the
/// worker's answer is checked against them, see `openDemo` in app.js).
fn prerender_demo(site: &Path) -> Result<()> {
    let index = site.join("index.html");
    if !index.is_file() {
        return Ok(());
    }
    let out = Command::new("node")
        .arg(root().join("xtask/prerender.mjs"))
        .arg(site.join("pkg"))
        .output()
        .map_err(|e| format!("could not run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("xtask/prerender.mjs failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let json = String::from_utf8(out.stdout).map_err(|_| "xtask/prerender.mjs printed no UTF-8".to_string())?;
    if json.contains('<') {
        return Err("xtask/prerender.mjs printed a '<'".into());
    }
    let html = fs::read_to_string(&index).map_err(|e| format!("reading {}: {e}", index.display()))?;
    if html.matches(PRERENDER_SLOT).count() != 1 {
        return Err(format!("{} must hold {PRERENDER_SLOT} once", index.display()));
    }
    let slot = PRERENDER_SLOT.replace("></script>", &format!(">{json}</script>"));
    fs::write(&index, html.replace(PRERENDER_SLOT, &slot)).map_err(|e| format!("writing {}: {e}", index.display()))?;
    println!("demo results made at build time: {} kB in index.html", json.len() / 1000);
    Ok(())
}

/// Replaces `to` (dist) with a copy of the built site `from`.
pub fn copy_site(from: &Path, to: &Path) -> Result<()> {
    if to.file_name().and_then(|n| n.to_str()) != Some("dist") {
        return Err(format!("refusing to replace {}", to.display()));
    }
    if !from.join(onefile::FILE_NAME).is_file() {
        return Err(format!("{} has no {}: build the site first", from.display(), onefile::FILE_NAME));
    }
    if to.exists() {
        fs::remove_dir_all(to).map_err(|e| format!("removing {}: {e}", to.display()))?;
    }
    copy_dir(from, to)
}

/// wasm-opt's optimisation flags. Sizes of the module for issue 6 (gzip -9 in brackets; before
/// calamine, with opt-level 3 / "s" / "z" in `[profile.wasm-release]`): -O3 980 / 951 / 881 kB
/// (458 / 440 / 420), -Os 978 / 944 / 874 (459 / 439 / 417), -Oz 975 / 941 / 864 (459 / 439 / 419);
/// `--converge` saves 2–3 kB more for a third more time. opt-level "z" made the 1 M-row analysis
/// about 1.7 times slower than "s" and 3, which are alike; hence "s" with -Oz.
///
/// A function with one caller is inlined only up to 1000 bytes (binaryen's default: whatever its
/// size). Unbounded, the whole reading of a file became one function of 147 kB inside `open`, and
/// the analysis one of 81 kB: the browser compiles such a function whole before its first call and
/// again, optimised, in the background, and a call already running never gets the optimised code.
/// Bounded, no function is over 28 kB, the module is 1 kB heavier gzipped, and the demo's results
/// are painted about 0.1 s sooner (median of 20 page loads, 363 -> 263 ms on 2 cores); a 1 M-row
/// file takes as long as before within the noise of `cargo xtask bench-page`.
const WASM_OPT_FLAGS: &[&str] = &["-Oz", "--one-caller-inline-max-function-size=1000"];

/// Runs wasm-opt on `wasm` in place; the result is kept in target/xtask/wasm-opt, keyed by the
/// input's SHA-256, so that a build whose module did not change skips it (it takes 15–60 s).
fn optimize(wasm: &Path) -> Result<()> {
    let input = fs::read(wasm).map_err(|e| format!("reading {}: {e}", wasm.display()))?;
    let mut keyed = input.clone();
    keyed.extend(WASM_OPT_FLAGS.iter().chain(WASM_FEATURES).flat_map(|f| f.bytes()));
    let key: String = crate::encoding::sha256(&keyed).iter().map(|b| format!("{b:02x}")).collect();
    let cache = util::target_dir().join("xtask").join("wasm-opt");
    let cached = cache.join(format!("{key}.wasm"));
    if cached.is_file() {
        println!("wasm-opt: the module is unchanged; reusing {}", cached.display());
        return fs::copy(&cached, wasm).map(|_| ()).map_err(|e| format!("copying {}: {e}", cached.display()));
    }
    let optimized = wasm.with_extension("opt.wasm");
    wasm_opt(wasm, &optimized)?;
    fs::rename(&optimized, wasm).map_err(|e| format!("renaming {}: {e}", optimized.display()))?;
    // Only the latest is kept.
    let _ = fs::remove_dir_all(&cache);
    fs::create_dir_all(&cache).map_err(|e| format!("creating {}: {e}", cache.display()))?;
    fs::copy(wasm, &cached).map(|_| ()).map_err(|e| format!("writing {}: {e}", cached.display()))
}

/// Optimises the module `input` into `output` as the page's module is: npm binaryen's wasm-opt with
/// [`WASM_OPT_FLAGS`], debug information and producers left out.
pub fn wasm_opt(input: &Path, output: &Path) -> Result<()> {
    util::run(
        Command::new("node")
            .arg(root().join("node_modules/binaryen/bin/wasm-opt"))
            .args(WASM_OPT_FLAGS)
            .args(WASM_FEATURES)
            .args(["--strip-debug", "--strip-producers", "-o"])
            .arg(output)
            .arg(input)
            .current_dir(root()),
    )
}

fn size(path: &Path) -> Result<u64> {
    fs::metadata(path).map(|m| m.len()).map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies the files under `from` into `to` (hidden files and folders left out).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("reading {}: {e}", from.display()))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst).map_err(|e| format!("copying {} to {}: {e}", src.display(), dst.display()))?;
        }
    }
    Ok(())
}

/// All files under `dir`, sorted, as paths relative to it.
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        let here = dir.join(&rel);
        let entries = fs::read_dir(&here).map_err(|e| format!("reading {}: {e}", here.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("reading {}: {e}", here.display()))?;
            let path = rel.join(entry.file_name());
            if entry.path().is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Prints each file's size and gzip -9 size, the page weight (what a browser downloads for
/// `index.html`: every file but the one-file page) and the one-file page's, against the budget.
/// Returns the larger of the two gzipped weights.
pub fn print_sizes(dir: &Path) -> Result<u64> {
    let (mut total, mut total_gz) = (0, 0);
    let mut one = None;
    println!("\n{:>10} {:>10}  file (in {})", "bytes", "gzip -9", dir.display());
    for rel in files(dir)? {
        let path = dir.join(&rel);
        let raw = size(&path)?;
        let gz = gzipped_size(&path)?;
        if rel == Path::new(onefile::FILE_NAME) {
            one = Some((raw, gz));
            continue;
        }
        println!("{raw:>10} {gz:>10}  {}", rel.display());
        total += raw;
        total_gz += gz;
    }
    println!("{total:>10} {total_gz:>10}  total: the page weight of index.html");
    let verdict = |gz: u64| if gz <= BUDGET_GZIP { "within" } else { "OVER" };
    if let Some((raw, gz)) = one {
        println!("{raw:>10} {gz:>10}  {} (the page in one file, for use offline)", onefile::FILE_NAME);
    }
    println!("\nBudget: {} kB gzipped (with XLSX reading).", BUDGET_GZIP / 1000);
    println!("  index.html and its files: {} kB gzipped, {} budget", kb(total_gz), verdict(total_gz));
    let mut worst = total_gz;
    if let Some((raw, gz)) = one {
        println!("  {}: {} kB gzipped ({} kB as a file), {} budget", onefile::FILE_NAME, kb(gz), kb(raw), verdict(gz));
        worst = worst.max(gz);
    }
    println!("\n{} is ready for any static host; {} works on its own from a disk.", dir.display(), onefile::FILE_NAME);
    Ok(worst)
}

/// Bytes in kB (1000 bytes) with one decimal.
fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1000.0)
}

/// Size of `gzip -9 -c path`.
pub fn gzipped_size(path: &Path) -> Result<u64> {
    let out =
        Command::new("gzip").args(["-9", "-c"]).arg(path).output().map_err(|e| format!("could not run gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip -9 -c {} failed", path.display()));
    }
    Ok(out.stdout.len() as u64)
}
