//! A specs folder as it was at a git revision, read with the `git` of the
//! repository that contains it.

use crate::folder::{Folder, is_page};
use anyhow::{Context, bail};
use std::path::Path;
use std::process::Command;

/// The folder `dir` (in the working tree) as committed at `rev`, or `None`
/// if `rev` has no such folder.
pub fn folder_at(dir: &Path, rev: &str) -> anyhow::Result<Option<Folder>> {
    let verify = format!("{rev}^{{commit}}");
    let out = run(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &verify,
        ],
    )?;
    if !out.status.success() {
        // `--quiet` says nothing for a revision that does not exist; git's
        // own message (not a repository, ...) is kept when there is one.
        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
        bail!(
            "`{rev}` is not a commit of the repository that contains {}{}",
            dir.display(),
            if why.is_empty() {
                String::new()
            } else {
                format!(": {why}")
            }
        );
    }
    let commit = String::from_utf8(out.stdout)?;
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
    let out = run(dir, args)?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
        bail!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            dir.display(),
            if why.is_empty() {
                out.status.to_string()
            } else {
                why
            }
        );
    }
    Ok(out.stdout)
}

/// Runs git in `dir`, whatever its exit status.
fn run(dir: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .with_context(|| format!("running git in {}", dir.display()))
}
