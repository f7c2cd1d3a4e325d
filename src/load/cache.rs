//! A binary copy of a loaded, checked dataset, so that a query on data
//! that has not changed starts without parsing YAML.
//!
//! This module only turns a [`Dataset`] into bytes and back; where the
//! bytes are kept (the user's cache directory) is decided and written by
//! the command line. A copy is found by the key of the files it was made
//! from ([`key`]: every path and every byte, this version of detente and
//! this format), and read back only if everything checks out: the header,
//! the key, the length and the checksum of the payload, then the payload
//! itself (entities in order, every relation's ends in range). Anything
//! else — another version's copy, a truncated or corrupt file, a file that
//! is not a copy at all — is `None`, and the caller loads the YAML again.
//!
//! The payload is serialised with postcard (see `docs/decisions.md`).

use std::io::{self, Write};

use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use super::SourceFile;
use crate::model::graph::{Dataset, Frames, OwnedParts};

/// The first bytes of every copy.
const MAGIC: &[u8; 8] = b"detente\x1a";

/// The layout of a copy. Raise it whenever the header or the model's
/// fields change; together with the crate version in the key, an old
/// copy is then never read as a new one.
const FORMAT: u32 = 4;

/// Header: magic, format, key, payload length, payload checksum.
const HEADER: usize = 8 + 4 + 16 + 8 + 16;

/// What a copy is found by: a hash of every file's path, role and content
/// hash, in the order given, and of this version of detente and of the
/// format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(u128);

impl Key {
    /// The key as a number, to embed in code (by `build.rs`).
    #[allow(dead_code)]
    pub fn as_u128(self) -> u128 {
        self.0
    }

    /// The key [`Key::as_u128`] gave.
    pub fn from_u128(n: u128) -> Key {
        Key(n)
    }
}

/// The key of a dataset read from `files`.
pub fn key(files: &[SourceFile]) -> Key {
    let mut h = Hasher::new(files.len());
    for f in files {
        // A file that is not UTF-8 holds a repaired text, which a valid
        // file could hold too: it is marked apart, so the two never share
        // a key (and such a dataset never loads, so it is never copied).
        let role = match f.invalid_utf8_at {
            Some(_) => NOT_UTF8,
            None => f.role as u8,
        };
        h.file(&f.path, role, content_hash(f.text.as_bytes()));
    }
    h.finish()
}

/// The hash of one file's bytes, as a [`Key`] takes it: files are hashed
/// on their own (in parallel, each as it is read) and the key hashes their
/// paths, roles and these hashes in order.
pub(crate) fn content_hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// What stands for the role of a file that is not UTF-8 in a key.
const NOT_UTF8: u8 = 0xff;

/// A [`Key`] computed file by file, so that the files need not all be in
/// memory at once (see `load::dir_key`). Each file is hashed by its path,
/// its role and the [`content_hash`] of its bytes: those decide everything
/// loading it gives.
pub(crate) struct Hasher(Xxh3);

impl Hasher {
    /// A key for a dataset of `files` files.
    pub(crate) fn new(files: usize) -> Hasher {
        let mut h = Hasher(Xxh3::new());
        h.field(MAGIC);
        h.field(&FORMAT.to_le_bytes());
        h.field(env!("CARGO_PKG_VERSION").as_bytes());
        h.field(&(files as u64).to_le_bytes());
        h
    }

