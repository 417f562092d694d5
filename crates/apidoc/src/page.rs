//! Markdown -> page model: sections, paragraphs, tables and code blocks,
//! each with the byte range it came from.
//!
//! This stage knows Markdown, not the API: it never decides what a table
//! means. It reads the text once with pulldown-cmark's offset iterator and
//! keeps raw source slices next to the rendered text, because the docs put
//! meaning in things rendering destroys (masked values such as
//! `8b4a70dd16105f******18edd4e78a3bb8ec` become emphasis, links carry the
//! structure anchor).

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// One Markdown file.
#[derive(Debug, Default)]
pub struct Page {
    /// Sections in order; content before the first heading is a section
    /// with an empty heading.
    pub sections: Vec<Section>,
}

/// A heading and everything up to the next heading of any level.
#[derive(Debug, Default)]
pub struct Section {
    /// Heading level (1-6); 0 for content before the first heading.
    pub level: u8,
    /// The heading's rendered text, trimmed.
    pub heading: String,
    /// Where the heading is (empty range for the leading section).
    pub heading_range: Range<usize>,
    /// Paragraphs, tables and code blocks in order.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug)]
pub enum Block {
    /// A paragraph or an HTML block, as rendered text.
    Paragraph {
        /// Rendered text, with soft and hard breaks as `\n`.
        text: String,
        /// Source range.
        range: Range<usize>,
    },
    /// A pipe table.
    Table(Table),
    /// A fenced or indented code block, or a `<dx-codeblock>` `:::` block.
    Code(CodeBlock),
}

/// A pipe table: the header row and the body rows.
#[derive(Debug)]
pub struct Table {
    /// Header cells.
    pub header: Vec<Cell>,
    /// Body rows; every row has as many cells as the header (pulldown-cmark
    /// pads short rows and drops extra cells).
    pub rows: Vec<Row>,
    /// Source range of the whole table.
    pub range: Range<usize>,
}

/// A table row.
#[derive(Debug)]
pub struct Row {
    /// Cells in column order.
    pub cells: Vec<Cell>,
    /// Source range of the row.
    pub range: Range<usize>,
}

/// A table cell, raw and rendered.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Rendered text: markup removed, `<br>` and `<li>` turned into line
    /// breaks, whitespace (tabs included) collapsed, trimmed.
    pub text: String,
    /// Links in the cell, in order.
    pub links: Vec<Link>,
    /// Source range of the cell content.
    pub range: Range<usize>,
}

/// A Markdown link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Rendered link text.
    pub text: String,
    /// Destination as written.
    pub dest: String,
    /// Source range of the whole link.
    pub range: Range<usize>,
}

impl Link {
    /// The part after `#`, if any.
    pub fn anchor(&self) -> Option<&str> {
        self.dest
            .split_once('#')
            .map(|(_, a)| a)
            .filter(|a| !a.is_empty())
    }
}

/// A block of example text, taken verbatim from the source.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// The fence's info string or the `:::` label, trimmed (`json`, `HTTP`).
    pub lang: String,
    /// Source range of the content (without fences).
    pub content: Range<usize>,
    /// Source range of the whole block, fences included.
    pub range: Range<usize>,
}

/// Reads one Markdown file into the page model. Never fails: whatever the
/// text, the result is some page (possibly with no sections).
pub fn parse(text: &str) -> Page {
    let mut b = Builder {
        text,
        page: Page::default(),
        current: Section::default(),
        colon: colon_blocks(text, 0..text.len()),
        skip_until: 0,
    };
    let mut events = Parser::new_ext(text, Options::ENABLE_TABLES)
        .into_offset_iter()
        .peekable();
    while let Some((event, range)) = events.next() {
        // Inside a `:::` block already taken whole: Markdown split it at a
        // blank line (into paragraphs, an indented code block), but it is
        // one example. Only text after the block's end is kept.
        if range.start < b.skip_until {
            let block = matches!(
                event,
                Event::Start(Tag::Paragraph | Tag::HtmlBlock | Tag::CodeBlock(_))
            );
            if block && range.end > b.skip_until {
                skip_to_end(&mut events);
                b.raw_paragraph(b.skip_until..range.end);
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let heading = collect_text(&mut events, |e| matches!(e, TagEnd::Heading(_)));
                let end = range.start + text[range.clone()].trim_end().len();
                b.start_section(level as u8, heading.text, range.start..end);
            }
            Event::Start(Tag::Table(_)) => {
                let table = collect_table(text, &mut events, range);
                b.current.blocks.push(Block::Table(table));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut content: Option<Range<usize>> = None;
                for (e, r) in events.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(_) => {
                            content = Some(match content {
                                Some(c) => c.start..r.end,
                                None => r,
                            })
                        }
                        _ => {}
                    }
                }
                let content = content.unwrap_or(range.end..range.end);
                b.current.blocks.push(Block::Code(CodeBlock {
                    lang,
                    content,
                    range,
                }));
            }
            Event::Start(Tag::Paragraph) => {
                let para = collect_text(&mut events, |e| matches!(e, TagEnd::Paragraph));
                b.paragraph(para.text, range);
            }
            Event::Start(Tag::HtmlBlock) => {
                for (e, _) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::HtmlBlock)) {
                        break;
                    }
                }
                b.paragraph(text[range.clone()].trim().to_string(), range);
            }
            _ => {}
        }
    }
    b.finish()
}

