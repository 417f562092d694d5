//! Synthetic interface docs in the published IoT Explorer format, for scale
//! tests and benchmarks of the generator.
//!
//! [`corpus`] makes `pages` action pages and one structures page
//! (`structures.md`) from a seed. The pages are written from this crate's
//! own templates and word lists, not copied from the real docs, but they
//! have the variety the real sample shows: every spelling of the 类型
//! column the generator accepts, structures linked in all the published
//! ways (some nested, some recursive), optional fields, error tables,
//! request and response examples both as fenced blocks and as
//! `<dx-codeblock>` `:::` blocks, HTTP request lines, both endpoints, both
//! kinds of parentheses in `本接口（X）`, padded and compact tables.
//!
//! Every page lints without errors. A few carry the defects the generator
//! routes around with a warning (a bare `Array` whose description links the
//! structure, a `//` comment or a trailing comma in an example), as the
//! real docs do, so those paths are measured too.
//!
//! Output is a pure function of `(pages, seed)`: the same pair gives the
//! same bytes on every machine and every run.

#![deny(missing_docs)]

mod render;
mod rng;
mod words;

use rng::Rng;
use std::collections::HashSet;
use std::io;
use std::path::Path;
use words::Kind;

/// Name of the structures page in the output.
pub const STRUCTURES_FILE: &str = "structures.md";

/// Name of the marker file [`write`] leaves in its output folder, so that a
/// later run may replace that folder's pages and no other folder's.
pub const MARKER_FILE: &str = ".synth";

/// Makes a corpus: `pages` action pages plus `structures.md`, as
/// `(path relative to the specs folder, text)`, sorted by path.
pub fn corpus(pages: usize, seed: u64) -> Vec<(String, String)> {
    let model = Model::generate(pages, seed);
    let mut out = Vec::with_capacity(pages + 1);
    out.push((STRUCTURES_FILE.to_string(), render::structures_page(&model)));
    for action in &model.actions {
        out.push((
            format!("{}.md", action.name),
            render::action_page(&model, action),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Writes [`corpus`] into `dir` (created if missing).
///
/// A folder that already has entries is only reused if an earlier `write`
/// made it (it holds [`MARKER_FILE`]): its `.md` pages are then replaced.
/// Any other non-empty folder is refused, so pointing this at real specs by
/// mistake cannot delete them.
pub fn write(dir: &Path, pages: usize, seed: u64) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut entries = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    if !entries.is_empty() {
        if !dir.join(MARKER_FILE).is_file() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is not empty and was not made by synth: refusing to write pages into it",
                    dir.display()
                ),
            ));
        }
        // Pages of an earlier, larger corpus would otherwise stay behind.
        entries.sort_by_key(|e| e.path());
        for e in entries {
            if e.file_type()?.is_file() && e.path().extension().is_some_and(|x| x == "md") {
                std::fs::remove_file(e.path())?;
            }
        }
    }
    for (path, text) in corpus(pages, seed) {
        std::fs::write(dir.join(path), text)?;
    }
    std::fs::write(
        dir.join(MARKER_FILE),
        format!("synthetic corpus: pages = {pages}, seed = {seed}\n"),
    )
}

// ---- the model ----------------------------------------------------------------

/// How a field's type is written in the 类型 column.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ty {
    /// A scalar or a list of scalars, with the spelling used.
    Plain { kind: Kind, spelling: &'static str },
    /// A structure, referred to in one of the published ways.
    Struct { target: usize, form: RefForm },
}

/// The ways the docs refer to a structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefForm {
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
    fn is_list(self) -> bool {
        matches!(
            self,
            RefForm::ArrayOf | RefForm::ArrayOfCapital | RefForm::ArrayLink | RefForm::BareArray
        )
    }
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    doc: String,
    ty: Ty,
    required: bool,
}

