//! The synthetic corpus lints clean, is deterministic, and has the variety
//! of the real docs.

use apidoc::{InputFile, Severity};

fn load(pages: usize, seed: u64) -> apidoc::Loaded {
    let files = synth::corpus(pages, seed)
        .into_iter()
        .map(|(path, text)| InputFile {
            path,
            bytes: text.into_bytes(),
        })
        .collect();
    apidoc::load(files, None)
}

/// Rendered errors, for a failure message that shows where they are.
fn errors(loaded: &apidoc::Loaded) -> String {
    loaded
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .take(20)
        .map(|d| {
            format!(
                "{}: {}",
                d.span
                    .as_ref()
                    .map(|s| loaded.db.location(s))
                    .unwrap_or_default(),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_page_lints_without_errors() {
    for seed in 0..3 {
        let loaded = load(200, seed);
        assert!(
            !loaded.diagnostics.has_errors(),
            "seed {seed}:\n{}",
            errors(&loaded)
        );
        assert_eq!(loaded.api.actions.len(), 200, "seed {seed}");
    }
}

#[test]
fn same_pages_and_seed_give_the_same_bytes() {
    assert_eq!(synth::corpus(300, 42), synth::corpus(300, 42));
    assert_ne!(synth::corpus(300, 42), synth::corpus(300, 43));
    // A larger corpus is not a prefix-extension of a smaller one, but each is stable.
    assert_eq!(synth::corpus(1, 0), synth::corpus(1, 0));
}

#[test]
fn one_structures_page_and_one_page_per_action() {
    let corpus = synth::corpus(50, 1);
    assert_eq!(corpus.len(), 51);
    assert_eq!(
        corpus
            .iter()
            .filter(|(p, _)| p == synth::STRUCTURES_FILE)
            .count(),
        1
    );
    let mut paths: Vec<_> = corpus.iter().map(|(p, _)| p.clone()).collect();
    paths.dedup();
    assert_eq!(paths.len(), 51);
}

#[test]
fn has_the_variety_of_the_real_docs() {
    let corpus = synth::corpus(400, 0);
    let all: String = corpus.iter().map(|(_, t)| t.as_str()).collect();
    let type_cells: Vec<&str> = all
        .lines()
        .filter(|l| l.starts_with('|'))
        .filter_map(|l| l.split('|').nth(2))
        .map(str::trim)
        .collect();
    for spelling in [
        "String",
        "string",
        "Int",
        "int",
        "Integer",
        "Interger",
        "Int32",
        "Int64",
        "int64",
        "UINT",
        "Uint",
        "Float",
        "float32",
        "Boolean",
        "Bool",
        "Array of String",
        "Array Of String",
        "[String]",
        "Object",
        "OBJECT",
        "object",
        "Array",
    ] {
        assert!(
            type_cells.contains(&spelling),
            "no type cell spelled `{spelling}`"
        );
    }
    for prefix in [
        "Object of [",
        "Array of [",
        "Array Of [",
        "[Array](",
        "[Array](#",
    ] {
        assert!(
            type_cells.iter().any(|c| c.starts_with(prefix)),
            "no type cell starting `{prefix}`"
        );
    }
    // A bare structure name: an identifier that is not a scalar spelling.
    assert!(
        type_cells
            .iter()
            .any(|c| c.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && c.len() > 8
                && c.chars().next().unwrap().is_ascii_uppercase())
    );
    for needle in [
        "本接口（",
        "本接口(",
        "/tokenapi",
        "/appapi",
        "|否|",
        "| 否 ",
        "|是|",
        "```json",
        "```HTTP",
        "POST https://",
        "<dx-codeblock>",
        ":::  JSON",
        ":::  HTTP",
        "**输出示例：失败**",
        "|错误码|描述|",
        "// ",
        "#### 示例1",
        "被如下接口引用",
    ] {
        assert!(all.contains(needle), "no page contains `{needle}`");
    }

    // Structures are nested and some are recursive (boxed in the IR).
    let loaded = load(400, 0);
    let structs = &loaded.api.structs;
    let nests = |t: &apidoc::ir::Type| {
        matches!(t, apidoc::ir::Type::Struct { .. })
            || matches!(t, apidoc::ir::Type::List(i) if matches!(**i, apidoc::ir::Type::Struct { .. }))
    };
    assert!(
        structs
            .iter()
            .any(|s| s.fields.iter().any(|f| nests(&f.ty))),
        "no nested structure"
    );
    assert!(
        structs.iter().any(|s| s
            .fields
            .iter()
            .any(|f| matches!(f.ty, apidoc::ir::Type::Struct { boxed: true, .. }))),
        "no recursive structure"
    );
    assert!(
        structs.len() > 300,
        "only {} structures are reachable",
        structs.len()
    );
    assert!(
        loaded
            .api
            .actions
            .iter()
            .any(|a| a.inputs.iter().any(|f| !f.required)),
        "no optional input"
    );
    assert!(
        loaded
            .api
            .actions
            .iter()
            .any(|a| a.auth == apidoc::ir::Auth::Signed)
    );
    assert!(loaded.api.error_codes.len() > 20);
}

#[test]
fn write_makes_a_folder_load_dir_reads_and_refuses_foreign_folders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("specs");
    synth::write(&out, 20, 5).unwrap();
    let loaded = apidoc::load_dir(&out).unwrap();
    assert!(!loaded.diagnostics.has_errors());
    assert_eq!(loaded.api.actions.len(), 20);
    // Rewriting a smaller corpus into its own folder leaves no stale pages.
    synth::write(&out, 10, 5).unwrap();
    assert_eq!(apidoc::load_dir(&out).unwrap().api.actions.len(), 10);
    let md = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(md, 11);

    let foreign = dir.path().join("real");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("AppGetProducts.md"), "keep me").unwrap();
    let err = synth::write(&foreign, 5, 0).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(
        std::fs::read_to_string(foreign.join("AppGetProducts.md")).unwrap(),
        "keep me"
    );
}
