//! Ingest throughput and memory on a generated 1 M-row, 11-column cohort CSV (~52 MB).
//!
//! `cargo bench --bench ingest` first reads the file once and prints the time, MB/s and the peak
//! resident memory of the process while reading (Linux `VmHWM`, reset just before, so it counts
//! the file's own bytes, the table and everything else the process holds), as a multiple of the
//! file size, and fails if that is over 3×; then divan times ingest (its throughput column is the
//! MB/s), for a plain UTF-8 comma-separated file and for a semicolon, decimal-comma,
//! Windows-1252 one.

use divan::counter::BytesCount;
use divan::Bencher;

#[path = "common/cohort.rs"]
mod cohort;
use cohort::cohort_csv;

const ROWS: usize = 1_000_000;

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`); `None` off Linux.
fn proc_status(field: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: usize = line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak resident size (`VmHWM`) to the current one (Linux ≥ 4.0).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() {
    let mut csv = cohort_csv(ROWS);
    csv.shrink_to_fit();
    let mb = csv.len() as f64 / 1e6;
    let reset = reset_peak();
    let before = proc_status("VmRSS");
    let mut diags = Vec::new();
    let start = std::time::Instant::now();
    let table = cohortcalc::ingest::read(&csv, &Default::default(), &mut diags, &mut |_| {}).expect("reads");
    let took = start.elapsed();
    println!(
        "ingest of {ROWS} rows × {} columns ({mb:.1} MB): {:.0} ms, {:.0} MB/s",
        table.ncols(),
        took.as_secs_f64() * 1e3,
        mb / took.as_secs_f64(),
    );
    match (reset, before, proc_status("VmHWM"), proc_status("VmRSS")) {
        (true, Some(before), Some(peak), Some(after)) => {
            let ratio = peak as f64 / csv.len() as f64;
            println!(
                "resident memory: {:.1} MB before (the file and the process), peak {:.1} MB while reading = {ratio:.2}× \
                 the file size, {:.1} MB after (the table holds {:.1} MB)",
                before as f64 / 1e6,
                peak as f64 / 1e6,
                after as f64 / 1e6,
                after.saturating_sub(before) as f64 / 1e6,
            );
            assert!(ratio <= 3.0, "ingest must stay within 3× the file size, was {ratio:.2}×");
        }
        _ => println!("resident memory: not measured (needs Linux /proc)"),
    }
    drop(table);
    divan::main();
}

/// The same cohort with a semicolon, decimal commas and Windows-1252 text.
fn european(csv: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(csv).replace(',', ";").replace(".", ",").replace("Sex", "Sexe é");
    encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
}

#[divan::bench(sample_count = 5)]
fn ingest_csv(bencher: Bencher) {
    let csv = cohort_csv(ROWS);
    bencher.counter(BytesCount::new(csv.len())).bench(|| {
        let mut d = Vec::new();
        cohortcalc::ingest::read(divan::black_box(&csv), &Default::default(), &mut d, &mut |_| {}).expect("reads")
    });
}

#[divan::bench(sample_count = 5)]
fn ingest_csv_semicolon_decimal_comma_latin1(bencher: Bencher) {
    let csv = european(&cohort_csv(ROWS));
    bencher.counter(BytesCount::new(csv.len())).bench(|| {
        let mut d = Vec::new();
        cohortcalc::ingest::read(divan::black_box(&csv), &Default::default(), &mut d, &mut |_| {}).expect("reads")
    });
}
