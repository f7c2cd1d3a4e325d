//! `-o` as a careless colleague or an attacker would use it: onto devices,
//! FIFOs, symlinks and existing files, under different umasks. Every output
//! goes through one function (src/cli/write.rs); these run the real binary.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

mod common;

use common::{detente, output};

/// `detente diagram lineage lecd -o`, the command most of these run.
const LINEAGE: [&str; 4] = ["diagram", "lineage", "lecd", "-o"];

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Runs `detente diagram lineage lecd -o PATH` under a umask, through the
/// shell so that the umask applies to the process as it would for a user.
fn diagram_under_umask(umask: &str, path: &Path) -> (i32, String, String) {
    output(
        common::program("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$DETENTE\" diagram lineage lecd -o \"$1\""
            ))
            .arg("sh")
            .arg(path),
    )
}

#[test]
fn output_files_honour_the_umask_not_0600() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.dot");
    let out = diagram_under_umask("022", &p);
    assert_eq!(out.0, 0, "{out:?}");
    assert_eq!(mode(&p), 0o644);
    let q = dir.path().join("b.dot");
    let out = diagram_under_umask("027", &q);
    assert_eq!(out.0, 0, "{out:?}");
    assert_eq!(mode(&q), 0o640);
}

#[test]
fn output_onto_a_fifo_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.dot");
    common::stdout(common::program("mkfifo").arg(&fifo));
    let (code, out, err) = output(detente().args(LINEAGE).arg(&fifo));
    assert_eq!(code, 2);
    assert!(
        err.contains("is a FIFO (named pipe), not a regular file"),
        "{err}"
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(out.is_empty());
}

#[test]
fn output_onto_a_device_node_is_refused_not_replaced() {
    let (code, _, err) = output(
        detente()
            .args(LINEAGE)
            .args(["/dev/zero", "--format", "dot"]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("`/dev/zero` is a character device"), "{err}");
    assert!(fs::metadata("/dev/zero")
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn output_onto_dev_null_writes_through_and_keeps_the_device() {
    common::stdout(
        detente()
            .args(LINEAGE)
            .args(["/dev/null", "--format", "dot"]),
    );
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn output_onto_a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("x.svg");
    fs::create_dir(&d).unwrap();
    let (code, _, err) = output(detente().args(LINEAGE).arg(&d));
    assert_eq!(code, 2);
    assert!(err.contains("is a directory"), "{err}");
    assert!(d.is_dir());
}

#[test]
fn output_onto_a_symlink_follows_it_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.dot");
    let link = dir.path().join("link.dot");
    fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    common::stdout(detente().args(LINEAGE).arg(&link));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(&real).unwrap().starts_with("digraph"));
}

#[test]
fn dash_o_dash_writes_to_standard_output_not_a_file_named_dash() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::stdout(detente().current_dir(dir.path()).args(LINEAGE).arg("-"));
    assert!(out.starts_with("digraph"), "{out}");
    assert!(!dir.path().join("-").exists());
    // With a format, and through /dev/stdout alike.
    let out = common::stdout(detente().current_dir(dir.path()).args(LINEAGE).args([
        "/dev/stdout",
        "--format",
        "mermaid",
    ]));
    assert!(out.contains("flowchart"), "{out}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_failed_render_leaves_the_existing_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("lineage.svg");
    fs::write(&target, "the previous diagram").unwrap();
    // A `dot` that fails, first on PATH.
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let dot = bin.join("dot");
    fs::write(&dot, "#!/bin/sh\necho 'dot: out of memory' >&2\nexit 1\n").unwrap();
    fs::set_permissions(&dot, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (code, _, err) = output(detente().env("PATH", path).args(LINEAGE).arg(&target));
    assert_eq!(code, 2, "{err}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "the previous diagram");
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "only the file and bin/: {left:?}");
}

#[test]
fn a_written_output_is_announced_on_stderr_with_path_format_and_size() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("lineage.mmd");
    let (code, out, err) = output(detente().args(LINEAGE).arg(&p));
    assert_eq!(code, 0, "{err}");
    let size = fs::metadata(&p).unwrap().len();
    assert!(
        err.starts_with(&format!("wrote {} (mermaid, ", p.display())),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(size > 0 && out.is_empty());
}
