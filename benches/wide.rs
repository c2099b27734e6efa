//! Reading wide files: time and peak memory of ingest for files of many columns — distinct
//! headers, one header repeated in every column, blank headers over data — so that reading stays
//! near-linear in the number of columns as it is in the number of rows.
//!
//! `cargo bench --bench wide` reads files of 100,000 columns (three data rows each) and prints,
//! per file, the time, the peak resident memory of the process while reading (Linux `VmHWM`,
//! reset just before, as `benches/ingest.rs` measures it) and that memory per column;
//! `cargo bench --bench wide -- 3000` reads files of 3,000 columns instead. Each file is read in a
//! process of its own, so that its peak is its own.

use std::time::Instant;

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

/// A CSV file of `cols` columns named by `header`, and three rows of one-digit values.
fn wide_csv(cols: usize, header: impl Fn(usize) -> String) -> Vec<u8> {
    let mut s = (0..cols).map(header).collect::<Vec<_>>().join(",");
    s.push('\n');
    for r in 0..3 {
        s.push_str(&(0..cols).map(|c| ((c + r) % 10).to_string()).collect::<Vec<_>>().join(","));
        s.push('\n');
    }
    s.into_bytes()
}

/// The files read, by name.
const FILES: [&str; 3] = ["distinct headers", "one header repeated", "every other header blank"];

fn file(which: usize, cols: usize) -> Vec<u8> {
    match which {
        0 => wide_csv(cols, |c| format!("c{c}")),
        1 => wide_csv(cols, |_| "a".to_string()),
        _ => wide_csv(cols, |c| if c % 2 == 0 { format!("c{c}") } else { String::new() }),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; the first number given is the number of columns. Each file
    // is read in a process of its own (`--file K`), so that its peak is its own.
    let args: Vec<String> = std::env::args().collect();
    let cols = args.iter().skip(1).find_map(|a| a.parse::<usize>().ok()).unwrap_or(100_000);
    let which = args.iter().position(|a| a == "--file").and_then(|i| args.get(i + 1)?.parse::<usize>().ok());
    let Some(which) = which else {
        for (k, what) in FILES.iter().enumerate() {
            let exe = std::env::current_exe().expect("the benchmark's own path");
            let status = std::process::Command::new(exe)
                .args([cols.to_string(), "--file".into(), k.to_string()])
                .status()
                .expect("runs");
            assert!(status.success(), "reading the file of {what} failed");
        }
        return;
    };
    let files = [(FILES[which], file(which, cols))];
    for (what, csv) in &files {
        let reset = reset_peak();
        let before = proc_status("VmRSS");
        let mut diags = Vec::new();
        let start = Instant::now();
        let table = cohortcalc::ingest::read(csv, &Default::default(), &mut diags, &mut |_| {}).expect("reads");
        let took = start.elapsed();
        assert_eq!(table.ncols(), cols);
        let memory = match (reset, before, proc_status("VmHWM")) {
            (true, Some(before), Some(peak)) => {
                let used = peak.saturating_sub(before);
                format!(
                    "peak {:.1} MB resident ({:.1} MB over the {:.1} MB before; {:.0} bytes a column)",
                    peak as f64 / 1e6,
                    used as f64 / 1e6,
                    before as f64 / 1e6,
                    used as f64 / cols as f64
                )
            }
            _ => "memory not measured (needs Linux /proc)".to_string(),
        };
        println!(
            "{cols} columns, {what} ({:.2} MB): {:.3} s; {memory}; {} notes",
            csv.len() as f64 / 1e6,
            took.as_secs_f64(),
            diags.len()
        );
    }
}
