//! Invariants of ARCHITECTURE.md that a test can check: which crates the
//! doc crate and the runtime may depend on, over the whole resolved
//! dependency graph (`cargo metadata`), not only their own manifests; that
//! codegen reads no files; and that the document itself is still true: its
//! Code Map names every module of every hand-written crate, and every path
//! it writes exists.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The names of the crates `package` depends on with normal (non-dev,
/// non-build) dependencies: directly, and directly or not.
fn normal_dependencies(package: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let meta = metadata();
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

/// `cargo metadata` of the workspace, run once for every test.
fn metadata() -> &'static Value {
    static META: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    META.get_or_init(|| {
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
        serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
    })
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
    let expected: BTreeSet<String> = ["iot-explorer-runtime", "serde", "serde_json"]
        .map(String::from)
        .into();
    assert_eq!(direct, expected);
    assert_none(
        "iot-explorer",
        &all,
        GENERATOR,
        "it is thin: everything is in the runtime",
    );
}

#[test]
fn the_libraries_use_typed_errors() {
    let meta = metadata();
    let members = meta["workspace_members"].as_array().unwrap();
    let names: Vec<&str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| members.contains(&p["id"]))
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"xtask") && names.len() > 5, "{names:?}");
    for name in names.into_iter().filter(|n| *n != "xtask") {
        let (direct, _) = normal_dependencies(name);
        assert!(
            !direct.contains("anyhow"),
            "{name} depends on anyhow: only the xtask, a binary, may"
        );
    }
}

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.rs` files under `dir`, recursively, in path order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn codegen_reads_no_files() {
    // The crate's own calls, outside its unit tests: the source up to the
    // first `#[cfg(test)]` at the start of a line (the ones codegen emits
    // are indented inside `quote!`).
    const IO: &[&str] = &[
        "std::fs",
        "std::env",
        "std::io",
        "std::net",
        "std::process",
        "apidoc::load",
        "apidoc::read_dir",
        "include_bytes!",
    ];
    let files = rust_files(&root().join("crates/codegen/src"));
    assert!(files.len() > 5, "{files:?}");
    for file in files {
        let text = read(&file);
        let code = text.split("\n#[cfg(test)]").next().unwrap();
        for api in IO {
            assert!(
                !code.contains(api),
                "{} uses `{api}`: codegen reads only the IR and `Options`",
                file.display()
            );
        }
    }
}

/// The hand-written crates whose modules the Code Map must name, as paths
/// from the root: every crate under `crates/` except `downstream` (a user
/// of the generated crate, outside the workspace), and `xtask`.
fn hand_written_crates() -> Vec<String> {
    let mut out = vec!["xtask".to_string()];
    for e in std::fs::read_dir(root().join("crates")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if name != "downstream" && e.path().join("Cargo.toml").is_file() {
            out.push(format!("crates/{name}"));
        }
    }
    out.sort();
    out
}

/// The modules of a crate, each as the components of its path from `src/`
/// without `.rs`: `lower/action_page`; a folder's `mod.rs` is the folder
/// (`lower`); `build.rs` beside `src/` is `build`. The crate roots
/// (`lib.rs`, `main.rs`) are the crate itself, named by its section.
fn modules(krate: &Path) -> Vec<Vec<String>> {
    let src = krate.join("src");
    let mut out = Vec::new();
    if krate.join("build.rs").is_file() {
        out.push(vec!["build".to_string()]);
    }
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match parts.as_slice() {
            [root] if root == "lib" || root == "main" => continue,
            [.., last] if last == "mod" => {
                parts.pop();
            }
            _ => {}
        }
        out.push(parts);
    }
    out
}

/// The code spans of a Markdown text (fenced blocks left out), with the
/// `### ` heading each is under. One sentence per line keeps each span on
/// one line.
fn code_spans(doc: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let (mut heading, mut fenced) = ("", false);
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        if line.starts_with("## ") || line.starts_with("### ") {
            heading = line;
        }
        out.extend(line.split('`').skip(1).step_by(2).map(|s| (heading, s)));
    }
    out
}

/// Whether a `### ` heading is the Code Map section of `krate`.
fn is_section_of(heading: &str, krate: &str) -> bool {
    heading.starts_with("### ") && heading.contains(&format!("`{krate}`"))
}

