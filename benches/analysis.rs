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

/// The statistics of one paired outcome on 1 M generated pairs (VAS-like whole numbers), one by
/// one: where the per-stratum time goes.
mod paired_stats {
    use cohortcalc::stats;
    use divan::Bencher;

    fn changes(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut next = super::cohort::xorshift();
        let (mut b, mut a) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let base = 4 + next(7);
            b.push(base as f64);
            a.push(base.saturating_sub(next(6)) as f64);
        }
        let d = a.iter().zip(&b).map(|(y, x)| y - x).collect();
        (b, a, d)
    }

    const N: usize = 1_000_000;

    #[divan::bench(sample_count = 5)]
    fn summary(bencher: Bencher) {
        let (_, _, d) = changes(N);
        bencher.bench(|| stats::summary(divan::black_box(&d)));
    }

    #[divan::bench(sample_count = 5)]
    fn mean_ci(bencher: Bencher) {
        let (_, _, d) = changes(N);
        bencher.bench(|| stats::mean_ci(divan::black_box(&d), 0.95));
    }

    #[divan::bench(sample_count = 5)]
    fn wilcoxon(bencher: Bencher) {
        let (_, _, d) = changes(N);
        bencher.bench(|| stats::wilcoxon_signed_rank(divan::black_box(&d)));
    }

    #[divan::bench(sample_count = 5)]
    fn skewness(bencher: Bencher) {
        let (_, _, d) = changes(N);
        bencher.bench(|| stats::normality::skewness(divan::black_box(&d)));
    }

    #[divan::bench(sample_count = 5)]
    fn mann_whitney(bencher: Bencher) {
        let (_, _, d) = changes(N);
        let (x, y) = d.split_at(N / 3);
        bencher.bench(|| stats::compare::mann_whitney(divan::black_box(x), divan::black_box(y)));
    }

    #[divan::bench(sample_count = 5)]
    fn change_histogram(bencher: Bencher) {
        let (_, _, d) = changes(N);
        bencher.bench(|| stats::describe::change_histogram(divan::black_box(&d)));
    }

    #[divan::bench(sample_count = 5)]
    fn sample_pairs(bencher: Bencher) {
        let (b, a, _) = changes(N);
        bencher.bench(|| stats::describe::sample_pairs(&b, &a, stats::describe::SAMPLE_PAIRS));
    }
}
