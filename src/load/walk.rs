// Finding a dataset's YAML files. Shared, through `include!`, by the loader
// and by `build.rs` (which embeds `data/`), so the bundled dataset and
// `--data data` always read the same files. Plain `//` comments because an
// included file cannot carry inner doc comments. Only `std` may be used.

/// Every `.yaml`/`.yml` file (any case) under `dir`, following symbolic
/// links to directories once each, skipping hidden entries; sorted.
pub(crate) fn yaml_files(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        // A link back up the tree would otherwise be walked forever.
        if !seen.insert(std::fs::canonicalize(&d)?) {
            continue;
        }
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            // `metadata` follows symbolic links, unlike `entry.file_type()`.
            // A link to nothing is named, not reported as the directory
            // being missing.
            let meta = std::fs::metadata(&path).map_err(|e| match std::fs::read_link(&path) {
                Ok(target) => std::io::Error::new(
                    e.kind(),
                    format!(
                        "`{}` is a broken symbolic link: its target `{}` cannot be read ({e})",
                        path.display(),
                        target.display()
                    ),
                ),
                Err(_) => e,
            })?;
            if meta.is_dir() {
                stack.push(path);
            } else if is_yaml(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether a path names a YAML file.
pub(crate) fn is_yaml(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
