//! `cargo xtask bench-page`: the page's speed in headless Chromium (tests/e2e/bench-page.mjs).
//!
//! Builds the site, serves it on a free port and lets the script time the demo and a generated
//! 1 M-row file. It is a benchmark: it prints figures beside their targets and never fails on
//! them (only when the page cannot be measured at all).

use std::process::Command;
use std::time::Duration;

use crate::tools::{self, CHROMIUM};
use crate::util::{self, root, Result};
use crate::{server, site};

/// The whole run, generating the file included, takes a minute or two.
const LIMIT: Duration = Duration::from_secs(15 * 60);

pub fn run() -> Result<()> {
    tools::ensure_build_tools()?;
    tools::ensure_chromium()?;
    let site_dir = util::target_dir().join("site");
    site::build(&site_dir)?;
    let port = server::spawn(site_dir.clone())?;
    let base_url = format!("http://127.0.0.1:{port}/");
    println!("Serving {} at {base_url}", site_dir.display());
    let scratch = util::target_dir().join("xtask");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("creating {}: {e}", scratch.display()))?;
    let mut cmd = Command::new("node");
    cmd.arg(root().join("tests").join("e2e").join("bench-page.mjs"))
        .current_dir(root())
        .env("BASE_URL", &base_url)
        .env("CHROMIUM", CHROMIUM)
        .env("SCRATCH", &scratch)
        .env("ONE_FILE", site_dir.join(crate::onefile::FILE_NAME))
        .env("NPM_CONFIG_UPDATE_NOTIFIER", "false");
    util::run_with_timeout(&mut cmd, Some(LIMIT))
}
