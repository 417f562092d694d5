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
