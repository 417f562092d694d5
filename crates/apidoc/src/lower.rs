//! Pages -> IR: finds the action and structure tables, picks names,
//! resolves types, and reports every defect where it is.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::examples;
use crate::ir::{self, Api, Auth, FixedParam, Type};
use crate::naming;
use crate::overrides::{Overrides, Side};
use crate::page::{Block, Cell, Page, Section, Table};
use crate::service::ServiceConfig;
use crate::source::{FileId, SourceDb, Span};
use crate::types::{self, NamedRef, TypeExpr};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a page is, judged from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// An interface page: description, input and output tables.
    Action,
    /// A page of `## Name` headings, each with a field table.
    Structures,
    /// Anything else (the API introduction): skipped.
    Other,
}

/// Tells action pages, structures pages and other pages apart.
pub fn classify(page: &Page) -> PageKind {
    let has = |word: &str| page.sections.iter().any(|s| s.heading.contains(word));
    if has("输入参数") || has("输出参数") {
        return PageKind::Action;
    }
    let struct_sections = page
        .sections
        .iter()
        .filter(|s| s.level == 2 && first_table(s).is_some_and(|t| Columns::of(t).is_some()))
        .count();
    if struct_sections > 0 {
        PageKind::Structures
    } else {
        PageKind::Other
    }
}

fn first_table(s: &Section) -> Option<&Table> {
    table_in(&s.blocks)
}

fn table_in<'p>(blocks: impl IntoIterator<Item = &'p Block>) -> Option<&'p Table> {
    blocks.into_iter().find_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

/// Column positions of a parameter table, found by header name.
#[derive(Debug, Clone, Copy)]
struct Columns {
    name: usize,
    ty: usize,
    required: Option<usize>,
    doc: Option<usize>,
}

impl Columns {
    fn of(t: &Table) -> Option<Columns> {
        let find = |names: &[&str]| {
            t.header
                .iter()
                .position(|c| names.iter().any(|n| c.text.trim() == *n))
        };
        Some(Columns {
            name: find(&["名称", "参数名称", "参数名", "字段", "Name"])?,
            ty: find(&["类型", "Type"])?,
            required: find(&["必选", "是否必选", "必填", "Required"]),
            doc: find(&["描述", "说明", "Description"]),
        })
    }
}

/// A field as documented, its type not yet resolved.
struct RawField {
    api_name: String,
    name_span: Span,
    ty: Result<TypeExpr, types::TypeError>,
    ty_span: Span,
    required: bool,
    doc: String,
    doc_cell: Cell,
    /// Set by an override; otherwise judged from the name.
    sensitive: Option<bool>,
}

struct StructDef {
    name: String,
    heading: Span,
    doc: String,
    fields: Vec<RawField>,
    /// No field table could be read: the structure is untyped JSON.
    untyped: bool,
    /// Problems in the table, reported only once it is known whether an
    /// action uses the structure.
    pending: Vec<Diagnostic>,
}

struct Draft {
    file: FileId,
    name: String,
    sub_command: Option<FixedParam>,
    endpoint: String,
    auth: Auth,
    doc: String,
    inputs: Vec<RawField>,
    outputs: Vec<RawField>,
    errors: Vec<(String, String, Span)>,
    examples: Vec<examples::Found>,
    data_wrapper: bool,
}

/// Lowers parsed pages to the IR. Returns `None` only when nothing at all
/// could be built; errors are in `diags` either way.
pub fn lower(
    db: &SourceDb,
    pages: &[(FileId, Page)],
    service: &ServiceConfig,
    overrides: Option<(FileId, &Overrides)>,
    diags: &mut Diagnostics,
) -> Api {
    let mut cx = Cx {
        db,
        diags: Vec::new(),
        service,
    };
    let mut struct_defs: Vec<StructDef> = Vec::new();
    let mut drafts: Vec<Draft> = Vec::new();
    for (file, page) in pages {
        match classify(page) {
            PageKind::Action => drafts.extend(cx.action_page(*file, page)),
            PageKind::Structures => struct_defs.extend(cx.structures_page(*file, page)),
            PageKind::Other => cx.diags.push(
                Diagnostic::note("skipped-page", "not an interface page nor a structures page: skipped")
                    .at(Span::new(*file, 0..0))
                    .note_line("interface pages have 输入参数/输出参数 sections; structures pages have `## Name` headings with field tables"),
            ),
        }
    }
    if let Some((file, ov)) = overrides {
        cx.apply_overrides(file, ov, &mut drafts, &mut struct_defs);
    }
    let api = cx.finish(drafts, struct_defs);
    for d in cx.diags {
        diags.push(d);
    }
    api
}

struct Cx<'a> {
    db: &'a SourceDb,
    diags: Vec<Diagnostic>,
    service: &'a ServiceConfig,
}

