//! Interface docs (Markdown) -> page model -> IR.
//!
//! The entry point is [`load_dir`] (or [`load`] for files already in
//! memory). Loading never stops at the first problem: it returns the IR it
//! could build together with every [`Diagnostic`], and the caller decides
//! whether errors stop the run. Nothing here knows about Rust syntax.

#![deny(missing_docs)]

pub mod diagnostic;
pub mod examples;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod overrides;
pub mod page;
pub mod par;
pub mod service;
pub mod source;
pub mod types;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use service::ServiceConfig;
pub use source::{FileId, SourceDb, SourceFile, Span};

use std::path::{Path, PathBuf};

/// A file handed to [`load`]: its path relative to the specs folder and its bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// Raw contents; need not be UTF-8 (that is reported).
    pub bytes: Vec<u8>,
}

/// Everything a load produced.
#[derive(Debug)]
pub struct Loaded {
    /// The files read, for rendering diagnostics.
    pub db: SourceDb,
    /// The IR; complete only if `diagnostics` has no errors.
    pub api: ir::Api,
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// The settings it was built with: `service.toml` or the defaults.
    pub service: ServiceConfig,
}

/// Name of the settings file in a specs folder.
pub const SERVICE_FILE: &str = "service.toml";

/// Whether [`read_dir`] reads the file at `path` as a page: `.md` and
/// `.txt` files (the published folder has both). Callers that get files
/// from elsewhere (git) use it to pick the same ones.
pub fn is_page_path(path: impl AsRef<Path>) -> bool {
    path.as_ref()
        .extension()
        .is_some_and(|e| e == "md" || e == "txt")
}

/// The files of a specs folder, read but not yet decoded.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The pages, in path order.
    pub pages: Vec<InputFile>,
    /// `service.toml`, if present.
    pub service: Option<InputFile>,
    /// `overrides.toml`, if present.
    pub overrides: Option<InputFile>,
}

impl Sources {
    /// Total bytes of the pages.
    pub fn page_bytes(&self) -> usize {
        self.pages.iter().map(|f| f.bytes.len()).sum()
    }
}

/// What [`read_dir_with`] does with a symbolic link inside the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// An error naming the link. The specs are read as git holds them, so
    /// a link would make the crate depend on whatever it points to, even
    /// outside the folder; and `import` never writes through one.
    Refuse,
    /// Left out unread, for a folder of published pages, whose caller
    /// lists the links it skips.
    Skip,
}

/// Stage one: reads every `.md` and `.txt` file under `dir` (sub-folders
/// included, in path order; pages are told apart by content, not by name),
/// and `service.toml` and `overrides.toml` if present.
///
/// `dir` itself may be a link (a path the user gives is resolved), but
/// nothing inside it is followed: a symbolic link is an error naming it
/// ([`Links::Refuse`]), and so is anything that is neither a regular file
/// nor a folder (a FIFO, a socket, a device), and a folder named like a
/// page or a settings file (`structures.md/`). Each entry's type is checked
/// without opening it, so a FIFO cannot make the read wait forever.
pub fn read_dir(dir: &Path) -> std::io::Result<Sources> {
    read_dir_with(dir, Links::Refuse)
}

/// [`read_dir`], with a choice of what a symbolic link inside `dir` is.
pub fn read_dir_with(dir: &Path, links: Links) -> std::io::Result<Sources> {
    let mut found = Vec::new();
    let walked = collect(dir, dir, links, &mut found);
    // The pages are read on every core once the walk is done; the error
    // reported is the first a walk that read each page as it found it
    // would meet: a page's, then the walk's own.
    let read = par::map(&found, 16, |(_, path)| std::fs::read(path));
    let mut pages = Vec::with_capacity(found.len());
    for ((path, _), bytes) in found.into_iter().zip(read) {
        pages.push(InputFile {
            path,
            bytes: bytes?,
        });
    }
    walked?;
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let optional = |name: &str| -> std::io::Result<Option<InputFile>> {
        let path = dir.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) => Ok(match kind(&path, meta.file_type(), links)? {
                Kind::File => Some(InputFile {
                    path: name.into(),
                    bytes: std::fs::read(&path)?,
                }),
                Kind::Folder => return Err(unreadable(&path, "a folder, not a file")),
                Kind::Skipped => None,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    };
    Ok(Sources {
        pages,
        service: optional(SERVICE_FILE)?,
        overrides: optional(overrides::FILE)?,
    })
}
/// All three stages for a folder: [`read_dir`], [`parse`], [`Parsed::finish`].
/// Without a `service.toml` the IoT Explorer defaults apply.
pub fn load_dir(dir: &Path) -> std::io::Result<Loaded> {
    Ok(parse(read_dir(dir)?).finish())
}

/// What an entry of a specs folder is, from its type alone.
enum Kind {
    File,
    Folder,
    /// A link, under [`Links::Skip`].
    Skipped,
}

/// The entry's kind, or the error that refuses it. `file_type` comes from
/// the folder listing or `symlink_metadata`: nothing is opened or followed.
fn kind(path: &Path, file_type: std::fs::FileType, links: Links) -> std::io::Result<Kind> {
    if file_type.is_symlink() {
        match links {
            Links::Skip => Ok(Kind::Skipped),
            Links::Refuse => Err(unreadable(
                path,
                "a symbolic link; the specs are read without following links: put the file or folder it points to in its place",
            )),
        }
    } else if file_type.is_dir() {
        Ok(Kind::Folder)
    } else if file_type.is_file() {
        Ok(Kind::File)
    } else {
        Err(unreadable(
            path,
            "not a regular file (a FIFO, socket or device); a specs folder holds only files and folders",
        ))
    }
}

fn unreadable(path: &Path, why: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{}: {why}", path.display()),
    )
}

