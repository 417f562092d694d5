//! The model -> Markdown in the published layout.
//!
//! Nothing here draws random numbers: every choice was made in the model
//! (`Style`), or is derived from indices, so rendering is a pure function.

use crate::model::{Action, Endpoint, Field, Model, RefForm, Structure, Ty};
use crate::words::{self, Kind};
use std::fmt::Write as _;

/// Where the structure links point, as on the published pages.
const STRUCTURES_URL: &str = "https://cloud.tencent.com/document/product/1081/40780";
const HOST_PATH: &str = "iot.cloud.tencent.com/api/exploreropen";

/// Number of endpoint-line templates ([`endpoint_line`]).
pub const ENDPOINT_LINES: usize = 9;
/// Number of Action-row templates ([`action_row`]).
pub const ACTION_ROWS: usize = 4;
/// Number of success-example labels ([`SUCCESS`]).
pub const SUCCESS_LABELS: usize = 5;

const SUCCESS: [&str; SUCCESS_LABELS] = [
    "**输出示例**",
    "**输出实例**",
    "**输出示例：成功**",
    "**输出示例:  成功**",
    "**返回示例**",
];

/// The spellings of the endpoint line seen in the docs; the first is the
/// most common, so it has several slots.
fn endpoint_line(out: &mut String, style: usize, ep: &str) {
    let _ = match style {
        0..=3 => writeln!(out, "接口请求域名：`{HOST_PATH}/{ep}`。"),
        4 | 5 => writeln!(out, "接口请求域名： `{HOST_PATH}/{ep}`。"),
        6 => writeln!(out, "接口请求域名： {HOST_PATH}/{ep}"),
        7 => writeln!(out, "接口请求域名：`{HOST_PATH}/{ep}`"),
        _ => writeln!(out, "接口请求域名: https://{HOST_PATH}/{ep}/"),
    };
}

fn action_row(style: usize, name: &str) -> String {
    match style {
        0 => format!("公共参数，本接口取值：{name}"),
        1 => format!("公共参数，本接口取值：{name}。"),
        2 => name.to_string(),
        _ => format!("公共参数，本接口取值{name}"),
    }
}

// ---- tables -------------------------------------------------------------------

/// Width on screen: CJK characters take two columns, which is how the
/// published tables are padded.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>], padded: bool) {
    if !padded {
        out.push('|');
        for h in header {
            out.push_str(h);
            out.push('|');
        }
        out.push('\n');
        out.push('|');
        for _ in header {
            out.push_str("---|");
        }
        out.push('\n');
        for row in rows {
            out.push('|');
            for c in row {
                out.push_str(c);
                out.push('|');
            }
            out.push('\n');
        }
        return;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(c));
        }
    }
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        out.push('|');
        for (c, w) in cells.zip(&widths) {
            out.push(' ');
            out.push_str(c);
            for _ in width(c)..*w {
                out.push(' ');
            }
            out.push_str(" |");
        }
        out.push('\n');
    };
    line(out, &mut header.iter().copied());
    out.push('|');
    for w in &widths {
        out.push(' ');
        for _ in 0..*w {
            out.push('-');
        }
        out.push_str(" |");
    }
    out.push('\n');
    for row in rows {
        line(out, &mut row.iter().map(String::as_str));
    }
}

/// The 类型 cell and the description cell of a field.
fn type_and_doc(model: &Model, f: &Field, target_salt: usize) -> (String, String) {
    match &f.ty {
        Ty::Plain { kind, spelling } => {
            let doc = if *kind == Kind::Json && target_salt.is_multiple_of(3) {
                format!("{}，JSON 对象<br>内容由产品定义", f.doc)
            } else {
                f.doc.clone()
            };
            (spelling.to_string(), doc)
        }
        Ty::Struct { target, form } => {
            let s = &model.structures[*target];
            // Most links are absolute, as published; some are bare anchors.
            let url = if (target + target_salt) % 10 == 3 {
                ""
            } else {
                STRUCTURES_URL
            };
            let link = |text: &str| format!("[{text}]({url}#{})", s.anchor);
            let ty = match form {
                RefForm::Bare => s.name.clone(),
                RefForm::Link => link(&s.name),
                RefForm::ObjectOf => format!("Object of {}", link(&s.name)),
                RefForm::ArrayOf => format!("Array of {}", link(&s.name)),
                RefForm::ArrayOfCapital => format!("Array Of {}", link(&s.name)),
                RefForm::ArrayLink => link("Array"),
                RefForm::BareArray => {
                    return (
                        "Array".into(),
                        format!("{}，请参见 {}", f.doc, link(&s.name)),
                    );
                }
            };
            (ty, f.doc.clone())
        }
    }
}

