// Finding a dataset's YAML files. Shared, through `include!`, by the loader
// and by `build.rs` (which embeds `data/`), so the bundled dataset and
// `--data data` always read the same files. Plain `//` comments because an
// included file cannot carry inner doc comments. Only `std` may be used.
//
// A dataset may come from someone else, so what is read is held to a rule:
// regular files, and symbolic links to regular files or directories inside
// the dataset. A FIFO named `x.yaml` would block the reader forever, a link
// to `/dev/zero` would be read until memory runs out, a link to
// `~/.ssh/id_rsa.yaml` would be echoed into a diagnostic: all are refused,
// each reported against the entry itself (a broken link against the link,
// not the directory holding it).

/// Every `.yaml`/`.yml` file (any case) under `dir`, following symbolic
/// links that stay inside `dir` (directories once each), skipping hidden
/// entries; sorted. Fails on the first entry that breaks the rule above,
/// naming it.
pub(crate) fn yaml_files(
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, (std::path::PathBuf, std::io::Error)> {
    use std::io::{Error, ErrorKind};
    let at = |p: &std::path::Path| {
        let p = p.to_path_buf();
        move |e: Error| (p, e)
    };
    let root = std::fs::canonicalize(dir).map_err(at(dir))?;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        // A link back up the tree would otherwise be walked forever.
        if !seen.insert(std::fs::canonicalize(&d).map_err(at(&d))?) {
            continue;
        }
        for entry in std::fs::read_dir(&d).map_err(at(&d))? {
            let entry = entry.map_err(at(&d))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let own = std::fs::symlink_metadata(&path).map_err(at(&path))?;
            let yaml = is_yaml(&path);
            let meta = if own.file_type().is_symlink() {
                let target = std::fs::read_link(&path).map_err(at(&path))?;
                let meta = match std::fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) if e.kind() == ErrorKind::NotFound => {
                        let msg = format!(
                            "it is a broken symbolic link: `{}` does not exist",
                            target.display()
                        );
                        return Err((path, Error::new(ErrorKind::NotFound, msg)));
                    }
                    Err(e) => {
                        let msg = match link_loop(&path) {
                            Some(chain) => {
                                format!("it is a symbolic link that leads round in a loop: {chain}")
                            }
                            None => format!(
                                "it is a symbolic link that cannot be followed: {}",
                                e.kind()
                            ),
                        };
                        return Err((path, Error::new(e.kind(), msg)));
                    }
                };
                if !(yaml || meta.is_dir()) {
                    // Never read: where it leads does not matter.
                    continue;
                }
                let real = std::fs::canonicalize(&path).map_err(at(&path))?;
                if !real.starts_with(&root) {
                    let msg = format!(
                        "it is a symbolic link to `{}`, outside the dataset",
                        target.display()
                    );
                    return Err((path, Error::new(ErrorKind::PermissionDenied, msg)));
                }
                meta
            } else {
                own
            };
            if yaml {
                if !meta.is_file() {
                    let msg = format!("it is {}, not a regular file", describe(&meta.file_type()));
                    return Err((path, Error::new(ErrorKind::InvalidInput, msg)));
                }
                out.push(path);
            } else if meta.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The links from `start` round to the first one seen twice, as written
/// (`` `b.yaml` → `a.yaml` → `b.yaml` ``), when following `start` leads into
/// a loop; `None` when it does not (too long a chain, or another error).
/// The system's own words ("Too many levels of symbolic links (os error
/// 40)") say neither that it is a loop nor which links make it.
fn link_loop(start: &std::path::Path) -> Option<String> {
    let name = |p: &std::path::Path| format!("`{}`", p.display());
    // The same file by another spelling (`./a.yaml`, `sub/../a.yaml`) is
    // the same link: compare by the directory's real path.
    let key = |p: &std::path::Path| {
        p.parent()
            .and_then(|d| std::fs::canonicalize(d).ok())
            .zip(p.file_name())
            .map_or_else(|| p.to_path_buf(), |(d, f)| d.join(f))
    };
    let mut seen = vec![key(start)];
    let mut chain = vec![name(start.file_name().map_or(start, std::path::Path::new))];
    let mut at = start.to_path_buf();
    // Past the kernel's own limit of 40, a chain is refused all the same.
    for _ in 0..64 {
        let target = std::fs::read_link(&at).ok()?;
        chain.push(name(&target));
        let next = match at.parent() {
            Some(dir) => dir.join(&target),
            None => target,
        };
        let k = key(&next);
        if seen.contains(&k) {
            return Some(chain.join(" → "));
        }
        seen.push(k);
        at = next;
    }
    None
}

/// What a file that is not a regular file is, in words.
pub(crate) fn describe(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Whether a path names a YAML file.
pub(crate) fn is_yaml(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
