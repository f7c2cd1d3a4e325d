//! Compiles the bundled dataset in `data/` into the binary, so `detente`
//! answers from any directory. A build script rather than `include_str!` by
//! hand: a new data file is picked up without touching the code.

use std::fmt::Write as _;
use std::path::PathBuf;

// The loader's own file walker, so the embedded files are exactly those
// `detente --data data` would read.
#[allow(dead_code)]
mod walk {
    include!("src/load/walk.rs");
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = root.join("data");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=src/load/walk.rs");
    let files = walk::yaml_files(&data).expect("data/ is readable");
    let mut code = String::from(
        "/// The bundled dataset: (path under `data/`, text).\npub(crate) const FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&data).expect("under data/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin.rs");
    std::fs::write(out, code).expect("write builtin.rs");
}