fn yes_no(required: bool) -> String {
    if required { "是" } else { "否" }.to_string()
}

// ---- the structures page ----------------------------------------------------

/// `structures.md`: one `## Name` section per structure, alphabetically as
/// on the published page.
pub fn structures_page(model: &Model) -> String {
    let mut order: Vec<usize> = (0..model.structures.len()).collect();
    order.sort_by(|&a, &b| model.structures[a].name.cmp(&model.structures[b].name));
    let mut out = String::with_capacity(model.structures.len() * 700);
    for i in order {
        structure(&mut out, model, i, &model.structures[i]);
    }
    out
}

fn structure(out: &mut String, model: &Model, i: usize, s: &Structure) {
    let _ = writeln!(out, "## {}\n\n{}", s.name, s.doc);
    if !s.users.is_empty() {
        let names: Vec<&str> = s
            .users
            .iter()
            .take(6)
            .map(|&u| model.actions[u].name.as_str())
            .collect();
        let _ = writeln!(out, "被如下接口引用：{}", names.join("、"));
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = s
        .fields
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let (ty, doc) = type_and_doc(model, f, i + k);
            if s.required_column {
                vec![f.name.clone(), ty, yes_no(f.required), doc]
            } else {
                vec![f.name.clone(), ty, doc]
            }
        })
        .collect();
    let header: &[&str] = if s.required_column {
        &["名称", "类型", "必选", "描述"]
    } else {
        &["名称", "类型", "描述"]
    };
    // The real page pads its tables.
    table(out, header, &rows, !i.is_multiple_of(5));
    out.push('\n');
}

// ---- action pages -----------------------------------------------------------

