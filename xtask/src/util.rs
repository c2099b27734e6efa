//! Paths, environment and running commands.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Errors are sentences for people.
pub type Result<T> = std::result::Result<T, String>;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in a folder of the repository").to_path_buf()
}

/// Cargo's target folder.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root().join(d),
        _ => root().join("target"),
    }
}

/// Where `cargo install` puts programs.
pub fn cargo_bin_dir() -> PathBuf {
    let home = match std::env::var_os("CARGO_HOME") {
        Some(h) if !h.is_empty() => PathBuf::from(h),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cargo"),
    };
    home.join("bin")
}

/// Makes programs installed by `cargo install` findable by this process and its children.
/// Called once at start, before any thread exists.
pub fn prepare_env() {
    let bin = cargo_bin_dir();
    let path = std::env::var_os("PATH").unwrap_or_default();
    if !std::env::split_paths(&path).any(|p| p == bin) {
        let mut dirs = vec![bin];
        dirs.extend(std::env::split_paths(&path));
        if let Ok(joined) = std::env::join_paths(dirs) {
            std::env::set_var("PATH", joined);
        }
    }
}

/// Whether `program` is found on PATH (or is a path to an existing file).
pub fn on_path(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|d| d.join(program).is_file())
}

/// A command line as a person would type it.
pub fn show(cmd: &Command) -> String {
    let mut s = String::new();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            s.push_str(&format!("{}={} ", k.to_string_lossy(), quote(v.to_os_string())));
        }
    }
    s.push_str(&quote(cmd.get_program().to_os_string()));
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&quote(a.to_os_string()));
    }
    s
}

fn quote(s: OsString) -> String {
    let s = s.to_string_lossy().into_owned();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs `cmd` with inherited output and no input; fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    run_with_timeout(cmd, None)
}

/// Like [`run`], but kills the command (and the processes under it) after `limit`.
pub fn run_with_timeout(cmd: &mut Command, limit: Option<Duration>) -> Result<()> {
    let shown = show(cmd);
    println!("$ {shown}");
    let _ = std::io::stdout().flush();
    let mut child = cmd.stdin(Stdio::null()).spawn().map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("waiting for `{shown}`: {e}")),
        }
        if let Some(limit) = limit {
            if start.elapsed() > limit {
                // The command and what it started (e.g. a browser), children first.
                let mut pids = descendants(child.id());
                pids.push(child.id());
                kill(&pids);
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`{shown}` did not finish within {} s and was stopped", limit.as_secs()));
            }
        }
        thread::sleep(Duration::from_millis(50));
    };
    if status.success() {
        Ok(())
    } else {
        Err(match status.code() {
            Some(code) => format!("`{shown}` exited with code {code}"),
            None => format!("`{shown}` was killed by a signal"),
        })
    }
}

/// The processes descended from `pid` (read from /proc), deepest first.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(p) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parent_of.push((p, ppid));
            }
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for &(p, pp) in &parent_of {
            if pp == parent && !found.contains(&p) {
                found.push(p);
                frontier.push(p);
            }
        }
    }
    found.reverse();
    found
}

/// Sends SIGKILL to these processes (all started by this one).
fn kill(pids: &[u32]) {
    if pids.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg("-KILL")
        .args(pids.iter().map(|p| p.to_string()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Standard output of `program args`, or None when it cannot be run or fails.
pub fn try_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `cargo` as a person would run it, from the repository root.
pub fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut c = Command::new("cargo");
    c.args(args).current_dir(root());
    c
}

/// Seconds with one decimal.
pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_over_its_time_is_stopped_with_its_children() {
        let start = Instant::now();
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        let err = run_with_timeout(&mut cmd, Some(Duration::from_millis(500))).unwrap_err();
        assert!(err.contains("did not finish"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn exit_codes_are_reported() {
        assert!(run(Command::new("true").arg("x")).is_ok());
        let err = run(Command::new("sh").args(["-c", "exit 3"])).unwrap_err();
        assert!(err.contains("exited with code 3"), "{err}");
        assert_eq!(show(Command::new("a").args(["b c", "d"]).env("K", "v")), "K=v a 'b c' d");
    }
}
