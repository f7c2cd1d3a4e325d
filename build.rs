//! Compiles the bundled dataset in `data/` into the binary, so `detente`
//! answers from any directory: the YAML texts (for `detente check` and its
//! messages), and the dataset already loaded and checked, as the bytes of a
//! cache copy (`src/load/cache.rs`), so a query on it parses no YAML. A
//! build script rather than `include_str!` by hand: a new data file is
//! picked up without touching the code.
//!
//! The script loads the data with the loader itself: `src/model/` and
//! `src/load/` are compiled into it as modules. If the data does not load
//! (someone is in the middle of editing it), no checked copy is embedded
//! and the binary parses the YAML at run time, where `detente check`
//! reports each problem at its place.

use std::fmt::Write as _;
use std::path::PathBuf;

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "src/model/mod.rs"]
mod model;

#[allow(dead_code, unused_imports, clippy::all)]
#[path = "src/load/mod.rs"]
mod load;

/// What `load` refers to as the bundled files; the script passes its own.
#[allow(dead_code)]
mod builtin {
    pub(crate) const FILES: &[(&str, &str)] = &[];
    pub(crate) const CHECKED: Option<(u128, &[u8])> = None;
}

// The loader's own file walker, so the embedded files are exactly those
// `detente --data data` would read.
#[allow(dead_code)]
mod walk {
    include!("src/load/walk.rs");
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = root.join("data");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=src/load");
    println!("cargo:rerun-if-changed=src/model");
    let files = walk::yaml_files(&data).expect("data/ is readable");
    let mut code = String::from(
        "/// The bundled dataset: (path under `data/`, text).\npub(crate) const FILES: &[(&str, &str)] = &[\n",
    );
    let mut texts = Vec::new();
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
        texts.push((
            rel,
            std::fs::read_to_string(f).expect("data/ is UTF-8 text"),
        ));
    }
    code.push_str("];\n");
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(r, t)| (r.as_str(), t.as_str()))
        .collect();
    let sources = load::embedded_files(&pairs);
    code.push_str(
        "/// The bundled dataset loaded and checked at build time: the key of\n\
         /// its files and a cache copy of it (`None` if it did not load).\n",
    );
    match load::load(&sources) {
        Ok(ds) => {
            let key = load::cache::key(&sources);
            let bytes = load::cache::encode(&ds, key);
            std::fs::write(out_dir.join("builtin.bin"), bytes).expect("write builtin.bin");
            writeln!(
                code,
                "pub(crate) const CHECKED: Option<(u128, &[u8])> = Some(({}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/builtin.bin\"))));",
                key.as_u128()
            )
            .expect("write to string");
        }
        Err(problems) => {
            println!(
                "cargo:warning=the bundled data in data/ has {} problem(s); `detente check` shows them",
                problems.len()
            );
            code.push_str("pub(crate) const CHECKED: Option<(u128, &[u8])> = None;\n");
        }
    }
    std::fs::write(out_dir.join("builtin.rs"), code).expect("write builtin.rs");
}
