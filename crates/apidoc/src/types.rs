//! The 类型 column: the many ways the docs spell a type, read into a
//! [`TypeExpr`] before structure names are resolved.

use crate::page::Cell;

/// A type as written, structure names not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// `String`, `string`.
    String,
    /// `Int`, `int`, `Integer`, `Interger`, `Int32`, `Int64`, `int64`.
    I64,
    /// `UINT`, `Uint`.
    U64,
    /// `Float`, `float32`.
    F64,
    /// `Boolean`, `Bool`.
    Bool,
    /// `Object`, `OBJECT`, `object`, `Any`: JSON with no structure.
    Json,
    /// `Array of X`, `Array Of X`, `[X]`, `[Array](…#x)`.
    List(Box<TypeExpr>),
    /// A structure: a bare name (`UserSetting`) or a link (`[X](…#x)`).
    Named(NamedRef),
    /// `Array` with no element type: the structure, if any, is named in the
    /// description.
    BareArray,
}

/// A reference to a structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRef {
    /// The anchor of a link, or the bare name.
    pub target: String,
    /// The link text when it differs from the anchor (`[Devices](#device)`).
    pub text: Option<String>,
    /// Written as a link rather than a bare name.
    pub linked: bool,
}

/// Why a type cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    /// The part that was not understood.
    pub found: String,
}

/// Reads a 类型 cell.
pub fn parse_cell(cell: &Cell) -> Result<TypeExpr, TypeError> {
    if let Some(link) = cell.links.first() {
        let anchor = link.anchor().map(str::to_string);
        let text_is_array = link.text.eq_ignore_ascii_case("array");
        let target = match (&anchor, text_is_array) {
            (Some(a), _) => a.clone(),
            (None, true) => return Ok(TypeExpr::BareArray),
            (None, false) => link.text.clone(),
        };
        let differs = !text_is_array && !link.text.eq_ignore_ascii_case(&target);
        let named = TypeExpr::Named(NamedRef {
            target,
            text: differs.then(|| link.text.clone()),
            linked: true,
        });
        // Whatever surrounds the link (`Array of`, `Array Of Object of`,
        // `Array Of name of`) only matters for whether it is a list.
        let outside = cell.text.replacen(&link.text, "", 1).to_ascii_lowercase();
        let is_list = text_is_array || outside.split_whitespace().any(|w| w == "array");
        return Ok(if is_list {
            TypeExpr::List(Box::new(named))
        } else {
            named
        });
    }
    parse_text(cell.text.trim().trim_end_matches(['。', '.']).trim())
}

