//! `cargo xtask`: build, serve and test cohortcalc.
//!
//! * `cargo xtask serve [--port N]` builds the web page into `target/site` and serves it on
//!   <http://127.0.0.1:8000/>.
//! * `cargo xtask dist` builds the web page into `dist/`, ready for any static host, with
//!   `dist/cohortcalc.html`, the whole page in one file that works offline from a disk.
//! * `cargo xtask test` runs every check CI runs (formatting, lints, docs, native tests,
//!   browser tests of the WebAssembly build, the end-to-end test of the page and the offline
//!   test of the one-file page).
//! * `cargo xtask bench-page` times the page in headless Chromium (demo, a 1 M-row file).
//!
//! Each command first installs what it needs and is missing (the wasm32 target, the
//! `wasm-bindgen-cli` matching `Cargo.lock`, the npm packages, and for `test` Debian's Chromium),
//! so that it works on a fresh machine; when everything is there it goes straight to work.
//!
//! Only std is used, so that this crate builds in seconds.

mod bench;
mod bundle;
mod check;
mod encoding;
mod floor;
mod fuzz;
mod onefile;
mod server;
mod site;
mod tools;
mod util;

use std::process::ExitCode;

use util::Result;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--port N]   build the page into target/site and serve it on http://127.0.0.1:N/ (default 8000)
  site               build the page into target/site only
  dist               build the page into dist/ (for any static host) with dist/cohortcalc.html
                     (the page in one file, works offline from a disk) and print their sizes
  test [--from N]    run all checks, as CI does (fmt, clippy, doc, tests, wasm tests, e2e,
                     offline one-file page, page weight); --from N skips the checks numbered
                     below N (the install steps always run)
  bench-page         time the page in headless Chromium: demo shown, a 1 M-row CSV analysed,
                     longest main-thread task, peak memory (prints figures, never fails on them)
  weight-floor       build a module that only reads XLSX with calamine, as the page's module is
                     built, and print its size beside the page's: the part of the weight budget
                     that XLSX reading alone takes
  fuzz [--cases N]   the property tests (arbitrary files and tables through ingest and the whole
                     analysis) with N cases each (default 100000), in release; not part of `test`
  help               show this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Err("no command given".into());
    };
    util::prepare_env();
    match command.as_str() {
        "serve" => {
            let port = parse_port(rest)?;
            // Bound first, so that a port in use is reported before a long build.
            let listener = server::bind(port)?;
            tools::ensure_build_tools()?;
            let site = util::target_dir().join("site");
            site::build(&site)?;
            let addr = listener.local_addr().map_err(|e| format!("local address: {e}"))?;
            println!("\nServing {} at http://{addr}/  (Ctrl-C to stop)", site.display());
            println!("The page in one file, to keep for use offline: http://{addr}/{}", onefile::FILE_NAME);
            server::serve(listener, site, true);
            Ok(())
        }
        "site" => {
            no_options(command, rest)?;
            tools::ensure_build_tools()?;
            site::build(&util::target_dir().join("site"))
        }
        "dist" => {
            no_options(command, rest)?;
            tools::ensure_build_tools()?;
            let dist = util::root().join("dist");
            site::build(&dist)?;
            site::print_sizes(&dist).and_then(site::check_budget)
        }
        "test" => check::run_all(parse_from(rest)?),
        "fuzz" => fuzz::run(fuzz::parse_cases(rest)?),
        "bench-page" => {
            no_options(command, rest)?;
            bench::run()
        }
        "weight-floor" => {
            no_options(command, rest)?;
            tools::ensure_build_tools()?;
            floor::run()
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            print!("{USAGE}");
            Err(format!("unknown command `{other}`"))
        }
    }
}

fn no_options(command: &str, rest: &[String]) -> Result<()> {
    match rest.first() {
        None => Ok(()),
        Some(a) => Err(format!("`{command}` takes no option `{a}`; see `cargo xtask help`")),
    }
}

/// `--port N` or `--port=N`; 8000 when absent.
fn parse_port(rest: &[String]) -> Result<u16> {
    let mut port = 8000;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let value = if a == "--port" {
            it.next().ok_or("`--port` needs a number")?.as_str()
        } else if let Some(v) = a.strip_prefix("--port=") {
            v
        } else {
            return Err(format!("`serve` takes no option `{a}`; see `cargo xtask help`"));
        };
        port = value.parse().map_err(|_| format!("`--port {value}`: not a port number"))?;
    }
    Ok(port)
}

/// `--from N` of `test`; 1 when absent.
fn parse_from(rest: &[String]) -> Result<usize> {
    match rest {
        [] => Ok(1),
        [flag, n] if flag == "--from" => n.parse().map_err(|_| format!("`--from {n}`: not a step number")),
        [a, ..] => Err(format!("`test` takes no option `{a}`; see `cargo xtask help`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn port_option() {
        assert_eq!(parse_port(&[]).unwrap(), 8000);
        assert_eq!(parse_port(&strings(&["--port", "8080"])).unwrap(), 8080);
        assert_eq!(parse_port(&strings(&["--port=0"])).unwrap(), 0);
        assert!(parse_port(&strings(&["--port"])).is_err());
        assert!(parse_port(&strings(&["--port", "x"])).is_err());
        assert!(parse_port(&strings(&["--port", "70000"])).is_err());
        assert!(parse_port(&strings(&["--verbose"])).is_err());
    }
}