#[derive(Debug)]
struct Structure {
    name: String,
    doc: String,
    fields: Vec<Field>,
    /// Whether its table has a 必选 column (the real page mixes both).
    required_column: bool,
    /// Link anchors: the heading lowercased, as the docs mostly write them,
    /// or as is; resolution is case-insensitive either way.
    anchor: String,
    /// Actions that use it, for the `被如下接口引用` line.
    users: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Token,
    App,
}

#[derive(Debug)]
struct Action {
    name: String,
    /// Chinese verb and object for the description sentence.
    purpose: String,
    endpoint: Endpoint,
    inputs: Vec<Field>,
    outputs: Vec<Field>,
    errors: Vec<(String, String)>,
    style: Style,
}

/// Choices that change how a page is written but not what it says.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// `（X）` or `(X)`.
    full_width_parens: bool,
    /// Index into the endpoint-line templates.
    endpoint_line: usize,
    /// Index into the Action-row description templates.
    action_row: usize,
    /// Tables padded to aligned columns, or compact `|a|b|`.
    padded: bool,
    /// `<dx-codeblock>` `:::` examples instead of fences.
    dx_blocks: bool,
    /// The request example starts with an HTTP request line.
    http_line: bool,
    /// Examples under `#### 示例1` sub-headings.
    example_heading: bool,
    /// Also a failure example.
    error_example: bool,
    /// Output table lists `RequestId` first, last or not at all.
    request_id_row: u8,
    /// A `//` comment in the request example (repaired, with a warning).
    json_comment: bool,
    /// A trailing comma in the response example (repaired, with a warning).
    trailing_comma: bool,
    /// Indentation of examples: 2 or 4 spaces, or a tab.
    indent: &'static str,
    /// Index into the success-label templates.
    success_label: usize,
}

struct Model {
    structures: Vec<Structure>,
    actions: Vec<Action>,
}

/// Names already used, compared the way Rust names are made from them
/// (letters and digits, case folded), so no two become the same identifier.
#[derive(Default)]
struct Names(HashSet<String>);

impl Names {
    fn key(name: &str) -> String {
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }

    fn insert(&mut self, name: &str) -> bool {
        self.0.insert(Self::key(name))
    }

    fn contains(&self, name: &str) -> bool {
        self.0.contains(&Self::key(name))
    }
}

impl Model {
    fn generate(pages: usize, seed: u64) -> Model {
        let mut rng = Rng::new(seed);
        // About one structure per page: the published family has a few
        // hundred structures for its hundred-odd pages, and most pages
        // link one or two of them.
        let n_structs = pages + 8;
        let mut structures = Self::structures(&mut rng, n_structs);
        let actions = Self::actions(&mut rng, pages, &mut structures);
        Model {
            structures,
            actions,
        }
    }

