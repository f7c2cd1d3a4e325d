//! Loading a dataset: files → YAML trees → checked records → the graph.
//!
//! A dataset is a directory of YAML files: `ontology.yaml` (the vocabulary),
//! `sources.yaml` and any files under `sources/` (the documents cited) and
//! any number of other `.yaml` or `.yml` files of entities and relations, in
//! any other sub-directory. This module
//! owns reading those files and reporting every problem in them; it hands
//! the rest of the crate a checked [`Dataset`] and never prints.

pub(crate) mod cache;
mod decode;
mod problem;
mod resolve;
mod suggest;
mod walk;

pub(crate) use walk::describe;
pub(crate) mod yaml;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use problem::{printable, Diagnostic, Place, Pos, Problem};

/// The fields each part of a data file may have, exactly as the loader
/// reads them: the JSON Schema export is built from these, so it cannot
/// drift from what `detente check` accepts.
pub(crate) mod fields {
    pub(crate) use super::decode::{
        CITATION_FIELDS as CITATION, ENTITY_FIELDS as ENTITY,
        INLINE_RELATION_FIELDS as INLINE_RELATION, KIND_FIELDS as KIND,
        ONTOLOGY_FIELDS as ONTOLOGY, RELATION_FIELDS as RELATION,
        RELATION_TYPE_FIELDS as RELATION_TYPE, SIDE_FIELDS as SIDE, SOURCE_FIELDS as SOURCE,
        STATUS_FIELDS as STATUS,
    };
}
pub(crate) use suggest::{did_you_mean, suggest};

use crate::model::graph::Dataset;

/// The file that declares the vocabulary (`.yml` works too).
pub const ONTOLOGY_FILE: &str = "ontology.yaml";

/// What a file of a dataset holds, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Ontology,
    Sources,
    Entities,
    /// An `ontology.yaml` or `sources.yaml` below the top: not read.
    Misplaced,
    /// A whole dataset in one JSON file, as `detente export json` writes it.
    Dataset,
}

impl Role {
    /// The names a file in this role defines. When it cannot be read, what
    /// it would have defined is unknown: references to those names elsewhere
    /// are reported once, naming the file, not as mistakes of their own.
    fn defines(self) -> &'static [&'static str] {
        match self {
            Role::Ontology => &["kind", "side", "status", "relation type"],
            Role::Sources => &["source"],
            Role::Entities => &["entity"],
            Role::Misplaced => &[],
            Role::Dataset => &[
                "kind",
                "side",
                "status",
                "relation type",
                "source",
                "entity",
            ],
        }
    }
}

/// The role of a file at `rel`, its path relative to the dataset directory.
fn role_of(rel: &Path) -> Role {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let top = rel.components().count() == 1;
    // Sources too many for one file (a file holds at most a million YAML
    // values) go in any number of files under a top-level `sources/`.
    let in_sources = !top
        && rel
            .components()
            .next()
            .is_some_and(|c| c.as_os_str().eq_ignore_ascii_case("sources"));
    match name.as_str() {
        "ontology.yaml" | "ontology.yml" if top => Role::Ontology,
        "sources.yaml" | "sources.yml" if top => Role::Sources,
        "ontology.yaml" | "ontology.yml" => Role::Misplaced,
        _ if in_sources => Role::Sources,
        "sources.yaml" | "sources.yml" => Role::Misplaced,
        _ => Role::Entities,
    }
}

/// One file of a dataset, read into memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in messages.
    pub path: PathBuf,
    /// The text (invalid UTF-8 replaced, and reported by [`load`]).
    pub text: String,
    /// Byte offset of the first invalid UTF-8 sequence, if any.
    invalid_utf8_at: Option<usize>,
    role: Role,
}

