//! `read_dir` on what a specs folder must not hold: special files (a FIFO
//! would make any reader wait forever) and symbolic links (which would
//! make the crate depend on what they point to). Each is refused by its
//! type, named, without being opened.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// A scratch folder removed on drop, with one ordinary page in `specs/`.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("apidoc-read-dir-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("specs/sub")).unwrap();
        std::fs::write(dir.join("specs/AppX.md"), "## 1. 接口描述\n").unwrap();
        Scratch(dir)
    }

    fn specs(&self) -> PathBuf {
        self.0.join("specs")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// Opens the FIFO's writing end and closes it at once, in a thread. If the
/// reader under test opened the FIFO, this lets its read end (an empty
/// page) instead of waiting forever, and the test fails rather than hangs;
/// if it never opens it, the thread waits until the test process exits.
fn unblock_any_reader(fifo: &Path) {
    let fifo = fifo.to_path_buf();
    std::thread::spawn(move || {
        let _ = std::fs::OpenOptions::new().write(true).open(fifo);
    });
}

#[track_caller]
fn refused(dir: &Path, named: &Path, why: &str) {
    let error = apidoc::read_dir(dir).expect_err("refused");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: ", named.display())),
        "{message}"
    );
    assert!(message.contains(why), "{message}");
}

#[test]
fn a_fifo_is_refused_without_being_opened() {
    let s = Scratch::new("fifo");
    let fifo = s.specs().join("sub/AppPipe.md");
    mkfifo(&fifo);
    unblock_any_reader(&fifo);
    refused(&s.specs(), &fifo, "not a regular file");
}

#[test]
fn a_special_file_is_refused_whatever_its_name() {
    let s = Scratch::new("special");
    let fifo = s.specs().join("service.toml");
    mkfifo(&fifo);
    unblock_any_reader(&fifo);
    refused(&s.specs(), &fifo, "not a regular file");
    std::fs::remove_file(&fifo).unwrap();
    let socket = s.specs().join("sub/notes");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    refused(&s.specs(), &socket, "not a regular file");
}

#[test]
fn a_symbolic_link_in_the_specs_is_refused() {
    let s = Scratch::new("link");
    // A page outside the folder, linked under a page's name, a folder's
    // and the settings file's: none is read.
    let outside = s.0.join("AppSecret.md");
    std::fs::write(&outside, "## 1. 接口描述\n").unwrap();
    for name in ["sub/AppSecret.md", "linked", "service.toml"] {
        let link = s.specs().join(name);
        symlink(&outside, &link).unwrap();
        refused(&s.specs(), &link, "a symbolic link");
        std::fs::remove_file(&link).unwrap();
    }
    // The folder given may itself be a link: a path the user gives is
    // resolved.
    let via = s.0.join("via");
    symlink(s.specs(), &via).unwrap();
    let sources = apidoc::read_dir(&via).unwrap();
    let pages: Vec<_> = sources.pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(pages, ["AppX.md"]);
}

#[test]
fn links_are_skipped_unread_when_asked() {
    let s = Scratch::new("skip");
    let outside = s.0.join("AppSecret.md");
    std::fs::write(&outside, "## 1. 接口描述\n").unwrap();
    symlink(&outside, s.specs().join("sub/AppSecret.md")).unwrap();
    symlink(s.0.join("nowhere"), s.specs().join("service.toml")).unwrap();
    let sources = apidoc::read_dir_with(&s.specs(), apidoc::Links::Skip).unwrap();
    let pages: Vec<_> = sources.pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(pages, ["AppX.md"]);
    assert!(sources.service.is_none());
}

#[test]
fn a_folder_named_like_a_page_or_a_settings_file_is_refused() {
    for name in [
        "structures.md",
        "sub/AppX.txt",
        "service.toml",
        "overrides.toml",
    ] {
        let s = Scratch::new("folder");
        let folder = s.specs().join(name);
        std::fs::create_dir_all(folder.join("inner")).unwrap();
        refused(&s.specs(), &folder, "a folder");
    }
}
