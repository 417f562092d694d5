//! `overrides.toml`: the maintainer's corrections, kept apart from the
//! pages so that they survive the next docs refresh.
//!
//! They apply after parsing and before types are resolved, so an added or
//! retyped field is written the way the docs write types. Every entry must
//! match something: a stale correction is an error at its line, so they
//! cannot pile up silently.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use serde::Deserialize;
use toml::Spanned;

/// Name of the overrides file in a specs folder.
pub const FILE: &str = "overrides.toml";

/// The parsed file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Corrections to whole actions.
    #[serde(default)]
    pub action: Vec<Spanned<ActionOverride>>,
    /// Corrections to single fields.
    #[serde(default)]
    pub field: Vec<Spanned<FieldOverride>>,
    /// Known defects of examples, kept as the docs have them.
    #[serde(default)]
    pub example: Vec<Spanned<ExampleOverride>>,
    /// Paginated actions the rule over the tables does not find.
    #[serde(default)]
    pub pagination: Vec<Spanned<PaginationOverride>>,
}

/// `[[pagination]]`: declares how an action's replies page, for tables the
/// rule does not read that way (other field names, two arrays).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationOverride {
    /// The action as the pages name it.
    pub action: String,
    /// Its sub-command value, for actions split by one.
    pub sub_command: Option<String>,
    /// The output array.
    pub items: String,
    /// With `limit`: the input that skips items (offset paging).
    pub offset: Option<String>,
    /// The input that sets the page size.
    pub limit: Option<String>,
    /// With `offset`: the output that counts every item.
    pub total: Option<String>,
    /// The input that carries a cursor (cursor paging).
    pub cursor: Option<String>,
    /// With `cursor`: the output that carries the next cursor.
    pub next: Option<String>,
    /// With `cursor`: the output that says whether the list is over.
    pub done: Option<String>,
    /// The largest page size.
    pub max_limit: Option<u64>,
}

/// `[[example]]`: declares that one example of an action differs from its
/// tables in one documented way. The example's test then checks exactly
/// that difference, and the entry is stale once the docs are fixed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExampleOverride {
    /// The action as the pages name it.
    pub action: String,
    /// Its sub-command value, for actions split by one.
    pub sub_command: Option<String>,
    /// The example, by its name in the IR (`request_1`, `response_2`).
    pub example: String,
    /// The member the defect is about, when it is about one.
    pub field: Option<String>,
    /// What is wrong with the example.
    pub defect: crate::ir::DefectKind,
    /// Why the tables, not the example, are believed.
    pub reason: String,
}

/// `[[action]]`: selects an action by the name the pages give it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ActionOverride {
    /// The action as the pages name it.
    pub action: String,
    /// Its sub-command value, for actions split by one.
    pub sub_command: Option<String>,
    /// The correct wire name.
    pub rename: Option<String>,
    /// Replies nest the output fields in a `Data` object.
    pub data_wrapper: Option<bool>,
    /// The endpoint (and so the auth mode) when the page's signals
    /// disagree about it.
    pub endpoint: Option<String>,
    /// `false`: the action is not paginated, although its tables look so.
    pub paginated: Option<bool>,
}

/// `[[field]]`: selects a field of an action's input or output table, or
/// of a structure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FieldOverride {
    /// The action whose table it is in.
    pub action: Option<String>,
    /// Its sub-command value, for actions split by one.
    pub sub_command: Option<String>,
    /// `input` or `output`, with `action`.
    pub side: Option<Side>,
    /// Or: the structure whose table it is in.
    pub structure: Option<String>,
    /// The field's wire name (as documented).
    pub name: String,
    /// Add the field (it must not exist); the type as the docs write it.
    pub add: Option<Spanned<String>>,
    /// With `add`: whether the caller must set it (inputs only).
    pub required: Option<bool>,
    /// With `add`: its description.
    pub doc: Option<String>,
    /// Replace its type (as the docs write types).
    #[serde(rename = "type")]
    pub retype: Option<Spanned<String>>,
    /// Correct its wire name.
    pub rename: Option<String>,
    /// Make an input optional.
    pub optional: Option<bool>,
    /// Redact it in `Debug`.
    pub sensitive: Option<bool>,
}

/// Which table of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The input table.
    Input,
    /// The output table.
    Output,
}

/// Parses the file; syntax and unknown keys are errors at their place.
pub fn parse(file: FileId, text: &str) -> Result<Overrides, Box<Diagnostic>> {
    toml::from_str(text).map_err(|e| {
        Box::new(
            Diagnostic::error(
                "overrides",
                format!("invalid overrides.toml: {}", e.message()),
            )
            .at(Span::new(file, e.span().unwrap_or(0..0))),
        )
    })
}