impl SourceFile {
    /// A file from text already in memory, at the top of its dataset: its
    /// name says whether it is the ontology, the sources or entities.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        let path = path.into();
        let role = role_of(Path::new(path.file_name().unwrap_or_default()));
        SourceFile {
            path,
            text: text.into(),
            invalid_utf8_at: None,
            role,
        }
    }

    /// A whole dataset in one JSON file, from text already in memory.
    pub fn dataset_json(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            invalid_utf8_at: None,
            role: Role::Dataset,
        }
    }

    /// A file from bytes already in memory, at the top of its dataset, as
    /// if read from disk: its name says what it holds, and bytes that are
    /// not UTF-8 are reported by [`load`] at the first bad one.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> SourceFile {
        let path = path.into();
        let rel = PathBuf::from(path.file_name().unwrap_or_default());
        SourceFile::read(path, &rel, bytes)
    }

    fn read(path: PathBuf, rel: &Path, bytes: Vec<u8>) -> SourceFile {
        let role = role_of(rel);
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile {
                path,
                text,
                invalid_utf8_at: None,
                role,
            },
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                SourceFile {
                    path,
                    text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    invalid_utf8_at: Some(at),
                    role,
                }
            }
        }
    }
}

/// Why a dataset could not be read at all (as opposed to being invalid).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The directory or a file in it could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A data file larger than [`MAX_FILE_BYTES`].
    #[error("cannot read `{}`: it is larger than the {} MiB a data file may be", path.display(), MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The directory has no `ontology.yaml`.
    #[error("`{}` is not a detente dataset: it has no `{ONTOLOGY_FILE}`", dir.display())]
    NotADataset {
        /// The directory.
        dir: PathBuf,
    },
}

/// The largest data file read, in bytes. Far above any hand-written file
/// (the bundled dataset is a few hundred kB in all), and enforced while
/// reading, so a file that grows, or lies about its size, cannot make the
/// reader hold more.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads every `.yaml`/`.yml` file under `dir` (following symbolic links
/// that stay inside it, skipping hidden files), sorted by path. Only regular
/// files are read, each up to [`MAX_FILE_BYTES`].
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, ReadError> {
    dataset_paths(dir)?
        .into_iter()
        .map(|(p, r)| Ok(SourceFile::read(p.clone(), &r, read_bounded(&p)?)))
        .collect()
}

/// The data files under `dir`, sorted by path, each with its path
/// relative to `dir`; an error if `dir` is not a dataset directory.
fn dataset_paths(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, ReadError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReadError::Io { path, source }
    };
    let meta = std::fs::metadata(dir).map_err(io_err(dir))?;
    if !meta.is_dir() {
        return Err(ReadError::Io {
            path: dir.to_path_buf(),
            source: io::Error::other("it is a file, not a dataset directory"),
        });
    }
    let paths = walk::yaml_files(dir).map_err(|(path, source)| ReadError::Io { path, source })?;
    let paths: Vec<(PathBuf, PathBuf)> = paths
        .into_iter()
        .map(|p| {
            let r = p.strip_prefix(dir).unwrap_or(&p).to_path_buf();
            (p, r)
        })
        .collect();
    if !paths.iter().any(|(_, r)| role_of(r) == Role::Ontology) {
        return Err(ReadError::NotADataset {
            dir: dir.to_path_buf(),
        });
    }
    Ok(paths)
}

/// The key of the cached copy of the dataset in `dir` (see [`cache`]) and
/// its number of files, from the files on disk: the key [`cache::key`]
/// gives for the files [`read_dir`] reads from a dataset that loads, each
/// file read and hashed on its own (in parallel), so a query that finds a
/// copy neither keeps nor checks nearly a hundred megabytes of text at
/// 100k entities. `None` when anything cannot be read: then [`read_dir`]
/// says why.
pub(crate) fn dir_key(dir: &Path) -> Option<(cache::Key, usize)> {
    let paths = dataset_paths(dir).ok()?;
    let hashes: Vec<u128> = paths
        .par_iter()
        .map_init(Vec::new, |buf, (p, _)| {
            read_bounded_into(p, buf).ok()?;
            Some(cache::content_hash(buf))
        })
        .collect::<Option<_>>()?;
    Some((key_of(&paths, &hashes), paths.len()))
}

