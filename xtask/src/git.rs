//! A specs folder as it was at a git revision, read with the `git` of the
//! repository that contains it.

use crate::folder::{Folder, is_page};
use anyhow::{Context, bail};
use std::path::Path;
use std::process::Command;

/// The folder `dir` (in the working tree) as committed at `rev`, or `None`
/// if `rev` has no such folder.
pub fn folder_at(dir: &Path, rev: &str) -> anyhow::Result<Option<Folder>> {
    let commit = String::from_utf8(
        git(
            dir,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .with_context(|| {
            format!(
                "`{rev}` is not a commit of the repository that contains {}",
                dir.display()
            )
        })?,
    )?;
    let commit = commit.trim();
    // Run inside `dir`, `ls-tree` lists only that folder, relative to it.
    let listing = git(dir, &["ls-tree", "-r", "-z", commit, "--", "."])?;
    let mut files = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        // `<mode> <type> <object>\t<path>`
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            bail!("unexpected `git ls-tree` line: {entry}")
        };
        let mut meta = meta.split(' ');
        let (Some(_mode), Some("blob"), Some(object)) = (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        let wanted =
            is_page(path) || path == apidoc::SERVICE_FILE || path == apidoc::overrides::FILE;
        if wanted {
            files.push((path.to_string(), git(dir, &["cat-file", "blob", object])?));
        }
    }
    Ok((!files.is_empty()).then(|| Folder::from_files(files)))
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .with_context(|| format!("running git in {}", dir.display()))?;
    if !out.status.success() {
        bail!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}
