//! `service.toml` read from text: defaults, partial tables, and every
//! kind of unusable value reported.

use super::*;

fn errors(text: &str) -> Vec<String> {
    let (_, diags) = ServiceConfig::parse(FileId(0), text);
    diags.into_iter().map(|d| d.message).collect()
}

#[test]
fn defaults_and_partial_tables() {
    let (c, d) = ServiceConfig::parse(FileId(0), "");
    assert!(d.is_empty());
    assert_eq!(
        c,
        ServiceConfig {
            file: Some(FileId(0)),
            ..ServiceConfig::default()
        }
    );
    // A table with only some keys: the others keep their defaults.
    let (c, d) = ServiceConfig::parse(FileId(0), "[common-parameters]\nnonce = \"N\"\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.common_parameters.nonce, "N");
    assert_eq!(c.common_parameters.access_token, "AccessToken");
    let (c, _) = ServiceConfig::parse(FileId(0), "[endpoints]\ntokenapi = \"access-token\"\n");
    assert_eq!(c.endpoints.len(), 1);
}

#[test]
fn unusable_values_are_errors() {
    for (text, want) in [
        ("crate-name = \"\"", "1 to 64"),
        ("crate-name = \"my crate\"", "only ASCII"),
        ("crate-name = \"123abc\"", "starts with a letter"),
        ("crate-name = \"../../evil\"", "starts with a letter"),
        ("crate-name = \"self\"", "keyword"),
        ("version = \"banana\"", "semantic version"),
        ("version = \"1.02.3\"", "semantic version"),
        ("default-base-url = \"not a url\"", "expected a URL"),
        ("default-base-url = \"ftp://x\"", "expected a URL"),
        ("default-base-url = \"https://u:p@x\"", "user name"),
        ("default-endpoint = \"nope\"", "not declared"),
        ("default-endpoint = \"explorer\"", "not an HTTP endpoint"),
        ("[endpoints]\n\"a/b\" = \"signed\"", "path segment"),
        (
            "[endpoints]\nws = { transport = \"websocket\" }",
            "needs `url",
        ),
        (
            "[endpoints]\ntokenapi = \"access-token\"\nws = { transport = \"websocket\", url = \"http://x\" }",
            "expected a URL",
        ),
        (
            "[common-parameters]\nnonce = \"Action\"",
            "two common parameters",
        ),
        ("[common-parameters]\nnonce = \"a b\"", "parameter name"),
        ("[groups]\ndefault = []", "cannot be a group name"),
        ("[groups]\nx = \"a/b\"", "not a folder name"),
        ("bogus = 1", "unknown field"),
    ] {
        let errs = errors(text);
        assert!(errs.iter().any(|e| e.contains(want)), "{text}: {errs:?}");
    }
    assert!(errors("version = \"1.0.0-rc.1+build.5\"").is_empty());
    assert!(errors("crate-name = \"iot_explorer-2\"").is_empty());
    assert!(errors("default-base-url = \"http://127.0.0.1:8080/api\"").is_empty());
}
