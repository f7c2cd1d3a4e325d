//! The yardstick for load times in `docs/performance.md`: parses every YAML
//! file of a dataset with serde-saphyr alone, on one thread, into a plain
//! `serde_json::Value`, and checks nothing. detente's `check` (parse in
//! parallel, decode, check every reference, build the graph) is compared
//! with this by `benches/peer/compare.py --yardstick`.
//!
//! ```sh
//! cargo run --release --example yardstick -- target/corpus/10k
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            yaml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: yardstick DIR");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    if let Err(e) = yaml_files(Path::new(&dir), &mut files) {
        eprintln!("error: cannot read `{dir}`: {e}");
        return ExitCode::from(2);
    }
    files.sort();
    let mut values = 0usize;
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", f.display());
                return ExitCode::from(2);
            }
        };
        match serde_saphyr::from_str::<serde_json::Value>(&text) {
            // Counted, so the parse cannot be optimised away.
            Ok(v) => values += v.as_array().map_or(1, Vec::len),
            Err(e) => {
                eprintln!("error: `{}`: {e}", f.display());
                return ExitCode::from(1);
            }
        }
    }
    println!("{} files, {values} top-level values", files.len());
    ExitCode::SUCCESS
}
