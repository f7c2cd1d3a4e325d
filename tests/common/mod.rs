//! Helpers shared by the integration tests that need a program from outside
//! Rust (Graphviz, Python packages, Chromium, a SPARQL server).
//!
//! On CI (`CI` set) a missing tool is a failure: `.ci/run` installs every one
//! of them, so a missing one means the script is wrong. On a developer's
//! machine the test says loudly what it skipped and how to install it.
#![allow(dead_code)]

use std::process::Command;

/// Whether `program --version`-style probing (`args`) runs successfully.
/// Panics on CI when it does not; prints a skip notice elsewhere.
pub fn require(program: &str, args: &[&str], install: &str) -> bool {
    let ok = Command::new(program)
        .args(args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("`{program}` is needed by this test and CI installs it: {install}");
        }
        eprintln!("SKIPPED: `{program}` is not available here; {install}");
    }
    ok
}

/// Whether Python can import every module named (e.g. `["networkx", "rdflib"]`).
/// Same policy as [`require`]: fatal on CI, a loud skip elsewhere.
pub fn require_python(modules: &[&str]) -> bool {
    let code = format!("import {}", modules.join(", "));
    require(
        "python3",
        &["-c", &code],
        "pip install -r tests/requirements.txt",
    )
}
