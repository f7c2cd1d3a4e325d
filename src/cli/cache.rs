//! Where the binary copy of a loaded dataset is kept between runs: one
//! file per dataset location in `$XDG_CACHE_HOME/detente/` (or
//! `~/.cache/detente/` when `XDG_CACHE_HOME` is unset, empty or relative),
//! and beside it, once the dataset has been searched, a copy of its search
//! index, once `stats` has ranked it, a copy of its centrality scores, and
//! once a timeline has built them, a copy of the timeline's two tables.
//! Nothing else is ever written. A copy that cannot be read, does
//! not check out or was made from other files is ignored and replaced; a
//! cache directory that cannot be created or written leaves detente
//! working as with `--no-cache`, silently.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::load::{self, cache, Diagnostic, SourceFile};
use crate::{query, Dataset};

/// Where a dataset's copy is kept and the key of the files it was made
/// from: what the copy of its search index is found by.
pub(super) struct Kept {
    path: PathBuf,
    key: cache::Key,
}

/// The dataset in `files`, read from `location`: from its copy in the
/// cache when there is a sound one made from exactly these files, else
/// loaded (and, when it loads, copied for next time). With it, where its
/// copy is kept, when the environment names a cache directory.
pub(super) fn load(
    files: &[SourceFile],
    location: &Path,
) -> Result<(Dataset, Option<Kept>), Vec<Diagnostic>> {
    let Some(path) = copy_path(location) else {
        return Ok((load::load(files)?, None));
    };
    let key = cache::key(files);
    if let Some(ds) = read(&path, key) {
        return Ok((ds, Some(Kept { path, key })));
    }
    let ds = load::load(files)?;
    // A cache that cannot be written is no error: the next run loads again.
    let _ = write(&path, &cache::encode(&ds, key));
    Ok((ds, Some(Kept { path, key })))
}

/// Gives `ds` (the dataset kept at `kept`, unchanged since it was read)
/// the search index kept beside its copy, when that copy is sound and made
/// for the same files; otherwise builds the index and keeps it there for
/// the next search. Folding every text is most of what a one-shot search
/// of a large dataset costs (docs/performance.md).
///
/// The index built is written while the search is made and printed
/// ([`write_behind`]): a search waits for the index, not for its copy.
pub(super) fn search_index(ds: &'static Dataset, kept: &Kept) {
    let path = kept.path.with_extension("search.bin");
    if let Ok(bytes) = std::fs::read(&path) {
        if cache::decode_index(bytes, kept.key, ds) {
            return;
        }
    }
    keep_search_index(ds, kept);
}

/// Writes the search index of `ds` again beside its copy at `kept` if a
/// search refused the one read from there ([`search_index`]): each
/// entity's fields are checked only when a search first uses them.
pub(super) fn search_index_refused(ds: &'static Dataset, kept: &Kept) {
    if ds.folded_refused() {
        keep_search_index(ds, kept);
    }
}

/// Builds the search index of `ds` (unless built) and writes it beside
/// its copy at `kept`, behind the answer.
fn keep_search_index(ds: &'static Dataset, kept: &Kept) {
    ds.folded();
    let key = kept.key;
    write_behind(kept.path.with_extension("search.bin"), move |to| {
        cache::write_index(ds, key, to)
    });
}

/// The betweenness centrality of `ds` (the dataset kept at `kept`,
/// unchanged since it was read), from the copy kept beside the dataset's
/// when that copy is sound and made for the same files; otherwise computed,
/// and kept there for the next `stats`. Computing it is most of what
/// `stats` costs on a large dataset (docs/performance.md).
pub(super) fn centrality(ds: &Dataset, kept: &Kept) -> query::Centrality {
    let path = kept.path.with_extension("stats.bin");
    if let Ok(bytes) = std::fs::read(&path) {
        let scores: Option<query::Centrality> = cache::decode_scores(&bytes, kept.key);
        if let Some(scores) = scores.filter(|s| s.fits(ds)) {
            return scores;
        }
    }
    let scores = query::centrality(ds);
    let _ = write(&path, &cache::encode_scores(&scores, kept.key));
    scores
}

/// Gives `ds` (the dataset kept at `kept`, unchanged since it was read)
/// the two tables a timeline of much of a dataset reads (`model::cited`),
/// from the copy kept beside the dataset's, when that copy is sound, made
/// for the same files and fits the dataset; returns whether it did.
/// Building them is a fifth of a whole timeline's time at 100k entities
/// (docs/performance.md).
pub(super) fn timeline_tables(ds: &Dataset, kept: &Kept) -> bool {
    match std::fs::read(tables_path(kept)) {
        Ok(bytes) => cache::decode_timeline_tables(&bytes, kept.key, ds),
        Err(_) => false,
    }
}

/// Keeps the timeline tables `ds` (the dataset kept at `kept`) has built
/// beside its copy, for the next timeline, written while the timeline is
/// printed ([`write_behind`]); nothing if it has not built them.
pub(super) fn keep_timeline_tables(ds: &'static Dataset, kept: &Kept) {
    if ds.timeline_tables().is_some() {
        let key = kept.key;
        write_behind(tables_path(kept), move |to| {
            let bytes = cache::encode_timeline_tables(ds, key).expect("both tables are built");
            to.write_all(&bytes)
        });
    }
}

