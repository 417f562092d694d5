//! Every Rust keyword as an action, field and structure name: the docs may
//! name anything `Type` or `Self`, and the generated crate must still be
//! Rust. The list is written out here, from the Reference, rather than
//! taken from apidoc, so that a keyword apidoc forgets is caught.

/// Strict keywords.
const STRICT: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn",
];

/// Reserved keywords, up to edition 2024's `gen`.
const RESERVED: &[&str] = &[
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Weak keywords, which are identifiers almost everywhere (and `auto`,
/// once one).
const WEAK: &[&str] = &["macro_rules", "union", "raw", "safe", "auto", "default"];

fn keywords() -> impl Iterator<Item = &'static str> {
    STRICT.iter().chain(RESERVED).chain(WEAK).copied()
}

/// `type` -> `Type`: the form the docs write names in.
fn capitalised(k: &str) -> String {
    let mut cs = k.chars();
    cs.next()
        .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
        .unwrap_or_default()
}

/// A page; the inputs named `Offset` and `Limit` are optional, so that an
/// action with them and a `Total` and a list out pages.
fn page(action: &str, inputs: &[(String, String)], outputs: &[(String, String)]) -> String {
    let row = |(name, ty): &(String, String)| {
        let required = if ["Offset", "Limit"].contains(&name.as_str()) {
            "否"
        } else {
            "是"
        };
        format!("|{name}|{ty}|{required}|说明|\n")
    };
    let out_row = |(name, ty): &(String, String)| format!("|{name}|{ty}|说明|\n");
    let example: Vec<String> = inputs
        .iter()
        .filter(|(_, ty)| ty == "String")
        .map(|(n, _)| format!(", \"{n}\": \"v\""))
        .collect();
    format!(
        "## 1. 接口描述\n本接口（{action}）用于测试。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|AccessToken|String|是|公共参数|\n{}\n## 3. 输出参数\n\n|名称|类型|描述|\n|---|---|---|\n|RequestId|String|公共参数|\n{}\n## 4. 示例\n\n**输入示例**\n```json\n{{\"Action\": \"{action}\", \"RequestId\": \"r\", \"AccessToken\": \"t\"{}}}\n```\n\n**输出示例**\n```json\n{{\"Response\": {{\"RequestId\": \"r\"}}}}\n```\n",
        inputs.iter().map(row).collect::<String>(),
        outputs.iter().map(out_row).collect::<String>(),
        example.concat(),
    )
}

fn input(path: String, text: String) -> apidoc::InputFile {
    apidoc::InputFile {
        path,
        bytes: text.into_bytes(),
    }
}

/// Every keyword as the docs write action names (`Type`, `Self`, `Gen`),
/// once each. (Two actions that differ only in case, `type` and `Type`,
/// would get the same type names: that is not about keywords.)
fn action_names() -> std::collections::BTreeSet<String> {
    keywords().map(capitalised).collect()
}

/// The pages: one paginated action per keyword (so it has a `_pages`
/// walker), one action whose inputs and outputs are every keyword, and one
/// structure per keyword, each with every keyword as a field.
fn pages() -> Vec<apidoc::InputFile> {
    let mut pages = Vec::new();
    let pair = |n: &str, t: &str| (n.to_string(), t.to_string());
    let inputs = [
        pair("Id", "String"),
        pair("Offset", "Int"),
        pair("Limit", "Int"),
    ];
    let outputs = [pair("Total", "Int"), pair("List", "Array of String")];
    for name in action_names() {
        let text = page(&name, &inputs, &outputs);
        pages.push(input(format!("{name}.md"), text));
    }
    let strings: Vec<(String, String)> = keywords()
        .filter(|k| *k != "Self")
        .map(|k| (capitalised(k), "String".to_string()))
        .collect();
    // Each structure is named like a keyword, and so is the field holding it.
    let structs: Vec<(String, String)> = keywords()
        .filter(|k| *k != "Self")
        .map(|k| (format!("{}Item", capitalised(k)), capitalised(k)))
        .collect();
    pages.push(input(
        "AppFields.md".into(),
        page("AppFields", &strings, &[strings.clone(), structs].concat()),
    ));
    let mut structures = String::new();
    for (_, s) in strings {
        structures.push_str(&format!(
            "## {s}\n\n结构\n\n|名称|类型|描述|\n|---|---|---|\n"
        ));
        for k in keywords() {
            structures.push_str(&format!("|{}|String|说明|\n", capitalised(k)));
        }
        structures.push('\n');
    }
    pages.push(input("structures.md".into(), structures));
    pages
}

fn options() -> codegen::Options {
    codegen::Options {
        runtime_path: "../runtime".into(),
        standalone: true,
        readme_doctests: None,
    }
}

#[test]
fn keywords_as_names_generate_rust_that_parses() {
    let loaded = apidoc::load(pages(), None);
    let errors: Vec<_> = loaded
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == apidoc::Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(loaded.api.actions.len(), action_names().len() + 1);
    let files = codegen::generate(&loaded.api, &options()).expect("keywords generate");
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(&f.contents) {
            panic!("{} does not parse: {e}\n{}", f.path, f.contents);
        }
    }
    // Every action got its own file and method; `self`, which cannot be
    // raw, gets a suffix.
    let actions = files
        .iter()
        .filter(|f| f.path.starts_with("src/actions/") && f.path != "src/actions/mod.rs")
        .count();
    assert_eq!(actions, loaded.api.actions.len());
    let method = |name: &str| {
        let a = loaded.api.actions.iter().find(|a| a.name == name).unwrap();
        a.method.as_str()
    };
    assert_eq!(method("Type"), "r#type");
    assert_eq!(method("Self"), "self_");
    assert_eq!(method("Gen"), "r#gen");
    assert_eq!(method("Crate"), "crate_");
    assert!(
        loaded
            .api
            .actions
            .iter()
            .filter(|a| a.name != "AppFields")
            .all(|a| a.pagination.is_some()),
        "every keyword action pages, so its walker is generated too"
    );
    let walker = files
        .iter()
        .find(|f| f.path == "src/actions/crate_.rs")
        .unwrap();
    assert!(
        walker.contents.contains("pub fn crate_pages("),
        "{}",
        walker.contents
    );
}

