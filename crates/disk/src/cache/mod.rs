//! The codegen cache: what the generator produced before, so that a
//! regeneration costs what changed.
//!
//! The cache holds facts about the generator, never about the disk: "for
//! the inputs with key K, this generator makes a file whose SHA-1 is H".
//! A file is taken as up to date only when the key of its inputs now is K
//! *and* the file on disk hashes to H; anything else (no record, another
//! key, a hand-edited or missing file) and the file is generated and
//! compared byte for byte as without a cache. So a stale, corrupt or
//! foreign cache costs time, never exactness.
//!
//! Two levels:
//! - a file's key ([`keys`]) hashes the generator's identity, the
//!   [`codegen::Options`], the file's path and exactly the parts of the IR
//!   its emitter is handed ([`codegen::Inputs`]); an unchanged fragment is
//!   neither emitted nor formatted;
//! - a run's key ([`run_key`]) hashes the generator, the options and every
//!   byte of the specs folder; when it matches and the output folder holds
//!   exactly the files the run recorded, nothing is loaded at all
//!   ([`Cache::unchanged_run`]).
//!
//! The generator's identity ([`generator`]) is a hash of the generator's
//! sources, `Cargo.lock` and the compiler version taken at build time
//! (`build.rs`), and of the running executable's path, size and
//! modification time: another build of the generator starts cold.
//!
//! The cache lives in the workspace's `target/` ([`location`]), one file
//! per output folder, written whole beside itself and renamed into place,
//! and checked with a hash of its own text when read.

use crate::out_dir::{CHANGELOG, Folder};
use codegen::{Inputs, Item, Options};
use sha1::{Digest as _, Sha1};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod file;
pub use file::location;

mod generator {
    include!(concat!(env!("OUT_DIR"), "/generator.rs"));
}

/// A SHA-1 digest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(pub [u8; 20]);

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

impl Digest {
    /// The SHA-1 of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha1::digest(bytes).into())
    }

    /// Lower-case hexadecimal.
    pub fn hex(&self) -> String {
        let mut s = String::with_capacity(40);
        for b in self.0 {
            let _ = write!(s, "{b:02x}");
        }
        s
    }

    fn parse(hex: &str) -> Option<Digest> {
        if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut out = [0; 20];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Digest(out))
    }
}

/// A SHA-1 being computed, fed with labelled fields so that no two
/// different sequences of fields hash the same bytes.
struct Hasher(Sha1);

impl Hasher {
    fn new(domain: &str) -> Hasher {
        let mut h = Hasher(Sha1::new());
        h.bytes(domain.as_bytes());
        h
    }

    /// A length-prefixed field.
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.update((b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }

    fn digest(&mut self, d: &Digest) -> &mut Self {
        self.0.update(d.0);
        self
    }

    fn finish(self) -> Digest {
        Digest(self.0.finalize().into())
    }
}

/// The SHA-1 of a value's JSON text. The IR is plain `Serialize` data
/// (what the insta snapshots show), so equal JSON means equal inputs.
fn json_digest<T: serde::Serialize + ?Sized>(value: &T, buf: &mut Vec<u8>) -> Digest {
    buf.clear();
    // Writing the IR into memory cannot fail: no map has non-string keys.
    serde_json::to_writer(&mut *buf, value).expect("the IR serializes as JSON");
    Digest::of(buf)
}

/// The generator's identity: its sources at build time and the running
/// executable (see the module docs).
pub fn generator() -> Digest {
    let mut h = Hasher::new("iot-explorer codegen generator 1");
    h.bytes(&generator::SOURCES);
    match std::env::current_exe().and_then(|exe| {
        let meta = std::fs::metadata(&exe)?;
        Ok((exe, meta))
    }) {
        Ok((exe, meta)) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            h.bytes(exe.as_os_str().as_encoded_bytes())
                .bytes(&meta.len().to_le_bytes())
                .bytes(&modified.to_le_bytes());
        }
        // Without an executable to name, the sources alone.
        Err(_) => {
            h.bytes(b"no executable");
        }
    }
    h.finish()
}

/// The digest of the options every file may depend on.
fn options_digest(options: &Options) -> Digest {
    // No `..`: a new option does not compile until it is hashed.
    let Options {
        runtime_path,
        standalone,
        readme_doctests,
    } = options;
    let mut buf = Vec::new();
    json_digest(&(runtime_path, standalone, readme_doctests), &mut buf)
}

