//! Text and Markdown renderings of a report.

use crate::{Bump, Change, Impact, Report};
use std::fmt::Write as _;

/// Section order: what needs attention first.
const IMPACTS: [Impact; 3] = [Impact::Breaking, Impact::Compatible, Impact::Documentation];

fn group(report: &Report, impact: Impact) -> Vec<&Change> {
    report
        .changes
        .iter()
        .filter(|c| c.impact == impact)
        .collect()
}

fn semver_line(bump: Bump) -> String {
    let why = match bump {
        Bump::None => return "Semver: none".to_string(),
        Bump::Patch => "documentation changes",
        Bump::Minor => "compatible changes",
        Bump::Major => "breaking changes",
    };
    format!("Semver: {} ({why})", bump.label())
}

pub(crate) fn text(report: &Report) -> String {
    if report.is_empty() {
        return "no API changes".to_string();
    }
    let mut s = String::new();
    for impact in IMPACTS {
        let changes = group(report, impact);
        if changes.is_empty() {
            continue;
        }
        // Writing to a String cannot fail.
        let _ = writeln!(s, "{} ({})", impact.heading(), changes.len());
        for c in changes {
            let _ = writeln!(s, "  - {}: {}", c.subject, c.detail);
        }
        s.push('\n');
    }
    s.push_str(&semver_line(report.bump));
    s
}

pub(crate) fn markdown(report: &Report) -> String {
    if report.is_empty() {
        return "No API changes.\n".to_string();
    }
    let mut sections = Vec::new();
    for impact in IMPACTS {
        let changes = group(report, impact);
        if changes.is_empty() {
            continue;
        }
        let mut s = format!("### {}\n\n", impact.heading());
        for c in changes {
            let _ = writeln!(s, "- {}: {}", c.subject, c.detail);
        }
        sections.push(s);
    }
    sections.join("\n")
}

/// `s` as a Markdown code span that survives backticks inside it (a doc
/// value could contain one): the fence is one backtick longer than the
/// longest run in `s`, padded with spaces when `s` touches it.
pub(crate) fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{s}{fence}")
    } else {
        format!("{fence} {s} {fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("tokenapi"), "`tokenapi`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("``x"), "``` ``x ```");
    }
}
