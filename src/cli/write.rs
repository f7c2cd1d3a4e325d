//! Every file `detente` writes goes through here: `-o FILE` outputs with
//! [`write_file`], directory outputs (csv, neo4j, site) with [`DirOutput`].
//!
//! What this guarantees, and why:
//! - A file is written whole or not at all: bytes go to a fresh, randomly
//!   named temporary file beside the target (same file system, so the final
//!   rename is atomic), which is renamed over the target only once complete.
//!   A failed run leaves an existing file exactly as it was.
//! - Nothing the user did not name is replaced: an existing output that is
//!   not a regular file (a device, a FIFO, a socket, a directory) is refused —
//!   run as root, `-o /dev/null` must not replace the system's `/dev/null`.
//!   The exceptions are names that can only mean "this stream": `-` and
//!   `/dev/stdout` write to standard output, `/dev/stderr`, `/dev/fd/N` and
//!   `/dev/null` are written through, never replaced.
//! - A symlink is followed, as a shell's `>` would: the file it points to is
//!   replaced and the link stays a link.
//! - New files honour the umask (0644 under the usual 022), not the 0600
//!   that temporary files are created with; a replaced file keeps its mode.
//! - A directory output is assembled in a temporary directory beside the
//!   target and renamed into place; an existing directory is replaced only
//!   with `--force`.
//!
//! Callers then print one line on stderr with [`Written::announce`], so a
//! user sees what was written where.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use super::Failure;

/// Why an output could not be written. Every one exits 2 (an I/O problem).
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// The output exists and is something a file must not replace.
    #[error("`{path}` is {what}, not a regular file; refusing to replace it")]
    NotARegularFile { path: PathBuf, what: &'static str },
    /// A directory output names something that exists and is not a directory.
    #[error("`{path}` is {what}, not a directory; refusing to replace it")]
    NotADirectory { path: PathBuf, what: &'static str },
    /// A directory output exists and `--force` was not given.
    #[error("`{path}` already exists; refusing to overwrite it")]
    Exists { path: PathBuf },
    /// A name inside a directory output that would escape it.
    #[error("`{name}` is not a plain relative path inside the output directory")]
    BadEntry { name: PathBuf },
    /// The operating system refused.
    #[error("cannot write `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl WriteError {
    fn io(path: &Path, source: io::Error) -> WriteError {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            WriteError::NotARegularFile { .. } => Some(
                "name a regular file (or a new one) with -o; `-o -` writes to standard output"
                    .into(),
            ),
            WriteError::NotADirectory { .. } => {
                Some("name a new directory, or an existing one with --force".into())
            }
            WriteError::Exists { .. } => {
                Some("add --force to replace it, or name a new directory".into())
            }
            WriteError::BadEntry { .. } => {
                Some("this is a bug in detente: please report it".into())
            }
            WriteError::Io { .. } => None,
        }
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Failure {
        let code = match e {
            WriteError::NotARegularFile { .. } => "output-not-a-file",
            WriteError::NotADirectory { .. } => "output-not-a-directory",
            WriteError::Exists { .. } => "output-exists",
            WriteError::BadEntry { .. } | WriteError::Io { .. } => "io",
        };
        Failure::Error {
            exit: super::Exit::Usage,
            code,
            help: e.help(),
            message: e.to_string(),
        }
    }
}

/// What was written, for the line on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    /// The path as the user gave it (not the symlink target), or `None` for
    /// standard output.
    pub(crate) path: Option<PathBuf>,
    /// Bytes written (all files together for a directory).
    pub(crate) bytes: u64,
    /// Files written, for a directory output; `None` for a single file.
    pub(crate) files: Option<usize>,
}

impl Written {
    /// The one line on stderr saying what was written: path, format, size,
    /// and what the caller adds (e.g. a diagram's node count). Nothing is
    /// said for standard output, where the bytes speak for themselves.
    pub(crate) fn announce(&self, format: &str, detail: Option<&str>) {
        if let Some(line) = self.line(format, detail) {
            eprintln!("{line}");
        }
    }

    /// The text of [`Written::announce`].
    pub(crate) fn line(&self, format: &str, detail: Option<&str>) -> Option<String> {
        let path = self.path.as_ref()?;
        let mut what = format!("{format}, ");
        if let Some(n) = self.files {
            what.push_str(&format!("{n} file{}, ", if n == 1 { "" } else { "s" }));
        }
        what.push_str(&size(self.bytes));
        if let Some(d) = detail {
            what.push_str("; ");
            what.push_str(d);
        }
        Some(format!("wrote {} ({what})", path.display()))
    }
}

