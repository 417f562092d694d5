//! All or nothing: every change set is checked first, and a failure at any
//! step leaves the tree byte for byte (and mode for mode) as it was.

#![cfg(unix)]

use disk::{Change, FailingFs, RealFs, prepare};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Everything under `dir`: files with bytes and mode, folders with mode,
/// links with their target; never following a link.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let mode = m.permissions().mode() & 0o7777;
            let v = if m.file_type().is_symlink() {
                format!("link -> {}", std::fs::read_link(&p).unwrap().display())
            } else if m.is_dir() {
                stack.push(p.clone());
                format!("dir {mode:o}")
            } else {
                format!("file {mode:o} {:?}", std::fs::read(&p).unwrap())
            };
            out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), v);
        }
    }
    out
}

fn set_mode(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A folder with files to replace, keep and remove.
fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("src/actions")).unwrap();
    std::fs::write(root.join("Cargo.toml"), "old manifest").unwrap();
    std::fs::write(root.join("src/lib.rs"), "old lib").unwrap();
    set_mode(&root.join("src/lib.rs"), 0o640);
    std::fs::write(root.join("src/actions/gone.rs"), "gone").unwrap();
    std::fs::write(root.join("src/keep.rs"), "keep").unwrap();
    tmp
}

fn changes(root: &Path) -> Vec<Change> {
    vec![
        Change::write(root, "Cargo.toml", "new manifest"),
        Change::write(root, "src/lib.rs", "new lib"),
        Change::write(root, "src/actions/new.rs", "new action"),
        Change::write(root, "src/structs/deep/s.rs", "new struct"),
        Change::remove(root, "src/actions/gone.rs"),
        Change::remove(root, "src/never-there.rs"),
    ]
}

#[test]
fn a_good_change_set_is_applied_and_keeps_permissions() {
    let tmp = fixture();
    let root = tmp.path();
    let prepared = prepare(changes(root)).unwrap();
    assert_eq!(prepared.len(), 5, "removing a missing file is dropped");
    let applied = prepared.apply(&mut RealFs).unwrap();
    assert_eq!(applied.changed, 5);
    assert!(applied.leftovers.is_empty());
    let after = tree(root);
    assert_eq!(
        std::fs::read_to_string(root.join("src/lib.rs")).unwrap(),
        "new lib"
    );
    assert_eq!(
        after[Path::new("src/lib.rs")],
        format!("file 640 {:?}", b"new lib")
    );
    assert!(!root.join("src/actions/gone.rs").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("src/structs/deep/s.rs")).unwrap(),
        "new struct"
    );
    assert!(
        !after
            .keys()
            .any(|p| p.to_string_lossy().contains(".xtask-")),
        "{after:#?}"
    );
}

/// Fails each operation in turn: until the run gets through, every failure
/// leaves the tree exactly as it was, with no temporary file.
fn every_failure_is_undone(failing: fn(usize) -> FailingFs) {
    let mut n = 1;
    loop {
        let tmp = fixture();
        let root = tmp.path();
        let before = tree(root);
        let prepared = prepare(changes(root)).unwrap();
        let mut fs = failing(n);
        match prepared.apply(&mut fs) {
            Err(failed) => {
                assert!(failed.unrestored.is_empty(), "n={n}: {failed}");
                assert!(
                    failed.to_string().contains("injected failure"),
                    "n={n}: {failed}"
                );
                assert_eq!(tree(root), before, "n={n}: the tree changed");
            }
            Ok(applied) => {
                // Only removing the backups comes after the changes; a
                // failure there leaves the changes and says which backup.
                if !applied.leftovers.is_empty() {
                    assert_eq!(applied.leftovers.len(), 1, "n={n}");
                } else {
                    assert!(n > 5, "n={n}: the change set has more steps");
                    return;
                }
            }
        }
        n += 1;
        assert!(n < 100, "never got through");
    }
}

#[test]
fn a_failure_at_any_step_restores_the_tree() {
    every_failure_is_undone(FailingFs::nth);
}

#[test]
fn a_full_disk_at_any_step_restores_the_tree() {
    every_failure_is_undone(FailingFs::full_disk_at);
}

