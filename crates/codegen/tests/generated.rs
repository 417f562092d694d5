//! Properties of the generated files that the checked-in `generated/`
//! cannot show by itself. The files' text has one source of truth: the
//! freshness check (`xtask`'s `generated_crate_is_fresh` and
//! `cargo xtask codegen --check`) compares `generated/` with what codegen
//! produces, and `generated/` is compiled and tested as a workspace member.

#[test]
fn output_is_deterministic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let options = codegen::Options {
        runtime_path: "x".into(),
        standalone: true,
        readme_doctests: None,
    };
    let a = codegen::generate(&apidoc::load_dir(&dir).unwrap().api, &options).unwrap();
    let b = codegen::generate(&apidoc::load_dir(&dir).unwrap().api, &options).unwrap();
    assert_eq!(a, b);
    let manifest = &a.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
    assert!(
        manifest.contains("\n[workspace]\n"),
        "standalone crates get their own workspace"
    );
    assert!(manifest.contains("path = \"x\""));
}

#[test]
fn renamed_common_parameters_reach_the_runtime() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut api = apidoc::load_dir(&dir).unwrap().api;
    let names = &mut api.service.common_parameters;
    names.request_id = "ReqId".into();
    names.signature = "Sig".into();
    let options = codegen::Options {
        runtime_path: "x".into(),
        standalone: true,
        readme_doctests: None,
    };
    let files = codegen::generate(&api, &options).unwrap();
    let lib = &files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap()
        .contents;
    assert!(lib.contains("request_id: \"ReqId\","), "{lib}");
    assert!(lib.contains("signature: \"Sig\","), "{lib}");
    assert!(lib.contains("action: \"Action\","), "{lib}");
    let test_util = &files
        .iter()
        .find(|f| f.path == "src/test_util.rs")
        .unwrap()
        .contents;
    assert!(
        test_util.contains("TestServer::start_with_params(crate::SERVICE.common_params)"),
        "{test_util}"
    );
}

#[test]
fn sensitive_inputs_are_named_in_the_operation() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut api = apidoc::load_dir(&dir).unwrap().api;
    let action = &mut api.actions[0];
    let template = action.inputs[0].clone();
    action.inputs.push(apidoc::ir::Field {
        api_name: "Password".into(),
        rust_name: "password".into(),
        sensitive: true,
        ..template.clone()
    });
    action.inputs.push(apidoc::ir::Field {
        api_name: "PlainField".into(),
        rust_name: "plain_field".into(),
        sensitive: false,
        ..template
    });
    let module = format!("src/actions/{}.rs", action.method.trim_start_matches("r#"));
    let options = codegen::Options {
        runtime_path: "x".into(),
        standalone: true,
        readme_doctests: None,
    };
    let files = codegen::generate(&api, &options).unwrap();
    let text = &files.iter().find(|f| f.path == module).unwrap().contents;
    assert!(text.contains("sensitive: &[\"Password\"],"), "{text}");
}

/// Rust names are chosen in the IR (`apidoc::naming`), which keeps the
/// names the generated crate takes for itself: whatever `lib.rs` defines
/// at its root, and every method of `Client` that is not an action's, must
/// be on those lists, or a structure or action could take the name.
#[test]
fn names_the_crate_takes_are_reserved_in_the_ir() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let api = apidoc::load_dir(&dir).unwrap().api;
    let options = codegen::Options {
        runtime_path: "x".into(),
        standalone: true,
        readme_doctests: Some("README.md".into()),
    };
    let files = codegen::generate(&api, &options).unwrap();
    let lib = &files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap()
        .contents;
    let file = syn::parse_file(lib).unwrap();
    let mut types = Vec::new();
    let mut methods = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => types.push(s.ident.to_string()),
            syn::Item::Type(t) => types.push(t.ident.to_string()),
            syn::Item::Enum(e) => types.push(e.ident.to_string()),
            syn::Item::Use(u) => {
                if let syn::UseTree::Path(p) = &u.tree
                    && let syn::UseTree::Group(g) = &*p.tree
                {
                    for t in &g.items {
                        if let syn::UseTree::Name(n) = t {
                            types.push(n.ident.to_string());
                        }
                    }
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        methods.push(f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    assert!(types.contains(&"Client".to_string()), "{types:?}");
    for t in &types {
        assert!(
            apidoc::naming::RESERVED_TYPE_NAMES.contains(&t.as_str()),
            "`{t}` is not reserved"
        );
    }
    assert!(!methods.is_empty());
    for m in &methods {
        assert!(
            apidoc::naming::RESERVED_METHODS.contains(&m.as_str()),
            "`Client::{m}` is not reserved"
        );
    }
    let manifest = &files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap()
        .contents;
    let manifest: toml::Table = toml::from_str(manifest).unwrap();
    for feature in manifest["features"].as_table().unwrap().keys() {
        assert!(
            apidoc::naming::RESERVED_FEATURES.contains(&feature.as_str())
                || api.service.groups.contains(feature),
            "feature `{feature}` is neither reserved nor a group"
        );
    }
}
