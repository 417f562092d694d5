//! Command-line flags, parsed with clap's derive API: every command and
//! flag has its `--help`, `--flag=value` works, and a flag that needs a
//! value never takes the next flag as one. Paths that are not given
//! default to the workspace found from the current directory (see
//! [`disk::Workspace::find`]), never to the checkout the binary was built in.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Project automation for the IoT Explorer client: regenerate the client
/// crate from the Markdown specs, lint them, and refresh them from the
/// published docs.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Codegen(Codegen),
    Lint(Lint),
    Import(Import),
    Diff(Diff),
    Synth(Synth),
}

/// A folder given on the command line; empty values are refused.
fn folder() -> clap::builder::PathBufValueParser {
    clap::builder::PathBufValueParser::new()
}

/// Regenerate the client crate (default: specs/ -> generated/).
///
/// Prints the specs' warnings, then writes only files whose bytes changed,
/// after checking every change: all or nothing. Refuses an output folder
/// that holds files codegen did not write, or that overlaps the specs.
/// When the specs folder is in a git work tree, the breaking changes since
/// the specs at HEAD are printed.
#[derive(Debug, Args)]
pub struct Codegen {
    /// Only report stale files, and fail if there are any; writes nothing.
    #[arg(long)]
    pub check: bool,
    /// Fail, writing nothing, if the specs have warnings.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The specs folder [default: specs/ in the workspace].
    #[arg(long, value_name = "DIR", value_parser = folder())]
    pub specs: Option<PathBuf>,
    /// The crate folder [default: generated/ in the workspace].
    #[arg(long, value_name = "DIR", value_parser = folder())]
    pub out: Option<PathBuf>,
}

/// Print every diagnostic of a specs folder and a summary; fails only on
/// errors.
#[derive(Debug, Args)]
pub struct Lint {
    /// The specs folder [default: specs/ in the workspace].
    #[arg(long, value_name = "DIR", value_parser = folder())]
    pub specs: Option<PathBuf>,
}

/// Refresh the specs from a folder of pages as Tencent publishes them.
///
/// DIR may have sub-folders and Chinese file names: each page is named
/// after the action it documents (<Action>.md, <Action>__<sub-command>.md,
/// structures.md) and copied byte for byte; the introduction and second
/// pages of an action are skipped and listed, and so are symbolic links
/// (never read through). Prints the pages it adds, replaces, removes and
/// keeps, the API change report and the version bump it implies. Writes
/// nothing if a page cannot be read or named, or an override in
/// SPECS/overrides.toml becomes stale; service.toml and overrides.toml are
/// never replaced. Run `cargo xtask codegen` afterwards.
#[derive(Debug, Args)]
pub struct Import {
    /// The folder of published pages.
    #[arg(value_name = "DIR", value_parser = folder())]
    pub dir: PathBuf,
    /// The specs folder to refresh [default: specs/ in the workspace].
    #[arg(long, value_name = "SPECS", value_parser = folder())]
    pub specs: Option<PathBuf>,
    /// Where --bump writes CHANGELOG.md [default: generated/ in the workspace].
    #[arg(long, value_name = "OUT", value_parser = folder())]
    pub out: Option<PathBuf>,
    /// Remove pages whose action is no longer in DIR (otherwise listed and kept).
    #[arg(long)]
    pub prune: bool,
    /// Print what would be done; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Like --dry-run, and fail if the import would change any file: the
    /// specs are not up to date with DIR.
    #[arg(long, conflicts_with = "bump")]
    pub check: bool,
    /// Also set the proposed version in SPECS/service.toml and add an entry
    /// for it to OUT/CHANGELOG.md.
    #[arg(long)]
    pub bump: bool,
    /// How to print the report: `json` prints only the report on stdout,
    /// everything else goes to stderr.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The API change report between the specs at a git revision and the
/// working tree; a revision without the folder counts as an empty API.
#[derive(Debug, Args)]
pub struct Diff {
    /// The git revision to compare with.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub base: String,
    /// The specs folder [default: specs/ in the workspace].
    #[arg(long, value_name = "SPECS", value_parser = folder())]
    pub specs: Option<PathBuf>,
    /// How to print the report: `json` prints only the report on stdout,
    /// everything else goes to stderr.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Write a synthetic folder of N pages plus a structures page, in the
/// published format, for benchmarks and scale tests.
#[derive(Debug, Args)]
pub struct Synth {
    /// How many pages (at least one: a folder without pages is no API).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub pages: u32,
    /// The folder to write.
    #[arg(long, value_name = "DIR", value_parser = folder())]
    pub out: PathBuf,
    /// The seed: the same pages and seed give the same bytes.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
}

/// How the API change report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: sections by impact, then the semver line.
    Text,
    /// For tools: `apidiff::Report::to_json`.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        let args = std::iter::once("xtask").chain(args.iter().copied());
        Cli::try_parse_from(args)
            .map(|c| c.command)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command_for_tests().debug_assert();
    }

    #[test]
    fn flags_take_values_with_or_without_an_equals_sign() {
        let Ok(Command::Lint(l)) = parse(&["lint", "--specs=a b"]) else {
            panic!()
        };
        assert_eq!(l.specs, Some(PathBuf::from("a b")));
        let Ok(Command::Codegen(c)) = parse(&["codegen", "--check", "--out", "x"]) else {
            panic!()
        };
        assert!(c.check && !c.deny_warnings && c.specs.is_none());
    }

    #[test]
    fn bad_command_lines_are_refused() {
        for (args, expected) in [
            (
                &["codegen", "--specs", "--check"][..],
                "a value is required for '--specs <DIR>'",
            ),
            (
                &["codegen", "--out", ""],
                "a value is required for '--out <DIR>'",
            ),
            (
                &["synth", "--pages", "1", "--out", "x", "--specs", "y"],
                "unexpected argument '--specs'",
            ),
            (&["synth", "--pages", "0", "--out", "x"], "0 is not in 1.."),
            (
                &["synth", "--pages", "many", "--out", "x"],
                "invalid value 'many' for '--pages <N>'",
            ),
            (&["import"], "<DIR>"),
            (&["diff", "--prune"], "unexpected argument '--prune'"),
            (
                &["import", "x", "--format", "yaml"],
                "invalid value 'yaml' for '--format <FORMAT>'",
            ),
            (&["nosuch"], "unrecognized subcommand 'nosuch'"),
        ] {
            let err = parse(args).unwrap_err();
            assert!(
                err.contains(expected),
                "{args:?}: {expected:?} missing from:\n{err}"
            );
        }
    }

    impl Cli {
        fn command_for_tests() -> clap::Command {
            <Cli as clap::CommandFactory>::command()
        }
    }
}