    fn structures(rng: &mut Rng, n: usize) -> Vec<Structure> {
        let mut names = Names::default();
        let mut out: Vec<Structure> = Vec::with_capacity(n);
        for i in 0..n {
            let (name, doc) = loop_unique(rng, &mut names, i, |rng| {
                let (a, a_cn) = *rng.pick(words::NOUNS);
                match rng.below(20) {
                    // `KugouParams_song_url`-style names, as a few real headings are.
                    0 => {
                        let (b, b_cn) = *rng.pick(words::NOUNS);
                        let (t, t_cn) = *rng.pick(words::ACTION_TAILS);
                        (
                            format!(
                                "{a}Params_{}_{}",
                                b.to_ascii_lowercase(),
                                t.to_ascii_lowercase()
                            ),
                            format!("{a_cn}{b_cn}{t_cn}参数"),
                        )
                    }
                    1..=9 => {
                        let (t, t_cn) = *rng.pick(words::STRUCT_TAILS);
                        (format!("{a}{t}"), format!("{a_cn}{t_cn}"))
                    }
                    _ => {
                        let (b, b_cn) = *rng.pick(words::NOUNS);
                        let (t, t_cn) = *rng.pick(words::STRUCT_TAILS);
                        (format!("{a}{b}{t}"), format!("{a_cn}{b_cn}{t_cn}"))
                    }
                }
            });
            let anchor = if rng.chance(70) {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            };
            let required_column = rng.chance(60);
            let mut fields = Vec::new();
            let mut field_names = Names::default();
            for _ in 0..rng.range(2, 9) {
                fields.push(scalar_field(rng, &mut field_names, required_column));
            }
            out.push(Structure {
                name,
                doc,
                fields,
                required_column,
                anchor,
                users: Vec::new(),
            });
        }
        // Links between structures: mostly forward to a near neighbour, so
        // nesting is a few levels deep as in the real page; a few point at
        // themselves or back at the structure that links them (recursion,
        // which the generator must box).
        for i in 0..n {
            if rng.chance(30) && i + 1 < n {
                let target = rng.range(i + 1, (i + 24).min(n - 1));
                let form = rng.pick_ref_form(false);
                add_struct_field(&mut out, i, target, form);
                if rng.chance(6) {
                    add_struct_field(&mut out, target, i, RefForm::ObjectOf);
                }
            }
            if rng.chance(4) {
                let form = if rng.chance(50) {
                    RefForm::ObjectOf
                } else {
                    RefForm::ArrayOf
                };
                add_struct_field(&mut out, i, i, form);
            }
        }
        out
    }

    fn actions(rng: &mut Rng, pages: usize, structures: &mut [Structure]) -> Vec<Action> {
        let mut names = Names::default();
        let mut out = Vec::with_capacity(pages);
        let n_structs = structures.len();
        // Each page links the next structure nobody links yet, so almost all
        // are reachable (and generated); the rest stay as unused headings.
        let mut cursor = 0usize;
        let mut error_pool: Vec<(String, String)> = Vec::new();
        for i in 0..pages {
            let (name, purpose) = loop_unique(rng, &mut names, i, |rng| {
                let (v, v_cn) = *rng.pick(words::VERBS);
                let (a, a_cn) = *rng.pick(words::NOUNS);
                let mut name = format!("App{v}{a}");
                let mut purpose = format!("{v_cn}{a_cn}");
                if rng.chance(55) {
                    let (b, b_cn) = *rng.pick(words::NOUNS);
                    name.push_str(b);
                    purpose.push_str(b_cn);
                }
                if rng.chance(35) {
                    let (t, t_cn) = *rng.pick(words::ACTION_TAILS);
                    name.push_str(t);
                    purpose.push_str(t_cn);
                }
                (name, purpose)
            });
            let endpoint = if rng.chance(15) {
                Endpoint::App
            } else {
                Endpoint::Token
            };

            let mut in_names = Names::default();
            let mut inputs = Vec::new();
            for _ in 0..rng.range(1, 7) {
                inputs.push(scalar_field(rng, &mut in_names, true));
            }
            if rng.chance(12) {
                let target = rng.below(n_structs);
                let form = rng.pick_ref_form(true);
                let required = rng.chance(50);
                inputs.push(struct_field(
                    structures,
                    &mut in_names,
                    target,
                    form,
                    required,
                ));
                structures[target].users.push(i);
            }
            let mut out_names = Names::default();
            let mut outputs = Vec::new();
            for _ in 0..rng.range(0, 6) {
                outputs.push(scalar_field(rng, &mut out_names, false));
            }
            let mut links = if rng.chance(70) { 1 } else { 0 } + if rng.chance(20) { 1 } else { 0 };
            if cursor < n_structs && links == 0 && rng.chance(50) {
                links = 1;
            }
            for k in 0..links {
                let target = if k == 0 && cursor < n_structs * 9 / 10 {
                    cursor += 1;
                    cursor - 1
                } else {
                    rng.below(n_structs)
                };
                let form = rng.pick_ref_form(true);
                outputs.push(struct_field(
                    structures,
                    &mut out_names,
                    target,
                    form,
                    false,
                ));
                let users = &mut structures[target].users;
                if users.last() != Some(&i) {
                    users.push(i);
                }
            }
            if outputs.is_empty() {
                outputs.push(scalar_field(rng, &mut out_names, false));
            }

            let errors = errors(rng, endpoint, &mut error_pool);
            let style = Style {
                full_width_parens: rng.chance(80),
                endpoint_line: rng.below(render::ENDPOINT_LINES),
                action_row: rng.below(render::ACTION_ROWS),
                padded: rng.chance(45),
                dx_blocks: rng.chance(15),
                http_line: rng.chance(60),
                example_heading: rng.chance(10),
                error_example: rng.chance(30),
                request_id_row: rng.below(3) as u8,
                json_comment: rng.chance(3),
                trailing_comma: rng.chance(2),
                indent: rng.pick_str(&["  ", "    ", "    ", "\t"]),
                success_label: rng.below(render::SUCCESS_LABELS),
            };
            out.push(Action {
                name,
                purpose,
                endpoint,
                inputs,
                outputs,
                errors,
                style,
            });
        }
        out
    }
}