/// One interface page.
pub fn action_page(model: &Model, a: &Action) -> String {
    let st = &a.style;
    let ep = match a.endpoint {
        Endpoint::Token => "tokenapi",
        Endpoint::App => "appapi",
    };
    let mut out = String::with_capacity(4096);
    // Published pages start with a blank line more often than not.
    if st.padded || st.dx_blocks {
        out.push('\n');
    }
    out.push_str("## 1. 接口描述\n");
    if st.padded {
        out.push('\n');
    }
    endpoint_line(&mut out, st.endpoint_line, ep);
    let (open, close) = if st.full_width_parens {
        ('（', '）')
    } else {
        ('(', ')')
    };
    let purpose = words::PURPOSES[a.name.len() % words::PURPOSES.len()];
    let _ = writeln!(
        out,
        "本接口{open}{}{close}用于{}{purpose}。\n",
        a.name, a.purpose
    );

    // Inputs: common parameters first, as published.
    out.push_str("## 2. 输入参数\n\n");
    let mut rows: Vec<Vec<String>> = Vec::new();
    let common = |n: &str, t: &str, d: &str| {
        vec![
            n.to_string(),
            t.to_string(),
            "是".to_string(),
            d.to_string(),
        ]
    };
    let action = action_row(st.action_row, &a.name);
    match a.endpoint {
        Endpoint::Token => {
            rows.push(common(
                "AccessToken",
                "String",
                "公共参数，用户登录后获得的访问 Token",
            ));
            rows.push(common(
                "RequestId",
                "String",
                "公共参数，请求的唯一 ID，由调用方生成（如 UUID），排查问题时请提供",
            ));
            rows.push(common("Action", "String", &action));
        }
        Endpoint::App => {
            rows.push(common("Action", "String", &action));
            rows.push(common(
                "RequestId",
                "String",
                "公共参数，请求的唯一 ID，由调用方生成",
            ));
            rows.push(common(
                "AppKey",
                "String",
                "公共参数，应用的 AppKey，标识调用方应用",
            ));
            rows.push(common(
                "Signature",
                "String",
                "公共参数，调用方计算的请求签名",
            ));
            rows.push(common("Timestamp", "Int64", "公共参数，Unix 时间戳（秒）"));
            rows.push(common(
                "Nonce",
                "Int",
                "公共参数，随机正整数，与 Timestamp 一起防止重放",
            ));
        }
    }
    for (k, f) in a.inputs.iter().enumerate() {
        let (ty, doc) = type_and_doc(model, f, k);
        rows.push(vec![f.name.clone(), ty, yes_no(f.required), doc]);
    }
    table(
        &mut out,
        &["名称", "类型", "必选", "描述"],
        &rows,
        st.padded,
    );

    out.push_str("\n## 3. 输出参数\n\n");
    let request_id = || {
        vec![
            "RequestId".to_string(),
            "String".to_string(),
            "公共参数，请求的唯一 ID，与请求中的相同".to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if st.request_id_row == 0 {
        rows.push(request_id());
    }
    for (k, f) in a.outputs.iter().enumerate() {
        let (ty, doc) = type_and_doc(model, f, k + 1);
        rows.push(vec![f.name.clone(), ty, doc]);
    }
    if st.request_id_row == 1 {
        rows.push(request_id());
    }
    table(&mut out, &["名称", "类型", "描述"], &rows, st.padded);

    out.push_str("\n## 4. 示例\n\n");
    if st.example_heading {
        out.push_str("#### 示例1\n\n");
    }
    let request_label = if a.name.len().is_multiple_of(4) {
        "**请求示例**"
    } else {
        "**输入示例**"
    };
    let mut json = Json::new(model, st.indent);
    json.request(a);
    let http = st.http_line.then(|| {
        format!("POST https://{HOST_PATH}/{ep} HTTP/1.1\ncontent-type: application/json\n")
    });
    example(
        &mut out,
        request_label,
        http.as_deref(),
        &json.out,
        st.dx_blocks,
    );
    let mut json = Json::new(model, st.indent);
    json.response(a);
    example(
        &mut out,
        SUCCESS[st.success_label],
        None,
        &json.out,
        st.dx_blocks,
    );
    if st.error_example {
        let mut json = Json::new(model, st.indent);
        let (code, msg) = &a.errors[a.errors.len() - 1];
        json.error(code, msg);
        example(
            &mut out,
            "**输出示例：失败**",
            None,
            &json.out,
            st.dx_blocks,
        );
    }

    out.push_str("## 5. 错误码\n\n");
    let rows: Vec<Vec<String>> = a
        .errors
        .iter()
        .map(|(c, d)| vec![c.clone(), d.clone()])
        .collect();
    table(&mut out, &["错误码", "描述"], &rows, st.padded);
    out
}

/// A labelled example: a fenced block, or the docs' `<dx-codeblock>` with
/// a `:::  LANG` block inside.
fn example(out: &mut String, label: &str, http: Option<&str>, json: &str, dx: bool) {
    out.push_str(label);
    out.push('\n');
    let http = http.unwrap_or("");
    match (dx, http.is_empty()) {
        (false, true) => {
            let _ = write!(out, "```json\n{json}\n```\n\n");
        }
        (false, false) => {
            let _ = write!(out, "```HTTP\n{http}{json}\n```\n\n");
        }
        (true, true) => {
            let _ = write!(
                out,
                "<dx-codeblock>\n:::  JSON\n{json}\n:::\n</dx-codeblock>\n\n"
            );
        }
        (true, false) => {
            let _ = write!(
                out,
                "<dx-codeblock>\n:::  HTTP\n{http}{json}\n:::\n</dx-codeblock>\n\n"
            );
        }
    }
}

// ---- example JSON -----------------------------------------------------------

/// Writes example JSON whose values fit the documented types, so the
/// generator's cross-checks find nothing to warn about (except the
/// deliberate comment and trailing comma).
struct Json<'m> {
    model: &'m Model,
    indent: &'static str,
    out: String,
    /// Advances with every value, so values vary without randomness.
    counter: usize,
}

impl<'m> Json<'m> {
    fn new(model: &'m Model, indent: &'static str) -> Self {
        Json {
            model,
            indent,
            out: String::with_capacity(1024),
            counter: 0,
        }
    }

    fn pad(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str(self.indent);
        }
    }

    fn key(&mut self, level: usize, key: &str) {
        self.pad(level);
        let _ = write!(self.out, "\"{key}\": ");
    }

    fn request(&mut self, a: &Action) {
        self.out.push_str("{\n");
        let mut entries: Vec<(&str, String)> = vec![
            ("RequestId", "\"req_1\"".into()),
            ("Action", format!("\"{}\"", a.name)),
        ];
        match a.endpoint {
            Endpoint::Token => {
                entries.push(("AccessToken", "\"5e3a************************b91f\"".into()))
            }
            Endpoint::App => {
                entries.push(("AppKey", "\"Zt9wQe*****mK2rV\"".into()));
                entries.push(("Timestamp", "1700000000".into()));
                entries.push(("Nonce", "2".into()));
                entries.push(("Signature", "\"q8Xn2dVb0LrT4sYk9PzW1mHc3aE=\"".into()));
            }
        }
        let fields: Vec<&Field> = a
            .inputs
            .iter()
            .enumerate()
            .filter(|(k, f)| f.required || k % 2 == 0)
            .map(|(_, f)| f)
            .collect();
        let total = entries.len() + fields.len();
        let mut n = 0;
        for (key, value) in entries {
            n += 1;
            self.key(1, key);
            self.out.push_str(&value);
            self.comma(n < total);
            if key == "Action" && a.style.json_comment {
                self.out.pop();
                self.out.push_str("  // 接口名\n");
            }
        }
        for f in fields {
            n += 1;
            self.key(1, &f.name);
            self.value(&f.ty, 1, 0);
            self.comma(n < total);
        }
        self.out.push('}');
    }

    fn response(&mut self, a: &Action) {
        self.out.push_str("{\n");
        self.key(1, "Response");
        self.out.push_str("{\n");
        for f in &a.outputs {
            self.key(2, &f.name);
            self.value(&f.ty, 2, 0);
            self.comma(true);
        }
        self.key(2, "RequestId");
        self.out.push_str("\"req_1\"");
        self.comma(a.style.trailing_comma);
        self.pad(1);
        self.out.push_str("}\n}");
    }

    fn error(&mut self, code: &str, message: &str) {
        self.out.push_str("{\n");
        self.key(1, "Response");
        self.out.push_str("{\n");
        self.key(2, "Error");
        self.out.push_str("{\n");
        self.key(3, "Code");
        let _ = writeln!(self.out, "\"{code}\",");
        self.key(3, "Message");
        let _ = writeln!(self.out, "\"{message}\"");
        self.pad(2);
        self.out.push_str("},\n");
        self.key(2, "RequestId");
        self.out.push_str("\"req_1\"\n");
        self.pad(1);
        self.out.push_str("}\n}");
    }

    fn comma(&mut self, more: bool) {
        self.out.push_str(if more { ",\n" } else { "\n" });
    }

    fn value(&mut self, ty: &Ty, level: usize, depth: usize) {
        self.counter += 1;
        let n = self.counter;
        match ty {
            Ty::Plain { kind, .. } => {
                let _ = match kind {
                    Kind::Str => write!(self.out, "\"{}\"", words::VALUES[n % words::VALUES.len()]),
                    Kind::Int => write!(self.out, "{}", (n * 7919) % 100_000),
                    Kind::Uint => write!(self.out, "{}", (n * 13) % 1000),
                    Kind::Float => write!(self.out, "{}.5", n % 100),
                    Kind::Bool => write!(self.out, "{}", n.is_multiple_of(2)),
                    Kind::Json => write!(self.out, "{{\"key\": \"value\", \"n\": {n}}}"),
                    Kind::StrList => write!(
                        self.out,
                        "[\"{}\", \"{}\"]",
                        words::VALUES[n % 7],
                        words::VALUES[n % 5]
                    ),
                    Kind::IntList => write!(self.out, "[{}, {}]", n % 10, n % 7),
                };
            }
            Ty::Struct { target, form } => {
                if form.is_list() {
                    self.out.push_str("[\n");
                    self.pad(level + 1);
                    self.object(*target, level + 1, depth);
                    self.out.push('\n');
                    self.pad(level);
                    self.out.push(']');
                } else {
                    self.object(*target, level, depth);
                }
            }
        }
    }

    /// A structure's object. Nested structures stop two levels down, which
    /// also ends recursive ones: every structure field is optional.
    fn object(&mut self, target: usize, level: usize, depth: usize) {
        let model = self.model;
        let s = &model.structures[target];
        let fields: Vec<&Field> = s
            .fields
            .iter()
            .enumerate()
            .filter(|(k, f)| match f.ty {
                Ty::Struct { .. } => depth < 2 && (k + depth).is_multiple_of(2),
                Ty::Plain { .. } => true,
            })
            .map(|(_, f)| f)
            .collect();
        self.out.push_str("{\n");
        for (k, f) in fields.iter().enumerate() {
            self.key(level + 1, &f.name);
            self.value(&f.ty, level + 1, depth + 1);
            self.comma(k + 1 < fields.len());
        }
        self.pad(level);
        self.out.push('}');
    }
}
