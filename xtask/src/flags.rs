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
      print every diagnostic of a specs folder and a summary; fails only on errors";

pub enum Command {
    Codegen { check: bool, specs: PathBuf, out: PathBuf },
    Lint { specs: PathBuf },
    Help,
}

pub fn parse(args: &[String]) -> anyhow::Result<Command> {
    let Some((cmd, rest)) = args.split_first() else { bail!("no command given\n{USAGE}") };
    let mut check = false;
    let mut specs = None;
    let mut out = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().map(PathBuf::from).with_context(|| format!("{name} needs a folder"));
        match a.as_str() {
            "--check" if cmd == "codegen" => check = true,
            "--specs" => specs = Some(value("--specs")?),
            "--out" if cmd == "codegen" => out = Some(value("--out")?),
            "-h" | "--help" => return Ok(Command::Help),
            other => bail!("unexpected argument `{other}` for `{cmd}`\n{USAGE}"),
        }
    }
    let specs = specs.unwrap_or_else(|| project_root().join("specs"));
    Ok(match cmd.as_str() {
        "codegen" => Command::Codegen { check, specs, out: out.unwrap_or_else(|| project_root().join("generated")) },
        "lint" => Command::Lint { specs },
        "-h" | "--help" | "help" => Command::Help,
        other => bail!("unknown command `{other}`\n{USAGE}"),
    })
}