impl Cx<'_> {
    /// Whether a documented parameter is one the client supplies. Any auth
    /// mode's parameters count, matched without case.
    fn is_common(&self, name: &str) -> bool {
        is_common(self.service, name)
    }

    fn text(&self, file: FileId) -> &str {
        &self.db.get(file).text
    }

    // ---- structures pages -------------------------------------------------

    fn structures_page(&mut self, file: FileId, page: &Page) -> Vec<StructDef> {
        let mut out = Vec::new();
        for s in page.sections.iter().filter(|s| s.level == 2) {
            let heading = Span::new(file, s.heading_range.clone());
            let name = s.heading.trim().to_string();
            if name.is_empty() {
                continue;
            }
            let doc = s
                .blocks
                .iter()
                .take_while(|b| !matches!(b, Block::Table(_)))
                .filter_map(|b| match b {
                    Block::Paragraph { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n");
            let before = self.diags.len();
            let (fields, untyped) = match first_table(s) {
                Some(table) => (self.fields(file, table, FieldRole::Structure), false),
                None => {
                    // Pipe lines with no header row are not a table to
                    // Markdown; guessing their columns could lose fields.
                    let rows = s.blocks.iter().find_map(|b| match b {
                        Block::Paragraph { text, range }
                            if text.lines().any(|l| l.trim_start().starts_with('|')) =>
                        {
                            Some(range.clone())
                        }
                        _ => None,
                    });
                    if let Some(range) = rows.clone() {
                        self.diags.push(
                            Diagnostic::warning("no-table-header", format!("structure `{name}` has table rows but no header and `---` row, so no table; it is kept as untyped JSON"))
                                .at(Span::new(file, range))
                                .note_line("add a `| 名称 | 类型 | 描述 |` header and a `|---|---|---|` row"),
                        );
                    }
                    (Vec::new(), rows.is_some())
                }
            };
            let pending = self.diags.split_off(before);
            out.push(StructDef {
                name,
                heading,
                doc,
                fields,
                untyped,
                pending,
            });
        }
        out
    }

    // ---- action pages -----------------------------------------------------

    fn action_page(&mut self, file: FileId, page: &Page) -> Option<Draft> {
        let section = |word: &str| page.sections.iter().find(|s| s.heading.contains(word));
        // A part is a section with its sub-sections (`## 4. 示例` / `#### 示例1`).
        let part = |word: &str| -> Vec<&Block> {
            let Some(i) = page.sections.iter().position(|s| s.heading.contains(word)) else {
                return Vec::new();
            };
            let level = page.sections[i].level;
            let subs = page.sections[i + 1..]
                .iter()
                .take_while(|s| s.level > level);
            std::iter::once(&page.sections[i])
                .chain(subs)
                .flat_map(|s| &s.blocks)
                .collect()
        };
        let desc = section("接口描述").or(page.sections.first());
        let whole = Span::new(file, 0..0);

        let Some(inputs) = table_in(part("输入参数")) else {
            self.diags.push(
                Diagnostic::error("missing-input-table", "no input parameter table: expected a `## 输入参数` section with a `| 名称 | 类型 | 必选 | 描述 |` table")
                    .at(section("输入参数").map_or(whole, |s| Span::new(file, s.heading_range.clone()))),
            );
            return None;
        };
        if Columns::of(inputs).is_none() {
            self.diags.push(
                Diagnostic::error(
                    "bad-table-header",
                    "input table has no 名称 (name) or 类型 (type) column",
                )
                .at(Span::new(
                    file,
                    inputs
                        .header
                        .first()
                        .map_or(inputs.range.clone(), |c| c.range.clone()),
                )),
            );
            return None;
        }

        // Endpoint and the `本接口（X）` sentence live in the description.
        let mut endpoint: Option<(String, Span)> = None;
        let mut sentence: Option<(String, Span)> = None;
        let mut doc_lines = Vec::new();
        for b in desc.map(|s| s.blocks.as_slice()).unwrap_or(&[]) {
            let Block::Paragraph { range, .. } = b else {
                continue;
            };
            let mut pos = range.start;
            for line in self.text(file)[range.clone()].split_inclusive('\n') {
                let start = pos;
                pos += line.len();
                if line.contains("域名") {
                    endpoint = endpoint.or(Some((
                        line.to_string(),
                        Span::new(file, start..start + line.trim_end().len()),
                    )));
                    continue;
                }
                if let Some((name, r)) = find_sentence_name(line) {
                    sentence = sentence.or(Some((
                        name,
                        Span::new(file, start + r.start..start + r.end),
                    )));
                }
                let l = line.trim().replace("**", "");
                if !l.is_empty() {
                    doc_lines.push(l);
                }
            }
        }

        let (endpoint, auth) = self.endpoint(file, endpoint);

        // Inputs: common parameters are lifted; the Action row and a
        // sub-command row (`本接口取值：song_url` on a non-common row) are noted.
        let mut action_row: Option<(String, Span)> = None;
        let mut sub_command: Option<(FixedParam, Span)> = None;
        let mut fields = Vec::new();
        for f in self.fields(file, inputs, FieldRole::Input) {
            if f.api_name.eq_ignore_ascii_case("Action") {
                action_row = action_value(&f.doc).map(|v| (v, f.doc_span()));
            } else if self.is_common(&f.api_name) {
            } else if let (Some(v), Ok(TypeExpr::String), None) =
                (fixed_value(&f.doc), &f.ty, &sub_command)
            {
                sub_command = Some((
                    FixedParam {
                        name: f.api_name.clone(),
                        value: v,
                    },
                    f.doc_span(),
                ));
            } else {
                fields.push(f);
            }
        }

        let outputs = match table_in(part("输出参数")) {
            Some(t) if Columns::of(t).is_some() => self.fields(file, t, FieldRole::Output),
            _ => {
                self.diags.push(
                    Diagnostic::warning(
                        "missing-output-table",
                        "no output parameter table: the response will carry only `RequestId`",
                    )
                    .at(section("输出参数")
                        .map_or(whole.clone(), |s| Span::new(file, s.heading_range.clone()))),
                );
                Vec::new()
            }
        };

        let errors = table_in(part("错误码"))
            .map(|t| self.error_rows(file, t))
            .unwrap_or_default();

        let example = self.example_action(file, &part("示例"));
        let found_examples = examples::extract(
            file,
            &self.db.get(file).text,
            &part("示例"),
            &mut self.diags,
        );
        let name =
            self.pick_action_name(file, sentence, action_row, example, sub_command.as_ref())?;
        Some(Draft {
            file,
            name,
            sub_command: sub_command.map(|(p, _)| p),
            endpoint,
            auth,
            doc: doc_lines.join("\n"),
            inputs: fields,
            outputs,
            errors,
            examples: found_examples,
            data_wrapper: false,
        })
    }

    fn endpoint(&mut self, file: FileId, line: Option<(String, Span)>) -> (String, Auth) {
        let default = self.service.default_endpoint.clone();
        let known: Vec<_> = self.service.endpoints.keys().cloned().collect();
        let found = line.as_ref().and_then(|(l, _)| endpoint_segment(l));
        let segment = match (&line, found) {
            (_, Some(seg)) => seg,
            (Some((_, span)), None) => {
                self.diags.push(
                    Diagnostic::warning("endpoint", format!("endpoint line names no URL path; using the default endpoint `{default}`"))
                        .at(span.clone())
                        .label("expected something like `iot.cloud.tencent.com/api/exploreropen/tokenapi`"),
                );
                default.clone()
            }
            (None, None) => {
                self.diags.push(
                    Diagnostic::warning(
                        "endpoint",
                        format!("no `接口请求域名` line; using the default endpoint `{default}`"),
                    )
                    .at(Span::new(file, 0..0)),
                );
                default.clone()
            }
        };
        match self.service.endpoints.get(&segment) {
            Some(a) => (segment, (*a).into()),
            None => {
                let mut d = Diagnostic::error(
                    "endpoint",
                    format!(
                        "unknown endpoint `{segment}`: expected one of {}",
                        known.join(", ")
                    ),
                )
                .note_line("declare it under [endpoints] in service.toml with its auth mode");
                if let Some((_, span)) = line {
                    d = d.at(span);
                }
                self.diags.push(d);
                (segment, Auth::AccessToken)
            }
        }
    }

    /// The `"Action": "X"` of the first example that has one, found in the
    /// raw text so that broken JSON still counts.
    fn example_action(&self, file: FileId, blocks: &[&Block]) -> Option<(String, Span)> {
        let text = self.text(file);
        blocks.iter().find_map(|b| {
            let Block::Code(c) = b else { return None };
            let body = &text[c.content.clone()];
            let i = body.find("\"Action\"")?;
            let rest = &body[i + 8..];
            let rest_trim = rest
                .trim_start()
                .strip_prefix(':')?
                .trim_start()
                .strip_prefix('"')?;
            let end = rest_trim.find('"')?;
            let start = c.content.start + i + 8 + (rest.len() - rest_trim.len());
            Some((
                rest_trim[..end].to_string(),
                Span::new(file, start..start + end),
            ))
        })
    }

    /// The sentence wins (DESIGN.md: the action name comes from
    /// `本接口（X）`), then the Action row, then the example. A sentence that
    /// names the sub-command is not a candidate. Every disagreement is a warning.
    fn pick_action_name(
        &mut self,
        file: FileId,
        sentence: Option<(String, Span)>,
        row: Option<(String, Span)>,
        example: Option<(String, Span)>,
        sub: Option<&(FixedParam, Span)>,
    ) -> Option<String> {
        let sentence = sentence.filter(|(s, _)| sub.is_none_or(|(p, _)| *s != p.value));
        let mut candidates: Vec<(&str, String, Span)> = Vec::new();
        for (what, c) in [
            ("the `本接口（…）` sentence", sentence),
            ("the Action row", row),
            ("the request example", example),
        ] {
            if let Some((v, span)) = c {
                candidates.push((what, v, span));
            }
        }
        let path = &self.db.get(file).path;
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .split(['.', '_'])
            .next()
            .unwrap_or("")
            .to_string();
        let Some((what, chosen, span)) = candidates.first().cloned() else {
            self.diags.push(
                Diagnostic::error("action-name", "cannot tell the action's name: expected `本接口（ActionName）`, an Action row with `本接口取值：ActionName`, or `\"Action\": \"ActionName\"` in the request example")
                    .at(Span::new(file, 0..0)),
            );
            return None;
        };
        let others: Vec<_> = candidates
            .iter()
            .skip(1)
            .filter(|(_, v, _)| *v != chosen)
            .collect();
        // Published file names are Chinese titles and seeds are hashes: only a
        // file name that looks like an action name is a witness.
        let stem_is_name = stem.starts_with(|c: char| c.is_ascii_alphabetic());
        let stem_differs = sub.is_none()
            && stem_is_name
            && stem != chosen
            && candidates.iter().all(|(_, v, _)| *v != stem);
        if !others.is_empty() || stem_differs {
            let mut d = Diagnostic::warning(
                "action-name-mismatch",
                format!("sources disagree on the action name; using `{chosen}` from {what}"),
            )
            .at(span)
            .label(format!("`{chosen}` taken from here"));
            for (w, v, s) in others {
                d = d.related(s.clone(), format!("{w} says `{v}`"));
            }
            if stem_differs {
                d = d.note_line(format!("the file name says `{stem}`"));
            }
            self.diags.push(d.note_line(
                "if the chosen name is wrong, fix it with an `[[action]]` rename in overrides.toml",
            ));
        }
        Some(chosen)
    }

    fn error_rows(&mut self, file: FileId, t: &Table) -> Vec<(String, String, Span)> {
        let find = |n: &[&str]| t.header.iter().position(|c| n.contains(&c.text.trim()));
        let (Some(code_col), desc_col) = (
            find(&["错误码", "Code"]),
            find(&["描述", "说明", "Description"]),
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for row in &t.rows {
            let cell = &row.cells[code_col];
            let code = cell.text.trim();
            if code.is_empty() {
                continue;
            }
            let valid = code.starts_with(|c: char| c.is_ascii_alphabetic())
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
            if !valid {
                self.diags.push(
                    Diagnostic::warning("error-code", format!("`{code}` is not an error code: expected `Word` or `Word.Word`; row skipped"))
                        .at(Span::new(file, cell.range.clone())),
                );
                continue;
            }
            let desc = desc_col
                .map(|c| row.cells[c].text.clone())
                .unwrap_or_default();
            out.push((code.to_string(), desc, Span::new(file, cell.range.clone())));
        }
        out
    }

    // ---- tables -----------------------------------------------------------

    fn fields(&mut self, file: FileId, t: &Table, role: FieldRole) -> Vec<RawField> {
        let Some(cols) = Columns::of(t) else {
            return Vec::new();
        };
        if role == FieldRole::Input && cols.required.is_none() {
            self.diags.push(
                Diagnostic::warning(
                    "no-required-column",
                    "input table has no 必选 column: every parameter is taken as optional",
                )
                .at(Span::new(
                    file,
                    t.header
                        .first()
                        .map_or(t.range.clone(), |c| c.range.clone()),
                )),
            );
        }
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut out = Vec::new();
        for row in &t.rows {
            let name_cell = &row.cells[cols.name];
            let raw = name_cell.text.trim();
            let name_span = Span::new(file, name_cell.range.clone());
            if raw.is_empty() && row.cells.iter().all(|c| c.text.trim().is_empty()) {
                continue;
            }
            let name = raw.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                self.diags.push(
                    Diagnostic::error(
                        "bad-name",
                        format!(
                            "`{raw}` is not a parameter name: expected letters, digits and `_`"
                        ),
                    )
                    .at(name_span),
                );
                continue;
            }
            if name != raw {
                self.diags.push(
                    Diagnostic::warning(
                        "stray-punctuation",
                        format!("parameter name `{raw}` has stray punctuation; read as `{name}`"),
                    )
                    .at(name_span.clone()),
                );
            }
            if let Some(first) = seen.get(name) {
                self.diags.push(
                    Diagnostic::error(
                        "duplicate-parameter",
                        format!("parameter `{name}` is documented twice in this table"),
                    )
                    .at(name_span)
                    .related(first.clone(), "first documented here"),
                );
                continue;
            }
            seen.insert(name.to_string(), name_span.clone());
            let ty_cell = &row.cells[cols.ty];
            let required = match cols.required {
                Some(c) => self.required(file, &row.cells[c]),
                None => false,
            };
            let doc_cell = cols.doc.map(|c| row.cells[c].clone()).unwrap_or_default();
            out.push(RawField {
                api_name: name.to_string(),
                name_span,
                ty: types::parse_cell(ty_cell),
                ty_span: Span::new(file, ty_cell.range.clone()),
                required,
                doc: doc_cell.text.clone(),
                doc_cell: Cell {
                    range: doc_cell.range.clone(),
                    ..doc_cell
                },
                sensitive: None,
            });
        }
        out
    }

    fn required(&mut self, file: FileId, cell: &Cell) -> bool {
        match cell.text.trim() {
            "是" | "必选" | "Yes" | "yes" | "true" | "Y" => true,
            "否" | "可选" | "No" | "no" | "false" | "N" => false,
            other => {
                self.diags.push(
                    Diagnostic::warning(
                        "required-column",
                        format!(
                            "`{other}` in the 必选 column: expected 是 or 否; taken as optional"
                        ),
                    )
                    .at(Span::new(file, cell.range.clone())),
                );
                false
            }
        }
    }

    // ---- groups -----------------------------------------------------------

    /// Puts each action in its `[groups]` feature and gives each structure
    /// the features of the actions that use it, directly or through other
    /// structures. A name no action has is an error: a stale group entry
    /// would silently compile nothing.
    fn assign_groups(&mut self, actions: &mut [ir::Action], structs: &mut [ir::Struct]) {
        let reserved = ["default", "blocking", "test-util"];
        let file = self.service.file;
        let place = |d: Diagnostic, span: std::ops::Range<usize>| match file {
            Some(file) => d.at(Span::new(file, span)),
            None => d,
        };
        for (spanned_feature, members) in &self.service.groups {
            let feature = spanned_feature.get_ref();
            let valid = !feature.is_empty()
                && feature
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid || reserved.contains(&feature.as_str()) {
                self.diags.push(place(
                    Diagnostic::error(
                        "groups",
                        format!(
                            "`{feature}` cannot be a group name: use letters, digits, `-` and `_`, and none of {}",
                            reserved.join(", ")
                        ),
                    ),
                    spanned_feature.span(),
                ));
                continue;
            }
            for m in members {
                let place = |d: Diagnostic| place(d, m.span());
                let hits: Vec<_> = actions
                    .iter_mut()
                    .filter(|a| a.name == *m.get_ref())
                    .collect();
                if hits.is_empty() {
                    self.diags.push(place(
                        Diagnostic::error(
                            "groups",
                            format!(
                                "group `{feature}` lists `{}`, but no page documents that action",
                                m.get_ref()
                            ),
                        )
                        .note_line("remove it from [groups] in service.toml, or fix the name"),
                    ));
                }
                for a in hits {
                    if let Some(other) = &a.group {
                        self.diags.push(place(Diagnostic::error(
                            "groups",
                            format!("`{}` is in two groups, `{other}` and `{feature}`", a.name),
                        )));
                    }
                    a.group = Some(feature.clone());
                }
            }
        }
        // Structure -> features of its users; `None` in the set means "always".
        let mut users: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
        fn visit(t: &Type, g: &Option<String>, out: &mut Vec<(String, Option<String>)>) {
            match t {
                Type::List(i) => visit(i, g, out),
                Type::Struct { name, .. } => out.push((name.clone(), g.clone())),
                _ => {}
            }
        }
        let mut work = Vec::new();
        for a in actions.iter() {
            for f in a.inputs.iter().chain(&a.outputs) {
                visit(&f.ty, &a.group, &mut work);
            }
        }
        let by_name: BTreeMap<String, usize> = structs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.rust_name.clone(), i))
            .collect();
        while let Some((name, g)) = work.pop() {
            if users.entry(name.clone()).or_default().insert(g.clone())
                && let Some(&i) = by_name.get(&name)
            {
                for f in &structs[i].fields {
                    visit(&f.ty, &g, &mut work);
                }
            }
        }
        for s in structs.iter_mut() {
            let set = users.remove(&s.rust_name).unwrap_or_default();
            s.groups = if set.contains(&None) {
                Vec::new()
            } else {
                set.into_iter().flatten().collect()
            };
        }
    }

    // ---- overrides --------------------------------------------------------

    fn apply_overrides(
        &mut self,
        file: FileId,
        ov: &Overrides,
        drafts: &mut [Draft],
        structs: &mut [StructDef],
    ) {
        let selects = |d: &Draft, action: &str, sub: &Option<String>| {
            d.name == action
                && sub
                    .as_ref()
                    .is_none_or(|s| d.sub_command.as_ref().is_some_and(|p| &p.value == s))
        };
        for entry in &ov.field {
            let span = Span::new(file, entry.span());
            let f = entry.get_ref();
            let mut tables: Vec<&mut Vec<RawField>> = match (&f.structure, &f.action, f.side) {
                (Some(name), None, None) => structs
                    .iter_mut()
                    .filter(|s| s.name.eq_ignore_ascii_case(name))
                    .map(|s| &mut s.fields)
                    .collect(),
                (None, Some(action), Some(side)) => drafts
                    .iter_mut()
                    .filter(|d| selects(d, action, &f.sub_command))
                    .map(|d| {
                        if side == Side::Input {
                            &mut d.inputs
                        } else {
                            &mut d.outputs
                        }
                    })
                    .collect(),
                _ => {
                    self.diags.push(
                        Diagnostic::error(
                            "overrides",
                            "a [[field]] override needs either `structure`, or `action` and `side`",
                        )
                        .at(span),
                    );
                    continue;
                }
            };
            let stale = |what: String| {
                Diagnostic::error("stale-override", what)
                    .at(span.clone())
                    .note_line("remove it: the pages no longer need this correction")
            };
            if tables.is_empty() {
                let owner = f.structure.as_deref().or(f.action.as_deref()).unwrap_or("");
                self.diags.push(stale(format!(
                    "no page documents `{owner}`: this override matches nothing"
                )));
                continue;
            }
            for table in tables.iter_mut() {
                let existing = table.iter().position(|x| x.api_name == f.name);
                if let Some(ty) = &f.add {
                    if existing.is_some() {
                        self.diags.push(stale(format!(
                            "`{}` is documented now: the override that adds it is stale",
                            f.name
                        )));
                        continue;
                    }
                    table.push(RawField {
                        api_name: f.name.clone(),
                        name_span: span.clone(),
                        ty: types::parse_text(ty),
                        ty_span: span.clone(),
                        required: f.required.unwrap_or(false) && f.side == Some(Side::Input),
                        doc: f.doc.clone().unwrap_or_default(),
                        doc_cell: Cell::default(),
                        sensitive: f.sensitive,
                    });
                    continue;
                }
                let Some(i) = existing else {
                    self.diags.push(stale(format!(
                        "no field `{}` in that table: this override matches nothing",
                        f.name
                    )));
                    continue;
                };
                let field = &mut table[i];
                let mut changed = false;
                if let Some(ty) = &f.retype {
                    let new = types::parse_text(ty);
                    changed |= new != field.ty;
                    field.ty = new;
                    field.ty_span = span.clone();
                }
                if let Some(name) = &f.rename {
                    changed |= *name != field.api_name;
                    field.api_name = name.clone();
                }
                if f.optional == Some(true) {
                    changed |= field.required;
                    field.required = false;
                }
                if let Some(sens) = f.sensitive {
                    changed |= sens != naming::is_sensitive(&field.api_name);
                    field.sensitive = Some(sens);
                }
                if !changed {
                    self.diags.push(stale(format!(
                        "the override of `{}` changes nothing: the pages already say this",
                        f.name
                    )));
                }
            }
        }
        // Renames last: every entry names actions as the pages do.
        for entry in &ov.action {
            let span = Span::new(file, entry.span());
            let a = entry.get_ref();
            let mut hits = 0;
            for d in drafts
                .iter_mut()
                .filter(|d| selects(d, &a.action, &a.sub_command))
            {
                hits += 1;
                if let Some(name) = &a.rename {
                    d.name = name.clone();
                }
                if let Some(w) = a.data_wrapper {
                    d.data_wrapper = w;
                }
            }
            if hits == 0 {
                self.diags.push(
                    Diagnostic::error(
                        "stale-override",
                        format!(
                            "no page documents the action `{}`: this override matches nothing",
                            a.action
                        ),
                    )
                    .at(span)
                    .note_line("remove it, or update it to the name the pages now use"),
                );
            }
        }
    }

    // ---- resolution -------------------------------------------------------

    fn finish(&mut self, drafts: Vec<Draft>, struct_defs: Vec<StructDef>) -> Api {
        // Structure index: headings are matched case-insensitively.
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        for (i, s) in struct_defs.iter().enumerate() {
            let key = s.name.to_ascii_lowercase();
            if let Some(&first) = index.get(&key) {
                self.diags.push(
                    Diagnostic::warning(
                        "duplicate-structure",
                        format!(
                            "structure `{}` is defined twice; the first definition is used",
                            s.name
                        ),
                    )
                    .at(s.heading.clone())
                    .related(struct_defs[first].heading.clone(), "first defined here"),
                );
                continue;
            }
            index.insert(key, i);
        }

        // Rust names for structures, unique and clear of the crate's own names.
        let reserved: BTreeSet<String> =
            ["Client", "ClientBuilder", "Error", "ErrorCode", "ErrorKind"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let mut taken = reserved.clone();
        let mut rust_names: BTreeMap<usize, String> = BTreeMap::new();
        let mut by_name: Vec<(&String, &usize)> = index.iter().collect();
        by_name.sort();
        for (_, &i) in by_name {
            let base = naming::type_ident(&struct_defs[i].name);
            let name = unique(&base, &mut taken, "Struct");
            if name != base {
                self.diags.push(
                    Diagnostic::warning("name-clash", format!("structure `{}` would be named `{base}`, which is taken; named `{name}`", struct_defs[i].name))
                        .at(struct_defs[i].heading.clone()),
                );
            }
            rust_names.insert(i, name);
        }

        // Which structures some action reaches, so that only those are
        // emitted and only their defects stop generation.
        let mut reachable: BTreeSet<usize> = BTreeSet::new();
        let mut work: Vec<usize> = Vec::new();
        let lookup = |r: &NamedRef| {
            index
                .get(&r.target.to_ascii_lowercase())
                .copied()
                .or_else(|| {
                    r.text
                        .as_ref()
                        .and_then(|t| index.get(&t.to_ascii_lowercase()).copied())
                })
        };
        let mark = |fields: &[RawField], work: &mut Vec<usize>, reachable: &mut BTreeSet<usize>| {
            for f in fields {
                let mut refs = Vec::new();
                if let Ok(t) = &f.ty {
                    named_refs(t, &mut refs);
                    if contains_bare_array(t) {
                        refs.extend(description_ref(&f.doc_cell));
                    }
                }
                for r in refs {
                    if let Some(i) = lookup(&r)
                        && reachable.insert(i)
                    {
                        work.push(i);
                    }
                }
            }
        };
        for d in &drafts {
            mark(&d.inputs, &mut work, &mut reachable);
            mark(&d.outputs, &mut work, &mut reachable);
        }
        while let Some(i) = work.pop() {
            mark(&struct_defs[i].fields, &mut work, &mut reachable);
        }

        let resolver = Resolver {
            index: &index,
            rust_names: &rust_names,
            defs: &struct_defs,
        };

        // Structures.
        let mut structs = Vec::new();
        for (&i, rust_name) in &rust_names {
            let def = &struct_defs[i];
            let live = reachable.contains(&i);
            for p in &def.pending {
                self.diags.push(downgrade(p.clone(), live));
            }
            if def.untyped {
                continue;
            }
            let fields = self.resolve_fields(&resolver, &def.fields, FieldRole::Structure, live);
            if live {
                structs.push(ir::Struct {
                    api_name: def.name.clone(),
                    rust_name: rust_name.clone(),
                    doc: def.doc.clone(),
                    fields,
                    groups: Vec::new(),
                });
            }
        }
        box_cycles(&mut structs);
        structs.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));

        // Actions: one per (name, sub-command); the first page by path wins.
        let mut actions: Vec<ir::Action> = Vec::new();
        let mut seen: BTreeMap<(String, Option<String>), FileId> = BTreeMap::new();
        let mut methods: BTreeSet<String> = BTreeSet::new();
        let mut codes: BTreeMap<String, String> = BTreeMap::new();
        let mut sorted = drafts;
        sorted.sort_by(|a, b| self.db.get(a.file).path.cmp(&self.db.get(b.file).path));
        for d in sorted {
            let key = (
                d.name.clone(),
                d.sub_command.as_ref().map(|s| s.value.clone()),
            );
            if let Some(first) = seen.get(&key) {
                self.diags.push(
                    Diagnostic::warning(
                        "duplicate-action",
                        format!(
                            "action `{}` is documented by two pages; `{}` is used",
                            d.name,
                            self.db.get(*first).path
                        ),
                    )
                    .at(Span::new(d.file, 0..0))
                    .related(Span::new(*first, 0..0), "used page"),
                );
                continue;
            }
            seen.insert(key, d.file);
            let (method_base, type_name) = match &d.sub_command {
                Some(s) => (
                    format!(
                        "{}_{}",
                        naming::snake_case(&d.name),
                        naming::snake_case(&s.value)
                    ),
                    format!(
                        "{}{}",
                        naming::pascal_case(&d.name),
                        naming::pascal_case(&s.value)
                    ),
                ),
                None => (naming::snake_case(&d.name), naming::pascal_case(&d.name)),
            };
            let method = unique(&method_base, &mut methods, "_");
            let inputs = self.resolve_fields(&resolver, &d.inputs, FieldRole::Input, true);
            let mut outputs = self.resolve_fields(&resolver, &d.outputs, FieldRole::Output, true);
            if !outputs.iter().any(|f| f.api_name == "RequestId") {
                outputs.push(ir::Field {
                    api_name: "RequestId".into(),
                    rust_name: "request_id".into(),
                    ty: Type::String,
                    required: false,
                    doc: "Unique request ID, the same as the request's.".into(),
                    sensitive: false,
                });
            }
            let common = |n: &str| {
                is_common(self.service, n) || d.sub_command.as_ref().is_some_and(|p| p.name == n)
            };
            let (tin, tout) = (examples::table_of(&inputs), examples::table_of(&outputs));
            for found in &d.examples {
                examples::check(
                    d.file,
                    &self.db.get(d.file).text,
                    found,
                    &tin,
                    &tout,
                    &common,
                    &mut self.diags,
                );
            }
            for (code, desc, _) in &d.errors {
                codes.entry(code.clone()).or_insert_with(|| desc.clone());
            }
            actions.push(ir::Action {
                name: d.name,
                sub_command: d.sub_command,
                method,
                type_name,
                endpoint: d.endpoint,
                auth: d.auth,
                doc: d.doc,
                source: self.db.get(d.file).path.clone(),
                inputs,
                outputs,
                errors: d.errors.into_iter().map(|(c, _, _)| c).collect(),
                examples: d.examples.into_iter().map(|f| f.example).collect(),
                data_wrapper: d.data_wrapper,
                group: None,
            });
        }
        actions.sort_by(|a, b| a.method.cmp(&b.method));
        self.assign_groups(&mut actions, &mut structs);

        let mut variants: BTreeSet<String> = ["Unknown".to_string()].into();
        let error_codes = codes
            .into_iter()
            .map(|(code, description)| {
                let variant = unique(&naming::error_variant(&code), &mut variants, "Code");
                ir::ErrorCode {
                    code,
                    variant,
                    description,
                }
            })
            .collect();

        Api {
            service: ir::Service {
                crate_name: self.service.crate_name.clone(),
                version: self.service.version.clone(),
                description: self.service.description.clone(),
                default_base_url: self.service.default_base_url.clone(),
                groups: self
                    .service
                    .groups
                    .keys()
                    .map(|g| g.get_ref().clone())
                    .collect(),
                common_parameters: self.service.common_parameters.clone(),
            },
            actions,
            structs,
            error_codes,
        }
    }

    fn resolve_fields(
        &mut self,
        r: &Resolver,
        fields: &[RawField],
        role: FieldRole,
        live: bool,
    ) -> Vec<ir::Field> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for f in fields {
            let mut problems = Vec::new();
            let ty = match &f.ty {
                Ok(t) => r.resolve(t, f, &mut problems),
                Err(e) => {
                    problems.push(
                        Diagnostic::error("unknown-type", format!("unknown type `{}`", e.found))
                            .at(f.ty_span.clone())
                            .label("expected String, Int, Int64, UINT, Float, Boolean, Object, `Array of T`, `[T]`, or a structure name or link"),
                    );
                    None
                }
            };
            for p in problems {
                self.diags.push(downgrade(p, live));
            }
            let Some(ty) = ty else { continue };
            let base = naming::field_ident(&f.api_name);
            let rust_name = unique(&base, &mut names, "_");
            if rust_name != base {
                self.diags.push(
                    Diagnostic::warning("name-clash", format!("`{}` has the same Rust name as another field, `{base}`; named `{rust_name}`", f.api_name))
                        .at(f.name_span.clone()),
                );
            }
            out.push(ir::Field {
                api_name: f.api_name.clone(),
                rust_name,
                ty,
                required: f.required && role != FieldRole::Output,
                doc: f.doc.clone(),
                sensitive: f
                    .sensitive
                    .unwrap_or_else(|| naming::is_sensitive(&f.api_name)),
            });
        }
        out
    }
}

