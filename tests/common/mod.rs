//! Helpers shared by the test binaries that run `stancekit`. Each test binary compiles this
//! module on its own and uses a part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A file under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs the binary with `args`.
pub fn stancekit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stancekit"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs the binary with `args`, `input` on its standard input.
pub fn stancekit_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stancekit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input)
        .expect("the binary reads its input");
    child.wait_with_output().expect("the binary ends")
}

/// Standard error of a run, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The run, after checking it succeeded (its exit code and stderr otherwise).
pub fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "exit {:?}\n{}",
        o.status.code(),
        stderr(&o)
    );
    o
}

/// The JSON lines of a successful run's standard output.
pub fn jsonl(o: &Output) -> Vec<serde_json::Value> {
    assert!(o.status.success(), "{}", stderr(o));
    String::from_utf8(o.stdout.clone())
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

/// Writes `bytes` to `dir/name`; returns the path as text.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("the test directory is writable");
    p.to_str().expect("temporary paths are UTF-8").to_string()
}