/// Finds the pages under `dir`: each one's path relative to `root` (with
/// `/`) and its path to read. On an error, `out` holds the pages found
/// before it.
fn collect(
    root: &Path,
    dir: &Path,
    links: Links,
    out: &mut Vec<(String, PathBuf)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        match kind(&path, entry.file_type()?, links)? {
            // Read as a folder, a `structures.md/` would leave the crate
            // without its structures and say nothing.
            Kind::Folder if is_page_path(&path) => {
                return Err(unreadable(
                    &path,
                    "a folder named like a page (`.md` or `.txt`); pages are files",
                ));
            }
            Kind::Folder => collect(root, &path, links, out)?,
            Kind::File if is_page_path(&path) => {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path));
            }
            Kind::File | Kind::Skipped => {}
        }
    }
    Ok(())
}

/// Loads pages already in memory.
pub fn load(files: Vec<InputFile>, service: Option<InputFile>) -> Loaded {
    load_with_overrides(files, service, None)
}

/// Loads pages already in memory, with `service.toml` and `overrides.toml`.
pub fn load_with_overrides(
    files: Vec<InputFile>,
    service: Option<InputFile>,
    overrides: Option<InputFile>,
) -> Loaded {
    parse(Sources {
        pages: files,
        service,
        overrides,
    })
    .finish()
}

/// Decoded files, settings and page models: everything before lowering.
#[derive(Debug)]
pub struct Parsed {
    /// The files, for spans.
    pub db: SourceDb,
    /// One page model per readable page.
    pub pages: Vec<(FileId, page::Page)>,
    /// `service.toml` or the defaults.
    pub config: ServiceConfig,
    /// `overrides.toml`, if present and valid.
    pub overrides: Option<(FileId, overrides::Overrides)>,
    /// Problems found so far (bad UTF-8, bad settings files).
    pub diagnostics: Diagnostics,
}

/// Stage two: decodes the files, reads the settings and parses every page.
pub fn parse(sources: Sources) -> Parsed {
    let mut db = SourceDb::default();
    let mut diagnostics = Diagnostics::default();
    let config = match sources
        .service
        .and_then(|f| decode(&mut db, &mut diagnostics, f))
    {
        None => ServiceConfig::default(),
        Some(id) => {
            let (config, problems) = ServiceConfig::parse(id, &db.get(id).text);
            for d in problems {
                diagnostics.push(d);
            }
            config
        }
    };
    let overrides = sources
        .overrides
        .and_then(|f| decode(&mut db, &mut diagnostics, f))
        .and_then(|id| match overrides::parse(id, &db.get(id).text) {
            Ok(o) => Some((id, o)),
            Err(d) => {
                diagnostics.push(*d);
                None
            }
        });
    let ids: Vec<FileId> = sources
        .pages
        .into_iter()
        .filter_map(|f| decode(&mut db, &mut diagnostics, f))
        .collect();
    let pages = par::map(&ids, 8, |&id| (id, page::parse(&db.get(id).text)));
    if pages.is_empty() && !diagnostics.has_errors() {
        diagnostics.push(Diagnostic::warning(
            "no-pages",
            "no `.md` or `.txt` pages found: the generated crate will have no actions",
        ));
    }
    Parsed {
        db,
        pages,
        config,
        overrides,
        diagnostics,
    }
}

impl Parsed {
    /// Stage three: pages -> IR, with every diagnostic of the load. Leaves
    /// `self` as it was, so it can be timed on its own.
    pub fn lower(&self) -> (ir::Api, Diagnostics) {
        let mut diagnostics = self.diagnostics.clone();
        let overrides = self.overrides.as_ref().map(|(id, o)| (*id, o));
        let api = lower::lower(
            &self.db,
            &self.pages,
            &self.config,
            overrides,
            &mut diagnostics,
        );
        (api, diagnostics)
    }

    /// Stage three, keeping the files for rendering diagnostics.
    pub fn finish(self) -> Loaded {
        let (api, diagnostics) = self.lower();
        Loaded {
            db: self.db,
            api,
            diagnostics,
            service: self.config,
        }
    }
}

/// Adds a file to the db; a file that is not UTF-8 is added lossily so the
/// error can show where the bad byte is, and is not parsed.
fn decode(db: &mut SourceDb, diags: &mut Diagnostics, f: InputFile) -> Option<FileId> {
    match String::from_utf8(f.bytes) {
        Ok(text) => Some(db.add(SourceFile::new(f.path, text))),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Lossy decoding keeps every valid byte before the bad one in place.
            let id = db.add(SourceFile::new(f.path, lossy));
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    "file is not valid UTF-8: expected UTF-8 Markdown",
                )
                .at(Span::new(id, at..at + 1))
                .label("invalid byte here"),
            );
            None
        }
    }
}
