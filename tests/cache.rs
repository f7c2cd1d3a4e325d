//! The cache of loaded datasets, as a user meets it: a second run on
//! unchanged data answers exactly as the first, from
//! `$XDG_CACHE_HOME/detente/`; a changed file, a corrupt or foreign copy,
//! `--no-cache` and a cache directory that cannot be written all leave the
//! answers as they would be without a cache. Every test points
//! `XDG_CACHE_HOME` at its own temporary directory.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const FIXTURE: &str = "tests/fixtures/cli";

/// A copy of the fixture dataset that a test may change.
fn dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(FIXTURE).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn detente(cache_home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("detente").expect("binary built");
    cmd.env_remove("DETENTE_DATA")
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", cache_home);
    cmd
}

/// What `detente --data DATA ARGS…` prints, checked to succeed.
fn answer(cache_home: &Path, data: &Path, args: &[&str]) -> Vec<u8> {
    let mut cmd = detente(cache_home);
    cmd.arg("--data").arg(data).args(args);
    cmd.assert().success().get_output().stdout.clone()
}

/// The whole dataset as `detente export json` writes it.
fn export(cache_home: &Path, data: &Path, extra: &[&str]) -> Vec<u8> {
    answer(cache_home, data, &[extra, &["export", "json"]].concat())
}

/// The copies in the cache directory.
fn copies(cache_home: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(cache_home.join("detente")) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_second_run_answers_the_same_from_the_cache() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let uncached = export(cache.path(), data.path(), &["--no-cache"]);
    assert!(copies(cache.path()).is_empty(), "--no-cache writes nothing");
    let first = export(cache.path(), data.path(), &[]);
    let made = copies(cache.path());
    assert_eq!(made.len(), 1, "one copy for one dataset: {made:?}");
    let written = std::fs::metadata(&made[0]).unwrap().modified().unwrap();
    let second = export(cache.path(), data.path(), &[]);
    assert_eq!(first, uncached);
    assert_eq!(second, uncached);
    // Read, not rewritten.
    assert_eq!(
        std::fs::metadata(&made[0]).unwrap().modified().unwrap(),
        written
    );
    // And queries agree too, not only the export.
    for args in [
        &["show", "hljd", "--format", "json"][..],
        &["lineage", "lecd"],
        &["check"],
    ] {
        let run = |extra: &[&str]| answer(cache.path(), data.path(), &[extra, args].concat());
        assert_eq!(run(&[]), run(&["--no-cache"]), "{args:?}");
    }
}

#[test]
fn a_changed_file_is_loaded_again() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let before = export(cache.path(), data.path(), &[]);
    edit_mechanisms(data.path(), |text| {
        let changed = text.replacen(
            "name: U.S.-China High-Level Joint Dialogue on Cybercrime and Related Issues",
            "name: A renamed dialogue",
            1,
        );
        assert_ne!(changed, text);
        changed
    });
    let after = export(cache.path(), data.path(), &[]);
    assert_ne!(after, before);
    assert!(String::from_utf8_lossy(&after).contains("A renamed dialogue"));
    assert_eq!(after, export(cache.path(), data.path(), &["--no-cache"]));
    assert_eq!(
        copies(cache.path()).len(),
        1,
        "the copy is replaced, not added to"
    );
}

#[test]
fn bad_data_is_reported_at_its_place_even_after_a_good_copy_was_cached() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    export(cache.path(), data.path(), &[]);
    edit_mechanisms(data.path(), |text| {
        text.replacen("kind: mechanism", "kind: mechanismm", 1)
    });
    let out = detente(cache.path())
        .arg("--data")
        .arg(data.path())
        .arg("check")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("mechanisms.yaml:8:9"), "{err}");
    assert!(err.contains("mechanismm"), "{err}");
}

/// A sound copy spoilt four ways: a flipped byte, cut in half, empty, and
/// not a copy at all.
fn spoilt(sound: &[u8]) -> [Vec<u8>; 4] {
    let mut flipped = sound.to_vec();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    [
        flipped,
        sound[..sound.len() / 2].to_vec(),
        Vec::new(),
        b"not a cache file at all".to_vec(),
    ]
}