/// Draws names until one is new. After many misses (only when the word
/// lists run out, at hundreds of thousands of pages) a number is appended,
/// which always makes it new, so this never loops forever.
fn loop_unique(
    rng: &mut Rng,
    names: &mut Names,
    serial: usize,
    mut draw: impl FnMut(&mut Rng) -> (String, String),
) -> (String, String) {
    for _ in 0..32 {
        let (name, doc) = draw(rng);
        if names.insert(&name) {
            return (name, doc);
        }
    }
    let (name, doc) = draw(rng);
    let name = format!("{name}V{serial}");
    names.insert(&name);
    (name, doc)
}

/// Common parameters are lifted out of requests by name: a field called
/// like one would vanish from the request type.
const RESERVED_FIELDS: &[&str] = &[
    "Action",
    "RequestId",
    "AccessToken",
    "AppKey",
    "Signature",
    "Timestamp",
    "Nonce",
    "Error",
];

fn scalar_field(rng: &mut Rng, names: &mut Names, required_column: bool) -> Field {
    let (name, doc, kind) = loop {
        let (name, doc, kind) = if rng.chance(20) {
            let (n, d, k) = *rng.pick(words::PLAIN_FIELDS);
            (n.to_string(), d.to_string(), k)
        } else {
            let (a, a_cn) = *rng.pick(words::NOUNS);
            let (t, t_cn, k) = *rng.pick(words::FIELD_TAILS);
            (format!("{a}{t}"), format!("{a_cn}{t_cn}"), k)
        };
        if !RESERVED_FIELDS.contains(&name.as_str()) && !names.contains(&name) {
            names.insert(&name);
            break (name, doc, kind);
        }
    };
    // Mostly the kind the name suggests, sometimes another, as in the docs.
    let kind = if rng.chance(85) {
        kind
    } else {
        *rng.pick(&[
            Kind::Str,
            Kind::Int,
            Kind::Uint,
            Kind::Float,
            Kind::Bool,
            Kind::Json,
            Kind::StrList,
        ])
    };
    let spelling = spelling(rng, kind);
    Field {
        name,
        doc,
        ty: Ty::Plain { kind, spelling },
        required: required_column && rng.chance(60),
    }
}

/// Every spelling of each kind that the real docs use; the usual one most often.
fn spelling(rng: &mut Rng, kind: Kind) -> &'static str {
    let (usual, others): (&'static str, &[&'static str]) = match kind {
        Kind::Str => ("String", &["string"]),
        Kind::Int => (
            "Int",
            &["int", "Integer", "Interger", "Int32", "Int64", "int64"],
        ),
        Kind::Uint => ("UINT", &["Uint"]),
        Kind::Float => ("Float", &["float32"]),
        Kind::Bool => ("Boolean", &["Bool"]),
        Kind::Json => ("Object", &["OBJECT", "object"]),
        Kind::StrList => ("Array of String", &["Array Of String", "[String]"]),
        Kind::IntList => ("Array of Integer", &["[Int]", "Array Of Int64"]),
    };
    if rng.chance(60) {
        usual
    } else {
        rng.pick_str(others)
    }
}

