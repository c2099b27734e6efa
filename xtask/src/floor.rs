//! `cargo xtask weight-floor`: what XLSX reading alone weighs in the page, so that the page's
//! weight can be read against its budget (1,000 kB gzipped, with XLSX reading).
//!
//! A crate of a few lines is written into `target/xtask/weight-floor`: it reads the cells of every
//! sheet of an XLSX workbook with calamine, as the page does (calamine as `Cargo.toml` gives it, the
//! versions of `Cargo.lock`), and nothing else — no statistics, no charts, no CSV. It is built and optimised exactly as the page's module is (the `wasm-release`
//! profile's settings, the same wasm-opt flags, after wasm-bindgen), run in node on `tests/data/ingest/cohort.xlsx` to
//! show that it does read a workbook, and its size printed beside the page's module's.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::site;
use crate::tools::WASM_TARGET;
use crate::util::{self, root, Result};

/// The measuring crate's code. No `unsafe`: the host writes the file into the buffer `input`
/// returns, then calls `cells`, which answers how many cells of its sheets hold a value.
const LIB_RS: &str = r#"//! Written by `cargo xtask weight-floor`: calamine's XLSX reading and nothing else.
use calamine::{Reader, Xlsx};
use std::io::Cursor;
use std::sync::Mutex;

static INPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// A buffer of `len` bytes for the file.
#[no_mangle]
pub extern "C" fn input(len: usize) -> *mut u8 {
    let mut buf = INPUT.lock().unwrap();
    *buf = vec![0; len];
    buf.as_mut_ptr()
}

/// Cells holding a value in the workbook in the buffer (every sheet); negative on an error.
#[no_mangle]
pub extern "C" fn cells() -> f64 {
    let bytes = std::mem::take(&mut *INPUT.lock().unwrap());
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else { return -1.0 };
    let mut n = 0.0;
    for name in book.sheet_names() {
        let Ok(mut reader) = book.worksheet_cells_reader(&name) else { return -2.0 };
        loop {
            match reader.next_cell() {
                Ok(Some(cell)) if !matches!(cell.get_value(), calamine::DataRef::Empty) => n += 1.0,
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => return -3.0,
            }
        }
    }
    n
}
"#;

/// Runs the module in node on `xlsx`: prints and returns the cells it read.
const RUN_MJS: &str = r#"import fs from 'node:fs';
const [wasmPath, xlsxPath] = process.argv.slice(2);
const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
// Its imports (wasm-bindgen's glue, which reading a workbook never calls) as functions that fail.
const imports = {};
for (const i of WebAssembly.Module.imports(module)) {
  (imports[i.module] ??= {})[i.name] = () => {
    throw new Error(`${i.module}.${i.name} was called`);
  };
}
const instance = new WebAssembly.Instance(module, imports);
const file = fs.readFileSync(xlsxPath);
const at = instance.exports.input(file.length);
new Uint8Array(instance.exports.memory.buffer, at, file.length).set(file);
console.log(instance.exports.cells());
"#;

pub fn run() -> Result<()> {
    let dir = util::target_dir().join("xtask").join("weight-floor");
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    write(&dir.join("Cargo.toml"), &manifest()?)?;
    write(&dir.join("src/lib.rs"), LIB_RS)?;
    write(&dir.join("run.mjs"), RUN_MJS)?;
    // The versions the page is built with (cargo leaves out what this crate does not use).
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("copying Cargo.lock: {e}"))?;

    util::run(
        Command::new("cargo")
            .args(["build", "--release", "--target", WASM_TARGET])
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .current_dir(&dir),
    )?;
    // wasm-bindgen as for the page: calamine's zip brings getrandom, which brings wasm-bindgen.
    let built = dir.join("target").join(WASM_TARGET).join("release/weight_floor.wasm");
    let pkg = dir.join("pkg");
    util::run(
        Command::new("wasm-bindgen").args(["--target", "web", "--no-typescript", "--out-dir"]).arg(&pkg).arg(&built),
    )?;
    let module = dir.join("weight_floor.wasm");
    site::wasm_opt(&pkg.join("weight_floor_bg.wasm"), &module)?;

    let workbook = root().join("tests/data/ingest/cohort.xlsx");
    let out = Command::new("node")
        .arg(dir.join("run.mjs"))
        .arg(&module)
        .arg(&workbook)
        .output()
        .map_err(|e| format!("could not run node: {e}"))?;
    let read = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || read.parse::<f64>().map_or(true, |n| n <= 0.0) {
        return Err(format!(
            "the measuring module did not read {} (it answered {read:?}):\n{}",
            workbook.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    let floor = site::gzipped_size(&module)?;
    println!("\nXLSX reading alone (calamine: {read} cells read from {}):", workbook.display());
    println!("  {:>10} bytes, {:>10} gzip -9  {}", size(&module)?, floor, module.display());
    let bytes = fs::read(&module).map_err(|e| format!("reading {}: {e}", module.display()))?;
    if let Some(data) = data_section(&bytes) {
        let path = dir.join("data-section.bin");
        fs::write(&path, data).map_err(|e| format!("writing {}: {e}", path.display()))?;
        println!(
            "  {:>10} bytes, {:>10} gzip -9  of which its data (mostly encoding_rs's tables, which calamine \
             reaches through quick-xml's `encoding` feature)",
            data.len(),
            site::gzipped_size(&path)?
        );
    }
    let page = util::target_dir().join("site/pkg/cohortcalc_bg.wasm");
    if page.is_file() {
        let gz = site::gzipped_size(&page)?;
        println!("  {:>10} bytes, {:>10} gzip -9  the page's module ({})", size(&page)?, gz, page.display());
        println!(
            "\nOf the budget of {} kB gzipped, XLSX reading alone takes {} kB ({}%); the page's module is {} kB.",
            site::BUDGET_GZIP / 1000,
            floor / 1000,
            floor * 100 / site::BUDGET_GZIP,
            gz / 1000
        );
    } else {
        println!("\n(`cargo xtask site` builds the page's module, to compare.)");
    }
    Ok(())
}

/// The crate's manifest: calamine as the project's `Cargo.toml` gives it, and the settings of the
/// page's profile (`wasm-release`: release, opt-level "s", panic = "abort").
fn manifest() -> Result<String> {
    let ours = fs::read_to_string(root().join("Cargo.toml")).map_err(|e| format!("reading Cargo.toml: {e}"))?;
    let calamine = ours
        .lines()
        .find(|l| l.trim_start().starts_with("calamine ="))
        .ok_or("Cargo.toml has no `calamine = …` line")?;
    Ok(format!(
        "[package]\nname = \"weight-floor\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [lib]\ncrate-type = [\"cdylib\"]\n\n[dependencies]\n{calamine}\n\n\
         [profile.release]\nopt-level = \"s\"\nlto = true\ncodegen-units = 1\npanic = \"abort\"\n\n\
         # Not a member of the project's workspace.\n[workspace]\n"
    ))
}

/// The contents of the data section (id 11) of the WebAssembly module `wasm`.
fn data_section(wasm: &[u8]) -> Option<&[u8]> {
    fn leb(bytes: &[u8], at: &mut usize) -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(value);
            }
            shift += 7;
        }
    }
    let mut at = 8; // magic and version
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let len = leb(wasm, &mut at)?;
        let body = wasm.get(at..at.checked_add(len)?)?;
        if id == 11 {
            return Some(body);
        }
        at += len;
    }
    None
}

fn write(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn size(path: &Path) -> Result<u64> {
    fs::metadata(path).map(|m| m.len()).map_err(|e| format!("{}: {e}", path.display()))
}