/// The key of files at `paths` (full and relative) with these content hashes.
fn key_of(paths: &[(PathBuf, PathBuf)], hashes: &[u128]) -> cache::Key {
    let mut h = cache::Hasher::new(paths.len());
    for ((p, r), hash) in paths.iter().zip(hashes) {
        h.file(p, role_of(r) as u8, *hash);
    }
    h.finish()
}

/// A dataset directory loaded by [`load_dir`].
pub(crate) struct DirLoad {
    pub dataset: Dataset,
    /// The key of its files, for a cache copy.
    pub key: cache::Key,
    /// How many files it has.
    pub files: usize,
}

/// Why [`load_dir`] gave no dataset.
pub(crate) enum DirFailure {
    /// The directory or a file in it could not be read.
    Read(ReadError),
    /// The data has problems: every one, and the files as read, to quote.
    Invalid(Vec<SourceFile>, Vec<Diagnostic>),
}

/// [`read_dir`] and [`load`] in one, holding no more than a file or two of
/// text at a time: each file is read, hashed and parsed on its own, and
/// its text dropped as soon as it is decoded, where [`load`] needs every
/// text in memory until the graph is built (at 100k entities, a hundred
/// megabytes beside the model at the peak). The texts are needed only to
/// quote the files when a problem is reported: then the files are read
/// again, and if any of them changed in between, checked again from those
/// texts, so every problem quotes the text it was found in.
pub(crate) fn load_dir(dir: &Path) -> Result<DirLoad, DirFailure> {
    let paths = dataset_paths(dir).map_err(DirFailure::Read)?;
    // The ontology and sources first, as [`load`] takes them.
    let is_meta = |r: &Path| matches!(role_of(r), Role::Ontology | Role::Sources);
    let order: Vec<usize> = (0..paths.len())
        .filter(|&i| is_meta(&paths[i].1))
        .chain((0..paths.len()).filter(|&i| !is_meta(&paths[i].1)))
        .collect();
    let read: Vec<(usize, u128, Part)> = order
        .par_iter()
        .map(|&i| {
            let (p, r) = &paths[i];
            let bytes = read_bounded(p)?;
            let hash = cache::content_hash(&bytes);
            let file = SourceFile::read(p.clone(), r, bytes);
            Ok((i, hash, decode_file(&file)))
        })
        .collect::<Result<_, ReadError>>()
        .map_err(DirFailure::Read)?;
    let mut hashes = vec![0; paths.len()];
    for (i, hash, _) in &read {
        hashes[*i] = *hash;
    }
    let parts: Vec<Part> = read.into_iter().map(|(_, _, part)| part).collect();
    match on_a_worker(|| assemble(parts)) {
        Ok(dataset) => Ok(DirLoad {
            dataset,
            key: key_of(&paths, &hashes),
            files: paths.len(),
        }),
        Err(problems) => {
            let files = read_dir(dir).map_err(DirFailure::Read)?;
            let same = files.len() == paths.len()
                && files
                    .iter()
                    .zip(&paths)
                    .zip(&hashes)
                    .all(|((f, (p, _)), h)| {
                        f.path == *p
                            && f.invalid_utf8_at.is_none()
                            && cache::content_hash(f.text.as_bytes()) == *h
                    });
            if same {
                return Err(DirFailure::Invalid(files, problems));
            }
            match load(&files) {
                Ok(dataset) => Ok(DirLoad {
                    dataset,
                    key: cache::key(&files),
                    files: files.len(),
                }),
                Err(problems) => Err(DirFailure::Invalid(files, problems)),
            }
        }
    }
}

/// The bytes of a regular file, refusing anything else and anything over
/// [`MAX_FILE_BYTES`] without reading past the limit.
fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_bounded_into(path, &mut bytes)?;
    Ok(bytes)
}

