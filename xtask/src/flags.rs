//! Command-line flags. Hand-parsed: a handful of flags do not justify a
//! dependency in a crate every contributor builds.

use crate::project_root;
use anyhow::{Context, bail};
use std::path::PathBuf;

pub const USAGE: &str = "\
usage:
  cargo xtask codegen [--check] [--specs DIR] [--out DIR]
      regenerate the client crate (default: specs/ -> generated/);
      --check only reports stale files and fails if there are any
  cargo xtask lint [--specs DIR]
      print every diagnostic of a specs folder and a summary; fails only on errors
  cargo xtask import DIR [--specs SPECS] [--out OUT] [--prune] [--dry-run] [--bump] [--format text|json]
      refresh SPECS (default specs/) from DIR, a folder of pages as Tencent publishes them
      (sub-folders, Chinese file names): each page is named after the action it documents
      (<Action>.md, <Action>__<sub-command>.md, structures.md) and copied byte for byte;
      the introduction and second pages of an action are skipped and listed.
      Prints the pages it adds, replaces, removes and keeps, the API change report and
      the version bump it implies. Writes nothing if a page cannot be read or an override
      in SPECS/overrides.toml becomes stale. service.toml and overrides.toml are never
      replaced. Run `cargo xtask codegen` afterwards to regenerate the crate.
      --prune    remove pages whose action is no longer in DIR (otherwise listed and kept)
      --dry-run  print what would be done; write nothing
      --bump     also set the proposed version in SPECS/service.toml and add an entry
                 for it to OUT/CHANGELOG.md (default generated/)
  cargo xtask diff [--base REV] [--specs SPECS] [--format text|json]
      the API change report between SPECS at git revision REV (default HEAD) and the
      working tree; a revision without the folder counts as an empty API
  --format json prints the report as JSON on stdout; everything else goes to stderr
  cargo xtask synth --pages N --out DIR [--seed S]
      write a synthetic folder of N pages plus a structures page, in the published format,
      deterministic from S (default 0); for benchmarks and scale tests";

/// How the API change report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: sections by impact, then the semver line.
    Text,
    /// For tools: `apidiff::Report::to_json`.
    Json,
}

pub struct Import {
    pub dir: PathBuf,
    pub specs: PathBuf,
    pub out: PathBuf,
    pub prune: bool,
    pub dry_run: bool,
    pub bump: bool,
    pub format: Format,
}

pub enum Command {
    Codegen {
        check: bool,
        specs: PathBuf,
        out: PathBuf,
    },
    Lint {
        specs: PathBuf,
    },
    Import(Import),
    Diff {
        base: String,
        specs: PathBuf,
        format: Format,
    },
    Synth {
        pages: usize,
        seed: u64,
        out: PathBuf,
    },
    Help,
}

pub fn parse(args: &[String]) -> anyhow::Result<Command> {
    let Some((cmd, rest)) = args.split_first() else {
        bail!("no command given\n{USAGE}")
    };
    let (mut check, mut prune, mut dry_run, mut bump) = (false, false, false, false);
    let mut specs = None;
    let mut out = None;
    let mut dir = None;
    let mut base = None;
    let mut format = Format::Text;
    let (mut pages, mut seed) = (None, 0u64);
    let import = cmd == "import";
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str, what: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{name} needs {what}"))
        };
        match a.as_str() {
            "--check" if cmd == "codegen" => check = true,
            "--specs" => specs = Some(value("--specs", "a folder")?.into()),
            "--out" if cmd == "codegen" || cmd == "synth" || import => {
                out = Some(value("--out", "a folder")?.into())
            }
            "--pages" if cmd == "synth" => {
                pages = Some(
                    value("--pages", "a number")?
                        .parse()
                        .context("--pages needs a number")?,
                )
            }
            "--seed" if cmd == "synth" => {
                seed = value("--seed", "a number")?
                    .parse()
                    .context("--seed needs a number")?
            }
            "--prune" if import => prune = true,
            "--dry-run" if import => dry_run = true,
            "--bump" if import => bump = true,
            "--base" if cmd == "diff" => base = Some(value("--base", "a git revision")?),
            "--format" if import || cmd == "diff" => {
                format = parse_format(&value("--format", "`text` or `json`")?)?
            }
            "-h" | "--help" => return Ok(Command::Help),
            other if import && dir.is_none() && !other.starts_with('-') => {
                dir = Some(PathBuf::from(other))
            }
            other => bail!("unexpected argument `{other}` for `{cmd}`\n{USAGE}"),
        }
    }
    if cmd == "synth" {
        let pages = pages.with_context(|| format!("`synth` needs --pages N\n{USAGE}"))?;
        let out = out.with_context(|| format!("`synth` needs --out DIR\n{USAGE}"))?;
        return Ok(Command::Synth { pages, seed, out });
    }
    let specs = specs.unwrap_or_else(|| project_root().join("specs"));
    let out = out.unwrap_or_else(|| project_root().join("generated"));
    Ok(match cmd.as_str() {
        "codegen" => Command::Codegen { check, specs, out },
        "lint" => Command::Lint { specs },
        "import" => {
            let dir = dir.with_context(|| {
                format!("`import` needs the folder of published pages\n{USAGE}")
            })?;
            Command::Import(Import {
                dir,
                specs,
                out,
                prune,
                dry_run,
                bump,
                format,
            })
        }
        "diff" => Command::Diff {
            base: base.unwrap_or_else(|| "HEAD".into()),
            specs,
            format,
        },
        "-h" | "--help" | "help" => Command::Help,
        other => bail!("unknown command `{other}`\n{USAGE}"),
    })
}

fn parse_format(s: &str) -> anyhow::Result<Format> {
    match s {
        "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        other => bail!("unknown format `{other}`: expected `text` or `json`"),
    }
}