#[test]
fn a_real_failure_is_undone_too() {
    let tmp = fixture();
    let root = tmp.path();
    let before = tree(root);
    let prepared = prepare(changes(root)).unwrap();
    // A folder appears where a new file goes after the checks ran: its
    // rename into place fails after other files were placed.
    std::fs::create_dir_all(root.join("src/actions/new.rs/x")).unwrap();
    let made = tree(root);
    let failed = prepared.apply(&mut RealFs).unwrap_err();
    assert!(failed.unrestored.is_empty(), "{failed}");
    assert!(
        failed.to_string().contains("src/actions/new.rs: writing"),
        "{failed}"
    );
    assert_eq!(tree(root), made);
    std::fs::remove_dir_all(root.join("src/actions/new.rs")).unwrap();
    assert_eq!(tree(root), before);
}

/// Each problem is found before anything is written; all are reported.
fn refused(setup: impl FnOnce(&Path), expected: &[&str]) {
    let tmp = fixture();
    let root = tmp.path();
    setup(root);
    let before = tree(root);
    let problems = prepare(changes(root)).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let text = text.join("\n");
    for e in expected {
        assert!(text.contains(e), "{e:?} missing from:\n{text}");
    }
    assert_eq!(tree(root), before);
}

#[test]
fn a_folder_where_a_file_goes_is_refused() {
    refused(
        |root| {
            std::fs::remove_file(root.join("src/lib.rs")).unwrap();
            std::fs::create_dir(root.join("src/lib.rs")).unwrap();
        },
        &["src/lib.rs is a folder where a file must be written"],
    );
}

#[test]
fn a_file_where_a_folder_goes_is_refused() {
    refused(
        |root| std::fs::write(root.join("src/structs"), "x").unwrap(),
        &["src/structs is a file where a folder must be"],
    );
}

#[test]
fn links_are_never_written_through() {
    refused(
        |root| {
            let elsewhere = root.join("../elsewhere");
            std::fs::create_dir_all(&elsewhere).unwrap();
            std::fs::remove_file(root.join("src/lib.rs")).unwrap();
            std::os::unix::fs::symlink(elsewhere.join("lib.rs"), root.join("src/lib.rs")).unwrap();
            std::os::unix::fs::symlink(&elsewhere, root.join("src/structs")).unwrap();
            std::fs::remove_file(root.join("src/actions/gone.rs")).unwrap();
            std::os::unix::fs::symlink(elsewhere.join("gone.rs"), root.join("src/actions/gone.rs"))
                .unwrap();
        },
        &[
            "src/lib.rs is a symbolic link where a file must be written",
            "src/structs is a symbolic link where a folder must be; links are never followed",
            "src/actions/gone.rs is a symbolic link where a file must be removed",
        ],
    );
}

#[test]
fn read_only_files_and_folders_are_refused() {
    refused(
        |root| {
            set_mode(&root.join("Cargo.toml"), 0o444);
            set_mode(&root.join("src/actions"), 0o555);
        },
        &[
            "Cargo.toml is read-only",
            "src/actions is a read-only folder",
        ],
    );
}

#[test]
fn paths_must_stay_inside_their_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let problems = prepare(vec![
        Change::write(tmp.path(), "../evil.md", "x"),
        Change::write(tmp.path(), "/etc/evil.md", "x"),
    ])
    .unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].what.contains("not a plain path"));
}

#[test]
fn a_missing_root_is_created_and_removed_again_on_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("new/crate");
    let before = tree(tmp.path());
    let prepared = prepare(vec![
        Change::write(&root, "Cargo.toml", "m"),
        Change::write(&root, "src/lib.rs", "l"),
    ])
    .unwrap();
    let failed = prepared.apply(&mut FailingFs::full_disk_at(4)).unwrap_err();
    assert!(failed.unrestored.is_empty(), "{failed}");
    assert_eq!(tree(tmp.path()), before);
    prepared.apply(&mut RealFs).unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join("src/lib.rs")).unwrap(),
        "l"
    );
}