/// A name that is not an identifier reaching codegen is a generator bug;
/// it is reported as an error naming the file, not a panic.
#[test]
fn an_ir_name_that_is_not_an_identifier_is_an_error_not_a_panic() {
    let text = page("AppX", &[("Id".into(), "String".into())], &[]);
    let mut api = apidoc::load(vec![input("AppX.md".into(), text)], None).api;
    api.actions[0].method = "type".into();
    // The action's own file, whose doctest calls the method.
    let wanted = |path: &str| path == "src/actions/type.rs";
    let error =
        codegen::generate_only(&api, &options(), &wanted).expect_err("`type` is not an identifier");
    assert_eq!(error.path, "src/actions/type.rs", "{error}");
}

/// Two actions whose names differ only in case make the same Rust names;
/// one is numbered (and the maintainer told), so the crate has no two
/// items of one name. The one written as its type name keeps the plain
/// names, wherever its page is: a page added later cannot take them.
#[test]
fn actions_that_differ_only_in_case_get_distinct_rust_names() {
    let id = [("Id".to_string(), "String".to_string())];
    let pages = vec![
        input("a/appAuto.md".into(), page("appAuto", &id, &[])),
        input("b/AppAuto.md".into(), page("AppAuto", &id, &[])),
    ];
    let loaded = apidoc::load(pages, None);
    let names: Vec<_> = loaded
        .api
        .actions
        .iter()
        .map(|a| (a.name.as_str(), a.method.as_str(), a.type_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("AppAuto", "app_auto", "AppAuto"),
            ("appAuto", "app_auto_2", "AppAuto2")
        ],
        "{names:?}"
    );
    let clash = loaded
        .diagnostics
        .sorted()
        .into_iter()
        .find(|d| d.kind == "name-clash")
        .expect("the numbering is reported");
    assert!(clash.message.contains("`appAuto`"), "{}", clash.message);
    let files = codegen::generate(&loaded.api, &options()).expect("generates");
    let mut paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
    let before = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), before, "no two files of one path");
}
