//! Whole-analysis throughput on generated cohorts of 1 k, 100 k and 1 M patients.
//! `cargo bench --bench analysis` prints time per run and patients per second.

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;

fn main() {
    divan::main();
}

/// A deterministic cohort CSV shaped like the demo (11 columns, ~54 bytes a row).
fn cohort_csv(n: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let mut s = String::with_capacity(n * 60);
    s.push_str("Record ID,Age,Sex,DEXA T-score,Procedure date,Last follow-up,VAS baseline,VAS 6 wk,Functional improvement,VCF,VCF date\n");
    for i in 0..n {
        let t = next(50) as f64 / 10.0 - 4.0;
        let base = 4 + next(7);
        let after = base.saturating_sub(next(6));
        let (y, m, d) = (2019 + next(5), 1 + next(12), 1 + next(28));
        let months = 1 + next(40);
        let end_m = (m - 1 + months) % 12 + 1;
        let end_y = y + (m - 1 + months) / 12;
        let vcf = next(50) == 0;
        s.push_str(&format!(
            "P{i},{},{},{t:.1},{y}-{m:02}-{d:02},{end_y}-{end_m:02}-{d:02},{base},{after},{},{},{}\n",
            45 + next(40),
            if next(4) == 0 { "M" } else { "F" },
            if next(5) == 0 { "No" } else { "Yes" },
            if vcf { "Yes" } else { "No" },
            if vcf { format!("{end_y}-{end_m:02}-{d:02}") } else { String::new() },
        ));
    }
    s.into_bytes()
}

#[divan::bench(args = [1_000, 100_000, 1_000_000], sample_count = 5)]
fn full_analysis(bencher: Bencher, n: usize) {
    let csv = cohort_csv(n);
    let mapping = cohortcalc::demo_mapping();
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(csv.len()))
        .bench(|| cohortcalc::analyze(divan::black_box(&csv), Some(&mapping)).expect("analyses"));
}

#[divan::bench(args = [1_000_000], sample_count = 5)]
fn ingest_only(bencher: Bencher, n: usize) {
    let csv = cohort_csv(n);
    bencher.counter(BytesCount::new(csv.len())).bench(|| {
        let mut d = Vec::new();
        cohortcalc::ingest::read_csv(divan::black_box(&csv), &mut d, &mut |_| {}).expect("reads")
    });
}
