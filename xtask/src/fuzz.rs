//! `cargo xtask fuzz [--cases N]`: the property tests of `tests/it/props.rs` (arbitrary bytes,
//! damaged spreadsheets and arbitrary tables through ingest and the whole analysis) with many
//! cases, in release. CI's `cargo test` runs them with a few hundred cases; this long mode is
//! for a person (or a nightly job) to run.

use crate::util::{self, Result};

/// Cases per property when `--cases` is not given.
const DEFAULT_CASES: u64 = 100_000;

/// `--cases N` or `--cases=N`.
pub fn parse_cases(rest: &[String]) -> Result<u64> {
    let mut cases = DEFAULT_CASES;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let value = if a == "--cases" {
            it.next().ok_or("`--cases` needs a number")?.as_str()
        } else if let Some(v) = a.strip_prefix("--cases=") {
            v
        } else {
            return Err(format!("`fuzz` takes no option `{a}`; see `cargo xtask help`"));
        };
        cases = value.parse().ok().filter(|&n| n > 0).ok_or_else(|| format!("`--cases {value}`: not a count"))?;
    }
    Ok(cases)
}

pub fn run(cases: u64) -> Result<()> {
    let start = std::time::Instant::now();
    let mut cmd = util::cargo(["test", "--release", "--test", "it", "props::", "--", "--nocapture"]);
    // Optimised, but built apart and quickly: the release profile's `panic = "abort"` would
    // build the library twice (the tests need unwinding) into colliding file names (the
    // cdylib), and its LTO is slow to link.
    cmd.env("PROPTEST_CASES", cases.to_string())
        .env("CARGO_TARGET_DIR", util::target_dir().join("fuzz"))
        .env("CARGO_PROFILE_RELEASE_PANIC", "unwind")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    util::run(&mut cmd)?;
    println!("\nfuzz: {cases} cases per property passed in {}", util::secs(start.elapsed()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_option() {
        let s = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_cases(&[]).unwrap(), DEFAULT_CASES);
        assert_eq!(parse_cases(&s(&["--cases", "5000000"])).unwrap(), 5_000_000);
        assert_eq!(parse_cases(&s(&["--cases=7"])).unwrap(), 7);
        assert!(parse_cases(&s(&["--cases"])).is_err());
        assert!(parse_cases(&s(&["--cases", "0"])).is_err());
        assert!(parse_cases(&s(&["--cases", "many"])).is_err());
        assert!(parse_cases(&s(&["--fast"])).is_err());
    }
}