#[test]
fn a_corrupt_truncated_or_foreign_copy_is_ignored_and_replaced() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let good = export(cache.path(), data.path(), &[]);
    let copy = copies(cache.path()).pop().unwrap();
    let sound = std::fs::read(&copy).unwrap();
    for bad in spoilt(&sound) {
        std::fs::write(&copy, &bad).unwrap();
        assert_eq!(export(cache.path(), data.path(), &[]), good);
        assert_eq!(std::fs::read(&copy).unwrap(), sound, "rebuilt");
    }
}

/// Changes the dataset's `mechanisms.yaml` by `edit`, as a user editing
/// the data between two runs.
fn edit_mechanisms(data: &Path, edit: impl FnOnce(String) -> String) {
    let m = data.join("mechanisms.yaml");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, edit(text)).unwrap();
}

/// The one file whose name ends in `suffix` kept beside the dataset's copy.
fn kept_beside(cache_home: &Path, suffix: &str) -> PathBuf {
    let kept: Vec<PathBuf> = copies(cache_home)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(kept.len(), 1, "{suffix}: {:?}", copies(cache_home));
    kept.into_iter().next().unwrap()
}

/// What every file kept beside the dataset's copy holds to, once `answer`
/// (the command that keeps it, given extra arguments) has written it at
/// `kept`: the next run reads it and does not write it again; a view as
/// one source answers as without the cache and writes nothing; and each
/// spoilt copy (`spoilt`) is refused, the answer made from the data and
/// the file written sound again. Returns the sound file's bytes.
fn never_trusted_when_bad(
    kept: &Path,
    answer: &dyn Fn(&[&str]) -> Vec<u8>,
    uncached: &[u8],
) -> Vec<u8> {
    let sound = std::fs::read(kept).unwrap();
    let written = std::fs::metadata(kept).unwrap().modified().unwrap();
    assert_eq!(answer(&[]), uncached);
    assert_eq!(
        std::fs::metadata(kept).unwrap().modified().unwrap(),
        written,
        "read, not rewritten"
    );
    // A view as one source tells it is not the dataset the file is of.
    let view = |extra: &[&str]| {
        let mut args = vec!["--as-claimed-by", "shen-yi"];
        args.extend(extra);
        answer(&args)
    };
    assert_eq!(view(&[]), view(&["--no-cache"]));
    assert_eq!(std::fs::read(kept).unwrap(), sound, "a view writes nothing");
    for bad in spoilt(&sound) {
        std::fs::write(kept, &bad).unwrap();
        assert_eq!(answer(&[]), uncached);
        assert_eq!(std::fs::read(kept).unwrap(), sound, "rebuilt");
    }
    sound
}

/// A one-shot `search` on a large dataset spent most of its time folding
/// every text into the search index, on every run. The index is now kept
/// beside the dataset's copy: written by the first search, read by the
/// next, and never trusted when corrupt, cut short or made for other files.
#[test]
fn the_search_index_is_kept_beside_the_copy_and_never_trusted_when_bad() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let search = |extra: &[&str]| {
        answer(
            cache.path(),
            data.path(),
            &[
                extra,
                &["search", "dialogue", "--limit", "50", "--format", "json"],
            ]
            .concat(),
        )
    };
    let uncached = search(&["--no-cache"]);
    assert!(copies(cache.path()).is_empty(), "--no-cache writes nothing");
    // Other commands write the dataset's copy alone.
    export(cache.path(), data.path(), &[]);
    assert_eq!(copies(cache.path()).len(), 1);
    assert_eq!(search(&[]), uncached);
    let index = &kept_beside(cache.path(), ".search.bin");
    let sound = never_trusted_when_bad(index, &search, &uncached);
    // A copy under a correct header and checksum (as a buggy or hostile
    // program could write) whose table of entities is sound, but one of
    // whose entities that the search matches has a field too many: read,
    // then refused by the search, which answers from the data and writes
    // the index again.
    std::fs::write(index, one_field_too_many(&sound, b"dialogue")).unwrap();
    assert_eq!(search(&[]), uncached);
    assert!(
        std::fs::read(index).unwrap() == sound,
        "refused and rebuilt"
    );
    // Changed data: the old index is not used, and is replaced.
    edit_mechanisms(data.path(), |text| text.replace("Dialogue", "Talks"));
    let changed = search(&[]);
    assert_eq!(changed, search(&["--no-cache"]));
    assert_ne!(changed, uncached);
    assert_ne!(std::fs::read(index).unwrap(), sound);
}