struct Builder<'a> {
    text: &'a str,
    page: Page,
    current: Section,
    /// Every `:::` block of the text, found line by line over the whole
    /// text so that a blank line inside one cannot cut it.
    colon: Vec<CodeBlock>,
    /// End of the last `:::` block emitted: events before it belong to it.
    skip_until: usize,
}

/// Consumes events up to the end of the block whose start was just read.
fn skip_to_end<'a, I>(events: &mut std::iter::Peekable<I>)
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    let mut depth = 1;
    for (e, _) in events.by_ref() {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
}

impl Builder<'_> {
    fn start_section(&mut self, level: u8, heading: String, range: Range<usize>) {
        let done = std::mem::replace(
            &mut self.current,
            Section {
                level,
                heading,
                heading_range: range,
                blocks: Vec::new(),
            },
        );
        self.push_section(done);
    }

    fn push_section(&mut self, section: Section) {
        if section.level == 0 && section.blocks.is_empty() {
            return;
        }
        self.page.sections.push(section);
    }

    /// Paragraphs and HTML blocks may hide `<dx-codeblock>` `:::` blocks,
    /// which pulldown-cmark cannot know about: find them in the source range.
    fn paragraph(&mut self, text: String, range: Range<usize>) {
        let blocks: Vec<CodeBlock> = self
            .colon
            .iter()
            .filter(|c| c.range.start >= range.start && c.range.start < range.end)
            .cloned()
            .collect();
        if blocks.is_empty() {
            if !text.is_empty() {
                self.current.blocks.push(Block::Paragraph { text, range });
            }
            return;
        }
        // Keep the text around the `:::` blocks as paragraphs so that labels
        // written on the line before a block are still seen before it.
        let mut pos = range.start;
        for block in blocks {
            if block.range.start > pos {
                self.plain_paragraph(pos..block.range.start);
            }
            pos = block.range.end;
            self.skip_until = self.skip_until.max(block.range.end);
            self.current.blocks.push(Block::Code(block));
        }
        if range.end > pos {
            self.plain_paragraph(pos..range.end);
        }
    }

    /// Source text with no rendered form (what follows a `:::` block in
    /// the block Markdown split it into).
    fn raw_paragraph(&mut self, range: Range<usize>) {
        if self
            .colon
            .iter()
            .any(|c| c.range.start >= range.start && c.range.start < range.end)
        {
            self.paragraph(String::new(), range);
        } else {
            self.plain_paragraph(range);
        }
    }

    fn plain_paragraph(&mut self, range: Range<usize>) {
        let raw = &self.text[range.clone()];
        let text: String = raw
            .lines()
            .map(str::trim)
            .filter(|l| {
                !l.is_empty() && !l.starts_with("<dx-codeblock") && !l.starts_with("</dx-codeblock")
            })
            .collect::<Vec<_>>()
            .join("\n");
        if !text.is_empty() {
            let text = text.replace("**", "");
            self.current.blocks.push(Block::Paragraph { text, range });
        }
    }

    fn finish(mut self) -> Page {
        let last = std::mem::take(&mut self.current);
        self.push_section(last);
        self.page
    }
}

/// Finds `:::  LANG` ... `:::` blocks (the published docs' `<dx-codeblock>`
/// syntax) inside a source range, line by line.
fn colon_blocks(text: &str, range: Range<usize>) -> Vec<CodeBlock> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, usize)> = None; // lang, block start, content start
    let mut pos = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim();
        let Some(rest) = trimmed.strip_prefix(":::") else {
            continue;
        };
        let label = rest.trim();
        match open.take() {
            None if !label.is_empty() => open = Some((label.to_string(), start, pos)),
            None => {}
            Some((lang, block_start, content_start)) => {
                out.push(CodeBlock {
                    lang,
                    content: content_start..start,
                    range: block_start..pos,
                });
                // A line `:::  JSON` right after a closing line opens another block.
                if !label.is_empty() {
                    open = Some((label.to_string(), start, pos));
                }
            }
        }
    }
    // An unclosed block runs to the end of the range: nothing is dropped.
    if let Some((lang, block_start, content_start)) = open {
        out.push(CodeBlock {
            lang,
            content: content_start..range.end,
            range: block_start..range.end,
        });
    }
    out
}

