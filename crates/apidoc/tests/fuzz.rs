//! Nothing a page can contain may panic the parser, the lowering or the
//! diagnostic renderer: arbitrary text, and real-looking pages with bytes
//! deleted, inserted or duplicated.

use proptest::prelude::*;

fn load_and_render(pages: Vec<(String, Vec<u8>)>) {
    let files = pages
        .into_iter()
        .map(|(path, bytes)| apidoc::InputFile { path, bytes })
        .collect();
    let loaded = apidoc::load(files, None);
    let _ = loaded
        .diagnostics
        .render(&loaded.db, &annotate_snippets::Renderer::plain());
}

fn seeds() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.is_file() {
                out.push(std::fs::read(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Duplicate(usize, usize),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let n = bytes.len().max(1);
        match e {
            Edit::Delete(at, len) => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Insert(at, b) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Edit::Duplicate(at, len) => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                let chunk = bytes.get(at..end).unwrap_or(&[]).to_vec();
                bytes.splice(at..at, chunk);
            }
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    // Insertions favour the characters the parser cares about.
    let special = prop::sample::select(vec![
        b"|".to_vec(),
        b"\n".to_vec(),
        b"```".to_vec(),
        b":::".to_vec(),
        "（".as_bytes().to_vec(),
        b"[".to_vec(),
        b"](#".to_vec(),
        b"## ".to_vec(),
        "本接口(".as_bytes().to_vec(),
        b"\xff".to_vec(),
        "名称".as_bytes().to_vec(),
        b"<br>".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), 0usize..64).prop_map(|(a, l)| Edit::Delete(a, l)),
        (
            any::<usize>(),
            prop_oneof![special, prop::collection::vec(any::<u8>(), 0..8)]
        )
            .prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), 0usize..200).prop_map(|(a, l)| Edit::Duplicate(a, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}", bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        load_and_render(vec![("a.md".into(), text.into_bytes()), ("b.md".into(), bytes)]);
    }

    #[test]
    fn mutated_pages_never_panic(index in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let seeds = seeds();
        let page = apply(index.get(&seeds).clone(), &edits);
        load_and_render(vec![("AppPage.md".into(), page), ("structures.md".into(), index.get(&seeds).clone())]);
    }
}

/// The settings files of the fixtures and of the project's specs.
fn settings(name: &str) -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("../../specs")];
    for d in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        dirs.push(d.unwrap().path());
    }
    let mut out: Vec<Vec<u8>> = dirs
        .iter()
        .filter_map(|d| std::fs::read(d.join(name)).ok())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {name} to start from");
    out
}

/// A few pages to load the settings with.
fn pages() -> Vec<apidoc::InputFile> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/endpoints");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| apidoc::InputFile {
            path: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn load_settings(service: Vec<u8>, overrides: Vec<u8>) {
    let file = |path: &str, bytes| {
        Some(apidoc::InputFile {
            path: path.into(),
            bytes,
        })
    };
    let loaded = apidoc::load_with_overrides(
        pages(),
        file("service.toml", service),
        file("overrides.toml", overrides),
    );
    let text = loaded
        .diagnostics
        .render(&loaded.db, &annotate_snippets::Renderer::plain());
    // A settings file that cannot be used is an error at its place.
    for d in loaded.diagnostics.sorted() {
        if d.severity == apidoc::Severity::Error
            && matches!(d.kind, "service-toml" | "overrides" | "groups")
        {
            assert!(d.span.is_some(), "unlocated: {text}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_settings_files_never_panic(
        s in any::<prop::sample::Index>(),
        o in any::<prop::sample::Index>(),
        service_edits in prop::collection::vec(edit(), 0..6),
        overrides_edits in prop::collection::vec(edit(), 0..6),
    ) {
        let (services, overrides) = (settings("service.toml"), settings("overrides.toml"));
        load_settings(
            apply(s.get(&services).clone(), &service_edits),
            apply(o.get(&overrides).clone(), &overrides_edits),
        );
    }

    #[test]
    fn arbitrary_settings_values_never_panic(
        key in prop::sample::select(vec![
            "crate-name", "version", "description", "default-base-url", "default-endpoint",
        ]),
        value in ".{0,40}",
        action in "[A-Za-z./ ]{0,12}",
        name in "[A-Za-z_ .]{0,12}",
        ty in ".{0,16}",
    ) {
        let service = format!("{key} = {}\n", toml::Value::String(value));
        let overrides = format!(
            "[[action]]\naction = {a}\nrename = {n}\n\n[[field]]\naction = {a}\nside = \"input\"\nname = {n}\ntype = {t}\n\n[[example]]\naction = {a}\nexample = {n}\ndefect = \"type\"\nreason = \"x\"\n\n[[pagination]]\naction = {a}\nitems = {n}\ncursor = {n}\n",
            a = toml::Value::String(action),
            n = toml::Value::String(name),
            t = toml::Value::String(ty),
        );
        load_settings(service.into_bytes(), overrides.into_bytes());
    }
}
