//! Doc text from the specs, made safe for rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc]` attribute per line, so prettyplease prints `///` lines.
/// `text` is rustdoc Markdown: pass doc text from the specs through
/// [`spec_text`] first.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {}", l.trim_end()));
    quote! { #(#[doc = #lines])* }
}

/// Inner docs (`//!`) for a module.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {}", l.trim_end()));
    quote! { #(#![doc = #lines])* }
}

/// Doc text from the specs, made safe for rustdoc. It is written by people
/// for a web page: brackets would become intra-doc links, angle brackets
/// HTML tags, fences and indented lines doctests. Lines are trimmed and
/// those characters escaped so the text reads as written.
pub fn spec_text(text: &str) -> String {
    text.lines()
        .map(|l| escape(l.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '`' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markdown_that_rustdoc_would_act_on() {
        assert_eq!(
            super::spec_text("  [Array](x) <li>a\n    ```b"),
            "\\[Array\\](x) \\<li\\>a\n\\`\\`\\`b"
        );
    }
}
