//! Whatever `service.toml` value apidoc accepts, codegen turns into a crate
//! without panicking, and its manifest says what the file said. (Values
//! apidoc refuses are errors at their place, tested there.)

use proptest::prelude::*;

fn page() -> apidoc::InputFile {
    apidoc::InputFile {
        path: "AppX.md".into(),
        bytes: "## 1. 接口描述\n本接口（AppX）用于测试。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|AccessToken|String|是|公共参数|\n|Id|String|是|ID|\n\n## 3. 输出参数\n\n|名称|类型|描述|\n|---|---|---|\n|RequestId|String|公共参数|\n\n## 4. 示例\n\n**输入示例**\n```json\n{\"Action\": \"AppX\", \"RequestId\": \"r\", \"AccessToken\": \"t\", \"Id\": \"x\"}\n```\n"
            .as_bytes()
            .to_vec(),
    }
}

fn generate(service: String) -> Option<(apidoc::ir::Api, Vec<codegen::File>)> {
    let loaded = apidoc::load(
        vec![page()],
        Some(apidoc::InputFile {
            path: "service.toml".into(),
            bytes: service.into_bytes(),
        }),
    );
    if loaded.diagnostics.has_errors() {
        return None;
    }
    let options = codegen::Options {
        runtime_path: "../runtime".into(),
        standalone: true,
        readme_doctests: None,
    };
    let files =
        codegen::generate(&loaded.api, &options).expect("an accepted configuration generates");
    Some((loaded.api, files))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn accepted_settings_generate(
        crate_name in prop_oneof!["[a-z][a-z0-9_-]{0,12}", ".{0,12}"],
        version in prop_oneof!["[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[a-z0-9.]{1,6})?", ".{0,10}"],
        description in ".{0,30}",
        base_url in prop_oneof!["https?://[a-z0-9.-]{1,12}(:[0-9]{1,5})?(/[a-z]{0,6})*", ".{0,20}"],
    ) {
        let s = |v: String| toml::Value::String(v).to_string();
        let service = format!(
            "crate-name = {}\nversion = {}\ndescription = {}\ndefault-base-url = {}\n",
            s(crate_name), s(version), s(description), s(base_url)
        );
        if let Some((api, files)) = generate(service) {
            let manifest = &files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
            let manifest: toml::Table = toml::from_str(manifest).expect("the manifest is TOML");
            let package = manifest["package"].as_table().unwrap();
            prop_assert_eq!(package["name"].as_str(), Some(api.service.crate_name.as_str()));
            prop_assert_eq!(package["version"].as_str(), Some(api.service.version.as_str()));
            prop_assert_eq!(package["description"].as_str(), Some(api.service.description.as_str()));
        }
    }
}

#[test]
fn the_configurations_that_once_panicked_are_errors() {
    for bad in [
        "crate-name = \"\"",
        "crate-name = \"my crate\"",
        "crate-name = \"123abc\"",
        "crate-name = \"../../evil\"",
        "version = \"banana\"",
        "default-base-url = \"not a url\"",
    ] {
        assert!(generate(bad.to_string()).is_none(), "{bad} was accepted");
    }
    assert!(generate("crate-name = \"my-client\"".into()).is_some());
}