    fn field(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// The next file: its path, its role (`Role as u8`) and the
    /// [`content_hash`] of its bytes.
    pub(crate) fn file(&mut self, path: &std::path::Path, role: u8, content: u128) {
        self.field(path.as_os_str().as_encoded_bytes());
        self.field(&[role]);
        self.field(&content.to_le_bytes());
    }

    pub(crate) fn finish(&self) -> Key {
        Key(self.0.digest128())
    }
}

/// The first bytes of every copy of a search index.
const INDEX_MAGIC: &[u8; 8] = b"detente\x1d";

/// The layout of a search index's copy ([`write_index`]).
/// Raise it whenever that changes; the key already changes with the
/// dataset's format and detente's version.
const INDEX_FORMAT: u32 = 2;

/// The copy of `dataset`, made from the files of `key`: the header, then
/// the dataset in frames (`Parts::write_frames`), so that it can be read
/// back a frame at a time ([`read`]).
pub fn encode(dataset: &Dataset, key: Key) -> Vec<u8> {
    let mut out = vec![0; HEADER];
    dataset.parts().write_frames(&mut out);
    let (header, payload) = out.split_at_mut(HEADER);
    write_header(header, payload, MAGIC, FORMAT, key);
    out
}

/// The dataset in `bytes`, if they are a sound copy made from the files of
/// `key`; `None` for anything else.
pub fn decode(bytes: &[u8], key: Key) -> Option<Dataset> {
    read(bytes, key)
}

/// The dataset in the copy `from` reads, if it is a sound copy made from
/// the files of `key`; `None` for anything else. The copy is read a frame
/// at a time, hashed as it is read; what the frames hold is decoded as
/// they come (decoding refuses what does not decode, and reserves nothing
/// on a count it was given), but the dataset is given only if the whole
/// payload then has the length and checksum of its header, nothing follows
/// it, and it makes a sound dataset. A large copy is decoded on every core
/// ([`OwnedParts::read_parallel`]).
pub fn read(from: impl std::io::Read + Send, key: Key) -> Option<Dataset> {
    read_while(from, || Some((key, ()))).map(|(ds, ())| ds)
}

/// Payloads at least this long are decoded on every core. Below it (the
/// bundled dataset's copy is a few hundred kilobytes, 10k entities' about
/// 8 MB) the threads save little and their frames in flight and their
/// allocator's arenas cost a megabyte or two of peak memory.
const PARALLEL: u64 = 16 << 20;

/// [`read`], the key the copy must have computed by `key` (with something
/// to give back beside it) while the copy is read: the copy is decoded on
/// the word of its header's key, and given only if that is the key
/// computed; as soon as that is known not to be, decoding stops. A warm
/// query at 100k entities spends a tenth of its time hashing the files for
/// their key, which this does on another core while the copy is decoded.
pub(crate) fn read_while<T: Send>(
    from: impl std::io::Read + Send,
    key: impl FnOnce() -> Option<(Key, T)> + Send,
) -> Option<(Dataset, T)> {
    read_with(from, key, None)
}

/// [`read_while`], decoding on every core or not as `parallel` says
/// (`None`: by the payload's length).
fn read_with<T: Send>(
    mut from: impl std::io::Read + Send,
    key: impl FnOnce() -> Option<(Key, T)> + Send,
    parallel: Option<bool>,
) -> Option<(Dataset, T)> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut header = [0u8; HEADER];
    from.read_exact(&mut header).ok()?;
    let (said, len, sum) = check_header(&header, MAGIC, FORMAT)?;
    let mut frames = FrameReader {
        from,
        left: len,
        hash: Xxh3::new(),
        buf: Vec::new(),
    };
    let parts = if parallel.unwrap_or(len >= PARALLEL) {
        let stop = AtomicBool::new(false);
        let (keyed, parts) = rayon::join(
            || {
                let keyed = key().filter(|(k, _)| *k == said);
                if keyed.is_none() {
                    stop.store(true, Ordering::Relaxed);
                }
                keyed
            },
            || OwnedParts::read_parallel(&mut frames, &stop),
        );
        (keyed?, parts?)
    } else {
        // Small: the key first, and nothing read if it is not the copy's.
        let keyed = key().filter(|(k, _)| *k == said)?;
        (keyed, OwnedParts::read(&mut frames)?)
    };
    let ((_, given), parts) = parts;
    let FrameReader {
        mut from,
        left,
        hash,
        ..
    } = frames;
    if left != 0 || hash.digest128() != sum || from.read(&mut [0u8; 1]).ok()? != 0 {
        return None;
    }
    Some((Dataset::from_parts(parts)?, given))
}

