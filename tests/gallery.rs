//! The gallery is the snapshot test of the diagrams: every view listed in
//! `docs/gallery/views.txt` is drawn from the bundled data and compared with
//! the committed `.dot` and `.mmd` files byte for byte; every committed
//! `.dot` is rendered by the real Graphviz `dot`, and when this machine's
//! Graphviz is the one that made the gallery, the SVG must match too.
//! After an intended change: `bash docs/gallery/make.sh`.

mod common;

use std::path::Path;
use std::process::Command;

const GALLERY: &str = "docs/gallery";

fn views() -> Vec<(String, Vec<String>)> {
    common::gallery_views()
        .into_iter()
        .map(|v| (v.name, v.args))
        .collect()
}

fn draw(args: &[String], format: &str) -> Vec<u8> {
    let out = assert_cmd::Command::cargo_bin("detente")
        .unwrap()
        .env_remove("DETENTE_DATA")
        .arg("diagram")
        .args(args)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "detente diagram {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What the committed SVGs depend on besides detente: the Graphviz
/// version and the fonts it measures text with, recorded the same way by
/// `docs/gallery/make.sh`.
fn rendering_environment() -> String {
    let run = |cmd: &str, args: &[&str]| -> String {
        Command::new(cmd)
            .args(args)
            .output()
            .map(|o| {
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                )
            })
            .unwrap_or_default()
    };
    let version = run("dot", &["-V"]);
    assert!(
        !version.is_empty(),
        "Graphviz `dot` is needed for the gallery test (apt-get install graphviz)"
    );
    let mut cjk: Vec<String> = run("fc-list", &[":lang=zh", "family"])
        .lines()
        .map(str::to_string)
        .collect();
    cjk.sort();
    format!(
        "{}\n{}\n{}",
        version.lines().next().unwrap_or(""),
        run("fc-match", &["Helvetica"]).trim(),
        cjk.join("\n")
    )
}

#[test]
fn gallery_is_current_and_renders() {
    let same_graphviz = std::fs::read_to_string(Path::new(GALLERY).join("GRAPHVIZ_VERSION"))
        .map(|v| v.trim() == rendering_environment().trim())
        .unwrap_or(false);
    let list = views();
    assert!(list.len() >= 4, "every view is in the gallery");
    for (name, args) in &list {
        for (ext, format) in [("dot", "dot"), ("mmd", "mermaid")] {
            let file = Path::new(GALLERY).join(format!("{name}.{ext}"));
            let committed = std::fs::read(&file).unwrap_or_default();
            assert!(
                committed == draw(args, format),
                "{} is stale: run `bash docs/gallery/make.sh`",
                file.display()
            );
        }
        // The real `dot` accepts every gallery diagram.
        let dot_file = Path::new(GALLERY).join(format!("{name}.dot"));
        let svg = Command::new("dot")
            .arg("-Tsvg")
            .arg(&dot_file)
            .output()
            .unwrap();
        assert!(
            svg.status.success() && svg.stderr.is_empty(),
            "dot on {}: {}",
            dot_file.display(),
            String::from_utf8_lossy(&svg.stderr)
        );
        if same_graphviz {
            let committed = std::fs::read(Path::new(GALLERY).join(format!("{name}.svg"))).unwrap();
            assert!(
                committed == svg.stdout,
                "{name}.svg is stale: run `bash docs/gallery/make.sh`"
            );
        }
    }
}

#[test]
fn same_input_same_bytes() {
    for (_, args) in views() {
        assert_eq!(draw(&args, "dot"), draw(&args, "dot"));
        assert_eq!(draw(&args, "mermaid"), draw(&args, "mermaid"));
    }
}