/// A byte count as people read it: `812 bytes`, `14.2 kB`, `3.1 MB`.
fn size(bytes: u64) -> String {
    match bytes {
        1 => "1 byte".into(),
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// How an output path is to be written.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// Our own standard output (`-`, `/dev/stdout`).
    Stdout,
    /// An existing stream or sink, opened and written, never replaced.
    Through(PathBuf),
    /// A regular file (existing or not), replaced atomically. The path is
    /// the one symlinks lead to.
    Replace(PathBuf),
}

/// Whether `-o` names standard output.
pub(crate) fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || path == Path::new("/dev/stdout")
}

/// Names that only ever mean an already-open stream or the null sink.
fn is_stream_name(path: &Path) -> bool {
    let s = path.to_string_lossy();
    s == "/dev/stderr"
        || s == "/dev/null"
        || s.strip_prefix("/dev/fd/")
            .or_else(|| s.strip_prefix("/proc/self/fd/"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The path a chain of symlinks ends at (which need not exist). Relative
/// link targets are taken from the link's directory, as the kernel does.
fn follow_links(path: &Path) -> Result<PathBuf, WriteError> {
    let mut p = path.to_path_buf();
    // The kernel's own limit on a chain of links (ELOOP).
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p).map_err(|e| WriteError::io(path, e))?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(_) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(WriteError::io(path, e)),
        }
    }
    Err(WriteError::io(
        path,
        io::Error::other("too many levels of symbolic links"),
    ))
}

fn plan(path: &Path) -> Result<Plan, WriteError> {
    if is_stdout(path) {
        return Ok(Plan::Stdout);
    }
    if is_stream_name(path) {
        return Ok(Plan::Through(path.to_path_buf()));
    }
    let target = follow_links(path)?;
    match fs::metadata(&target) {
        Ok(m) if m.is_file() => Ok(Plan::Replace(target)),
        Ok(m) => Err(WriteError::NotARegularFile {
            path: path.to_path_buf(),
            what: crate::load::describe(&m.file_type()),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Plan::Replace(target)),
        Err(e) => Err(WriteError::io(path, e)),
    }
}

/// The directory a new file beside `target` goes in.
fn dir_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A temporary file's prefix: hidden, and saying whose it is.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.detente-")
}

/// Refuses an output before any work is done for it (a render can take
/// seconds); [`write_file`] checks again when it writes.
pub(crate) fn check_output(path: &Path) -> Result<(), WriteError> {
    plan(path).map(|_| ())
}

/// Writes `bytes` to the output `-o` names (see the module documentation
/// for what is refused, written through or replaced).
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<Written, WriteError> {
    let written = |path: Option<PathBuf>| Written {
        path,
        bytes: bytes.len() as u64,
        files: None,
    };
    match plan(path)? {
        Plan::Stdout => {
            let mut out = io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                // A reader that closed the pipe early is not an error.
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    return Err(WriteError::io(path, e))
                }
                _ => {}
            }
            Ok(written(None))
        }
        Plan::Through(p) => {
            // No create, no truncate: only an existing stream is opened.
            let mut f = OpenOptions::new()
                .write(true)
                .open(&p)
                .map_err(|e| WriteError::io(path, e))?;
            f.write_all(bytes).map_err(|e| WriteError::io(path, e))?;
            Ok(written(Some(path.to_path_buf())))
        }
        Plan::Replace(target) => {
            replace(&target, bytes).map_err(|e| WriteError::io(path, e))?;
            Ok(written(Some(path.to_path_buf())))
        }
    }
}