/// Reads a type written as plain text.
pub fn parse_text(text: &str) -> Result<TypeExpr, TypeError> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return Ok(TypeExpr::List(Box::new(parse_text(inner.trim())?)));
    }
    // `String[]`, `Array<String>`, `List<String>`: other languages' lists.
    if let Some(inner) = text.strip_suffix("[]") {
        return Ok(TypeExpr::List(Box::new(parse_text(inner)?)));
    }
    for open in ["array<", "list<"] {
        if lower.starts_with(open) && lower.ends_with('>') {
            let inner = &text[open.len()..text.len() - 1];
            return Ok(TypeExpr::List(Box::new(parse_text(inner)?)));
        }
    }
    for prefix in ["array of ", "list of ", "object of "] {
        if lower.starts_with(prefix) {
            let rest = text[prefix.len()..].trim();
            let inner = parse_text(rest)?;
            return Ok(if prefix == "object of " {
                inner
            } else {
                TypeExpr::List(Box::new(inner))
            });
        }
    }
    // The docs' spellings, and others whose meaning is as clear.
    let scalar = match lower.as_str() {
        "string" | "str" => Some(TypeExpr::String),
        "int" | "integer" | "interger" | "int8" | "int16" | "int32" | "int64" | "long"
        | "short" => Some(TypeExpr::I64),
        "uint" | "uint8" | "uint16" | "uint32" | "uint64" | "unsigned" => Some(TypeExpr::U64),
        "float" | "float32" | "float64" | "double" | "number" => Some(TypeExpr::F64),
        "boolean" | "bool" => Some(TypeExpr::Bool),
        "object" | "any" | "json" | "map" => Some(TypeExpr::Json),
        "array" => Some(TypeExpr::BareArray),
        _ => None,
    };
    if let Some(s) = scalar {
        return Ok(s);
    }
    let is_ident = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_ident {
        return Ok(TypeExpr::Named(NamedRef {
            target: text.to_string(),
            text: None,
            linked: false,
        }));
    }
    Err(TypeError {
        found: text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page;

    /// Reads the type cell of a one-row table, as the docs write it.
    fn cell(src: &str) -> TypeExpr {
        let md = format!("|名称|类型|\n|---|---|\n|A|{src}|\n");
        let page = page::parse(&md);
        let page::Block::Table(t) = &page.sections[0].blocks[0] else {
            panic!("no table")
        };
        parse_cell(&t.rows[0].cells[1]).unwrap_or_else(|e| panic!("{src}: {e:?}"))
    }

    fn named(t: &str) -> TypeExpr {
        TypeExpr::Named(NamedRef {
            target: t.into(),
            text: None,
            linked: true,
        })
    }

    fn list(t: TypeExpr) -> TypeExpr {
        TypeExpr::List(Box::new(t))
    }

    #[test]
    fn every_spelling_in_the_design() {
        use TypeExpr::*;
        for (src, want) in [
            ("String", String),
            ("string", String),
            ("Int", I64),
            ("int", I64),
            ("Integer", I64),
            ("Interger", I64),
            ("Int32", I64),
            ("Int64", I64),
            ("int64", I64),
            ("UINT", U64),
            ("Uint", U64),
            ("Float", F64),
            ("float32", F64),
            ("Boolean", Bool),
            ("Bool", Bool),
            ("Object", Json),
            ("OBJECT", Json),
            ("object", Json),
            ("Any", Json),
            ("Array of String", list(String)),
            ("Array Of String", list(String)),
            ("[String]", list(String)),
            ("Array", BareArray),
            ("Array ", BareArray),
            ("String[]", list(String)),
            ("list of Boolean", list(Bool)),
            ("double", F64),
            ("uint32", U64),
            ("long", I64),
            ("JSON", Json),
            (
                "UserSetting",
                Named(NamedRef {
                    target: "UserSetting".into(),
                    text: None,
                    linked: false,
                }),
            ),
        ] {
            assert_eq!(cell(src), want, "{src}");
        }
    }

    #[test]
    fn linked_structures() {
        assert_eq!(
            cell("[Array](https://x/40780#products)"),
            list(named("products"))
        );
        assert_eq!(
            cell("Array of [Action](https://x/40780#action)"),
            list(named("action"))
        );
        assert_eq!(cell("array of [songs](#songs)"), list(named("songs")));
        assert_eq!(
            cell("Object of [AppDeviceInfo](https://x#appdeviceinfo)"),
            named("appdeviceinfo")
        );
        assert_eq!(cell("[Property](#Property)"), named("Property"));
        assert_eq!(cell("Array Of Object of [a_b](#a_b)"), list(named("a_b")));
        assert_eq!(cell("Array Of x_y of [x_y](#x_y)"), list(named("x_y")));
        assert_eq!(
            cell("[Devices](#device)"),
            TypeExpr::Named(NamedRef {
                target: "device".into(),
                text: Some("Devices".into()),
                linked: true
            })
        );
    }

    #[test]
    fn angle_bracket_lists_as_plain_text() {
        // In a Markdown cell `<Int64>` is an HTML tag, so only plain text
        // (an override's type) can spell a list this way.
        assert_eq!(parse_text("Array<Int64>"), Ok(list(TypeExpr::I64)));
        assert_eq!(parse_text("List<String>"), Ok(list(TypeExpr::String)));
    }

    #[test]
    fn unknown_spellings_are_errors() {
        assert_eq!(
            parse_text("Strng of stuff"),
            Err(TypeError {
                found: "Strng of stuff".into()
            })
        );
        assert!(parse_text("Array of 整数").is_err());
        assert!(parse_text("").is_err());
    }
}
