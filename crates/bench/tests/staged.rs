//! The staged pipeline the benchmarks time does the same work as what
//! `cargo xtask codegen` runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file below `dir`, by its path from `dir`.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for e in std::fs::read_dir(&folder).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// The stages timed one at a time (read, parse, lower, emit, format, the
/// lock file, write) make, byte for byte, the crate that the xtask's run
/// (`bench::regenerate`, through `disk::run::codegen`) makes from `specs`;
/// and that run, once more, is skipped.
fn stages_make_what_the_xtask_makes(specs: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let staged = tmp.path().join("staged");
    let (api, diagnostics) = bench::lower(&bench::parse(bench::read(specs).unwrap()));
    assert!(!diagnostics.has_errors(), "{}", diagnostics.summary());
    let options = bench::options_for(&staged);
    let mut files = codegen::format(codegen::emit(&api, &options)).unwrap();
    bench::workspace().add_lockfile(&options, &mut files);
    assert_eq!(bench::write(&staged, &files).unwrap(), files.len());

    let (out, cache) = (tmp.path().join("out"), tmp.path().join("cache"));
    let run = bench::regenerate(specs, &out, &cache).unwrap();
    // Every file but the copied Cargo.lock is emitted.
    assert_eq!(
        (run.skipped, run.emitted, run.written),
        (false, files.len() - 1, files.len())
    );
    let (staged, out) = (tree(&staged), tree(&out));
    let differ: Vec<_> = staged
        .keys()
        .chain(out.keys())
        .filter(|p| staged.get(*p) != out.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "the stages and the run differ: {differ:?}"
    );
    let again = bench::regenerate(specs, &tmp.path().join("out"), &cache).unwrap();
    assert!(again.skipped, "{again:?}");
}

#[test]
fn the_stages_make_what_the_xtask_makes_from_a_synthetic_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    synth::write(tmp.path(), 100, 3).unwrap();
    stages_make_what_the_xtask_makes(tmp.path());
}

#[test]
fn the_stages_make_what_the_xtask_makes_from_the_specs() {
    stages_make_what_the_xtask_makes(&bench::workspace().specs());
}

#[test]
fn codegen_writes_every_file_once_then_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (specs, out) = (tmp.path().join("specs"), tmp.path().join("out"));
    synth::write(&specs, 20, 0).unwrap();
    let written = bench::codegen_dir(&specs, &out).unwrap();
    assert!(written > 20, "{written} files");
    assert!(out.join("Cargo.lock").is_file() && out.join("src/lib.rs").is_file());
    assert_eq!(bench::codegen_dir(&specs, &out).unwrap(), 0);
}

/// `codegen::generate` (the `generate` stage: emit and format file by
/// file) and the two stages the benchmarks time apart make the same files.
#[test]
fn emit_then_format_equals_generate() {
    let tmp = tempfile::tempdir().unwrap();
    synth::write(tmp.path(), 60, 2).unwrap();
    let loaded = apidoc::load_dir(tmp.path()).unwrap();
    let options = bench::options_for(tmp.path());
    let staged = codegen::format(codegen::emit(&loaded.api, &options)).unwrap();
    assert!(staged == codegen::generate(&loaded.api, &options).unwrap());
}