/// The key of every file codegen makes from `api`, by path.
pub fn keys(
    generator: &Digest,
    api: &apidoc::ir::Api,
    options: &Options,
) -> BTreeMap<String, Digest> {
    // No `..`: a new part of the IR does not compile until it is hashed.
    let apidoc::ir::Api {
        service,
        actions,
        structs,
        error_codes,
        session,
        channel,
    } = api;
    let mut buf = Vec::new();
    let service = json_digest(service, &mut buf);
    let errors = json_digest(error_codes, &mut buf);
    let session = json_digest(session, &mut buf);
    let channel = json_digest(channel, &mut buf);
    // Each action as its own file reads it, and as the lists of actions
    // read it: without its prose (`codegen::without_docs`).
    let (action_digests, prose_free): (Vec<Digest>, Vec<Digest>) =
        apidoc::par::chunks(actions, PAR_MIN, |chunk| {
            let mut buf = Vec::new();
            chunk
                .iter()
                .map(|a| {
                    let whole = json_digest(a, &mut buf);
                    (whole, json_digest(&codegen::without_docs(a), &mut buf))
                })
                .collect()
        })
        .into_iter()
        .unzip();
    let struct_digests = digests(structs);
    let list = |ds: &[Digest]| {
        let mut h = Hasher::new("list");
        h.bytes(&(ds.len() as u64).to_le_bytes());
        for d in ds {
            h.digest(d);
        }
        h.finish()
    };
    let (all_actions, all_structs) = (list(&action_digests), list(&struct_digests));
    let all_actions_without_docs = list(&prose_free);
    let by_address = |items: &[Digest], at: usize| items[at];
    let options = options_digest(options);
    codegen::inputs(api)
        .into_iter()
        .map(|Inputs { path, parts, item }| {
            let mut h = Hasher::new("file 1");
            h.digest(generator)
                .digest(&options)
                .bytes(path.as_bytes())
                .digest(&service);
            let codegen::Parts {
                actions: with_actions,
                action_docs: with_docs,
                structs: with_structs,
                error_codes: with_errors,
                session: with_session,
                channel: with_channel,
            } = parts;
            let actions_view = if with_docs {
                &all_actions
            } else {
                &all_actions_without_docs
            };
            h.bytes(&[u8::from(with_docs)]);
            for (with, d) in [
                (with_actions, actions_view),
                (with_structs, &all_structs),
                (with_errors, &errors),
                (with_session, &session),
                (with_channel, &channel),
            ] {
                h.bytes(&[u8::from(with)]);
                if with {
                    h.digest(d);
                }
            }
            match item {
                Item::None => h.bytes(b"none"),
                Item::Action(a) => {
                    let at = index_of(actions, a);
                    h.bytes(b"action").digest(&by_address(&action_digests, at))
                }
                Item::Struct(s) => {
                    let at = index_of(structs, s);
                    h.bytes(b"struct").digest(&by_address(&struct_digests, at))
                }
            };
            (path, h.finish())
        })
        .collect()
}

/// Where `item` (a reference into `items`) is in it.
fn index_of<T>(items: &[T], item: &T) -> usize {
    let size = std::mem::size_of::<T>().max(1);
    let offset = (item as *const T as usize).wrapping_sub(items.as_ptr() as usize) / size;
    assert!(
        offset < items.len() && std::ptr::eq(&items[offset], item),
        "codegen::inputs hands out references into the IR"
    );
    offset
}

/// The SHA-1 of each generated file's contents, by path.
pub fn digests_of(generated: &[codegen::File]) -> BTreeMap<String, Digest> {
    let digests = apidoc::par::map(generated, PAR_MIN_FILES, |f| {
        Digest::of(f.contents.as_bytes())
    });
    generated
        .iter()
        .map(|f| f.path.clone())
        .zip(digests)
        .collect()
}

/// Below this many files hashing is not worth a thread (a file is a few
/// kilobytes).
const PAR_MIN_FILES: usize = 32;

/// Below this many parts of the IR a digest is not worth a thread (an
/// action is a few microseconds of JSON).
const PAR_MIN: usize = 32;

/// The JSON digest of each item.
fn digests<T: serde::Serialize + Sync>(items: &[T]) -> Vec<Digest> {
    apidoc::par::chunks(items, PAR_MIN, |chunk| {
        let mut buf = Vec::new();
        chunk.iter().map(|i| json_digest(i, &mut buf)).collect()
    })
}