/// The search index's copy `sound` with a field split in two in the
/// entity holding the first `term`, away from the term, and sealed again:
/// header (magic, format, key, length, checksum: 52 bytes), then the
/// number of entities, where each one's fields start, and the text.
fn one_field_too_many(sound: &[u8], term: &[u8]) -> Vec<u8> {
    const HEADER: usize = 52;
    let word = |at: usize| u32::from_le_bytes(sound[at..at + 4].try_into().unwrap()) as usize;
    let entities = word(HEADER);
    let starts: Vec<usize> = (0..=entities).map(|i| word(HEADER + 4 + 4 * i)).collect();
    let text_at = HEADER + 4 + 4 * (entities + 1);
    let text = &sound[text_at..];
    let hit = text.windows(term.len()).position(|w| w == term).unwrap();
    let n = starts.partition_point(|&s| s <= hit) - 1;
    let at = (starts[n]..starts[n + 1])
        .find(|&i| text[i].is_ascii_alphanumeric() && !(hit..hit + term.len()).contains(&i))
        .expect("a letter away from the term");
    let mut bad = sound.to_vec();
    bad[text_at + at] = b'\n';
    let sum = xxhash_rust::xxh3::xxh3_128(&bad[HEADER..]);
    bad[36..52].copy_from_slice(&sum.to_le_bytes());
    bad
}

/// `stats` ranks entities by betweenness centrality, which at 100k
/// entities took seconds to compute on every run. The scores are now kept
/// beside the dataset's copy like the search index: written by the first
/// `stats`, read by the next, never trusted when corrupt, cut short or
/// made for other files, and not used for a view as one source.
#[test]
fn centrality_scores_are_kept_beside_the_copy_and_never_trusted_when_bad() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let stats = |extra: &[&str]| {
        answer(
            cache.path(),
            data.path(),
            &[extra, &["stats", "--top", "50", "--format", "json"]].concat(),
        )
    };
    let uncached = stats(&["--no-cache"]);
    assert!(copies(cache.path()).is_empty(), "--no-cache writes nothing");
    // Other commands write the dataset's copy alone.
    export(cache.path(), data.path(), &[]);
    assert_eq!(copies(cache.path()).len(), 1);
    assert_eq!(stats(&[]), uncached);
    let kept = &kept_beside(cache.path(), ".stats.bin");
    let written = std::fs::metadata(kept).unwrap().modified().unwrap();
    let sound = never_trusted_when_bad(kept, &stats, &uncached);
    // Changed data: the old scores are not used, and are replaced.
    edit_mechanisms(data.path(), |text| format!("{text}\n# changed\n"));
    assert_eq!(stats(&[]), stats(&["--no-cache"]));
    let rewritten = std::fs::metadata(kept).unwrap().modified().unwrap();
    assert!(rewritten >= written);
    assert_ne!(std::fs::read(kept).unwrap()[..52], sound[..52], "a new key");
}

/// A timeline of the whole dataset (or of much of it) reads two tables
/// built from every record, a fifth of its time at 100k entities. They are
/// kept beside the dataset's copy like the search index: written by the
/// first timeline that builds them, read by the next, never trusted when
/// corrupt, cut short or made for other files, and not used for a view as
/// one source.
#[test]
fn timeline_tables_are_kept_beside_the_copy_and_never_trusted_when_bad() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let timeline = |extra: &[&str]| {
        answer(
            cache.path(),
            data.path(),
            &[&["timeline", "--format", "json"], extra].concat(),
        )
    };
    let narrow = ["--from", "2016-01", "--to", "2016-06"];
    let uncached = timeline(&["--no-cache"]);
    let uncached_narrow = timeline(&[&narrow[..], &["--no-cache"]].concat());
    assert!(copies(cache.path()).is_empty(), "--no-cache writes nothing");
    // Other commands write the dataset's copy alone, and so does a narrow
    // timeline, which builds no tables.
    export(cache.path(), data.path(), &[]);
    assert_eq!(timeline(&narrow), uncached_narrow);
    assert_eq!(copies(cache.path()).len(), 1);
    assert_eq!(timeline(&[]), uncached);
    let kept = &kept_beside(cache.path(), ".timeline.bin");
    let sound = never_trusted_when_bad(kept, &timeline, &uncached);
    // A narrow timeline reads them too, answers the same, and writes nothing.
    assert_eq!(timeline(&narrow), uncached_narrow);
    assert_eq!(std::fs::read(kept).unwrap(), sound);
    // Changed data: the old tables are not used, and are replaced.
    edit_mechanisms(data.path(), |text| text.replace("Dialogue", "Talks"));
    let changed = timeline(&[]);
    assert_eq!(changed, timeline(&["--no-cache"]));
    assert_ne!(changed, uncached);
    assert_ne!(std::fs::read(kept).unwrap()[..52], sound[..52], "a new key");
}

