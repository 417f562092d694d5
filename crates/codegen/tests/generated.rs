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