/// [`read_bounded`] into `bytes`, replacing what it held.
fn read_bounded_into(path: &Path, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    use std::io::Read;
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
    };
    let (file, meta) = open_regular(path).map_err(io_err)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    bytes.clear();
    bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(())
}

/// Opens a file for reading if it is a regular file, deciding on the open
/// descriptor, not the path. The walk has seen a regular file at `path`, but
/// it could be swapped for a FIFO before the open, and opening a FIFO for
/// reading blocks until a writer comes, forever if none does. Opened
/// non-blocking, a FIFO opens at once; `fstat` on the descriptor then says
/// what was really opened, and only a regular file is kept, in blocking mode
/// again.
#[cfg(unix)]
fn open_regular(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let flags = rustix::fs::fcntl_getfl(&file)?;
    rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK)?;
    Ok((file, meta))
}

/// Without `O_NONBLOCK`, the check on the open file is all there is.
#[cfg(not(unix))]
fn open_regular(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta))
}

fn not_regular(meta: &std::fs::Metadata) -> io::Error {
    io::Error::other(format!(
        "it is {}, not a regular file",
        walk::describe(&meta.file_type())
    ))
}

/// Reads a whole dataset from one JSON file, as `detente export json`
/// writes it. JSON is YAML's flow syntax, so the same parser reads it and
/// every problem is reported at its line and column in the JSON file.
pub fn read_json(path: &Path) -> Result<Vec<SourceFile>, ReadError> {
    let bytes = read_bounded(path)?;
    let mut file = SourceFile::read(path.to_path_buf(), path, bytes);
    file.role = Role::Dataset;
    Ok(vec![file])
}

/// The dataset compiled into the binary from the repository's `data/`.
pub fn builtin_files() -> Vec<SourceFile> {
    embedded_files(crate::builtin::FILES)
}

/// How many files the bundled dataset has.
pub(crate) fn builtin_file_count() -> usize {
    crate::builtin::FILES.len()
}

/// Files of the bundled dataset from (path under `data/`, text) pairs: the
/// paths they are shown with, and the roles their places give them. Used
/// for the binary and by `build.rs`, which checks the same files.
pub(crate) fn embedded_files(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(rel, text)| {
            SourceFile::read(
                Path::new("data").join(rel),
                Path::new(rel),
                text.as_bytes().to_vec(),
            )
        })
        .collect()
}

/// The bundled dataset, already checked: `build.rs` loads `data/` when
/// detente is built and embeds the result (a [`cache`] copy), so a query
/// on it parses no YAML. `None` when the bundled data did not load at
/// build time: then [`load`] on [`builtin_files`] reports why.
pub(crate) fn bundled() -> Option<Dataset> {
    let (key, bytes) = crate::builtin::CHECKED?;
    cache::decode(bytes, cache::Key::from_u128(key))
}

/// Checks a dataset and builds its graph, or returns every problem found,
/// sorted by file, line and column.
pub fn load(files: &[SourceFile]) -> Result<Dataset, Vec<Diagnostic>> {
    // Files are parsed and decoded independently, so in parallel; parsing
    // is most of the work. The parts are then taken in a fixed order (the
    // ontology and sources first, then the rest by path), so the result
    // and every message are the same on any number of cores.
    let (meta, data): (Vec<_>, Vec<_>) = files
        .iter()
        .partition(|f| matches!(f.role, Role::Ontology | Role::Sources));
    let ordered: Vec<&SourceFile> = meta.into_iter().chain(data).collect();
    let parts: Vec<Part> = ordered.par_iter().map(|f| decode_file(f)).collect();
    on_a_worker(|| assemble(parts))
}