/// The key of a whole run: the generator, the options, every file of the
/// specs folder (path and bytes), and `extra` (what else the caller's
/// output depends on, such as the lock file it copies, or how it renders
/// the specs' warnings).
pub fn run_key(
    generator: &Digest,
    options: &Options,
    sources: &apidoc::Sources,
    extra: &[&[u8]],
) -> Digest {
    let mut h = Hasher::new("run 1");
    h.digest(generator).digest(&options_digest(options));
    // No `..`: a new input of the loader does not compile until it is
    // hashed.
    let apidoc::Sources {
        pages,
        service,
        overrides,
    } = sources;
    let file = |h: &mut Hasher, f: &apidoc::InputFile| {
        let apidoc::InputFile { path, bytes } = f;
        h.bytes(path.as_bytes()).bytes(bytes);
    };
    h.bytes(&(pages.len() as u64).to_le_bytes());
    for page in pages {
        file(&mut h, page);
    }
    for f in [service, overrides] {
        match f {
            Some(f) => file(h.bytes(b"some"), f),
            None => {
                h.bytes(b"none");
            }
        }
    }
    h.bytes(&(extra.len() as u64).to_le_bytes());
    for e in extra {
        h.bytes(e);
    }
    h.finish()
}

/// What a whole run produced, recorded under its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// [`run_key`] of the run.
    pub key: Digest,
    /// Every file of the output and the SHA-1 of its contents.
    pub outputs: BTreeMap<String, Digest>,
    /// What the run printed about the specs (their warnings), to print
    /// again when it is skipped.
    pub note: String,
    /// How many warnings the specs had.
    pub warnings: usize,
}

/// One file's record: the key of its inputs and the SHA-1 of the file the
/// generator made from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: Digest,
    output: Digest,
}

/// The cache of one output folder. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    generator: Digest,
    files: BTreeMap<String, Entry>,
    run: Option<Run>,
}

impl Cache {
    /// An empty cache of this generator.
    pub fn empty(generator: Digest) -> Cache {
        Cache {
            generator,
            files: BTreeMap::new(),
            run: None,
        }
    }

    /// The generator this cache is for.
    pub fn generator(&self) -> &Digest {
        &self.generator
    }

    /// How many files it has records of.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether it has no record.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.run.is_none()
    }

    /// The paths of `keys` whose file in `folder` is, byte for byte, what
    /// the generator made from the same key before.
    pub fn unchanged(&self, keys: &BTreeMap<String, Digest>, folder: &Folder) -> BTreeSet<PathBuf> {
        let candidates: Vec<(&String, Digest)> = keys
            .iter()
            .filter_map(|(path, key)| {
                let e = self.files.get(path).filter(|e| e.key == *key)?;
                Some((path, e.output))
            })
            .collect();
        let same = apidoc::par::map(&candidates, PAR_MIN_FILES, |(path, output)| {
            folder.digest(Path::new(path)) == Some(*output)
        });
        candidates
            .iter()
            .zip(same)
            .filter(|(_, same)| *same)
            .map(|((path, ..), _)| PathBuf::from(path))
            .collect()
    }

    /// Records what this run made: `keys` for every file, and for each
    /// generated file the digest of its contents; files in `unchanged`
    /// keep their records. Files no longer generated are forgotten.
    pub fn record(&mut self, keys: &BTreeMap<String, Digest>, generated: &[codegen::File]) {
        self.record_digests(keys, &digests_of(generated));
    }

    /// [`Cache::record`] given the digest of each generated file's
    /// contents ([`digests_of`]), which the caller also needs.
    pub fn record_digests(
        &mut self,
        keys: &BTreeMap<String, Digest>,
        made: &BTreeMap<String, Digest>,
    ) {
        let mut files = BTreeMap::new();
        for (path, key) in keys {
            let entry = match made.get(path.as_str()) {
                Some(output) => Entry {
                    key: *key,
                    output: *output,
                },
                None => match self.files.get(path) {
                    Some(e) if e.key == *key => *e,
                    // Neither made now nor known: nothing to record.
                    _ => continue,
                },
            };
            files.insert(path.clone(), entry);
        }
        self.files = files;
    }

    /// Records a whole run: its key, every file it produced (the contents
    /// of each: generated now or found unchanged), and what it printed.
    pub fn record_run(&mut self, run: Run) {
        self.run = Some(run);
    }

    /// The recorded run, if its key is `key` and `folder` holds exactly
    /// its outputs: every generated file there (`CHANGELOG.md` aside)
    /// hashes as recorded, none is missing, and no interrupted run left
    /// files behind.
    pub fn unchanged_run(&self, key: &Digest, folder: &Folder) -> Option<&Run> {
        let run = self.run.as_ref().filter(|r| r.key == *key)?;
        if folder.has_leftovers() {
            return None;
        }
        let mut files = Vec::new();
        for rel in folder.paths() {
            if rel != Path::new(CHANGELOG) {
                files.push((*run.outputs.get(rel.to_str()?)?, rel));
            }
        }
        let same = apidoc::par::map(&files, PAR_MIN_FILES, |(recorded, rel)| {
            folder.digest(rel) == Some(*recorded)
        });
        (files.len() == run.outputs.len() && same.into_iter().all(|s| s)).then_some(run)
    }
}
