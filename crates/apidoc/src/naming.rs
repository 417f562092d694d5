//! Turning documented names into Rust identifiers.

/// Splits a documented name into words: at `_`, `-`, spaces, other
/// punctuation and non-ASCII characters (so every identifier made from the
/// words is plain ASCII and always valid), at a lower-to-upper change (`deviceIds`), and before the
/// last capital of an acronym run (`OTAInfo` -> `OTA`, `Info`).
pub fn words(name: &str) -> Vec<String> {
    word_spans(name).map(str::to_owned).collect()
}

/// The words of [`words`], as slices of `name`: naming runs for every
/// field, type and sort key, so it allocates nothing per character.
fn word_spans(name: &str) -> impl Iterator<Item = &str> {
    let mut chars = name.char_indices().peekable();
    // The previous character, and where the current word started (its
    // letters are ASCII alphanumerics, so it is one slice of `name`).
    let mut prev: Option<char> = None;
    let mut start: Option<usize> = None;
    let mut has_letter = false;
    std::iter::from_fn(move || {
        while let Some((i, c)) = chars.next() {
            let before = prev.replace(c);
            if !c.is_ascii_alphanumeric() {
                if let Some(s) = start.take() {
                    return Some(&name[s..i]);
                }
                continue;
            }
            let Some(s) = start else {
                start = Some(i);
                has_letter = c.is_alphabetic();
                continue;
            };
            if c.is_uppercase() {
                // `before` is the previous character of the same word.
                let prev = before.unwrap_or(c);
                let next_lower = chars.peek().is_some_and(|&(_, n)| n.is_lowercase());
                // A digit ends a word only if the word has letters:
                // `Int32Value` splits, `3D` does not.
                let after_digits = prev.is_ascii_digit() && has_letter;
                if prev.is_lowercase() || after_digits || (prev.is_uppercase() && next_lower) {
                    start = Some(i);
                    has_letter = true;
                    return Some(&name[s..i]);
                }
            }
            has_letter |= c.is_alphabetic();
        }
        start.take().map(|s| &name[s..])
    })
}

/// `FirmwareURL` -> `firmware_url`, `AppGetDeviceOTAInfo` -> `app_get_device_ota_info`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (n, w) in word_spans(name).enumerate() {
        if n > 0 {
            out.push('_');
        }
        // Words are ASCII alphanumerics.
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// `AppGetDeviceOTAInfo` -> `AppGetDeviceOtaInfo`, `data_song_url` -> `DataSongUrl`.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in word_spans(name) {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// Names the generated crate defines at its root: no structure may take
/// them. Rust names are chosen here, in the IR, so this is the one list;
/// codegen's tests check that what it emits at the root is on it.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorCode",
    "ErrorKind",
    "RetryPolicy",
    "Request",
    "ReadmeDoctests",
    "Login",
    "Token",
    "TokenContext",
    "TokenError",
    "TokenFuture",
    "TokenProvider",
    "Pages",
    "Items",
    "DeviceChanges",
    "DeviceChange",
    "ChannelEvent",
    "ChannelOptions",
    "ChannelHandle",
    "Disconnected",
    "Reconnected",
];

/// Methods the generated `Client` has besides the actions': no action's
/// method may take them.
pub const RESERVED_METHODS: &[&str] = &["builder", "with_access_token", "device_changes"];

/// Cargo features the generated crate defines itself: no `[groups]` entry
/// may take them.
pub const RESERVED_FEATURES: &[&str] = &["default", "blocking", "test-util"];

/// Keywords that may be used as raw identifiers.
const RAW_OK: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
/// Keywords that cannot be raw identifiers.
const NO_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether a documented name can become a file, method or type name: an
/// ASCII letter, then letters, digits and `_`. Anything else (`../../evil`,
/// a Chinese title, a space) is refused before it names anything.
pub fn is_api_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `s` is a Rust keyword (strict, reserved or weak-as-identifier).
pub fn is_keyword(s: &str) -> bool {
    RAW_OK.contains(&s) || NO_RAW.contains(&s)
}

/// A field or method name: snake case, keywords made raw (`r#type`), and
/// names that cannot be raw, or start with a digit, given a `_` suffix or prefix.
pub fn field_ident(name: &str) -> String {
    let s = snake_case(name);
    ident(if s.is_empty() { "field".to_string() } else { s })
}

/// An action's method name: the action's snake case, then its
/// sub-command's (`app_kugou_user_command_song_url`), made a valid
/// identifier as a field name is, so that an action called `Type` gets
/// `r#type` and one called `Self` gets `self_` (which cannot be raw).
pub fn method_ident(action: &str, sub_command: Option<&str>) -> String {
    let s = match sub_command {
        Some(sub) => format!("{}_{}", snake_case(action), snake_case(sub)),
        None => snake_case(action),
    };
    ident(if s.is_empty() { "call".to_string() } else { s })
}

/// A name made from an identifier and a suffix (the `_pages` walker of a
/// method, the tests of an action): the identifier loses the `r#` the
/// compound no longer needs (`r#type` -> `type_pages`) and the `_` that
/// kept it clear of a keyword (`self_` -> `self_pages`: `self__pages`
/// would not be snake case).
pub fn with_suffix(ident: &str, suffix: &str) -> String {
    let stem = ident.trim_start_matches("r#");
    let stem = match stem.strip_suffix('_') {
        Some(kw) if NO_RAW.contains(&kw) => kw,
        _ => stem,
    };
    format!("{stem}_{suffix}")
}

