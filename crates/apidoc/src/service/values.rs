//! The rules for single values (crate name, version, URL, endpoint,
//! parameter name), each saying why a value is refused, for the message.

use crate::naming;

/// A cargo package name that is also a Rust crate identifier once `-`
/// becomes `_` (the generated doctests name the crate).
pub(super) fn check_crate_name(s: &str) -> Result<(), String> {
    let ident = s.replace('-', "_");
    if s.is_empty() || s.len() > 64 {
        return Err("a crate name has 1 to 64 characters".into());
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("a crate name starts with a letter".into());
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err("a crate name has only ASCII letters, digits, `-` and `_`".into());
    }
    if naming::is_keyword(&ident) {
        return Err(format!("`{ident}` is a Rust keyword"));
    }
    Ok(())
}

/// A semantic version, as cargo requires: `MAJOR.MINOR.PATCH`, numbers
/// without leading zeros, and an optional `-pre` and `+build`.
pub(super) fn check_version(s: &str) -> Result<(), String> {
    let expected = || "expected a semantic version such as `0.1.0`".to_string();
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let number = |p: &str| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'))
            && p.parse::<u64>().is_ok()
    };
    if parts.len() != 3 || !parts.iter().all(|p| number(p)) {
        return Err(expected());
    }
    let idents = |x: &str| {
        x.split('.')
            .all(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    if pre.is_some_and(|p| !idents(p)) || build.is_some_and(|b| !idents(b)) {
        return Err(expected());
    }
    Ok(())
}

/// An absolute URL with one of `schemes`, a host, and no user info,
/// query, fragment or whitespace.
pub(super) fn check_url(s: &str, schemes: &[&str]) -> Result<(), String> {
    let want = schemes
        .iter()
        .map(|s| format!("`{s}://`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(format!("expected a URL starting with {want}"));
    };
    if !schemes.contains(&scheme) {
        return Err(format!("expected a URL starting with {want}"));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a URL has no spaces".into());
    }
    if s.contains(['?', '#']) {
        return Err("the URL must not have a query or fragment".into());
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return Err("the URL must not contain a user name or password".into());
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            authority
        }
    });
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err("the URL has no valid host".into());
    }
    Ok(())
}

pub(super) fn check_segment(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err("an endpoint is a URL path segment: letters, digits, `-` and `_`".into())
    }
}

pub(super) fn check_parameter_name(s: &str) -> Result<(), String> {
    let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err("a parameter name has letters, digits and `_`, and starts with a letter".into())
    }
}
