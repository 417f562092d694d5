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

/// Renders the diagnostics of one page `AppX.md`.
fn diagnostics_of(page: &str) -> String {
    let loaded = apidoc::load(
        vec![apidoc::InputFile {
            path: "AppX.md".into(),
            bytes: page.into(),
        }],
        None,
    );
    loaded
        .diagnostics
        .render(&loaded.db, &annotate_snippets::Renderer::plain())
}

#[test]
fn an_action_row_value_that_is_not_an_identifier_is_reported_at_its_place() {
    let page = |sentence: &str, row: &str| {
        format!(
            "## 1. 接口描述\n{sentence}\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Action|String|是|{row}|\n|Id|String|是|x|\n"
        )
    };
    // Beside a sentence that names the action, it is a disagreement.
    let text = diagnostics_of(&page("本接口（AppX）用于。", "../../evil"));
    assert!(
        text.contains("sources disagree on the action name; using `AppX`")
            && text.contains("8 | |Action|String|是|../../evil|\n  |                   ---------- the Action row says `../../evil`"),
        "{text}"
    );
    // Alone, it is the name, and not one.
    let text = diagnostics_of(&page("用于。", "公共参数，本接口取值：../../evil"));
    assert!(
        text.contains(
            "error: `../../evil` (from the Action row) is not an action name: expected an ASCII letter"
        ) && text.contains("--> AppX.md:8:18"),
        "{text}"
    );
    // A sub-command value names a method and a file the same way.
    let text = diagnostics_of(&format!(
        "{}|Command|String|是|子命令，本接口取值：song/url|\n",
        page("本接口（AppX）用于。", "公共参数，本接口取值：AppX")
    ));
    assert!(
        text.contains(
            "error: `song/url` (from the `本接口取值` of `Command`) is not a sub-command value"
        ) && text.contains("--> AppX.md:10:19"),
        "{text}"
    );
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
