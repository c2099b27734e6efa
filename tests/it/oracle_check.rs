//! Shared helpers of the oracle tests (`oracle_compare`, `oracle_normality`, `oracle_stats`,
//! `oracle_survival`): loading the expected values from `tests/data/expected/`, reading oracle
//! fields, and [`Check`], which makes tolerance and exact comparisons, counts them and collects
//! every mismatch (case, field, got/want) so that a test fails once with the whole list.
//!
//! The tolerances stay with each test module (its doc comment states them); only the p-value
//! tolerance, [`P_ABS`], is the same everywhere.

use cohortcalc::report::Estimable;
use serde_json::Value;
use std::fmt::Debug;
use std::path::Path;

/// Absolute tolerance of every p-value comparison (and the p-value must lie in [0, 1]).
pub const P_ABS: f64 = 1e-7;

/// A tolerance for [`Check::close`]: `got` must be within `rel · |want|` of `want`, or within
/// `floor` absolutely (for values at or near 0).
#[derive(Clone, Copy, Debug)]
pub struct Tol {
    /// Relative tolerance.
    pub rel: f64,
    /// Absolute floor.
    pub floor: f64,
}

/// The oracle file `tests/data/expected/{file}`, parsed.
pub fn expected(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/expected").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/data/expected/{file} is not valid JSON: {e}"))
}

/// The array `doc[key]` of oracle cases.
pub fn cases<'a>(doc: &'a Value, key: &str) -> &'a [Value] {
    doc[key].as_array().unwrap_or_else(|| panic!("oracle has no array {key:?}"))
}

/// The `name` of an oracle case.
pub fn name(case: &Value) -> &str {
    case["name"].as_str().unwrap_or_else(|| panic!("oracle case has no name: {case}"))
}

/// An oracle number; `what` names the field in the panic message.
pub fn num(v: &Value, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("oracle field {what} is not a number: {v}"))
}

/// An oracle count (non-negative integer).
pub fn uint(v: &Value, what: &str) -> usize {
    v.as_u64().unwrap_or_else(|| panic!("oracle field {what} is not a count: {v}")) as usize
}

/// An oracle array of numbers.
pub fn nums(v: &Value, what: &str) -> Vec<f64> {
    v.as_array().unwrap_or_else(|| panic!("oracle field {what} is not an array")).iter().map(|x| num(x, what)).collect()
}

/// An oracle array of booleans.
pub fn bools(v: &Value, what: &str) -> Vec<bool> {
    v.as_array()
        .unwrap_or_else(|| panic!("oracle field {what} is not an array"))
        .iter()
        .map(|x| x.as_bool().unwrap_or_else(|| panic!("oracle field {what} holds a non-boolean")))
        .collect()
}

/// Why a result is not estimable (empty for a value), for mismatch messages.
pub fn reason<T>(e: &Estimable<T>) -> String {
    match e {
        Estimable::Value(_) => String::new(),
        Estimable::NotEstimable { not_estimable } => not_estimable.clone(),
    }
}

/// Collects comparisons against the oracle and their mismatches.
///
/// Every comparison adds one to `count` (a presence check that finds both sides absent counts
/// as one); every failed one adds a line `"{case}: {field}: {message}"` to `mismatches`.
#[derive(Default)]
pub struct Check {
    /// Comparisons made.
    pub count: usize,
    /// Oracle cases checked through [`Check::case`].
    pub cases: usize,
    /// One line per failed comparison.
    pub mismatches: Vec<String>,
}

impl Check {
    /// Records a mismatch (does not count a comparison).
    pub fn fail(&mut self, case: &str, field: &str, msg: String) {
        self.mismatches.push(format!("{case}: {field}: {msg}"));
    }

    /// `got` within `tol` of `want` (see [`Tol`]); NaN or infinite `got` never passes.
    pub fn close(&mut self, case: &str, field: &str, got: f64, want: f64, tol: Tol) {
        self.count += 1;
        let diff = (got - want).abs();
        let abs_tol = (tol.rel * want.abs()).max(tol.floor);
        let ok = diff <= abs_tol && got.is_finite(); // false for NaN
        if !ok {
            let rel_err = if want != 0.0 { diff / want.abs() } else { f64::INFINITY };
            self.fail(
                case,
                field,
                format!("got {got:e}, want {want:e} (|diff| {diff:.3e}, rel {rel_err:.3e}, tol {abs_tol:.1e})"),
            );
        }
    }

