//! The core running in a real browser (headless Chromium), through wasm-bindgen-test.
//!
//! Run with `cargo xtask test`, or by hand:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test wasm`
//! (chromedriver on PATH; `webdriver.json` holds Chromium's arguments).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn demo_cohort_in_the_browser() {
    let analysis = cohortcalc::analyze_demo().expect("the demo cohort analyses");
    let overall = &analysis.report.strata[0];
    assert_eq!(overall.name, "Overall");
    assert_eq!(overall.n, 134);
}

#[wasm_bindgen_test]
fn unusable_file_is_an_error_with_a_message() {
    let err = cohortcalc::analyze(b"a,b\n1,2\n", None).expect_err("a file without the study's columns");
    assert!(!err.to_string().trim().is_empty(), "the error has a message");
}
