//! The corpus before it is written: structures, actions, their fields
//! and how each page is styled, all drawn from the seed up front so that
//! rendering makes no choices of its own.

use crate::words::Kind;

/// How a field's type is written in the 类型 column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A scalar or a list of scalars, with the spelling used.
    Plain { kind: Kind, spelling: &'static str },
    /// A structure, referred to in one of the published ways.
    Struct { target: usize, form: RefForm },
}

/// The ways the docs refer to a structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefForm {
    /// `DeviceInfo`: the name alone, no link.
    Bare,
    /// `[DeviceInfo](…#deviceinfo)`.
    Link,
    /// `Object of [DeviceInfo](…#deviceinfo)`.
    ObjectOf,
    /// `Array of [DeviceInfo](…#deviceinfo)`.
    ArrayOf,
    /// `Array Of [DeviceInfo](…#deviceinfo)`.
    ArrayOfCapital,
    /// `[Array](…#deviceinfo)`.
    ArrayLink,
    /// `Array`, with the structure linked in the description (a warning).
    BareArray,
}

impl RefForm {
    pub fn is_list(self) -> bool {
        matches!(
            self,
            RefForm::ArrayOf | RefForm::ArrayOfCapital | RefForm::ArrayLink | RefForm::BareArray
        )
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub doc: String,
    pub ty: Ty,
    pub required: bool,
}

#[derive(Debug)]
pub struct Structure {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
    /// Whether its table has a 必选 column (the real page mixes both).
    pub required_column: bool,
    /// Link anchors: the heading lowercased, as the docs mostly write them,
    /// or as is; resolution is case-insensitive either way.
    pub anchor: String,
    /// Actions that use it, for the `被如下接口引用` line.
    pub users: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Token,
    App,
}

#[derive(Debug)]
pub struct Action {
    pub name: String,
    /// Chinese verb and object for the description sentence.
    pub purpose: String,
    pub endpoint: Endpoint,
    pub inputs: Vec<Field>,
    pub outputs: Vec<Field>,
    pub errors: Vec<(String, String)>,
    pub style: Style,
}

/// Choices that change how a page is written but not what it says.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// `（X）` or `(X)`.
    pub full_width_parens: bool,
    /// Index into the endpoint-line templates.
    pub endpoint_line: usize,
    /// Index into the Action-row description templates.
    pub action_row: usize,
    /// Tables padded to aligned columns, or compact `|a|b|`.
    pub padded: bool,
    /// `<dx-codeblock>` `:::` examples instead of fences.
    pub dx_blocks: bool,
    /// The request example starts with an HTTP request line.
    pub http_line: bool,
    /// Examples under `#### 示例1` sub-headings.
    pub example_heading: bool,
    /// Also a failure example.
    pub error_example: bool,
    /// Output table lists `RequestId` first, last or not at all.
    pub request_id_row: u8,
    /// A `//` comment in the request example (repaired, with a warning).
    pub json_comment: bool,
    /// A trailing comma in the response example (repaired, with a warning).
    pub trailing_comma: bool,
    /// Indentation of examples: 2 or 4 spaces, or a tab.
    pub indent: &'static str,
    /// Index into the success-label templates.
    pub success_label: usize,
}

pub struct Model {
    pub structures: Vec<Structure>,
    pub actions: Vec<Action>,
}