fn struct_field(
    structures: &[Structure],
    names: &mut Names,
    target: usize,
    form: RefForm,
    required: bool,
) -> Field {
    let base = structures[target].name.replace('_', "");
    let mut name = if form.is_list() {
        format!("{base}List")
    } else {
        base
    };
    if RESERVED_FIELDS.contains(&name.as_str()) || !names.insert(&name) {
        let mut n = 2;
        while !names.insert(&format!("{name}{n}")) {
            n += 1;
        }
        name = format!("{name}{n}");
    }
    let doc = structures[target].doc.clone();
    let doc = if form.is_list() {
        format!("{doc}列表")
    } else {
        doc
    };
    Field {
        name,
        doc,
        ty: Ty::Struct { target, form },
        required,
    }
}

/// Adds a field of structure `from` that refers to `to`. Always optional:
/// a required field leading back to its own structure could never be filled.
fn add_struct_field(structures: &mut [Structure], from: usize, to: usize, form: RefForm) {
    let mut names = Names::default();
    for f in &structures[from].fields {
        names.insert(&f.name);
    }
    let mut field = struct_field(structures, &mut names, to, form, false);
    if from == to {
        field.name = if form.is_list() {
            "Children".into()
        } else {
            "Parent".into()
        };
        field.doc = if form.is_list() {
            "子节点，结构与本结构相同".into()
        } else {
            "父节点，结构与本结构相同".into()
        };
        if names.contains(&field.name) {
            return;
        }
    }
    structures[from].fields.push(field);
}

impl Rng {
    /// A way to refer to a structure. Action tables use every form;
    /// structure tables leave out the bare `Array`, which the real
    /// structures page does not use.
    fn pick_ref_form(&mut self, on_action_page: bool) -> RefForm {
        match self.below(100) {
            0..=14 => RefForm::Bare,
            15..=24 => RefForm::Link,
            25..=44 => RefForm::ObjectOf,
            45..=69 => RefForm::ArrayOf,
            70..=79 => RefForm::ArrayOfCapital,
            80..=93 => RefForm::ArrayLink,
            _ if on_action_page => RefForm::BareArray,
            _ => RefForm::ArrayOf,
        }
    }
}

/// The error table: a few codes every page has, and some about the page's
/// own nouns, drawn from a pool so that pages share codes as in the docs.
fn errors(
    rng: &mut Rng,
    endpoint: Endpoint,
    pool: &mut Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![("InternalError".into(), "内部错误".into())];
    match endpoint {
        Endpoint::Token => out.push((
            "InvalidParameterValue.InvalidAccessToken".into(),
            "Token 无效".into(),
        )),
        Endpoint::App => out.push((
            "InvalidParameterValue.InvalidSignature".into(),
            "签名错误".into(),
        )),
    }
    for _ in 0..rng.range(0, 3) {
        let (c, d) = *rng.pick(words::COMMON_ERRORS);
        out.push((c.into(), d.into()));
    }
    for _ in 0..rng.range(0, 3) {
        // Reuse a code other pages have, or coin one; the pool stays small
        // relative to the page count, as one family's codes do.
        if !pool.is_empty() && rng.chance(60) {
            let e = rng.pick(pool).clone();
            out.push(e);
        } else {
            let (cat, cond, cond_cn) = *rng.pick(words::ERROR_KINDS);
            let (noun, noun_cn) = *rng.pick(words::NOUNS);
            let e = (format!("{cat}.{noun}{cond}"), format!("{noun_cn}{cond_cn}"));
            pool.push(e.clone());
            out.push(e);
        }
    }
    let mut seen = HashSet::new();
    out.retain(|(c, _)| seen.insert(c.clone()));
    out
}
