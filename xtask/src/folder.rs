//! A specs folder held in memory, by path, so that `import` can build the
//! would-be specs and load them before anything is written.
//!
//! Reading is `apidoc::read_dir` and loading is `apidoc::parse` (via
//! `apidoc::load_with_overrides`): this module has no walker of its own.
//! Links follow `apidoc::read_dir`'s two policies: in a specs folder a
//! symbolic link is an error; in a folder of published pages it is
//! skipped and reported, never imported ([`Folder::read_published`]).

use anyhow::Context;
use std::collections::BTreeMap;
use std::path::Path;

/// Pages by path relative to the folder, with `/` separators.
pub type Pages = BTreeMap<String, Vec<u8>>;

#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// Every page `apidoc::read_dir` reads, sub-folders included.
    pub pages: Pages,
    /// `service.toml`, if there is one.
    pub service: Option<Vec<u8>>,
    /// `overrides.toml`, if there is one.
    pub overrides: Option<Vec<u8>>,
}

impl From<apidoc::Sources> for Folder {
    fn from(sources: apidoc::Sources) -> Folder {
        Folder {
            pages: sources
                .pages
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect(),
            service: sources.service.map(|f| f.bytes),
            overrides: sources.overrides.map(|f| f.bytes),
        }
    }
}

impl Folder {
    /// Reads a folder with `apidoc::read_dir`.
    pub fn read(dir: &Path) -> anyhow::Result<Folder> {
        let sources =
            apidoc::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        Ok(sources.into())
    }

    /// Reads a folder of published pages without reading through its
    /// symbolic links: they are returned apart (by path), and their pages
    /// are left out. A special file (a FIFO), or a page-named link to
    /// anything but a file, is an error found before anything is read,
    /// with every such entry named at once.
    pub fn read_published(dir: &Path) -> anyhow::Result<(Folder, Vec<String>)> {
        let mut links = Vec::new();
        let mut unsafe_entries = Vec::new();
        disk::walk::walk_each(dir, &|_| false, &mut |e| {
            let rel = e.rel.to_string_lossy().replace('\\', "/");
            match e.kind {
                disk::walk::Kind::Symlink => {
                    if apidoc::is_page_path(&rel)
                        && !std::fs::metadata(dir.join(&e.rel)).is_ok_and(|m| m.is_file())
                    {
                        unsafe_entries
                            .push(format!("{rel} (a link to something that is not a file)"));
                    }
                    links.push(rel);
                }
                disk::walk::Kind::Other if apidoc::is_page_path(&rel) => {
                    unsafe_entries.push(format!("{rel} (not a regular file)"));
                }
                _ => {}
            }
            Ok(true)
        })
        .with_context(|| format!("reading {}", dir.display()))?;
        if !unsafe_entries.is_empty() {
            anyhow::bail!(
                "{} has entries that cannot be skipped safely, remove them: {}",
                dir.display(),
                unsafe_entries.join(", ")
            );
        }
        let sources = apidoc::read_dir_with(dir, apidoc::Links::Skip)
            .with_context(|| format!("reading {}", dir.display()))?;
        Ok((sources.into(), links))
    }

    /// A folder from its files by relative path: pages, and the settings
    /// files at the top; anything else is ignored, as `read_dir` does.
    pub fn from_files(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Folder {
        let mut folder = Folder::default();
        for (path, bytes) in files {
            if path == apidoc::SERVICE_FILE {
                folder.service = Some(bytes);
            } else if path == apidoc::overrides::FILE {
                folder.overrides = Some(bytes);
            } else if apidoc::is_page_path(&path) {
                folder.pages.insert(path, bytes);
            }
        }
        folder
    }

    /// Loads the folder with its overrides, as `apidoc::load_dir` would.
    pub fn load(&self) -> apidoc::Loaded {
        self.load_as(&|path| path.to_string())
    }

    /// Loads the pages only with `service.toml`: the names the pages
    /// themselves give their actions, before any `[[action]]` rename.
    pub fn load_without_overrides(&self) -> apidoc::Loaded {
        let label = |p: &str| p.to_string();
        apidoc::load(self.inputs(&label), self.service_input(&label))
    }

    /// Loads the folder with every file shown as `label(path)` in
    /// diagnostics. The IR is only right when `label` keeps the path order.
    pub fn load_as(&self, label: &dyn Fn(&str) -> String) -> apidoc::Loaded {
        let overrides = self.overrides.clone().map(|bytes| apidoc::InputFile {
            path: label(apidoc::overrides::FILE),
            bytes,
        });
        apidoc::load_with_overrides(self.inputs(label), self.service_input(label), overrides)
    }

    fn inputs(&self, label: &dyn Fn(&str) -> String) -> Vec<apidoc::InputFile> {
        self.pages
            .iter()
            .map(|(path, bytes)| apidoc::InputFile {
                path: label(path),
                bytes: bytes.clone(),
            })
            .collect()
    }

    fn service_input(&self, label: &dyn Fn(&str) -> String) -> Option<apidoc::InputFile> {
        self.service.clone().map(|bytes| apidoc::InputFile {
            path: label(apidoc::SERVICE_FILE),
            bytes,
        })
    }
}

/// Renders the errors of a load (warnings are for `cargo xtask lint`) and
/// the summary of every diagnostic.
pub fn render_errors(loaded: &apidoc::Loaded) -> String {
    use std::io::IsTerminal;
    let renderer = crate::renderer(std::io::stderr().is_terminal());
    let mut text = String::new();
    for d in loaded
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == apidoc::Severity::Error)
    {
        text.push_str(&d.render(&loaded.db, &renderer));
        text.push_str("\n\n");
    }
    text.push_str(&loaded.diagnostics.summary());
    text
}
