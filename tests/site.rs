//! `detente site` as a user meets it: the pages a historian would cite,
//! the same bytes on every run, nothing overwritten, and every string from
//! the data shown literally.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn detente() -> Command {
    Command::cargo_bin("detente").expect("the binary is built")
}

fn has_dot() -> bool {
    common::require("dot", &["-V"], "apt-get install graphviz")
}

/// Builds the site of `data` (the bundled dataset when `None`) into `dir`.
fn build(data: Option<&str>, dir: &Path, extra: &[&str]) {
    let mut cmd = detente();
    if let Some(d) = data {
        cmd.args(["--data", d]);
    }
    cmd.arg("site")
        .arg("-o")
        .arg(dir)
        .args(extra)
        .assert()
        .success();
}

/// The bundled dataset's site, built once for every test of this binary
/// (Graphviz draws a few hundred diagrams, which takes a while).
fn bundled_site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site-bundled");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove the previous run's site");
        }
        build(None, &dir, &["--base-url", "https://example.org/detente"]);
        dir
    })
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn all_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("readable");
                out.insert(p.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    out
}

#[test]
fn site_has_a_citable_page_for_every_entity_and_the_overviews() {
    if !has_dot() {
        return;
    }
    let dir = bundled_site();
    let lecd = read(dir, "entity/lecd/index.html");
    assert!(lecd.contains("<h1>U.S.-China Law Enforcement and Cybersecurity Dialogue</h1>"));
    assert!(lecd.contains(r#"<dd lang="zh">中美执法及网络安全对话</dd>"#));
    assert!(lecd.contains("Apr 2017 – ?"), "the readable date");
    assert!(lecd.contains("2017-04/"), "the date as written");
    // Its founding summit, linked by its stable address, relative to the page.
    assert!(lecd.contains(r#"<a href="../../entity/mar-a-lago-2017/index.html">"#));
    // A claim says who makes it and as what; it is never shown as record.
    assert!(lecd.contains(r#"<li class="is-claim">"#));
    assert!(lecd.contains("assertion by"));
    // Numbered sources with their locators, linking to the source's backlinks.
    assert!(lecd.contains(r#"<li id="source-1" value="1">"#));
    assert!(lecd.contains(r#"href="../../sources/index.html#src-"#));
    // The diagrams are inline, and their nodes open the entities' pages.
    assert!(lecd.contains(r#"<svg class="diagram""#));
    assert!(lecd.contains(r#"xlink:href="../../entity/hljd/index.html""#));
    assert!(
        lecd.contains(r#"<link rel="canonical" href="https://example.org/detente/entity/lecd/">"#)
    );

    let proposal = read(dir, "entity/cac-dhs-liaison/index.html");
    assert!(proposal.contains("Proposed, never created."));

    let index = read(dir, "index.html");
    assert!(index.contains(r#"<a href="entity/lecd/index.html">"#));
    for page in [
        "timeline",
        "mechanisms",
        "actors",
        "claims",
        "sources",
        "as-of",
        "search",
    ] {
        assert!(
            index.contains(&format!(r#"href="{page}/index.html""#)),
            "{page}"
        );
        assert!(dir.join(page).join("index.html").is_file(), "{page}");
    }
    // Nothing is fetched from elsewhere: no external script, style or font.
    for (path, bytes) in all_files(dir) {
        let text = String::from_utf8_lossy(&bytes);
        for bad in [
            r#"src="http"#,
            r#"src="//"#,
            "@import",
            "url(http",
            r#"rel="stylesheet" href="http"#,
        ] {
            assert!(!text.contains(bad), "{} contains `{bad}`", path.display());
        }
    }
    let listed = detente()
        .args(["list", "--format", "json"])
        .output()
        .expect("detente list runs");
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    let ids: Vec<&str> = listed
        .as_array()
        .expect("a list of entities")
        .iter()
        .map(|e| e["id"].as_str().expect("an id"))
        .collect();
    assert!(ids.len() > 200, "the bundled dataset is listed whole");
    for id in ids {
        assert!(
            dir.join("entity").join(id).join("index.html").is_file(),
            "no page for `{id}`"
        );
    }
}

#[test]
fn site_is_the_same_bytes_when_regenerated() {
    if !has_dot() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (bundled_site(), tmp.path().join("again"));
    build(None, &b, &["--base-url", "https://example.org/detente"]);
    let (fa, fb) = (all_files(a), all_files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(
            bytes == &fb[path],
            "{} differs between two runs",
            path.display()
        );
    }
}

#[test]
fn site_refuses_to_overwrite_an_existing_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("site");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    detente()
        .arg("site")
        .arg("-o")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"))
        .stderr(predicates::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn site_refuses_a_base_url_that_is_not_a_web_address() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("site");
    detente()
        .args(["site", "--base-url", "javascript:alert(1)", "-o"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a web address"));
    assert!(!dir.exists());
}

/// What the browser and HTML checks need; fatal on CI, a loud skip elsewhere.
fn has_browser_tools() -> bool {
    has_dot()
        && common::require_python(&["selenium", "html5lib"])
        && common::require("chromium", &["--version"], "apt-get install chromium")
        && common::require(
            "chromedriver",
            &["--version"],
            "apt-get install chromium-driver",
        )
        && common::require(
            "test",
            &["-f", AXE],
            "cd tests/site && npm ci (installs the pinned axe-core)",
        )
}

const AXE: &str = "tests/site/node_modules/axe-core/axe.min.js";

fn python(args: &[&std::ffi::OsStr]) {
    let out = std::process::Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{text}");
    assert!(out.status.success(), "{text}");
}

#[test]
fn site_pages_parse_as_html5_and_every_internal_link_resolves() {
    if !has_browser_tools() {
        return;
    }
    python(&[
        "tests/site/check_site.py".as_ref(),
        bundled_site().as_os_str(),
    ]);
}

#[test]
fn site_works_in_headless_chromium_with_search_diagrams_as_of_and_no_serious_axe_violations() {
    if !has_browser_tools() {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("detente");
    python(&[
        "tests/site/browser_test.py".as_ref(),
        "bundled".as_ref(),
        bundled_site().as_os_str(),
        AXE.as_ref(),
        bin.as_os_str(),
    ]);
}

/// The name of `evil` in tests/fixtures/hostile/entities.yaml.
const HOSTILE_NAME: &str = r#"<script>window.__pwned=1</script> "Dialogue" & 'Talks' <img src=x onerror="window.__pwned=1">"#;

#[test]
fn site_of_hostile_strings_shows_them_literally_and_runs_no_injected_code() {
    if !has_dot() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("site");
    build(Some("tests/fixtures/hostile"), &dir, &[]);
    let evil = read(&dir, "entity/evil/index.html");
    assert!(evil.contains(
        "<h1>&lt;script&gt;window.__pwned=1&lt;/script&gt; &quot;Dialogue&quot; &amp; &#39;Talks&#39; \
         &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</h1>"
    ));
    // Template syntax in the data is text, not template.
    assert!(evil.contains("{{ 7*7 }} {% raw %}"));
    // Right-to-left names keep their language.
    assert!(evil.contains(r#"<dd lang="ar">حوار الأمن السيبراني</dd>"#));
    // An address that is not on the web is shown, never linked.
    assert!(!evil.contains(r#"href="javascript:"#));
    for (path, bytes) in all_files(&dir) {
        let text = String::from_utf8_lossy(&bytes);
        if path.extension().is_some_and(|e| e == "html") {
            assert!(
                !text.contains("<script>window.__pwned"),
                "{} has a live script from the data",
                path.display()
            );
            assert!(!text.contains("<img src=x"), "{}", path.display());
        }
    }
    if !has_browser_tools() {
        return;
    }
    python(&["tests/site/check_site.py".as_ref(), dir.as_os_str()]);
    let name_file = tmp.path().join("name.txt");
    std::fs::write(&name_file, HOSTILE_NAME).expect("write");
    python(&[
        "tests/site/browser_test.py".as_ref(),
        "hostile".as_ref(),
        dir.as_os_str(),
        AXE.as_ref(),
        "evil".as_ref(),
        name_file.as_os_str(),
    ]);
}

#[test]
fn site_of_invalid_data_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("site");
    detente()
        .args(["--data", "tests/fixtures/broken", "site", "-o"])
        .arg(&dir)
        .assert()
        .code(1);
    assert!(!dir.exists());
}

/// A status or date that rests on one voice says whose on the entity's
/// page, as a claimed relation does, instead of reading as fact: Shen Yi
/// alone dates and ends the 2014 high-level dialogue.
#[test]
fn site_says_whose_word_a_status_or_date_is() {
    let page = read(bundled_site(), "entity/hl-cyber-dialogue/index.html");
    let fact = |label: &str| {
        let start = page.find(&format!("<dt>{label}</dt><dd>")).unwrap();
        let rest = &page[start..];
        rest[..rest.find("</dd>").unwrap()].to_string()
    };
    for label in ["Date", "Status"] {
        let dd = fact(label);
        assert!(
            dd.contains("assertion by <a href=\"../../entity/shen-yi/index.html\">Shen Yi</a>"),
            "{label}: {dd}"
        );
        assert!(dd.contains("class=\"cite\""), "{label}: {dd}");
    }
    // A plain, recorded date says nothing of the kind.
    let page = read(bundled_site(), "entity/hljd/index.html");
    let start = page.find("<dt>Date</dt><dd>").unwrap();
    let dd = &page[start..start + page[start..].find("</dd>").unwrap()];
    assert!(!dd.contains("class=\"claim"), "{dd}");
}