fn is_common(service: &ServiceConfig, name: &str) -> bool {
    let c = &service.common_parameters;
    c.all().iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// A defect in a structure no action uses cannot break the crate: it is
/// reported, as a warning.
fn downgrade(mut d: Diagnostic, live: bool) -> Diagnostic {
    if !live && d.severity == Severity::Error {
        d.severity = Severity::Warning;
        d = d.note_line("no action uses this structure, so it is not generated");
    }
    d
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldRole {
    Input,
    Output,
    Structure,
}

impl RawField {
    fn doc_span(&self) -> Span {
        Span::new(self.name_span.file, self.doc_cell.range.clone())
    }
}

struct Resolver<'a> {
    index: &'a BTreeMap<String, usize>,
    rust_names: &'a BTreeMap<usize, String>,
    defs: &'a [StructDef],
}

impl Resolver<'_> {
    fn resolve(&self, t: &TypeExpr, f: &RawField, problems: &mut Vec<Diagnostic>) -> Option<Type> {
        Some(match t {
            TypeExpr::String => Type::String,
            TypeExpr::I64 => Type::I64,
            TypeExpr::U64 => Type::U64,
            TypeExpr::F64 => Type::F64,
            TypeExpr::Bool => Type::Bool,
            TypeExpr::Json => Type::Json,
            TypeExpr::List(inner) => Type::List(Box::new(self.resolve(inner, f, problems)?)),
            TypeExpr::Named(r) => self.named(r, f, problems)?,
            TypeExpr::BareArray => match description_ref(&f.doc_cell) {
                Some(r) => {
                    let ty = self.named(&r, f, problems)?;
                    problems.push(
                        Diagnostic::warning("bare-array", format!("type `Array` names no element type; using the structure `{}` linked in the description", r.target))
                            .at(f.ty_span.clone()),
                    );
                    Type::List(Box::new(ty))
                }
                None => {
                    problems.push(
                        Diagnostic::warning("bare-array", "type `Array` names no element type and the description links no structure; elements are untyped JSON")
                            .at(f.ty_span.clone()),
                    );
                    Type::List(Box::new(Type::Json))
                }
            },
        })
    }

    fn named(&self, r: &NamedRef, f: &RawField, problems: &mut Vec<Diagnostic>) -> Option<Type> {
        let by_target = self.index.get(&r.target.to_ascii_lowercase());
        let by_text = r
            .text
            .as_ref()
            .and_then(|t| self.index.get(&t.to_ascii_lowercase()));
        let Some(&i) = by_target.or(by_text) else {
            if r.linked {
                // A link says "this is an object" even when its target is gone.
                problems.push(
                    Diagnostic::warning("missing-structure", format!("the link points to `#{}`, but the structures page has no such heading; the field is untyped JSON", r.target))
                        .at(f.ty_span.clone()),
                );
                return Some(Type::Json);
            }
            problems.push(
                Diagnostic::error("unknown-type", format!("unknown type `{}`: not a type spelling, and no structure has that name", r.target))
                    .at(f.ty_span.clone())
                    .label("expected String, Int, Int64, UINT, Float, Boolean, Object, `Array of T`, or a structure on the structures page"),
            );
            return None;
        };
        if let Some(text) = &r.text {
            let (what, target) = if by_target.is_some() {
                ("anchor", &r.target)
            } else {
                ("link text", text)
            };
            problems.push(
                Diagnostic::warning("link-mismatch", format!("link text `{text}` differs from its anchor `#{}`; using the {what}, `{target}`", r.target))
                    .at(f.ty_span.clone())
                    .related(self.defs[i].heading.clone(), "resolved to this structure"),
            );
        }
        if self.defs[i].untyped {
            return Some(Type::Json);
        }
        Some(Type::Struct {
            name: self.rust_names[&i].clone(),
            boxed: false,
        })
    }
}

