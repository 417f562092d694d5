//! The generator's identity, for the codegen cache (`src/cache.rs`): a
//! SHA-1 of everything that decides what codegen emits for a given IR,
//! taken when this crate is built. That is the sources of the crates the
//! generator is made of (codegen, apidoc, jsonfix and this one), the
//! workspace's `Cargo.lock` (the versions of syn, prettyplease, serde_json
//! and the rest) and the compiler's version. Cargo runs this again when
//! any of them changes.

use sha1::{Digest, Sha1};
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("../..");
    let mut inputs = Vec::new();
    for krate in [
        "crates/codegen",
        "crates/apidoc",
        "crates/jsonfix",
        "crates/disk",
    ] {
        let dir = root.join(krate);
        for name in ["Cargo.toml", "build.rs"] {
            let file = dir.join(name);
            if file.is_file() {
                inputs.push(file);
            }
        }
        files_under(&dir.join("src"), &mut inputs);
        println!("cargo:rerun-if-changed={}", dir.join("src").display());
        println!(
            "cargo:rerun-if-changed={}",
            dir.join("Cargo.toml").display()
        );
    }
    let lock = root.join("Cargo.lock");
    inputs.push(lock.clone());
    println!("cargo:rerun-if-changed={}", lock.display());
    inputs.sort();

    let mut h = Sha1::new();
    for path in &inputs {
        let rel = path.strip_prefix(&root).unwrap_or(path);
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        h.update(format!("{}\0{}\0", rel.display(), bytes.len()).as_bytes());
        h.update(&bytes);
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    h.update(b"rustc\0");
    h.update(&version);
    for var in ["TARGET", "PROFILE"] {
        h.update(std::env::var(var).unwrap_or_default().as_bytes());
        h.update(b"\0");
    }
    let digest: [u8; 20] = h.finalize().into();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(
        out.join("generator.rs"),
        format!("pub(crate) const SOURCES: [u8; 20] = {digest:?};\n"),
    )
    .expect("writing OUT_DIR/generator.rs");
}

/// Every file under `dir`, recursively, without following links.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            files_under(&e.path(), out);
        } else if kind.is_file() {
            out.push(e.path());
        }
    }
}
