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