/// The frames of a copy's payload as they are read: each a length (four
/// bytes) and that many bytes, every byte hashed.
struct FrameReader<R> {
    from: R,
    /// Bytes of the payload not yet read.
    left: u64,
    hash: Xxh3,
    buf: Vec<u8>,
}

impl<R: std::io::Read> Frames for FrameReader<R> {
    fn next_frame(&mut self) -> Option<&[u8]> {
        let mut buf = std::mem::take(&mut self.buf);
        let read = self.next_frame_into(&mut buf);
        self.buf = buf;
        read.map(|()| &self.buf[..])
    }

    fn next_frame_into(&mut self, buf: &mut Vec<u8>) -> Option<()> {
        use std::io::Read;
        let mut len = [0u8; 4];
        if self.left < 4 {
            return None;
        }
        self.from.read_exact(&mut len).ok()?;
        let n = u64::from(u32::from_le_bytes(len));
        if n > self.left - 4 {
            return None;
        }
        buf.clear();
        // Room for the whole frame at once (grown step by step, the buffer
        // left a trail of freed blocks among the dataset's own), but never
        // more than a sound frame needs on the word of a corrupt length.
        buf.reserve_exact((n as usize).min(1 << 26));
        (&mut self.from).take(n).read_to_end(buf).ok()?;
        if buf.len() as u64 != n {
            return None;
        }
        self.hash.update(&len);
        self.hash.update(buf);
        self.left -= 4 + n;
        Some(())
    }
}

/// The copy of `dataset`'s search index (built now if it is not yet),
/// for the dataset made from the files of `key`.
#[cfg(test)]
pub(crate) fn encode_index(dataset: &Dataset, key: Key) -> Vec<u8> {
    let mut out = Vec::new();
    write_index(dataset, key, &mut out).expect("writing to memory cannot fail");
    out
}

/// Writes the copy of `dataset`'s search index (built now if it is not
/// yet), for the dataset made from the files of `key`, to `to`: its
/// header, its table, then its text where the index holds it, so the text
/// (tens of megabytes) is never copied into a buffer of its own.
pub(crate) fn write_index(dataset: &Dataset, key: Key, to: &mut dyn Write) -> io::Result<()> {
    let index = dataset.folded();
    let mut table = Vec::new();
    index.write_table(&mut table);
    let text = index.text();
    let mut sum = Xxh3::new();
    sum.update(&table);
    sum.update(text);
    let mut header = [0; HEADER];
    fill_header(
        &mut header,
        (table.len() + text.len()) as u64,
        sum.digest128(),
        INDEX_MAGIC,
        INDEX_FORMAT,
        key,
    );
    to.write_all(&header)?;
    to.write_all(&table)?;
    to.write_all(text)
}

/// Gives `dataset` the search index in `bytes`, if they are a sound copy
/// of one made for the dataset of `key` and its table fits `dataset`;
/// returns whether it did. The text is not copied out of `bytes`, nor
/// decoded: what a search uses of it is checked when used. Anything else
/// leaves `dataset` to build its index when a search asks for it.
pub(crate) fn decode_index(bytes: Vec<u8>, key: Key, dataset: &Dataset) -> bool {
    if open(&bytes, INDEX_MAGIC, INDEX_FORMAT, key).is_none() {
        return false;
    }
    dataset.set_folded(bytes, HEADER)
}

/// The first bytes of every copy of a dataset's centrality scores.
const SCORES_MAGIC: &[u8; 8] = b"detente\x1e";

/// The layout of a copy of centrality scores (`query::Centrality`). Raise
/// it whenever that or the way the scores are computed changes (2: the
/// estimate above 2,000 entities batched, its sums in another order).
const SCORES_FORMAT: u32 = 2;

/// The copy of `scores`, what the command line computed of the dataset
/// made from the files of `key` (`query::Centrality`).
pub(crate) fn encode_scores(scores: &impl serde::Serialize, key: Key) -> Vec<u8> {
    seal(scores, SCORES_MAGIC, SCORES_FORMAT, key)
}

