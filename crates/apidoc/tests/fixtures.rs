//! One small folder of pages per defect kind (`tests/fixtures/<kind>/`):
//! the rendered diagnostics and the IR are snapshotted together, so each
//! snapshot shows what the docs said, what was reported, and what came out.

use std::path::Path;

fn run(dir: &Path) -> String {
    let loaded = apidoc::load_dir(dir).expect("fixture folder is readable");
    let renderer = annotate_snippets::Renderer::plain();
    let diagnostics = loaded.diagnostics.render(&loaded.db, &renderer);
    let summary = loaded.diagnostics.summary();
    let ir = serde_json::to_string_pretty(&loaded.api).expect("IR serializes");
    format!("{diagnostics}{summary}\n\n--- IR ---\n{ir}\n")
}

/// Every fixture folder, each with its own snapshot; insta's `glob!`
/// checks them all and reports every failing one, not just the first.
#[test]
fn fixtures() {
    let mut wrong = Vec::new();
    let mut seen = 0;
    insta::glob!("fixtures/*", |dir| {
        if !dir.is_dir() {
            return;
        }
        seen += 1;
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        // Folders named `error_*` must stop generation; the others must not.
        let loaded = apidoc::load_dir(dir).unwrap();
        if loaded.diagnostics.has_errors() != name.starts_with("error_") {
            wrong.push(name);
        }
        insta::assert_snapshot!(run(dir));
    });
    assert!(seen >= 12, "fixtures are missing");
    assert!(
        wrong.is_empty(),
        "errors where none are expected, or the reverse: {wrong:?}"
    );
}

#[test]
fn not_utf8_is_an_error_at_the_bad_byte() {
    let mut bytes = "## 1. 接口描述\n本接口（AppX）\n".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let loaded = apidoc::load(
        vec![apidoc::InputFile {
            path: "AppX.md".into(),
            bytes,
        }],
        None,
    );
    assert!(loaded.diagnostics.has_errors());
    let text = loaded
        .diagnostics
        .render(&loaded.db, &annotate_snippets::Renderer::plain());
    assert!(text.contains("file is not valid UTF-8"), "{text}");
    assert!(text.contains("AppX.md:3:1"), "{text}");
}

#[test]
fn an_empty_page_is_a_warning_at_its_place() {
    for bytes in ["", " \n\t\n"] {
        let loaded = apidoc::load(
            vec![apidoc::InputFile {
                path: "AppEmpty.md".into(),
                bytes: bytes.into(),
            }],
            None,
        );
        let text = loaded
            .diagnostics
            .render(&loaded.db, &annotate_snippets::Renderer::plain());
        assert!(
            text.contains("warning: empty page: skipped [empty-page]\n --> AppEmpty.md:1:1"),
            "{bytes:?}: {text}"
        );
    }
}

#[test]
fn bad_service_toml_is_an_error_with_its_place() {
    let service = apidoc::InputFile {
        path: "service.toml".into(),
        bytes: b"crate-name = \"x\"\nbogus = 1\n".to_vec(),
    };
    let loaded = apidoc::load(Vec::new(), Some(service));
    let text = loaded
        .diagnostics
        .render(&loaded.db, &annotate_snippets::Renderer::plain());
    assert!(loaded.diagnostics.has_errors());
    assert!(text.contains("service.toml:2:1"), "{text}");
    assert!(text.contains("unknown field `bogus`"), "{text}");
}
