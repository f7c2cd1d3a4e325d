//! Using detente as a library: load the bundled dataset, look an entity up,
//! and walk its relations with their dates and citations.
//!
//! Run with `cargo run --example library [ID]` (default `lecd`).

use detente::query;
use detente::{builtin_files, load};

fn main() {
    let id = std::env::args().nth(1).unwrap_or_else(|| "lecd".into());
    let dataset = match load(&builtin_files()) {
        Ok(ds) => ds,
        Err(problems) => {
            for p in problems {
                eprintln!("{p}");
            }
            std::process::exit(1);
        }
    };
    let card = match query::card(&dataset, &id) {
        Ok(card) => card,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let e = card.entity;
    let when = e.date.as_ref().map_or("undated", |d| d.human());
    println!("{} ({}, {when})", e.name, card.kind_label);
    for group in &card.groups {
        for item in &group.items {
            let cites: Vec<String> = item.citations.iter().map(|n| format!("[{n}]")).collect();
            println!("  {} {} {}", group.label, item.id, cites.join(""));
        }
    }
    for s in &card.sources {
        println!("[{}] {} — {}", s.n, s.reference, s.at);
    }
}
