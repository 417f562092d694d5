//! Invariants of ARCHITECTURE.md that a test can check: which crates the
//! doc crate and the runtime may depend on, over the whole resolved
//! dependency graph (`cargo metadata`), not only their own manifests.

use serde_json::Value;
use std::collections::BTreeSet;

/// The names of the crates `package` depends on with normal (non-dev,
/// non-build) dependencies: directly, and directly or not.
fn normal_dependencies(package: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let packages = meta["packages"].as_array().unwrap();
    let name_of = |id: &str| {
        packages
            .iter()
            .find(|p| p["id"] == id)
            .and_then(|p| p["name"].as_str())
            .unwrap()
            .to_string()
    };
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let root = packages
        .iter()
        .find(|p| p["name"] == package)
        .and_then(|p| p["id"].as_str())
        .unwrap_or_else(|| panic!("{package} is in the workspace"))
        .to_string();
    let mut seen = BTreeSet::new();
    let mut direct = BTreeSet::new();
    let mut work = vec![root.clone()];
    while let Some(id) = work.pop() {
        let node = nodes.iter().find(|n| n["id"] == id.as_str()).unwrap();
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            let dep_id = dep["pkg"].as_str().unwrap().to_string();
            if !normal {
                continue;
            }
            if id == root {
                direct.insert(name_of(&dep_id));
            }
            if seen.insert(name_of(&dep_id)) {
                work.push(dep_id);
            }
        }
    }
    (direct, seen)
}

/// The workspace's generator crates: none of them may be reached from
/// the runtime or the generated crate.
const GENERATOR: &[&str] = &["apidoc", "codegen", "jsonfix", "apidiff", "synth", "xtask"];

/// Crates for reading or writing Rust syntax. (serde's derive uses some of
/// them as a proc macro, so only direct dependencies count.)
const RUST_SYNTAX: &[&str] = &["syn", "quote", "proc-macro2", "prettyplease"];

fn assert_none(package: &str, deps: &BTreeSet<String>, forbidden: &[&str], why: &str) {
    let found: Vec<_> = forbidden.iter().filter(|f| deps.contains(**f)).collect();
    assert!(found.is_empty(), "{package} depends on {found:?}: {why}");
    // The check itself must see something, or it proves nothing.
    assert!(deps.contains("serde"), "{package}: {deps:?}");
}

#[test]
fn the_doc_crate_depends_on_no_rust_syntax_crate() {
    let (direct, all) = normal_dependencies("apidoc");
    let why = "it reads docs into the IR; emitting Rust is codegen's job";
    assert_none("apidoc", &direct, RUST_SYNTAX, why);
    assert_none("apidoc", &all, &["codegen", "apidiff"], why);
}

#[test]
fn the_runtime_depends_on_nothing_of_the_generator() {
    let (direct, all) = normal_dependencies("iot-explorer-runtime");
    let why = "the runtime does not know the generator exists";
    assert_none("iot-explorer-runtime", &all, GENERATOR, why);
    assert_none("iot-explorer-runtime", &direct, RUST_SYNTAX, why);
}

#[test]
fn the_generated_crate_depends_on_the_runtime_and_serde_only() {
    let (direct, all) = normal_dependencies("iot-explorer");
    assert!(direct.contains("iot-explorer-runtime"), "{direct:?}");
    assert_none(
        "iot-explorer",
        &all,
        GENERATOR,
        "it is thin: everything is in the runtime",
    );
}