/// Tables built on the run that reads the YAML (and writes the dataset's
/// copy) fit the graph the next run decodes from that copy: the two
/// graphs number their entities and relations alike.
#[test]
fn timeline_tables_built_from_the_yaml_serve_the_copy() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    let timeline =
        |extra: &[&str]| answer(cache.path(), data.path(), &[&["timeline"], extra].concat());
    for format in [&["--format", "json"][..], &[]] {
        let uncached = timeline(&[format, &["--no-cache"]].concat());
        for p in copies(cache.path()) {
            std::fs::remove_file(p).unwrap();
        }
        // The first run loads the YAML, writes the copy and keeps the tables.
        assert_eq!(timeline(format), uncached);
        kept_beside(cache.path(), ".timeline.bin");
        // The second decodes the copy and reads the tables.
        assert_eq!(timeline(format), uncached);
    }
}

/// The search index and the timeline tables are written behind the answer
/// (while it is made and printed), and the process waits for them: when
/// one cannot be written (here a directory stands where it goes, so the
/// temporary file written whole cannot be renamed over it), the answer is
/// the same, the run succeeds, no temporary file is left in the cache, and
/// the next run that can write it does.
#[test]
fn a_kept_file_that_cannot_be_written_leaves_nothing_and_is_written_next_time() {
    let (data, cache) = (dataset(), tempfile::tempdir().unwrap());
    export(cache.path(), data.path(), &[]);
    let copy = kept_beside(cache.path(), ".bin");
    let cases: [(&str, &[&str]); 2] = [
        ("search.bin", &["search", "dialogue", "--format", "json"]),
        ("timeline.bin", &["timeline", "--format", "json"]),
    ];
    for (suffix, args) in cases {
        let answer = |extra: &[&str]| answer(cache.path(), data.path(), &[args, extra].concat());
        let uncached = answer(&["--no-cache"]);
        let kept = copy.with_extension(suffix);
        std::fs::create_dir(&kept).unwrap();
        let sorted = || {
            let mut all = copies(cache.path());
            all.sort();
            all
        };
        let before = sorted();
        assert_eq!(answer(&[]), uncached);
        assert_eq!(sorted(), before, "{suffix}: nothing left");
        assert!(kept.is_dir(), "{suffix}: left as it was");
        std::fs::remove_dir(&kept).unwrap();
        assert_eq!(answer(&[]), uncached);
        assert!(kept.is_file(), "{suffix}: written once it could be");
        let sound = std::fs::read(&kept).unwrap();
        assert_eq!(answer(&[]), uncached);
        assert_eq!(std::fs::read(&kept).unwrap(), sound, "{suffix}: read back");
    }
}

#[test]
fn an_unwritable_cache_directory_is_no_error() {
    let data = dataset();
    // A file where the cache directory should be: it cannot be created,
    // whoever runs the test (permissions would not stop root).
    let blocked = tempfile::NamedTempFile::new().unwrap();
    let out = export(blocked.path(), data.path(), &[]);
    assert_eq!(out, export(blocked.path(), data.path(), &["--no-cache"]));
    assert_eq!(std::fs::read(blocked.path()).unwrap(), b"");
}

#[test]
fn the_bundled_dataset_writes_no_cache() {
    let cache = tempfile::tempdir().unwrap();
    detente(cache.path())
        .args(["lineage", "lecd"])
        .assert()
        .success();
    assert!(copies(cache.path()).is_empty());
}

#[test]
fn tests_keep_the_cache_out_of_the_users_home() {
    // `.cargo/config.toml` points every process cargo runs here at
    // target/test-cache; a test that forgets to set its own cache
    // directory then still never writes into the real one.
    let dir = std::env::var_os("XDG_CACHE_HOME").expect("set by .cargo/config.toml");
    let dir = PathBuf::from(dir);
    assert!(dir.is_absolute(), "{}", dir.display());
    assert!(dir.ends_with("target/test-cache"), "{}", dir.display());
}