/// Runs `f` on one of rayon's threads, where the records it frees were
/// made: the allocator keeps an arena per thread, and memory freed into the
/// arenas of the threads that decoded the files cannot be reused by the
/// main thread's, so the checked records built there would take new memory
/// while the decoded ones they replace were given back where it cannot be
/// used (at 100k entities, tens of megabytes at the peak of a cold load).
fn on_a_worker<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut out = None;
    rayon::scope(|s| s.spawn(|_| out = Some(f())));
    out.expect("a scope waits for the work it spawns")
}

/// The dataset made of the `parts` of its files, the ontology and sources
/// first, or every problem found, sorted by file, line and column.
fn assemble(parts: Vec<Part>) -> Result<Dataset, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut decoded = resolve::Decoded {
        ontology: Default::default(),
        incomplete: Vec::new(),
        sources: Vec::new(),
        entities: Vec::new(),
        relations: Vec::new(),
    };
    for part in parts {
        problems.extend(part.problems);
        match part.content {
            Content::Nothing => {}
            Content::Unread(names) => {
                let shown = part.file.display().to_string();
                decoded
                    .incomplete
                    .extend(names.iter().map(|n| (*n, shown.clone())));
            }
            Content::Ontology(o) => decoded.ontology = o,
            Content::Sources(ss) => decoded
                .sources
                .extend(ss.into_iter().map(|s| (part.file.clone(), s))),
            Content::Dataset(ontology, ss, es, rs) => {
                if let Some(o) = ontology {
                    decoded.ontology = o;
                }
                decoded
                    .sources
                    .extend(ss.into_iter().map(|s| (part.file.clone(), s)));
                decoded.entities.push((part.file.clone(), es));
                decoded.relations.push((part.file.clone(), rs));
            }
            Content::Entities(es, rs) => {
                decoded.entities.push((part.file.clone(), es));
                decoded.relations.push((part.file.clone(), rs));
            }
        }
    }
    let dataset = resolve::resolve(decoded, &mut problems);
    match dataset {
        Some(d) if problems.is_empty() => Ok(d),
        _ => {
            problems.sort_by(|a, b| a.place.cmp(&b.place));
            problems.dedup();
            Err(problems)
        }
    }
}

/// What one file yielded, with its own problems.
struct Part {
    /// The file's path, shared by everything defined in it.
    file: Arc<Path>,
    problems: Vec<Diagnostic>,
    content: Content,
}

enum Content {
    Nothing,
    /// The file did not parse: what it would have defined (see
    /// `resolve::Decoded::incomplete`).
    Unread(&'static [&'static str]),
    Ontology(crate::model::ontology::Ontology),
    Sources(Vec<decode::RawSource>),
    Entities(Vec<decode::RawEntity>, Vec<decode::RawRelation>),
    /// A whole dataset in one file (`detente export json`).
    Dataset(
        Option<crate::model::ontology::Ontology>,
        Vec<decode::RawSource>,
        Vec<decode::RawEntity>,
        Vec<decode::RawRelation>,
    ),
}

