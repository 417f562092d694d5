//! What a page is, judged from its content rather than its file name:
//! published pages have Chinese titles for names, seeds have hashes.

use super::table::{Columns, first_table};
use crate::page::Page;

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