/// Replaces the regular file (or nothing) at `target` with `bytes`.
fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let existing = fs::metadata(target).ok().map(|m| m.permissions());
    let prefix = temp_prefix(target);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0666 before the umask, as any program that creates a file asks;
        // tempfile's default (0600) would hide a diagram from the web server.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    // A fresh, randomly named file created exclusively beside the target
    // (never a predictable name that a planted link could redirect); on any
    // failure before the rename it is removed when dropped.
    let mut tmp = builder.tempfile_in(dir_of(target))?;
    if let Some(perm) = existing {
        // Replacing a private file must not make it public, nor the reverse.
        tmp.as_file().set_permissions(perm)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// A directory output (csv, neo4j, site) being assembled. Files go into a
/// temporary directory beside the target; [`DirOutput::commit`] renames it
/// into place. Dropped without committing, it leaves nothing behind and the
/// target untouched.
pub(crate) struct DirOutput {
    /// As the user named it, for messages.
    named: PathBuf,
    /// Where symlinks lead.
    target: PathBuf,
    staging: tempfile::TempDir,
    bytes: u64,
    files: usize,
}

impl DirOutput {
    /// Starts a directory output at `path`. Refuses up front, before any
    /// work is done: an existing directory without `force`, and anything
    /// existing that is not a directory.
    pub(crate) fn begin(path: &Path, force: bool) -> Result<DirOutput, WriteError> {
        let target = follow_links(path)?;
        match fs::metadata(&target) {
            Ok(m) if m.is_dir() => {
                if !force {
                    return Err(WriteError::Exists {
                        path: path.to_path_buf(),
                    });
                }
            }
            Ok(m) => {
                return Err(WriteError::NotADirectory {
                    path: path.to_path_buf(),
                    what: if m.is_file() {
                        "a file"
                    } else {
                        crate::load::describe(&m.file_type())
                    },
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(WriteError::io(path, e)),
        }
        // Temporary directories are 0777 before the umask, so the result is
        // 0755 under the usual umask.
        let staging = tempfile::Builder::new()
            .prefix(&temp_prefix(&target))
            .suffix(".tmp")
            .tempdir_in(dir_of(&target))
            .map_err(|e| WriteError::io(path, e))?;
        Ok(DirOutput {
            named: path.to_path_buf(),
            target,
            staging,
            bytes: 0,
            files: 0,
        })
    }

    /// Writes one file at `name` (relative, `/`-separated, no `..`) inside
    /// the output, creating the directories on the way.
    pub(crate) fn write(&mut self, name: impl AsRef<Path>, bytes: &[u8]) -> Result<(), WriteError> {
        let name = name.as_ref();
        let plain = name.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || name.as_os_str().is_empty() {
            return Err(WriteError::BadEntry {
                name: name.to_path_buf(),
            });
        }
        let full = self.staging.path().join(name);
        let shown = self.named.join(name);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir).map_err(|e| WriteError::io(&shown, e))?;
        }
        // create_new: two writes of one name are a bug, not a silent loss.
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(|e| WriteError::io(&shown, e))?;
        f.write_all(bytes).map_err(|e| WriteError::io(&shown, e))?;
        self.bytes += bytes.len() as u64;
        self.files += 1;
        Ok(())
    }

    /// Puts the finished directory in place of the target. With `--force`
    /// an existing directory is moved aside first, then removed once the new
    /// one is in place; if the swap fails, the old one is moved back.
    pub(crate) fn commit(self) -> Result<Written, WriteError> {
        let DirOutput {
            named,
            target,
            staging,
            bytes,
            files,
        } = self;
        let fail = |e| WriteError::io(&named, e);
        let staged = staging.keep();
        let result = (|| -> io::Result<()> {
            if fs::symlink_metadata(&target).is_ok() {
                let aside = tempfile::Builder::new()
                    .prefix(&temp_prefix(&target))
                    .suffix(".old")
                    .tempdir_in(dir_of(&target))?
                    .keep();
                // `aside` is an empty directory: rename replaces it.
                fs::rename(&target, &aside)?;
                if let Err(e) = fs::rename(&staged, &target) {
                    let _ = fs::rename(&aside, &target);
                    return Err(e);
                }
                fs::remove_dir_all(&aside)?;
            } else {
                fs::rename(&staged, &target)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&staged);
            return Err(fail(e));
        }
        Ok(Written {
            path: Some(named),
            bytes,
            files: Some(files),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> String {
        fs::read_to_string(p).unwrap()
    }

    /// Nothing but the named files: no temporary file left beside them.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_new_file_is_written_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.svg");
        let w = write_file(&p, b"<svg/>").unwrap();
        assert_eq!(read(&p), "<svg/>");
        assert_eq!(w.bytes, 6);
        assert_eq!(names(dir.path()), ["a.svg"]);
    }

    #[test]
    fn an_existing_file_is_replaced_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.dot");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_file(&p, b"new").unwrap();
        assert_eq!(read(&p), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(names(dir.path()), ["a.dot"]);
    }

    #[test]
    fn a_write_into_a_missing_directory_fails_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/a.svg");
        assert!(matches!(write_file(&p, b"x"), Err(WriteError::Io { .. })));
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_symlink_is_followed_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.svg");
        let link = dir.path().join("link.svg");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.svg", &link).unwrap();
        let w = write_file(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(read(&real), "new");
        assert_eq!(w.path.as_deref(), Some(link.as_path()));
    }

    #[test]
    fn a_dangling_symlink_creates_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.svg");
        std::os::unix::fs::symlink("sub/../real.svg", &link).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        write_file(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(read(&dir.path().join("real.svg")), "new");
    }

    #[test]
    fn a_symlink_loop_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.svg");
        let b = dir.path().join("b.svg");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let e = write_file(&a, b"x").unwrap_err();
        assert!(e.to_string().contains("symbolic links"), "{e}");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_file(dir.path(), b"x").unwrap_err();
        assert!(matches!(
            e,
            WriteError::NotARegularFile {
                what: "a directory",
                ..
            }
        ));
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.svg");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let e = write_file(&fifo, b"x").unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        // Still a FIFO: nothing replaced it.
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn dev_null_is_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        write_file(Path::new("/dev/null"), b"discarded").unwrap();
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }

    #[test]
    fn a_device_other_than_the_stream_names_is_refused() {
        let e = write_file(Path::new("/dev/zero"), b"x").unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
    }

    #[test]
    fn stream_names_are_recognised() {
        assert!(is_stdout(Path::new("-")));
        assert!(is_stdout(Path::new("/dev/stdout")));
        assert!(is_stream_name(Path::new("/dev/fd/63")));
        assert!(is_stream_name(Path::new("/proc/self/fd/3")));
        assert!(!is_stream_name(Path::new("/dev/fd/")));
        assert!(!is_stream_name(Path::new("/dev/fd/../x")));
        assert!(!is_stdout(Path::new("./-x")));
    }

    #[test]
    fn the_line_on_stderr_names_path_format_and_size() {
        let w = Written {
            path: Some("t.svg".into()),
            bytes: 14_230,
            files: None,
        };
        assert_eq!(
            w.line("svg", Some("34 nodes")).unwrap(),
            "wrote t.svg (svg, 14.2 kB; 34 nodes)"
        );
        let d = Written {
            path: Some("out".into()),
            bytes: 812,
            files: Some(3),
        };
        assert_eq!(
            d.line("csv", None).unwrap(),
            "wrote out (csv, 3 files, 812 bytes)"
        );
        let s = Written {
            path: None,
            bytes: 1,
            files: None,
        };
        assert_eq!(s.line("dot", None), None);
    }

    #[test]
    fn a_directory_output_is_assembled_then_put_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let mut o = DirOutput::begin(&target, false).unwrap();
        o.write("a.csv", b"a\n").unwrap();
        o.write("sub/b.csv", b"bb\n").unwrap();
        assert!(!target.exists(), "nothing in place before commit");
        let w = o.commit().unwrap();
        assert_eq!((w.files, w.bytes), (Some(2), 5));
        assert_eq!(read(&target.join("sub/b.csv")), "bb\n");
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn an_existing_directory_output_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.csv"), "old").unwrap();
        assert!(matches!(
            DirOutput::begin(&target, false),
            Err(WriteError::Exists { .. })
        ));
        assert_eq!(read(&target.join("old.csv")), "old");
        let mut o = DirOutput::begin(&target, true).unwrap();
        o.write("new.csv", b"new").unwrap();
        o.commit().unwrap();
        assert_eq!(names(&target), ["new.csv"]);
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn an_abandoned_directory_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let mut o = DirOutput::begin(&target, false).unwrap();
        o.write("a.csv", b"a").unwrap();
        drop(o);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_output_refuses_a_file_and_escaping_names() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out");
        fs::write(&file, "x").unwrap();
        assert!(matches!(
            DirOutput::begin(&file, true),
            Err(WriteError::NotADirectory { .. })
        ));
        let mut o = DirOutput::begin(&dir.path().join("d"), false).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", ""] {
            assert!(
                matches!(o.write(bad, b"x"), Err(WriteError::BadEntry { .. })),
                "{bad}"
            );
        }
    }
}
