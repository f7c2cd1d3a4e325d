//! `detente export FORMAT`: the library makes the files, this writes them —
//! one file to stdout or `-o FILE`, several into `-o DIR`.

use std::path::Path;

use detente::export::ExportFile;

use super::Failure;

fn usage(message: String) -> Failure {
    Failure::Error {
        exit: 2,
        code: "usage",
        message,
        help: None,
    }
}

/// Writes an export: a single file to `output` or to `out` (stdout); a set
/// of files into the directory `output`, which is created if missing. Files
/// already there are replaced only with `force`, and nothing is written
/// unless every file can be.
pub fn write(
    format: &str,
    files: Vec<ExportFile>,
    output: Option<&Path>,
    force: bool,
    out: &mut Vec<u8>,
) -> Result<(), Failure> {
    match (files.as_slice(), output) {
        ([one], None) => {
            out.extend_from_slice(&one.bytes);
            Ok(())
        }
        ([one], Some(path)) => {
            if path.is_dir() {
                return Err(usage(format!(
                    "`{}` is a directory; `{format}` is one file: give a file name",
                    path.display()
                )));
            }
            super::diagram::write_file(path, &one.bytes)
        }
        (_, None) => Err(usage(format!(
            "`{format}` is a set of files ({}): give -o DIR",
            files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        (_, Some(dir)) => {
            if dir.exists() && !dir.is_dir() {
                return Err(usage(format!(
                    "`{}` is not a directory; `{format}` is a set of files: give -o DIR",
                    dir.display()
                )));
            }
            if !force {
                if let Some(f) = files.iter().find(|f| dir.join(&f.name).exists()) {
                    return Err(usage(format!(
                        "`{}` exists; give --force to replace the files of an earlier export",
                        dir.join(&f.name).display()
                    )));
                }
            }
            std::fs::create_dir_all(dir).map_err(|e| Failure::Error {
                exit: 2,
                code: "io",
                message: format!("cannot create `{}`: {e}", dir.display()),
                help: None,
            })?;
            for f in &files {
                super::diagram::write_file(&dir.join(&f.name), &f.bytes)?;
            }
            Ok(())
        }
    }
}