/// The scores in `bytes`, if they are a sound copy made for the dataset of
/// `key`; `None` for anything else. The caller still checks them against
/// the dataset.
pub(crate) fn decode_scores<T: serde::de::DeserializeOwned>(bytes: &[u8], key: Key) -> Option<T> {
    postcard::from_bytes(open(bytes, SCORES_MAGIC, SCORES_FORMAT, key)?).ok()
}

/// The first bytes of every copy of a dataset's timeline tables.
const TABLES_MAGIC: &[u8; 8] = b"detente\x1f";

/// The layout of a copy of the timeline tables (`model::cited`'s `Cited`
/// and `Chrono`). Raise it whenever they or the way they are made change.
const TABLES_FORMAT: u32 = 1;

/// The copy of the two tables of a timeline that `dataset`, made from the
/// files of `key`, has built (`None` if it has not built both).
pub(crate) fn encode_timeline_tables(dataset: &Dataset, key: Key) -> Option<Vec<u8>> {
    let tables = dataset.timeline_tables()?;
    Some(seal(&tables, TABLES_MAGIC, TABLES_FORMAT, key))
}

/// Gives `dataset` the timeline tables in `bytes`, if they are a sound
/// copy made for the dataset of `key` and fit it; returns whether it did.
/// Anything else leaves `dataset` to build them when a timeline asks.
pub(crate) fn decode_timeline_tables(bytes: &[u8], key: Key, dataset: &Dataset) -> bool {
    let Some(payload) = open(bytes, TABLES_MAGIC, TABLES_FORMAT, key) else {
        return false;
    };
    match postcard::from_bytes(payload) {
        Ok(tables) => dataset.set_timeline_tables(tables),
        Err(_) => false,
    }
}

/// `value` serialised behind a header: magic, format, key, payload length
/// and checksum.
fn seal(value: &impl serde::Serialize, magic: &[u8; 8], format: u32, key: Key) -> Vec<u8> {
    // The payload is written straight after room for the header, which is
    // filled in once its length and checksum are known: one buffer, where
    // a payload copied behind a header held the copy twice at the peak.
    let mut out =
        postcard::to_extend(value, vec![0; HEADER]).expect("a value in memory always serialises");
    let (header, payload) = out.split_at_mut(HEADER);
    write_header(header, payload, magic, format, key);
    out
}

/// Fills in `header` for `payload`.
fn write_header(header: &mut [u8], payload: &[u8], magic: &[u8; 8], format: u32, key: Key) {
    let (len, sum) = (payload.len() as u64, xxh3_128(payload));
    fill_header(header, len, sum, magic, format, key);
}

/// Fills in `header` for a payload of `len` bytes whose checksum is `sum`.
fn fill_header(header: &mut [u8], len: u64, sum: u128, magic: &[u8; 8], format: u32, key: Key) {
    let mut at = 0;
    for field in [
        &magic[..],
        &format.to_le_bytes(),
        &key.0.to_le_bytes(),
        &len.to_le_bytes(),
        &sum.to_le_bytes(),
    ] {
        header[at..at + field.len()].copy_from_slice(field);
        at += field.len();
    }
    debug_assert_eq!(at, HEADER);
}

/// The key, payload's length and checksum a header gives, if it is a
/// header of `magic` and `format`.
fn check_header(header: &[u8], magic: &[u8; 8], format: u32) -> Option<(Key, u64, u128)> {
    let (stored_magic, rest) = header.split_at_checked(8)?;
    let (stored_format, rest) = rest.split_at_checked(4)?;
    let (stored_key, rest) = rest.split_at_checked(16)?;
    let (len, sum) = rest.split_at_checked(8)?;
    if stored_magic != magic || u32::from_le_bytes(stored_format.try_into().ok()?) != format {
        return None;
    }
    Some((
        Key(u128::from_le_bytes(stored_key.try_into().ok()?)),
        u64::from_le_bytes(len.try_into().ok()?),
        u128::from_le_bytes(sum.try_into().ok()?),
    ))
}

