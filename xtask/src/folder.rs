//! A specs folder held in memory: its pages and its two settings files,
//! read from disk or from git, and loaded exactly as `apidoc::load_dir`
//! loads a folder. `import` builds the would-be specs as one of these, so
//! it can check them before anything is written.

use anyhow::Context;
use std::collections::BTreeMap;
use std::path::Path;

/// Pages by path relative to the folder, with `/` separators.
pub type Pages = BTreeMap<String, Vec<u8>>;

#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// Every `.md` and `.txt` file, sub-folders included.
    pub pages: Pages,
    /// `service.toml`, if there is one.
    pub service: Option<Vec<u8>>,
    /// `overrides.toml`, if there is one.
    pub overrides: Option<Vec<u8>>,
}

/// The files `apidoc::load_dir` reads as pages.
pub fn is_page(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".txt")
}

impl Folder {
    /// Reads a folder the way `apidoc::load_dir` does.
    pub fn read(dir: &Path) -> anyhow::Result<Folder> {
        let mut pages = Pages::new();
        collect(dir, dir, &mut pages).with_context(|| format!("reading {}", dir.display()))?;
        let optional = |name: &str| match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", dir.join(name).display())),
        };
        Ok(Folder {
            pages,
            service: optional(apidoc::SERVICE_FILE)?,
            overrides: optional(apidoc::overrides::FILE)?,
        })
    }

    /// A folder from its files by relative path: pages, and the settings
    /// files at the top; anything else is ignored, as `load_dir` does.
    pub fn from_files(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Folder {
        let mut folder = Folder::default();
        for (path, bytes) in files {
            if path == apidoc::SERVICE_FILE {
                folder.service = Some(bytes);
            } else if path == apidoc::overrides::FILE {
                folder.overrides = Some(bytes);
            } else if is_page(&path) {
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
        apidoc::load(
            self.inputs(&|p| p.to_string()),
            self.service_input(&|p| p.to_string()),
        )
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

fn collect(root: &Path, dir: &Path, out: &mut Pages) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = relative(root, &path);
            if is_page(&rel) {
                out.insert(rel, std::fs::read(&path)?);
            }
        }
    }
    Ok(())
}

/// `path` relative to `root`, with `/` separators.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