/// Parses and decodes one file, on its own: nothing here may depend on
/// another file, so files can be decoded in any order, on any thread.
fn decode_file(file: &SourceFile) -> Part {
    let mut problems = Vec::new();
    let shared: Arc<Path> = file.path.as_path().into();
    let mut ctx = decode::Ctx {
        file: &shared,
        problems: &mut problems,
    };
    // The file's tree is built in this thread's arena and gone when the
    // closure returns: what is kept (the records) owns its texts.
    let content = yaml::with_arena(|arena| 'content: {
        if let Some(at) = file.invalid_utf8_at {
            let pos = position_of(&file.text, at);
            ctx.report(
                pos,
                Problem::Syntax {
                    message: "the file is not UTF-8 text".into(),
                },
            );
            break 'content Content::Nothing;
        }
        let root = match yaml::parse(&file.text, arena) {
            Ok(root) => root,
            Err(e) => match e.unclosed {
                // Where the bracket opened is what to fix; where the parser
                // noticed goes along, as the second place.
                Some((opened, bracket)) => {
                    let noticed = (e.pos != opened).then_some(e.pos);
                    ctx.report(
                        opened,
                        Problem::UnclosedBracket {
                            bracket: bracket.to_string(),
                            noticed_line: noticed.map(|p| p.line),
                            noticed_column: noticed.map(|p| p.column),
                        },
                    );
                    break 'content Content::Unread(file.role.defines());
                }
                None => {
                    ctx.report(e.pos, Problem::Syntax { message: e.message });
                    break 'content Content::Unread(file.role.defines());
                }
            },
        };
        match file.role {
            Role::Misplaced => {
                ctx.report(
                    Pos { line: 1, column: 1 },
                    Problem::MisplacedFile {
                        name: file
                            .path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    },
                );
                Content::Nothing
            }
            // An ontology or sources file of the wrong shape (empty, a list,
            // text) defines nothing, like one that does not parse: its own
            // problem is the cause of every unknown kind or source after it.
            Role::Ontology if !matches!(root.value, yaml::Value::Map(_)) => {
                decode::ontology(&mut ctx, &root);
                Content::Unread(file.role.defines())
            }
            Role::Sources if !matches!(root.value, yaml::Value::Seq(_) | yaml::Value::Null) => {
                decode::sources(&mut ctx, &root);
                Content::Unread(file.role.defines())
            }
            Role::Ontology => Content::Ontology(decode::ontology(&mut ctx, &root)),
            Role::Sources => Content::Sources(decode::sources(&mut ctx, &root)),
            Role::Entities => {
                let (mut es, mut rs) = (Vec::new(), Vec::new());
                decode::entity_file(&mut ctx, &root, &mut es, &mut rs);
                // Every file's records are held until the last file is
                // decoded: without the room vectors grow into (up to half
                // again as much), that is the peak of a cold load.
                es.shrink_to_fit();
                rs.shrink_to_fit();
                Content::Entities(es, rs)
            }
            Role::Dataset => {
                let [ontology, sources, entities, relations] =
                    decode::dataset_parts(&mut ctx, &root);
                let ontology = ontology.map(|node| decode::ontology(&mut ctx, node));
                let sources = sources
                    .map(|node| decode::sources(&mut ctx, node))
                    .unwrap_or_default();
                let (mut es, mut rs) = (Vec::new(), Vec::new());
                decode::entity_lists(&mut ctx, entities, relations, &mut es, &mut rs);
                Content::Dataset(ontology, sources, es, rs)
            }
        }
    });
    Part {
        file: shared,
        problems,
        content,
    }
}

/// Where each line break in `text` ends: the byte index of its last byte,
/// for `\n`, `\r\n` and a `\r` alone, which is how YAML counts lines. Every
/// line number the loader reports and every line the report quotes is
/// counted this way, so the two agree.
pub(crate) fn line_break_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        (b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).then_some(i)
    })
}

