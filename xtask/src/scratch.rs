//! What the unit tests of `codegen` and `import` share: a scratch folder
//! seeded with the frozen copy of the seed specs, and a folder's whole
//! state, to compare before and after a failed write.

use std::path::{Path, PathBuf};

/// The seed pages the xtask's tests run on (a frozen copy, so that they do
/// not change with the project's `specs/`).
pub fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs")
}

/// A fresh `xtask-unit-<pid>-<name>` folder in the temporary folder, with
/// `specs/` holding the seed specs; returns it and its `specs/`.
pub fn seeded(name: &str) -> (PathBuf, PathBuf) {
    let tmp = std::env::temp_dir().join(format!("xtask-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let specs = tmp.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    for e in std::fs::read_dir(seed()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, specs.join(p.file_name().unwrap())).unwrap();
    }
    (tmp, specs)
}

/// Every entry under `dir` with its kind, mode and bytes, never following
/// links.
#[cfg(unix)]
pub fn tree(dir: &Path) -> Vec<(PathBuf, String)> {
    use std::os::unix::fs::PermissionsExt as _;
    disk::walk::walk(dir, &|_| false)
        .unwrap()
        .into_iter()
        .map(|e| {
            let path = dir.join(&e.rel);
            let mode = std::fs::symlink_metadata(&path)
                .unwrap()
                .permissions()
                .mode();
            let bytes = match e.kind {
                disk::walk::Kind::File => std::fs::read(&path).unwrap(),
                _ => Vec::new(),
            };
            (e.rel, format!("{:?} {mode:o} {bytes:?}", e.kind))
        })
        .collect()
}