    /// [`Check::close`] against the oracle number `want`.
    pub fn estimate(&mut self, case: &str, field: &str, got: f64, want: &Value, tol: Tol) {
        self.close(case, field, got, num(want, field), tol);
    }

    /// A p-value: within [`P_ABS`] of the oracle number `want`, and within [0, 1].
    pub fn p_value(&mut self, case: &str, field: &str, got: f64, want: &Value) {
        self.count += 1;
        let want = num(want, field);
        let diff = (got - want).abs();
        let ok = diff <= P_ABS && (0.0..=1.0).contains(&got); // false for NaN
        if !ok {
            self.fail(case, field, format!("got {got:e}, want {want:e} (|diff| {diff:.3e}, abs tol {P_ABS:e})"));
        }
    }

    /// `got == want`.
    pub fn exact<T: PartialEq + Debug>(&mut self, case: &str, field: &str, got: T, want: T) {
        self.count += 1;
        if got != want {
            self.fail(case, field, format!("got {got:?}, want {want:?}"));
        }
    }

    /// Both present (returns the pair, to be compared by the caller) or both absent (`None` in
    /// Rust, `null` in the oracle: one comparison). A disagreement is a mismatch; `reason` says
    /// why Rust has no value.
    pub fn presence<'a, T: Debug>(
        &mut self,
        case: &str,
        field: &str,
        got: Option<&'a T>,
        want: &'a Value,
        reason: impl FnOnce() -> String,
    ) -> Option<(&'a T, &'a Value)> {
        match (got, want.is_null()) {
            (Some(g), false) => Some((g, want)),
            (None, true) => {
                self.count += 1;
                None
            }
            (Some(g), true) => {
                self.count += 1;
                self.fail(case, field, format!("want not estimable, got {g:?}"));
                None
            }
            (None, false) => {
                self.count += 1;
                self.fail(case, field, format!("want {want}, got not estimable ({})", reason()));
                None
            }
        }
    }

    /// [`Check::presence`] of an [`Estimable`]: `NotEstimable` ↔ `null`.
    pub fn estimable<'a, T: Debug>(
        &mut self,
        case: &str,
        field: &str,
        got: &'a Estimable<T>,
        want: &'a Value,
    ) -> Option<(&'a T, &'a Value)> {
        self.presence(case, field, got.value(), want, || reason(got))
    }

    /// One oracle case's whole result (`want`, e.g. its `expected`): counts the case in
    /// `cases`, then [`Check::estimable`] with the field `estimable`.
    pub fn case<'a, T: Debug>(
        &mut self,
        case: &str,
        got: &'a Estimable<T>,
        want: &'a Value,
    ) -> Option<(&'a T, &'a Value)> {
        self.cases += 1;
        self.estimable(case, "estimable", got, want)
    }

    /// An optional number: both absent, or both present and [`Check::close`].
    pub fn optional(&mut self, case: &str, field: &str, got: Option<f64>, want: &Value, tol: Tol) {
        if let Some((g, w)) = self.presence(case, field, got.as_ref(), want, || "None".into()) {
            self.estimate(case, field, *g, w, tol);
        }
    }

    /// Fails with every mismatch if there is any (`what` names the comparisons), and unless at
    /// least `at_least` comparisons were made; then prints the count.
    pub fn finish(&self, what: &str, at_least: usize) {
        let cases = if self.cases > 0 { format!(" ({} cases)", self.cases) } else { String::new() };
        assert!(
            self.mismatches.is_empty(),
            "{} of {} {what} comparisons{cases} disagree with the oracle:\n  {}",
            self.mismatches.len(),
            self.count,
            self.mismatches.join("\n  ")
        );
        assert!(self.count >= at_least, "only {} {what} comparisons (expected at least {at_least})", self.count);
        println!("{what}: {} comparisons{cases} agree with the oracle", self.count);
    }
}