fn tables_path(kept: &Kept) -> PathBuf {
    kept.path.with_extension("timeline.bin")
}

/// Keeps a copy of `dataset`, loaded from `location` with files of `key`,
/// for next time, and says where. A cache that cannot be written is no
/// error: the next run loads again.
pub(super) fn store(location: &Path, dataset: &Dataset, key: cache::Key) -> Option<Kept> {
    let path = copy_path(location)?;
    let _ = write(&path, &cache::encode(dataset, key));
    Some(Kept { path, key })
}

/// The dataset in directory `dir` and its number of files, from its copy
/// in the cache, if there is a sound one made from exactly the files now
/// in `dir`: found without holding the files' texts (see
/// `load::dir_key`). `None` sends the caller to read the files and
/// [`load`] them.
pub(super) fn load_unchanged(dir: &Path) -> Option<(Dataset, usize, Kept)> {
    let path = copy_path(dir)?;
    // Nothing to check the files against: no need to read them.
    if !path.is_file() {
        return None;
    }
    // The files hashed for their key while the copy is read, on the word
    // of its header that it is theirs (on the other cores when the copy is
    // large enough to be read on several: `cache::read_while`).
    // Read without a buffer between: frames are read whole, each straight
    // into the memory it is decoded from.
    let from = std::fs::File::open(&path).ok()?;
    let (ds, (key, files)) = cache::read_while(from, || {
        let (key, files) = load::dir_key(dir)?;
        Some((key, (key, files)))
    })?;
    Some((ds, files, Kept { path, key }))
}

/// The dataset in the copy at `path`, if it is a sound one made for `key`.
fn read(path: &Path, key: cache::Key) -> Option<Dataset> {
    cache::read(std::fs::File::open(path).ok()?, key)
}

/// The cache directory, if the environment names one.
fn dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".cache"))
        })
        .map(|d| d.join("detente"))
}

/// The file holding the copy of the dataset at `location`: named by a hash
/// of its full path, so each dataset has one copy, replaced when it changes.
fn copy_path(location: &Path) -> Option<PathBuf> {
    let full = std::fs::canonicalize(location).ok()?;
    let name = xxhash_rust::xxh3::xxh3_128(full.as_os_str().as_encoded_bytes());
    Some(dir()?.join(format!("{name:032x}.bin")))
}

/// Writes `bytes` to `path` whole or not at all ([`write_with`]).
fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |to| to.write_all(bytes))
}

/// Writes what `make` writes to `path`, whole or not at all: into a
/// temporary file beside it, renamed over it only once `make` has written
/// everything. A `make` that fails (or panics) leaves `path` as it was and
/// the temporary file deleted.
fn write_with(path: &Path, make: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    make(tmp.as_file_mut())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Files being written beside a dataset's copy ([`write_behind`]).
static WRITING: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// Writes what `make` writes to `path` whole or not at all
/// ([`write_with`]), on a thread of its own, while the answer is made and
/// printed: what is kept for the next run is no part of this run's answer.
/// [`finish`] waits for it before the process ends (on every way out of
/// `cli::main`, a panic included), so a kept file is never left half-made
/// by an exit. A process killed meanwhile (Ctrl-C) leaves a temporary
/// `.tmp-*` file beside the copies, never a kept file half-written: as a
/// write before the answer did. A thread that cannot be started
/// leaves it unwritten, for the next run to build again, as a cache that
/// cannot be written does.
fn write_behind(
    path: PathBuf,
    make: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static,
) {
    let thread = std::thread::Builder::new().name("detente-keep".into());
    if let Ok(writing) = thread.spawn(move || {
        // A cache that cannot be written is no error: the next run builds
        // it again.
        let _ = write_with(&path, make);
    }) {
        WRITING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(writing);
    }
}

/// Waits until every file [`write_behind`] began is written (or has
/// failed): the last thing a run does, once its answer is printed.
pub(super) fn finish() {
    let writing = std::mem::take(&mut *WRITING.lock().unwrap_or_else(PoisonError::into_inner));
    for w in writing {
        // A write that panicked has deleted its temporary file: nothing to do.
        let _ = w.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is in `dir`, by name.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A kept file is written whole or not at all: a write that fails or
    /// panics halfway leaves the file before it as it was (or absent) and
    /// no temporary file behind.
    #[test]
    fn a_write_that_fails_halfway_leaves_nothing_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.bin");
        let half = |to: &mut dyn Write| {
            to.write_all(b"half of it")?;
            Err(io::Error::other("the disk is full"))
        };
        assert!(write_with(&path, half).is_err());
        assert_eq!(names(dir.path()), Vec::<String>::new());
        write(&path, b"sound").unwrap();
        assert!(write_with(&path, half).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"sound");
        assert_eq!(names(dir.path()), ["kept.bin"]);
        // Behind the answer, on its own thread: a panic halfway is the
        // thread's alone, and leaves the same.
        write_behind(path.clone(), |to| {
            to.write_all(b"half of it")?;
            panic!("halfway")
        });
        finish();
        assert_eq!(std::fs::read(&path).unwrap(), b"sound");
        assert_eq!(names(dir.path()), ["kept.bin"]);
        write_behind(path.clone(), |to| to.write_all(b"new"));
        finish();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["kept.bin"]);
    }
}
