//! A specs folder as it was at a git revision, read with the `git` of the
//! repository that contains it.

use crate::folder::Folder;
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
    let mut paths = Vec::new();
    let mut objects = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        // `<mode> <type> <object>\t<path>`
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            bail!("unexpected `git ls-tree` line: {entry}")
        };
        let mut meta = meta.split(' ');
        // Files only: a committed symbolic link (120000) is not read.
        let (Some("100644" | "100755"), Some("blob"), Some(object)) =
            (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        let wanted = apidoc::is_page_path(path)
            || path == apidoc::SERVICE_FILE
            || path == apidoc::overrides::FILE;
        if wanted {
            paths.push(path.to_string());
            objects.push(object.to_string());
        }
    }
    let blobs = blobs(dir, &objects)?;
    Ok((!paths.is_empty()).then(|| Folder::from_files(paths.into_iter().zip(blobs))))
}

/// Whether `dir` is inside a git work tree (false when git is missing).
pub fn in_work_tree(dir: &Path) -> bool {
    run(dir, &["rev-parse", "--is-inside-work-tree"])
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

/// The contents of blobs, in order, from one `git cat-file --batch`.
fn blobs(dir: &Path, objects: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
    use std::io::Write as _;
    use std::process::Stdio;
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running git in {}", dir.display()))?;
    let mut stdin = child.stdin.take().context("git's standard input")?;
    let input: String = objects.iter().map(|o| format!("{o}\n")).collect();
    // Written from another thread: git's output could fill its pipe first.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output()?;
    let written = writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to git panicked"))?;
    if !out.status.success() {
        bail!(
            "`git cat-file --batch` failed in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    written.context("writing to `git cat-file --batch`")?;
    let mut rest = out.stdout.as_slice();
    let mut blobs = Vec::with_capacity(objects.len());
    for object in objects {
        // `<object> blob <size>\n<contents>\n`
        let bad = || anyhow::anyhow!("unexpected `git cat-file --batch` output for {object}");
        let end = rest.iter().position(|&b| b == b'\n').ok_or_else(bad)?;
        let header = std::str::from_utf8(&rest[..end]).map_err(|_| bad())?;
        let size: usize = match header.split(' ').collect::<Vec<_>>()[..] {
            [_, "blob", size] => size.parse().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        let body = rest.get(end + 1..end + 1 + size).ok_or_else(bad)?;
        blobs.push(body.to_vec());
        rest = rest.get(end + 2 + size..).unwrap_or_default();
    }
    Ok(blobs)
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