struct Collected {
    text: String,
    links: Vec<Link>,
}

/// Renders inline events up to the matching end tag.
fn collect_text<'a, I>(
    events: &mut std::iter::Peekable<I>,
    is_end: impl Fn(&TagEnd) -> bool,
) -> Collected
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    let mut text = String::new();
    let mut links = Vec::new();
    let mut link: Option<(String, usize, usize)> = None; // dest, start, text offset
    for (event, range) in events.by_ref() {
        match event {
            Event::End(end) if is_end(&end) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::InlineHtml(h) | Event::Html(h) => {
                let tag = h.trim().to_ascii_lowercase();
                if tag.starts_with("<br") || tag.starts_with("<li") || tag.starts_with("<p") {
                    text.push('\n');
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), range.start, text.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, start, offset)) = link.take() {
                    let t = text[offset..].trim().to_string();
                    links.push(Link {
                        text: t,
                        dest,
                        range: start..range.end,
                    });
                }
            }
            _ => {}
        }
    }
    Collected {
        text: normalize_ws(&text),
        links,
    }
}

/// Collapses runs of white space (any Unicode white space, `\r` and the
/// ideographic space included), trims every line and drops empty ones.
fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

fn collect_table<'a, I>(
    text: &str,
    events: &mut std::iter::Peekable<I>,
    range: Range<usize>,
) -> Table
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut row: Option<Row> = None;
    let mut in_head = false;
    while let Some((event, r)) = events.next() {
        match event {
            Event::End(TagEnd::Table) => break,
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => {
                row = Some(Row {
                    cells: Vec::new(),
                    range: r,
                })
            }
            Event::End(TagEnd::TableRow) => rows.extend(row.take()),
            Event::Start(Tag::TableCell) => {
                let c = collect_text(events, |e| matches!(e, TagEnd::TableCell));
                let cell = Cell {
                    text: c.text,
                    links: c.links,
                    range: trim_range(text, r),
                };
                match (&mut row, in_head) {
                    (_, true) => header.push(cell),
                    (Some(row), false) => row.cells.push(cell),
                    (None, false) => {}
                }
            }
            _ => {}
        }
    }
    Table {
        header,
        rows,
        range,
    }
}

/// Shrinks a cell's range to its content: no surrounding pipes or blanks.
fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let Some(s) = text.get(r.clone()) else {
        return r;
    };
    let lead = s.len()
        - s.trim_start_matches(|c: char| c == '|' || c.is_whitespace())
            .len();
    let trail = s.len()
        - s.trim_end_matches(|c: char| c == '|' || c.is_whitespace())
            .len();
    if lead + trail >= s.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sections_tables_and_code() {
        let src = "## 1. 接口描述\n本接口（X）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|A|[Array](u#x)|是|a<br>b|\n\n```json\n{\"a\": 1}\n```\n";
        let page = parse(src);
        assert_eq!(page.sections.len(), 2);
        let Block::Table(t) = &page.sections[1].blocks[0] else {
            panic!("no table")
        };
        assert_eq!(t.header[1].text, "类型");
        assert_eq!(t.rows[0].cells[1].links[0].anchor(), Some("x"));
        assert_eq!(t.rows[0].cells[3].text, "a\nb");
        assert_eq!(&src[t.rows[0].cells[0].range.clone()], "A");
        let Block::Code(c) = &page.sections[1].blocks[1] else {
            panic!("no code")
        };
        assert_eq!(c.lang, "json");
        assert_eq!(&src[c.content.clone()], "{\"a\": 1}\n");
    }

    #[test]
    fn a_blank_line_does_not_cut_a_dx_codeblock() {
        let src = "**输出示例**\n<dx-codeblock>\n:::  JSON\n {\n\t \"A\": 1\n\t\t\n\t\t }\n}\n:::\n</dx-codeblock>\n**下一个**\n\n正文\n";
        let page = parse(src);
        let blocks = &page.sections[0].blocks;
        let code: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Code(c) => Some(&src[c.content.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(code, [" {\n\t \"A\": 1\n\t\t\n\t\t }\n}\n"]);
        let texts: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["输出示例", "下一个", "正文"]);
    }

    #[test]
    fn finds_dx_codeblocks_verbatim() {
        let src = "## 4. 示例\n\n**输入示例**\n<dx-codeblock>\n:::  JSON\n{\"K\": \"8b******18\"}\n:::\n</dx-codeblock>\n";
        let page = parse(src);
        let code: Vec<_> = page.sections[0]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Code(c) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(code.len(), 1);
        assert_eq!(code[0].lang, "JSON");
        assert_eq!(&src[code[0].content.clone()], "{\"K\": \"8b******18\"}\n");
    }
}