/// A type or variant name: Pascal case, made a valid identifier.
pub fn type_ident(name: &str) -> String {
    let s = pascal_case(name);
    ident(if s.is_empty() {
        "Unnamed".to_string()
    } else {
        s
    })
}

fn ident(s: String) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else if NO_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if RAW_OK.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Error code `InvalidParameterValue.InvalidAccessToken` -> variant
/// `InvalidParameterValueInvalidAccessToken`. Each dot-separated part keeps
/// its own word breaks.
pub fn error_variant(code: &str) -> String {
    type_ident(code)
}

/// Whether a field carries a secret: its value must never be printed.
pub fn is_sensitive(api_name: &str) -> bool {
    let n = api_name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "verificationcode",
        "verifycode",
        "signature",
    ]
    .iter()
    .any(|s| n.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_design() {
        for (input, want) in [
            ("AppGetDeviceOTAInfo", "app_get_device_ota_info"),
            ("FirmwareURL", "firmware_url"),
            ("ProductId", "product_id"),
            ("ProductID", "product_id"),
            ("ProductIds", "product_ids"),
            ("KGCommand", "kg_command"),
            ("deviceIds", "device_ids"),
            ("data_monitor_delay", "data_monitor_delay"),
            ("mvInfos_mv_infos", "mv_infos_mv_infos"),
            ("Int32Value", "int32_value"),
            ("UploadURL2", "upload_url2"),
            (
                "AppKugouUserCommand song_url",
                "app_kugou_user_command_song_url",
            ),
        ] {
            assert_eq!(snake_case(input), want, "{input}");
        }
    }

    /// The rule of [`words`] written one character at a time, as the docs
    /// state it: the slices [`word_spans`] returns must be exactly these.
    fn words_by_characters(name: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut cur = String::new();
        let chars: Vec<char> = name.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if !c.is_ascii_alphanumeric() {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                continue;
            }
            if c.is_uppercase() && !cur.is_empty() {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
                let after_digits = prev.is_ascii_digit() && cur.chars().any(char::is_alphabetic);
                if prev.is_lowercase() || after_digits || (prev.is_uppercase() && next_lower) {
                    words.push(std::mem::take(&mut cur));
                }
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        words
    }

    proptest::proptest! {
        #[test]
        fn words_split_as_the_rule_says(name in "[a-zA-Z0-9_ .\\-éÉß中]{0,24}") {
            let want = words_by_characters(&name);
            proptest::prop_assert_eq!(words(&name), want.clone());
            let snake: Vec<String> = want.iter().map(|w| w.to_lowercase()).collect();
            proptest::prop_assert_eq!(snake_case(&name), snake.join("_"));
            let pascal: String = want
                .iter()
                .map(|w| w[..1].to_uppercase() + &w[1..].to_lowercase())
                .collect();
            proptest::prop_assert_eq!(pascal_case(&name), pascal);
        }
    }

    #[test]
    fn pascal_case_follows_design() {
        assert_eq!(pascal_case("AppGetDeviceOTAInfo"), "AppGetDeviceOtaInfo");
        assert_eq!(pascal_case("KugouParams_song_url"), "KugouParamsSongUrl");
        assert_eq!(pascal_case("APPNoPermission"), "AppNoPermission");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Match"), "r#match");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(field_ident("3D"), "_3d");
        assert_eq!(method_ident("Type", None), "r#type");
        assert_eq!(method_ident("Crate", None), "crate_");
        assert_eq!(method_ident("Gen", None), "r#gen");
        assert_eq!(method_ident("Type", Some("fn")), "type_fn");
        assert_eq!(with_suffix("r#type", "pages"), "type_pages");
        assert_eq!(with_suffix("self_", "pages"), "self_pages");
        assert_eq!(with_suffix("type_2", "pages"), "type_2_pages");
        assert_eq!(
            method_ident("AppKugouUserCommand", Some("song_url")),
            "app_kugou_user_command_song_url"
        );
        assert_eq!(field_ident("名称"), "field");
        assert_eq!(type_ident("Data 说明 (v2)"), "DataV2");
    }

    /// Every strict and reserved keyword, up to edition 2024 (`gen`), from
    /// the Reference, written out rather than taken from the lists above,
    /// so that a keyword missing there fails here: syn, which the codegen
    /// tests parse with, knows no edition and accepts `fn gen`.
    #[test]
    fn no_keyword_is_left_bare() {
        let keywords = [
            "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
            "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
            "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
            "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become",
            "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
            "yield", "try", "gen",
        ];
        for k in keywords {
            assert!(is_keyword(k), "{k}");
            for made in [field_ident(k), method_ident(k, None), type_ident(k)] {
                assert!(
                    made.starts_with("r#") || !keywords.contains(&made.as_str()),
                    "{k} -> {made}"
                );
            }
        }
    }

    #[test]
    fn error_variants() {
        assert_eq!(
            error_variant("InvalidParameterValue.InvalidAccessToken"),
            "InvalidParameterValueInvalidAccessToken"
        );
        assert_eq!(error_variant("InternalError"), "InternalError");
        assert_eq!(
            error_variant("UnauthorizedOperation.APPNoPermissionToStudioProduct"),
            "UnauthorizedOperationAppNoPermissionToStudioProduct"
        );
    }

    #[test]
    fn sensitive_names() {
        for s in [
            "Password",
            "AccessToken",
            "VerificationCode",
            "AppSecret",
            "NewPassword",
        ] {
            assert!(is_sensitive(s), "{s}");
        }
        for s in ["ProductId", "TokenExpireAt", "Nonce"] {
            assert!(!is_sensitive(s), "{s}");
        }
    }
}