fn named_refs(t: &TypeExpr, out: &mut Vec<NamedRef>) {
    match t {
        TypeExpr::List(inner) => named_refs(inner, out),
        TypeExpr::Named(r) => out.push(r.clone()),
        _ => {}
    }
}

fn contains_bare_array(t: &TypeExpr) -> bool {
    match t {
        TypeExpr::BareArray => true,
        TypeExpr::List(inner) => contains_bare_array(inner),
        _ => false,
    }
}

/// The structure a description links to (`请参见 [DeviceList](…#devicelist)`).
fn description_ref(doc: &Cell) -> Option<NamedRef> {
    doc.links.iter().find_map(|l| {
        l.anchor().map(|a| NamedRef {
            target: a.to_string(),
            text: None,
            linked: true,
        })
    })
}

/// Boxes a structure field that leads back to its own structure without
/// passing through a `Vec` (which already gives indirection).
///
/// A field needs a box exactly when its structure and the one it names lie
/// on a common cycle, that is, in the same strongly connected component of
/// the "has a field of type" graph. One pass of Tarjan's algorithm finds
/// the components in time linear in structures plus fields; a search from
/// every field would be quadratic on a densely linked structures page.
fn box_cycles(structs: &mut [ir::Struct]) {
    let index: HashMap<String, usize> = structs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.rust_name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = structs
        .iter()
        .map(|s| {
            s.fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Struct { name, .. } => index.get(name.as_str()).copied(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = strongly_connected_components(&edges);
    for (i, s) in structs.iter_mut().enumerate() {
        for f in &mut s.fields {
            if let Type::Struct { name, boxed } = &mut f.ty {
                *boxed = index
                    .get(name.as_str())
                    .is_some_and(|&j| component[j] == component[i]);
            }
        }
    }
}

/// The strongly connected component of every node of a graph given as
/// adjacency lists, numbered from 0. Tarjan's algorithm, with an explicit
/// stack instead of recursion so that a long chain of structures cannot
/// overflow the thread's stack.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n]; // discovery order
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let (mut next_order, mut next_component) = (0, 0);
    // (node, index of the next edge to follow)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        while let Some(&mut (v, ref mut next)) = calls.last_mut() {
            if *next == 0 && order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*next) {
                *next += 1;
                if order[w] == UNSEEN {
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// `base`, or `base` plus a separator and a number, whichever is free.
fn unique(base: &str, taken: &mut BTreeSet<String>, sep: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{}{sep}{n}", base.trim_start_matches("r#"));
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// Finds `本接口（X）` / `本接口(X)` and returns X with its byte range in `line`.
fn find_sentence_name(line: &str) -> Option<(String, std::ops::Range<usize>)> {
    let i = line.find("本接口")? + "本接口".len();
    let rest = &line[i..];
    let open = rest.trim_start();
    let skipped = rest.len() - open.len();
    let inner = open.strip_prefix('（').or_else(|| open.strip_prefix('('))?;
    let start = i + skipped + (open.len() - inner.len());
    let end = inner.find(['）', ')'])?;
    let raw = &inner[..end];
    let name = raw.trim();
    let lead = raw.len() - raw.trim_start().len();
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| (name.to_string(), start + lead..start + lead + name.len()))
}

/// The action named in an Action row's description: `公共参数，本接口取值：X`,
/// `本接口取值X`, or just `X`, with stray trailing punctuation.
fn action_value(doc: &str) -> Option<String> {
    let after = doc.rsplit_once("取值").map_or(doc, |(_, v)| v);
    let v: String = after
        .trim_start_matches([':', '：', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!v.is_empty()).then_some(v)
}

/// `本接口取值：song_url` in a non-common row makes it a constant.
fn fixed_value(doc: &str) -> Option<String> {
    if !doc.contains("本接口取值") {
        return None;
    }
    action_value(doc)
}

/// The last path segment of an endpoint line
/// (`接口请求域名： \`iot.cloud.tencent.com/api/exploreropen/tokenapi\`。`).
fn endpoint_segment(line: &str) -> Option<String> {
    let rest = line.split_once(['：', ':']).map_or(line, |(_, r)| r);
    let url: String = rest
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`' && *c != '。')
        .collect();
    let url = url.trim_end_matches(['/', '.', '。']);
    let (_, seg) = url.rsplit_once('/')?;
    let ok = !seg.is_empty()
        && seg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| seg.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structure(name: &str, fields: &[(&str, Type)]) -> ir::Struct {
        ir::Struct {
            api_name: name.to_string(),
            rust_name: name.to_string(),
            doc: String::new(),
            fields: fields
                .iter()
                .map(|(f, ty)| ir::Field {
                    api_name: f.to_string(),
                    rust_name: f.to_string(),
                    ty: ty.clone(),
                    required: false,
                    doc: String::new(),
                    sensitive: false,
                })
                .collect(),
            groups: Vec::new(),
        }
    }

    fn to(name: &str) -> Type {
        Type::Struct {
            name: name.to_string(),
            boxed: false,
        }
    }

    fn boxed_fields(structs: &[ir::Struct]) -> Vec<String> {
        structs
            .iter()
            .flat_map(|s| {
                s.fields
                    .iter()
                    .filter(|f| matches!(f.ty, Type::Struct { boxed: true, .. }))
                    .map(move |f| format!("{}.{}", s.rust_name, f.rust_name))
            })
            .collect()
    }

    #[test]
    fn only_fields_on_a_cycle_are_boxed() {
        let mut structs = vec![
            // A self-reference.
            structure(
                "Tree",
                &[
                    ("Parent", to("Tree")),
                    ("Children", Type::List(Box::new(to("Tree")))),
                ],
            ),
            // A cycle of three, entered from outside.
            structure("A", &[("B", to("B")), ("Leaf", to("Leaf"))]),
            structure("B", &[("C", to("C"))]),
            structure("C", &[("A", to("A")), ("Missing", to("Missing"))]),
            structure("Entry", &[("A", to("A"))]),
            structure("Leaf", &[("X", Type::String)]),
            // A cycle only through a `Vec`: no box needed.
            structure("P", &[("Qs", Type::List(Box::new(to("Q"))))]),
            structure("Q", &[("P", to("P"))]),
        ];
        box_cycles(&mut structs);
        assert_eq!(boxed_fields(&structs), ["Tree.Parent", "A.B", "B.C", "C.A"]);
    }

    #[test]
    fn components_of_a_long_chain_and_a_long_cycle() {
        // Deep enough to overflow a recursive search on a small stack.
        let n = 200_000;
        let chain: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let c = strongly_connected_components(&chain);
        assert_eq!(c.iter().collect::<BTreeSet<_>>().len(), n);
        let cycle: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = strongly_connected_components(&cycle);
        assert!(c.iter().all(|&x| x == c[0]));
    }

    #[test]
    fn sentence_with_either_parentheses() {
        assert_eq!(
            find_sentence_name("本接口（AppGetProducts）获取").map(|x| x.0),
            Some("AppGetProducts".into())
        );
        assert_eq!(
            find_sentence_name("本接口(song_url)用于").map(|x| x.0),
            Some("song_url".into())
        );
        assert_eq!(
            find_sentence_name("本接口 （ X ）").map(|x| x.0),
            Some("X".into())
        );
        assert_eq!(find_sentence_name("本接口用于"), None);
        let line = "本接口（AppX）";
        let (_, r) = find_sentence_name(line).unwrap();
        assert_eq!(&line[r], "AppX");
    }

    #[test]
    fn endpoint_lines_in_all_forms() {
        for l in [
            "接口请求域名：`iot.cloud.tencent.com/api/exploreropen/tokenapi`。",
            "接口请求域名： iot.cloud.tencent.com/api/exploreropen/tokenapi",
            "接口请求域名：` iot.cloud.tencent.com/api/exploreropen/tokenapi`。",
            "接口请求域名：  `iot.cloud.tencent.com/api/exploreropen/tokenapi`",
            "接口请求域名: https://iot.cloud.tencent.com/api/exploreropen/tokenapi/",
        ] {
            assert_eq!(endpoint_segment(l).as_deref(), Some("tokenapi"), "{l}");
        }
        assert_eq!(endpoint_segment("接口请求域名： 接口请求域名替换"), None);
    }

    #[test]
    fn action_row_values() {
        assert_eq!(
            action_value("公共参数，本接口取值：AppGetProducts").as_deref(),
            Some("AppGetProducts")
        );
        assert_eq!(
            action_value("公共参数，本接口取值AppDeleteTimer").as_deref(),
            Some("AppDeleteTimer")
        );
        assert_eq!(
            action_value("AppBindUserShareDevice。").as_deref(),
            Some("AppBindUserShareDevice")
        );
        assert_eq!(
            action_value("子命令，本接口取值：song_url").as_deref(),
            Some("song_url")
        );
        assert_eq!(fixed_value("产品 ID"), None);
    }
}
