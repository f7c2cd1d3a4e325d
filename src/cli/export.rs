//! `detente export FORMAT`: the library makes the files, this writes them —
//! one file to stdout or `-o FILE`, several into `-o DIR` — through
//! `super::write`, so every output is atomic and never replaces what the
//! user did not name.

use std::path::Path;

use detente::export::ExportFile;

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
