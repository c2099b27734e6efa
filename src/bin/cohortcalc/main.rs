//! cohortcalc command line: analyse a cohort file, or print the mapping it would guess.
//!
//! The CLI is native only; on wasm32 this binary is empty so that `cargo test --target
//! wasm32-unknown-unknown` (which builds every binary) can run.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