/// A code span read as a module of `krate`: `lower/action_page.rs`,
/// `action_page`, `lower/`, `lower/mod.rs`, or the same from the crate's
/// folder or `src/`. `None` for anything that cannot name a module.
fn as_module(span: &str, krate: &str) -> Option<Vec<String>> {
    let s = span.trim_end_matches('/');
    let s = s
        .strip_prefix(krate)
        .map_or(s, |r| r.trim_start_matches('/'));
    let s = s.strip_prefix("src/").unwrap_or(s);
    let s = s.strip_suffix(".rs").unwrap_or(s);
    let s = s.strip_suffix("/mod").unwrap_or(s);
    let parts: Vec<String> = s.split('/').map(String::from).collect();
    let ident = |p: &String| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_');
    parts.iter().all(ident).then_some(parts)
}

/// Whether `mention` names `module` among `all` the modules of its crate:
/// it is the end of the module's path, and a bare name (no `/`) names only
/// the shallowest module of that name, so that `decode.rs` is not also
/// `channel/decode.rs`.
fn names(mention: &[String], module: &[String], all: &[Vec<String>]) -> bool {
    if !module.ends_with(mention) {
        return false;
    }
    mention.len() > 1
        || !all
            .iter()
            .any(|m| m != module && m.last() == module.last() && m.len() <= module.len())
}

#[test]
fn the_code_map_names_every_module_of_every_hand_written_crate() {
    let doc = read(&root().join("ARCHITECTURE.md"));
    let spans = code_spans(&doc);
    let mut missing = Vec::new();
    for krate in hand_written_crates() {
        let all = modules(&root().join(&krate));
        let mentions: Vec<Vec<String>> = spans
            .iter()
            .filter(|(heading, _)| is_section_of(heading, &krate))
            .filter_map(|(_, span)| as_module(span, &krate))
            .collect();
        if !doc.lines().any(|l| is_section_of(l, &krate)) {
            missing.push(format!(
                "a `### `{krate}`` section for its {} modules",
                all.len()
            ));
            continue;
        }
        for m in &all {
            if !mentions.iter().any(|n| names(n, m, &all)) {
                missing.push(format!("{krate}: `{}`", m.join("/")));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's Code Map does not name these modules (by file or folder name, \
         in the crate's `###` section; a name shared with a shallower module needs its folder): \
         say in a phrase what each is for\n{}",
        missing.join("\n")
    );
}

/// Whether a code span is written as a path in the repository: a `/`, and
/// a `.rs`, `.md` or `.toml` file or a folder (`/` at the end); not a
/// pattern (`<Action>.md`, `[.n]`, `*`), a path outside (`../`) or prose.
fn is_repository_path(span: &str) -> bool {
    span.contains('/')
        && [".rs", ".md", ".toml", "/"]
            .iter()
            .any(|e| span.ends_with(e))
        && !span.starts_with("../")
        // Build output, not part of the repository (and elsewhere when
        // CARGO_TARGET_DIR says so).
        && !span.starts_with("target/")
        && !span.contains(['<', '>', '[', ']', '*', '{', '}', ' ', '…', '\''])
}

#[test]
fn every_path_in_the_architecture_doc_exists() {
    let root = root();
    let doc = read(&root.join("ARCHITECTURE.md"));
    let crates = hand_written_crates();
    let mut checked = 0;
    let mut missing = Vec::new();
    for (heading, span) in code_spans(&doc) {
        if !is_repository_path(span) {
            continue;
        }
        checked += 1;
        // From the root, or in a crate's section from its folder or `src/`.
        let mut bases = vec![root.clone()];
        for krate in crates.iter().filter(|k| is_section_of(heading, k)) {
            bases.push(root.join(krate));
            bases.push(root.join(krate).join("src"));
        }
        let exists = bases.iter().any(|b| {
            let p = b.join(span);
            if span.ends_with('/') {
                p.is_dir()
            } else {
                p.is_file()
            }
        });
        if !exists {
            missing.push(format!("`{span}` (under {heading:?})"));
        }
    }
    assert!(
        checked > 30,
        "only {checked} paths found: is the reading broken?"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist:\n{}",
        missing.join("\n")
    );
}
