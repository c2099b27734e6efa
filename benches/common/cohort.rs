//! The generated cohort both benchmarks read (one definition, so they measure the same bytes).

/// A fixed xorshift64 sequence: each call gives the next value below its argument.
pub fn xorshift() -> impl FnMut(u64) -> u64 {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    }
}

/// A deterministic cohort CSV shaped like the demo (11 columns, ~52 bytes a row); the same bytes
/// as `benches/analysis.rs` and `tests/oracles/pandas_compare.py` write.
pub fn cohort_csv(n: usize) -> Vec<u8> {
    let mut next = xorshift();
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
