//! Runs the whole generator once, as `cargo xtask codegen --specs DIR --out DIR`
//! does, and prints how long each stage took, so that a run can be timed
//! and its peak memory measured (`/usr/bin/time -v`) on its own.
//!
//! ```text
//! cargo run --release -p bench --bin pipeline -- --specs DIR --out DIR [--synth PAGES [--seed N]] [--split]
//! ```
//!
//! By default the generate stage is `codegen::generate`, as in the xtask: it
//! emits and formats file by file on every core. `--split` runs
//! `codegen::emit` for every file and then `codegen::format`, to time the two
//! apart; that holds every file's tokens at once, so it needs more memory.
//!
//! `--synth PAGES` first writes a synthetic corpus of that many pages into
//! the specs folder (see the `synth` crate); that step is timed apart and
//! its memory is freed before the pipeline starts, but it still counts in
//! the process's peak, so measure memory on a run without it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

struct Args {
    specs: PathBuf,
    out: PathBuf,
    synth: Option<usize>,
    seed: u64,
    split: bool,
}

fn args() -> Result<Args, String> {
    let mut specs = None;
    let mut out = None;
    let mut synth = None;
    let mut seed = 0;
    let mut split = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--specs" => specs = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--synth" => synth = Some(value()?.parse().map_err(|e| format!("--synth: {e}"))?),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--split" => split = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        specs: specs.ok_or("--specs DIR is required")?,
        out: out.ok_or("--out DIR is required")?,
        synth,
        seed,
        split,
    })
}

// The xtask's allocator: the stages are timed as `cargo xtask codegen` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("usage: pipeline --specs DIR --out DIR [--synth PAGES [--seed N]] [--split]");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    if let Some(pages) = args.synth {
        let t = Instant::now();
        synth::write(&args.specs, pages, args.seed)?;
        println!(
            "synth      {:>10}  {pages} pages, seed {} -> {}",
            ms(t.elapsed()),
            args.seed,
            args.specs.display()
        );
    }
    let start = Instant::now();
    let mut stage = Stage::new();

    let files = bench::read(&args.specs)?;
    let (pages, bytes) = (files.pages.len(), files.page_bytes());
    stage.done(
        "read",
        format!("{pages} pages, {:.1} MB", bytes as f64 / 1e6),
    );

    let mut parsed = bench::parse(files);
    stage.done("parse", String::new());

    let (api, diagnostics) = bench::lower(&parsed);
    stage.done(
        "lower",
        format!(
            "{} actions, {} structures, {} error codes",
            api.actions.len(),
            api.structs.len(),
            api.error_codes.len()
        ),
    );
    if diagnostics.has_errors() {
        eprintln!("{}", diagnostics.summary());
        eprintln!(
            "error: the specs have errors; {} was not touched",
            args.out.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    // As in the xtask: the page models die inside `apidoc::load_dir`, the
    // source files stay for diagnostics until the end.
    drop(std::mem::take(&mut parsed.pages));

    let workspace = bench::workspace();
    let out = disk::path::normalize(&args.out)?;
    let options = workspace.options_for(&out)?;
    let files = if args.split {
        let emitted = codegen::emit(&api, &options);
        stage.done("emit", format!("{} files", emitted.len()));
        let mut files = codegen::format(emitted)?;
        workspace.add_lockfile(&options, &mut files);
        let out_bytes: usize = files.iter().map(|f| f.contents.len()).sum();
        stage.done(
            "format",
            format!("{:.1} MB of Rust", out_bytes as f64 / 1e6),
        );
        files
    } else {
        let files = workspace.generate(&api, &options)?;
        let out_bytes: usize = files.iter().map(|f| f.contents.len()).sum();
        stage.done(
            "generate",
            format!(
                "{} files, {:.1} MB of Rust",
                files.len(),
                out_bytes as f64 / 1e6
            ),
        );
        files
    };

    // As in the xtask: compare with the folder, check every change, apply.
    let plan = disk::out_dir::plan(&out, &files)?;
    let prepared = disk::prepare(plan.changes()).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        lines.join("\n")
    })?;
    stage.done(
        "plan",
        format!("{} of {} files changed", prepared.len(), files.len()),
    );
    prepared.apply(&mut disk::RealFs)?;
    stage.done("apply", format!("into {}", out.display()));

    let total = start.elapsed();
    drop(parsed);
    println!(
        "total      {:>10}  {:.0} pages/s",
        ms(total),
        pages as f64 / total.as_secs_f64()
    );
    if let Some(peak) = proc_status("VmHWM:") {
        println!("peak RSS   {peak:>10}");
    }
    Ok(ExitCode::SUCCESS)
}

struct Stage(Instant);

impl Stage {
    fn new() -> Stage {
        Stage(Instant::now())
    }

    fn done(&mut self, name: &str, note: String) {
        let memory = match (proc_status("VmRSS:"), proc_status("VmHWM:")) {
            (Some(rss), Some(peak)) => format!("  [RSS {rss}, peak {peak}]"),
            _ => String::new(),
        };
        println!("{name:<10} {:>10}  {note}{memory}", ms(self.0.elapsed()));
        self.0 = Instant::now();
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A line of `/proc/self/status` where Linux has it: `VmRSS:` (resident
/// now) or `VmHWM:` (the peak, a cross-check of `/usr/bin/time -v`'s
/// "Maximum resident set size"), in MB.
fn proc_status(key: &str) -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line
        .trim_start_matches(key)
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.0} MB", kb / 1024.0))
}