/// Line and column (in characters) of a byte offset.
fn position_of(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let ends: Vec<usize> = line_break_ends(text).take_while(|&i| i < offset).collect();
    let line = ends.len() + 1;
    let line_start = ends.last().map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A query on an unchanged dataset finds its copy by `dir_key`; the
    /// copy was written under `cache::key` of the files read. Were the two
    /// to differ, no copy would ever be found, and every query would load
    /// the YAML again without a word.
    #[test]
    fn the_key_from_disk_is_the_key_of_the_files_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sources")).unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("ontology.yaml"), "kinds: {}\nrelations: {}\n").unwrap();
        std::fs::write(d.join("sources/a.yaml"), "- { id: a, title: A }\n").unwrap();
        std::fs::write(d.join("sub/x.yaml"), "[]\n").unwrap();
        let files = read_dir(d).unwrap();
        assert_eq!(dir_key(d), Some((cache::key(&files), 3)));
        // A file moved is another dataset, and moved back the same one.
        std::fs::rename(d.join("sources/a.yaml"), d.join("sub/a.yaml")).unwrap();
        assert_ne!(dir_key(d).unwrap().0, cache::key(&files));
        std::fs::rename(d.join("sub/a.yaml"), d.join("sources/a.yaml")).unwrap();
        assert_eq!(dir_key(d).unwrap().0, cache::key(&files));
        std::fs::write(d.join("sub/x.yaml"), "[ ]\n").unwrap();
        assert_ne!(dir_key(d).unwrap().0, cache::key(&files));
        // A file that is not UTF-8 never shares a key with its repaired text.
        std::fs::write(d.join("sub/x.yaml"), b"- \xff\n").unwrap();
        let bad = read_dir(d).unwrap();
        assert_ne!(dir_key(d).unwrap().0, cache::key(&bad));
    }

    /// `load_dir` reads a directory file by file, never holding every
    /// text: it must give what `load` gives on the files `read_dir` reads,
    /// under the key `cache::key` gives them, and for data with problems,
    /// the same problems and the texts to quote them from.
    #[test]
    fn loading_a_directory_file_by_file_gives_what_loading_its_files_gives() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for (rel, text) in crate::builtin::FILES {
            let path = d.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let files = read_dir(d).unwrap();
        let expected = load(&files).unwrap();
        let Ok(got) = load_dir(d) else {
            panic!("the bundled data loads file by file")
        };
        assert_eq!(got.key, cache::key(&files));
        assert_eq!(got.files, files.len());
        let seen = |ds: &Dataset| {
            let entities: Vec<_> = ds.entities().collect();
            let relations: Vec<_> = ds.relations().map(|(a, b, r)| (&a.id, &b.id, r)).collect();
            serde_json::to_string(&(ds.ontology(), ds.sources(), entities, relations)).unwrap()
        };
        assert_eq!(seen(&got.dataset), seen(&expected));

        // A reference to nothing, in one file among many.
        let bad = files
            .iter()
            .find(|f| f.role == Role::Entities)
            .expect("the bundled data has entity files");
        let text = format!(
            "{}\n- id: stray-entity\n  kind: person\n  name: Stray\n  sources: [{{source: no-such-source, at: p. 1}}]\n",
            bad.text.trim_end()
        );
        std::fs::write(&bad.path, &text).unwrap();
        let files = read_dir(d).unwrap();
        let expected = load(&files).unwrap_err();
        match load_dir(d) {
            Err(DirFailure::Invalid(quoted, problems)) => {
                assert_eq!(problems, expected);
                let texts = |fs: &[SourceFile]| {
                    fs.iter()
                        .map(|f| (f.path.clone(), f.text.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(texts(&quoted), texts(&files));
            }
            _ => panic!("a dataset with an unknown source does not load"),
        }
    }

    /// The walk saw a regular file; by the time it is opened, it is a FIFO
    /// with no writer. Reading must refuse it at once, not wait for a writer.
    #[test]
    fn a_file_swapped_for_a_fifo_after_the_walk_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        std::fs::write(&path, "- id: x\n").unwrap();
        assert_eq!(walk::yaml_files(dir.path()).unwrap(), vec![path.clone()]);
        std::fs::remove_file(&path).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        std::thread::spawn(move || tx.send(read_bounded(&p).map(|b| b.len())));
        let result = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("reading a FIFO blocked");
        let err = result.expect_err("a FIFO is not read");
        assert!(
            err.to_string()
                .ends_with("x.yaml`: it is a FIFO (named pipe), not a regular file"),
            "{err}"
        );
    }

    #[test]
    fn a_regular_file_is_read_in_blocking_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        std::fs::write(&path, "- id: x\n").unwrap();
        let (file, _) = open_regular(&path).unwrap();
        let flags = rustix::fs::fcntl_getfl(&file).unwrap();
        assert!(!flags.contains(rustix::fs::OFlags::NONBLOCK));
        assert_eq!(read_bounded(&path).unwrap(), b"- id: x\n");
    }
}
