//! Whole-analysis throughput on generated cohorts of 1 k, 100 k and 1 M patients.
//! `cargo bench --bench analysis` prints time per run and patients per second.

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;

#[path = "common/cohort.rs"]
mod cohort;
use cohort::cohort_csv;

fn main() {
    divan::main();
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
