//! Writes a generated dataset for benchmarks and comparisons:
//!
//! ```sh
//! cargo run --release --example corpus -- 10000 target/corpus/10k   # seed 1
//! cargo run --release --example corpus -- 10000 target/corpus/10k 7 # seed 7
//! ```
//!
//! The same size and seed always give the same files. See
//! `benches/corpus/mod.rs` for what a corpus holds, and
//! `docs/performance.md` for how the benchmarks use it.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: corpus ENTITIES DIR [SEED]");
        return ExitCode::from(2);
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        eprintln!("error: `{n}` is not a number of entities");
        return ExitCode::from(2);
    };
    let seed = match args.get(2).map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("error: the seed must be a whole number");
            return ExitCode::from(2);
        }
    };
    let dir = PathBuf::from(dir);
    // A corpus is written into an empty or missing directory only, so an
    // old corpus of another size never mixes with the new one.
    if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!("error: `{}` is not empty", dir.display());
        return ExitCode::from(2);
    }
    match corpus::write(&dir, n, seed) {
        Ok(bytes) => {
            println!(
                "{n} entities, {:.1} MB of YAML in `{}` (seed {seed})",
                bytes as f64 / 1e6,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}