/// The payload of `bytes`, if its header is `magic`, `format` and `key`
/// and its length and checksum are right.
fn open<'b>(bytes: &'b [u8], magic: &[u8; 8], format: u32, key: Key) -> Option<&'b [u8]> {
    let (header, payload) = bytes.split_at_checked(HEADER)?;
    let (said, len, sum) = check_header(header, magic, format)?;
    if said != key || len != payload.len() as u64 || sum != xxh3_128(payload) {
        return None;
    }
    Some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{builtin_files, load};
    use crate::model::entity::Entity;

    fn bundled() -> (Dataset, Key, Vec<u8>) {
        let files = builtin_files();
        let ds = load(&files).expect("bundled data is valid");
        let key = key(&files);
        let bytes = encode(&ds, key);
        (ds, key, bytes)
    }

    /// Everything a user can see of a dataset, as JSON.
    fn seen(ds: &Dataset) -> String {
        let entities: Vec<_> = ds.entities().collect();
        let relations: Vec<_> = ds.relations().map(|(a, b, r)| (&a.id, &b.id, r)).collect();
        serde_json::to_string(&(ds.ontology(), ds.sources(), entities, relations)).unwrap()
    }

    /// `bytes` read as a copy of `key` both ways, frame after frame and
    /// on every core, which must agree: what both give.
    fn read_both(bytes: &[u8], key: Key) -> Option<Dataset> {
        let read = |parallel| read_with(bytes, || Some((key, ())), Some(parallel)).map(|(d, ())| d);
        let (one, every) = (read(false), read(true));
        assert_eq!(one.as_ref().map(seen), every.as_ref().map(seen));
        assert_eq!(one.is_some(), decode(bytes, key).is_some());
        every
    }

    #[test]
    fn a_copy_reads_back_as_the_same_dataset() {
        let (ds, key, bytes) = bundled();
        let back = read_both(&bytes, key).expect("a fresh copy is read");
        assert_eq!(seen(&back), seen(&ds));
        // Dates keep their windows, not just their text.
        for (a, b) in ds.entities().zip(back.entities()) {
            assert_eq!(a.date, b.date, "{}", a.id);
            assert_eq!(
                a.date.as_ref().map(|d| d.human().to_string()),
                b.date.as_ref().map(|d| d.human().to_string())
            );
        }
        assert_eq!(
            back.entity("lecd").map(|e| &e.id),
            ds.entity("lecd").map(|e| &e.id)
        );
    }

    #[test]
    fn the_bundled_dataset_checked_at_build_time_is_the_bundled_yaml() {
        let (ds, _, _) = bundled();
        let prebuilt = crate::load::bundled().expect("data/ loaded when detente was built");
        assert_eq!(seen(&prebuilt), seen(&ds));
    }

    #[test]
    fn a_changed_file_changes_the_key() {
        let mut files = builtin_files();
        let before = key(&files);
        files[1].text.push(' ');
        assert_ne!(key(&files), before);
        let mut renamed = builtin_files();
        renamed[1].path = renamed[1].path.with_extension("yml");
        assert_ne!(key(&renamed), before);
        assert_eq!(key(&builtin_files()), before);
    }

    #[test]
    fn a_copy_made_from_other_files_is_not_read() {
        let (_, key, bytes) = bundled();
        assert!(read_both(&bytes, Key(key.0 ^ 1)).is_none());
    }

    #[test]
    fn a_truncated_copy_is_not_read() {
        let (_, key, bytes) = bundled();
        for cut in [
            0,
            7,
            HEADER - 1,
            HEADER,
            HEADER + 1,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            assert!(read_both(&bytes[..cut], key).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read_both(&longer, key).is_none());
    }

    #[test]
    fn a_corrupt_copy_is_not_read() {
        let (_, key, bytes) = bundled();
        // A flipped bit anywhere: in the header, or in the payload (where
        // only the checksum notices it).
        for at in [0, 9, 13, 30, 40, HEADER, HEADER + 100, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            assert!(read_both(&bad, key).is_none(), "flipped at {at}");
        }
    }

    #[test]
    fn a_copy_of_another_format_or_a_foreign_file_is_not_read() {
        let (_, key, bytes) = bundled();
        let mut other = bytes.clone();
        other[8..12].copy_from_slice(&(FORMAT + 1).to_le_bytes());
        assert!(read_both(&other, key).is_none());
        assert!(read_both(b"", key).is_none());
        assert!(read_both(&[0u8; 4096], key).is_none());
        assert!(read_both(b"ontology:\n  kinds: {}\n", key).is_none());
    }

    /// A search index kept beside a copy is read back as the index the
    /// dataset would build, and only for the files it was made from.
    #[test]
    fn a_search_index_copy_reads_back_only_for_its_dataset() {
        let (ds, key, bytes) = bundled();
        let index = encode_index(&ds, key);
        let back = decode(&bytes, key).unwrap();
        assert!(decode_index(index.clone(), key, &back));
        assert_eq!(back.folded(), ds.folded());
        assert!(back.folded().is_read());
        let fresh = || decode(&bytes, key).unwrap();
        assert!(!decode_index(index.clone(), Key(key.0 ^ 1), &fresh()));
        // Not a dataset's copy, nor a dataset's copy as an index.
        assert!(decode(&index, key).is_none());
        assert!(!decode_index(bytes.clone(), key, &fresh()));
        for at in [0, 9, 30, HEADER, HEADER + 100, index.len() - 1] {
            let mut bad = index.clone();
            bad[at] ^= 0x10;
            assert!(!decode_index(bad, key, &fresh()), "flipped at {at}");
        }
        assert!(!decode_index(
            index[..index.len() - 1].to_vec(),
            key,
            &fresh()
        ));
        // The index of other data, under this dataset's key and a correct
        // checksum: refused by the check against the dataset.
        let other =
            load(&crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap())
                .unwrap();
        let foreign = encode_index(&other, key);
        assert!(!decode_index(foreign, key, &fresh()));
    }

    /// The index's copy is written without copying its text behind a
    /// header: the same bytes as the header sealed over the payload whole.
    #[test]
    fn a_search_index_copy_is_its_payload_sealed() {
        let (ds, key, _) = bundled();
        let mut whole = vec![0; HEADER];
        ds.folded().write(&mut whole);
        let (header, payload) = whole.split_at_mut(HEADER);
        write_header(header, payload, INDEX_MAGIC, INDEX_FORMAT, key);
        assert_eq!(encode_index(&ds, key), whole);
    }

    /// An index whose table checks out but whose text does not fit an
    /// entity a search matches (as a copy written by a buggy or hostile
    /// program could, under a correct header and checksum) is refused by
    /// that search, which answers from an index built from the dataset.
    #[test]
    fn a_search_index_that_does_not_fit_where_searched_is_refused() {
        let (ds, key, bytes) = bundled();
        let settings = crate::query::SearchOptions {
            text: "dialogue".into(),
            limit: 50,
        }
        .validate()
        .unwrap();
        let answer = |ds: &Dataset| format!("{:?}", crate::query::search(ds, &settings));
        let expected = answer(&ds);
        let sound = encode_index(&ds, key);
        // The field holding the first `dialogue` joined to the next one:
        // the entity still matches, with one field fewer than texts.
        let index = ds.folded();
        let hit = memchr::memmem::find(index.text(), b"dialogue").expect("a match");
        let n = index.entity_at(hit);
        let end = hit + memchr::memchr(b'\n', &index.text()[hit..]).unwrap();
        assert!(end + 1 < index.span(n).1, "not the entity's last field");
        let mut bad = sound.clone();
        bad[HEADER + 4 + 4 * (ds.entities().count() + 1) + end] = b' ';
        let payload = bad[HEADER..].to_vec();
        write_header(&mut bad[..HEADER], &payload, INDEX_MAGIC, INDEX_FORMAT, key);
        let back = decode(&bytes, key).unwrap();
        assert!(decode_index(bad, key, &back), "its table is sound");
        assert!(back.folded().fields(back.graph(), n).is_none());
        assert_eq!(answer(&back), expected);
        assert!(back.folded_refused());
        assert!(!back.folded().is_read(), "built instead");
        // A sound copy is used, and not refused.
        let back = decode(&bytes, key).unwrap();
        assert!(decode_index(sound, key, &back));
        assert_eq!(answer(&back), expected);
        assert!(!back.folded_refused());
        assert!(back.folded().is_read());
    }

    #[test]
    fn a_payload_that_passes_its_checksum_is_still_checked() {
        // A payload that is not a dataset, under a correct header and
        // checksum (as a copy written by a buggy or hostile program would
        // be): refused, not trusted.
        let (_, key, bytes) = bundled();
        let payload = &bytes[HEADER..];
        for bad in [&payload[..payload.len() / 2], &[0xff; 64][..]] {
            let mut copy = bytes[..HEADER].to_vec();
            copy[28..36].copy_from_slice(&(bad.len() as u64).to_le_bytes());
            copy[36..52].copy_from_slice(&xxh3_128(bad).to_le_bytes());
            copy.extend_from_slice(bad);
            assert!(read_both(&copy, key).is_none());
        }
    }

    /// The frames of a copy, each as its bytes with its length before it.
    fn frames(payload: &[u8]) -> Vec<&[u8]> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < payload.len() {
            let n = u32::from_le_bytes(payload[at..at + 4].try_into().unwrap()) as usize;
            out.push(&payload[at..at + 4 + n]);
            at += 4 + n;
        }
        out
    }

    /// A copy read a frame at a time is refused when its frames do not add
    /// up to what its head says, even under a correct header and checksum:
    /// a frame missing, one too many, or the same frame twice.
    #[test]
    fn frames_that_do_not_add_up_are_refused() {
        let (_, key, bytes) = bundled();
        let payload = &bytes[HEADER..];
        let all = frames(payload);
        assert!(all.len() >= 3, "a head, entities and relations");
        assert_eq!(all.concat(), payload);
        let resealed = |frames: &[&[u8]]| {
            let payload = frames.concat();
            let mut out = vec![0; HEADER];
            write_header(&mut out, &payload, MAGIC, FORMAT, key);
            out.extend_from_slice(&payload);
            out
        };
        assert!(read_both(&resealed(&all), key).is_some());
        let last = all.len() - 1;
        let short = &all[..last];
        assert!(
            read_both(&resealed(short), key).is_none(),
            "a frame missing"
        );
        let mut more = all.clone();
        more.push(all[last]);
        assert!(
            read_both(&resealed(&more), key).is_none(),
            "a frame too many"
        );
        let mut twice = all.clone();
        twice.insert(1, all[1]);
        assert!(
            read_both(&resealed(&twice), key).is_none(),
            "entities twice"
        );
        // And read from a stream that gives a few bytes at a time.
        struct Trickle<'a>(&'a [u8]);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let back = read(Trickle(&bytes), key).expect("read in pieces");
        assert_eq!(seen(&back), seen(&bundled().0));
    }

    /// A copy of `ds` for `key` whose frames hold `per` entities, or
    /// relations, each, or the frames `edit` makes of those.
    fn copy_in_frames(
        ds: &Dataset,
        key: Key,
        per: usize,
        edit: impl Fn(&mut Vec<Vec<u8>>),
    ) -> Vec<u8> {
        let mut payload = Vec::new();
        ds.parts().write_frames_of(&mut payload, per);
        let mut all: Vec<Vec<u8>> = frames(&payload).into_iter().map(<[u8]>::to_vec).collect();
        edit(&mut all);
        let payload = all.concat();
        let mut out = vec![0; HEADER];
        write_header(&mut out, &payload, MAGIC, FORMAT, key);
        out.extend_from_slice(&payload);
        out
    }

    /// A frame of `entities`, as the copy writes one.
    fn entity_frame(entities: &[&Entity]) -> Vec<u8> {
        let bytes = postcard::to_stdvec(entities).unwrap();
        let mut frame = (bytes.len() as u32).to_le_bytes().to_vec();
        frame.extend_from_slice(&bytes);
        frame
    }

    /// However a copy is cut into frames, it reads back the same, frame
    /// after frame and on every core (many rounds of a few frames each).
    #[test]
    fn a_copy_in_many_frames_reads_back_the_same() {
        let (ds, key, _) = bundled();
        for per in [1, 2, 3, 7, 64, 1 << 20] {
            let copy = copy_in_frames(&ds, key, per, |_| {});
            let back = read_both(&copy, key).unwrap_or_else(|| panic!("{per} a frame"));
            assert_eq!(seen(&back), seen(&ds));
        }
    }

    /// Entities out of id order, or one twice, are refused whether the
    /// two are in one frame or at the ends of two: an id is found by a
    /// binary search, which order alone makes right.
    #[test]
    fn entities_out_of_order_are_refused() {
        let (ds, key, _) = bundled();
        let entities: Vec<&Entity> = ds.entities().collect();
        let n = entities.len();
        assert!(n > 4);
        // The entity frame (the second; one frame holds them all) with its
        // first two entities swapped.
        let swapped = copy_in_frames(&ds, key, 1 << 20, |frames| {
            let mut order = entities.clone();
            order.swap(0, 1);
            frames[1] = entity_frame(&order);
        });
        assert!(read_both(&swapped, key).is_none(), "swapped in a frame");
        // Two frames, the second beginning with the last of the first (and
        // the last entity left out, so the count is right).
        let repeated = copy_in_frames(&ds, key, 1 << 20, |frames| {
            let half = n / 2;
            frames[1] = entity_frame(&entities[..half]);
            frames.insert(2, entity_frame(&entities[half - 1..n - 1]));
        });
        assert!(
            read_both(&repeated, key).is_none(),
            "repeated across frames"
        );
        // The same cut, sound: read.
        let cut = copy_in_frames(&ds, key, 1 << 20, |frames| {
            let half = n / 2;
            frames[1] = entity_frame(&entities[..half]);
            frames.insert(2, entity_frame(&entities[half..]));
        });
        assert!(read_both(&cut, key).is_some(), "cut soundly");
    }

    /// The key computed while the copy is read decides: another key, or
    /// none (files that could not be read), and nothing is given.
    #[test]
    fn a_copy_read_while_its_key_is_computed_needs_that_key() {
        let (ds, key, bytes) = bundled();
        for parallel in [false, true] {
            let read = |k: Option<Key>| read_with(&bytes[..], || k.map(|k| (k, 7)), Some(parallel));
            let (back, given) = read(Some(key)).expect("its own key");
            assert_eq!((seen(&back), given), (seen(&ds), 7));
            assert!(read(Some(Key(key.0 ^ 1))).is_none());
            assert!(read(None).is_none());
        }
    }

    /// Timeline tables are taken only by a dataset they fit, and only
    /// from a sound copy made for its key.
    #[test]
    fn timeline_tables_are_taken_only_when_sound_and_fitting() {
        let (ds, key, _) = bundled();
        let whole = crate::query::TimelineOptions::default()
            .validate(&ds)
            .unwrap();
        let json = |ds: &Dataset| {
            serde_json::to_string(&crate::query::timeline(ds, &whole).unwrap()).unwrap()
        };
        assert!(encode_timeline_tables(&ds, key).is_none(), "none built yet");
        let expected = json(&ds);
        let bytes = encode_timeline_tables(&ds, key).unwrap();
        let fresh = ds.clone();
        assert!(!decode_timeline_tables(&bytes, Key::from_u128(1), &fresh));
        let mut flipped = bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        assert!(!decode_timeline_tables(&flipped, key, &fresh));
        assert!(!fresh.chrono_built());
        assert!(decode_timeline_tables(&bytes, key, &fresh));
        assert_eq!(json(&fresh), expected);
        // Another dataset under the same key: they do not fit it.
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        let other = load(&files).unwrap();
        assert!(!decode_timeline_tables(&bytes, key, &other));
        assert!(!other.chrono_built());
    }
}
