//! The staged pipeline the benchmarks time does the same work as the
//! one-call entry points.

use std::path::Path;

fn same_ir_as_load_dir(dir: &Path) {
    let (api, diagnostics) = bench::lower(&bench::parse(bench::read(dir).unwrap()));
    let loaded = apidoc::load_dir(dir).unwrap();
    assert_eq!(api, loaded.api);
    assert_eq!(diagnostics.len(), loaded.diagnostics.len());
    assert_eq!(diagnostics.has_errors(), loaded.diagnostics.has_errors());
}

#[test]
fn read_parse_lower_equals_load_dir() {
    let tmp = tempfile::tempdir().unwrap();
    synth::write(tmp.path(), 100, 3).unwrap();
    same_ir_as_load_dir(tmp.path());
    same_ir_as_load_dir(&bench::workspace().specs());
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

/// `codegen::generate` (what the xtask runs) and the two stages the
/// benchmarks time apart make the same files.
#[test]
fn emit_then_format_equals_generate() {
    let tmp = tempfile::tempdir().unwrap();
    synth::write(tmp.path(), 60, 2).unwrap();
    let loaded = apidoc::load_dir(tmp.path()).unwrap();
    let options = bench::options_for(tmp.path());
    let staged = codegen::format(codegen::emit(&loaded.api, &options)).unwrap();
    assert!(staged == codegen::generate(&loaded.api, &options).unwrap());
}
