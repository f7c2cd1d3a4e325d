//! `detente export FORMAT`: the library makes the files, this writes them —
//! one file to stdout or `-o FILE`, several into `-o DIR` — through
//! `super::write`, so every output is atomic and never replaces what the
//! user did not name.

use std::path::{Path, PathBuf};

use crate::export::ExportFile;

use super::{write, Failure};

fn usage(message: String) -> Failure {
    Failure::Error {
        exit: super::exit::Exit::Usage,
        code: "usage",
        message,
        help: None,
    }
}

/// Writes an export: a single file to `output` (or to `out`, stdout); a set
/// of files into the directory `output`, assembled aside and put in place
/// whole (an existing directory is replaced only with `force`).
pub fn write(
    format: &str,
    files: Vec<ExportFile>,
    output: Option<&Path>,
    force: bool,
    out: &mut Vec<u8>,
) -> Result<(), Failure> {
    let output = output.filter(|p| !write::is_stdout(p));
    match (files.as_slice(), output) {
        ([one], None) => {
            out.extend_from_slice(&one.bytes);
            Ok(())
        }
        ([one], Some(path)) => {
            write::write_file(path, &one.bytes)?.announce(format, None);
            Ok(())
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
            let mut d = write::DirOutput::begin(dir, force)?;
            for f in &files {
                d.write(&f.name, &f.bytes)?;
            }
            d.commit()?.announce(format, None);
            Ok(())
        }
    }
}

/// `detente import csv`: checks both sheets against the dataset, reports
/// every bad row (exit 1) or writes one new YAML file.
pub fn import_csv(
    ds: &crate::Dataset,
    nodes: &Path,
    edges: &Path,
    output: &Path,
) -> Result<(), Failure> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| Failure::Error {
            exit: super::exit::Exit::Usage,
            code: "io",
            message: format!("cannot read `{}`: {e}", p.display()),
            help: None,
        })
    };
    let (n, e) = (read(nodes)?, read(edges)?);
    let (n_name, e_name) = (nodes.display().to_string(), edges.display().to_string());
    let target: PathBuf = if output.is_dir() {
        output.join("imported.yaml")
    } else {
        output.to_path_buf()
    };
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(usage(format!(
            "`{}` exists; import writes a new file and never replaces one",
            target.display()
        )));
    }
    match crate::import::import_csv(ds, (&n_name, &n), (&e_name, &e)) {
        Ok(yaml) => {
            write::write_file(&target, yaml.as_bytes())?.announce("yaml", None);
            Ok(())
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            Err(Failure::Error {
                exit: super::exit::Exit::Data,
                code: "bad-rows",
                message: format!(
                    "{} problem{} in the sheets; nothing was written",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                ),
                help: None,
            })
        }
    }
}
