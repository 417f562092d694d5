//! Each stage of the generator, on the project's specs (the whole published
//! API) and on synthetic corpora of 1,000 and 10,000 pages, with a floor:
//! pulldown-cmark alone iterating the same bytes. Everything it reads is in
//! the repository or made by it.
//!
//! ```text
//! cargo bench -p bench --bench stages                 # everything (~2 min)
//! cargo bench -p bench --bench stages -- synth_1k     # one corpus
//! cargo bench -p bench --bench stages -- format       # one stage
//! ```
//!
//! Throughput is in pages (every Markdown file read, the structures page
//! included). Stages:
//! - `read`: the files of the folder into memory;
//! - `parse`: `apidoc::parse`, decoding the files and parsing every page
//!   (`apidoc::page::parse`, the pages spread over the cores);
//! - `lower`: `apidoc::lower::lower` on the parsed pages (pages -> IR);
//! - `load`: `apidoc::load_dir`, i.e. read + decode + parse + lower;
//! - `emit`: `codegen::emit` (IR -> tokens);
//! - `format`: `codegen::format` (tokens -> prettyplease text);
//! - `generate`: `codegen::generate`, emit and format file by file on every
//!   core, as `cargo xtask codegen` runs them;
//! - `write`: compare with the disk and write changed files, into an empty
//!   folder (every file written);
//! - `write_unchanged`: the same into a folder that is already up to date
//!   (nothing written: the common case of regenerating);
//! - `end_to_end`: `bench::codegen_dir`, `cargo xtask codegen` as it would
//!   run without its cache, into an empty folder: load, generate, write;
//! - `cold`: `bench::regenerate` (the xtask's run, with its cache) into an
//!   empty folder with no cache: load, generate every file, write, save the
//!   cache;
//! - `cold_check`: the same with no cache into an up-to-date folder (a
//!   fresh clone's `codegen --check`): load, generate every file, compare,
//!   nothing written;
//! - `noop`: the same into an up-to-date folder with its cache, nothing
//!   changed since (the run is skipped after reading the specs and the
//!   folder);
//! - `one_page`: the same after one page changed (one action's description,
//!   alternately with and without a word): load, emit the files made from
//!   that action, write them;
//! - `cache_keys`: `disk::cache::keys`, the key of every file from the IR;
//! - `cache_unchanged`: `disk::Workspace::regenerate` from the IR with a
//!   warm cache into an up-to-date folder (keys, reading and hashing the
//!   folder, nothing emitted): what the file-level cache itself costs;
//! - `floor`: pulldown-cmark's offset iterator over the same pages, nothing kept;
//! - `synth`: making the synthetic corpus itself (not part of the pipeline).

use apidoc::ir::Api;
use bench::Parsed;
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};
use tempfile::TempDir;

// The xtask's allocator: the stages are timed as `cargo xtask codegen` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::Divan::from_args().main();
}

/// Scratch folders go under the target directory: the same disk as a real
/// checkout, and cleaned by `cargo clean`.
fn scratch() -> TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a scratch folder")
}

/// A specs folder and what each stage needs as input, computed once, on
/// first use, outside the timings.
struct Corpus {
    dir: PathBuf,
    _synth: Option<TempDir>,
    pages: usize,
    texts: OnceLock<Vec<String>>,
    parsed: OnceLock<Parsed>,
    api: OnceLock<Api>,
    files: OnceLock<Vec<codegen::File>>,
    written: OnceLock<TempDir>,
    cached: OnceLock<TempDir>,
    edited: OnceLock<Edited>,
}

/// A copy of a corpus, generated with its cache, and one page of it that
/// the `one_page` benchmark changes back and forth.
struct Edited {
    dir: TempDir,
    page: PathBuf,
    text: String,
    at: usize,
    flip: std::sync::atomic::AtomicBool,
}

impl Corpus {
    fn at(dir: PathBuf, synth: Option<TempDir>) -> Corpus {
        let pages = bench::read(&dir).expect("reading the corpus").pages.len();
        Corpus {
            dir,
            _synth: synth,
            pages,
            texts: OnceLock::new(),
            parsed: OnceLock::new(),
            api: OnceLock::new(),
            files: OnceLock::new(),
            written: OnceLock::new(),
            cached: OnceLock::new(),
            edited: OnceLock::new(),
        }
    }

    /// A folder `out/` generated with its cache `cache`, up to date.
    fn cached(&self) -> &Path {
        self.cached
            .get_or_init(|| {
                let dir = scratch();
                let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
                bench::regenerate(&self.dir, &out, &cache).expect("generating");
                let again = bench::regenerate(&self.dir, &out, &cache).expect("regenerating");
                assert!(again.skipped, "{again:?}");
                dir
            })
            .path()
    }

    /// A copy of the specs in `specs/`, generated into `out/` with the
    /// cache `cache`; the page to change is the first action page.
    fn edited(&self) -> &Edited {
        self.edited.get_or_init(|| {
            let dir = scratch();
            let specs = dir.path().join("specs");
            copy_tree(&self.dir, &specs);
            let files = bench::read(&specs).expect("reading the copy");
            let (page, text, at) = files
                .pages
                .iter()
                .find_map(|f| {
                    let text = String::from_utf8(f.bytes.clone()).ok()?;
                    let at = text.find("\n本接口")? + 1;
                    let at = at + text[at..].find('\n')?;
                    Some((specs.join(&f.path), text, at))
                })
                .expect("an action page with a 本接口 line");
            let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
            bench::regenerate(&specs, &out, &cache).expect("generating");
            Edited {
                dir,
                page,
                text,
                at,
                flip: false.into(),
            }
        })
    }
}

impl Edited {
    /// Changes the page: one word more, or back as it was.
    fn change(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        let more = !self.flip.fetch_xor(true, Relaxed);
        let text = if more {
            format!(
                "{}（已更新）{}",
                &self.text[..self.at],
                &self.text[self.at..]
            )
        } else {
            self.text.clone()
        };
        std::fs::write(&self.page, text).expect("changing the page");
    }

    fn run(&self) -> bench::Regenerated {
        let d = self.dir.path();
        bench::regenerate(&d.join("specs"), &d.join("out"), &d.join("cache")).unwrap()
    }
}

/// Copies a folder of pages (sub-folders included).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for e in std::fs::read_dir(from).expect("reading the corpus") {
        let e = e.expect("an entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("a type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copying a page");
        }
    }
}

impl Corpus {
    fn synthetic(pages: usize) -> Corpus {
        let tmp = scratch();
        synth::write(tmp.path(), pages, 0).expect("writing the synthetic corpus");
        Corpus::at(tmp.path().to_path_buf(), Some(tmp))
    }

    fn count(&self) -> ItemsCount {
        ItemsCount::new(self.pages)
    }

    fn texts(&self) -> &[String] {
        self.texts.get_or_init(|| {
            let files = bench::read(&self.dir).expect("reading the corpus");
            files
                .pages
                .into_iter()
                .map(|f| String::from_utf8(f.bytes).expect("UTF-8 pages"))
                .collect()
        })
    }

    fn parsed(&self) -> &Parsed {
        self.parsed
            .get_or_init(|| bench::parse(bench::read(&self.dir).expect("reading the corpus")))
    }

    fn api(&self) -> &Api {
        self.api.get_or_init(|| {
            let (api, diagnostics) = bench::lower(self.parsed());
            assert!(
                !diagnostics.has_errors(),
                "the corpus has errors: {}",
                diagnostics.summary()
            );
            api
        })
    }

    fn options() -> codegen::Options {
        // Any folder but `generated/` gets the standalone crate, as with the xtask.
        bench::options_for(Path::new(env!("CARGO_TARGET_TMPDIR")))
    }

    fn files(&self) -> &[codegen::File] {
        self.files.get_or_init(|| {
            bench::workspace()
                .generate(self.api(), &Self::options())
                .expect("generating")
        })
    }

    fn written(&self) -> &Path {
        self.written
            .get_or_init(|| {
                let dir = scratch();
                bench::write(dir.path(), self.files()).expect("writing");
                dir
            })
            .path()
    }
}

static SPECS: LazyLock<Corpus> = LazyLock::new(|| Corpus::at(bench::workspace().specs(), None));
static SYNTH_1K: LazyLock<Corpus> = LazyLock::new(|| Corpus::synthetic(1_000));
static SYNTH_10K: LazyLock<Corpus> = LazyLock::new(|| Corpus::synthetic(10_000));

/// The same benchmarks for each corpus; only the sample counts differ, so
/// that the whole run stays within a few minutes on a 2-core machine.
macro_rules! stages {
    ($module:ident, $corpus:ident, samples = $samples:literal) => {
        mod $module {
            use super::*;

            fn corpus() -> &'static Corpus {
                &$corpus
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn read(b: Bencher) {
                let c = corpus();
                b.counter(c.count())
                    .bench_local(|| bench::read(&c.dir).unwrap());
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn parse(b: Bencher) {
                let c = corpus();
                let files = bench::read(&c.dir).expect("reading the corpus");
                b.counter(c.count())
                    .with_inputs(|| files.clone())
                    .bench_local_values(bench::parse);
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn lower(b: Bencher) {
                let c = corpus();
                let parsed = c.parsed();
                b.counter(c.count()).bench_local(|| bench::lower(parsed));
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn load(b: Bencher) {
                let c = corpus();
                b.counter(c.count())
                    .bench_local(|| apidoc::load_dir(&c.dir).unwrap());
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn emit(b: Bencher) {
                let c = corpus();
                let (api, options) = (c.api(), Corpus::options());
                b.counter(c.count())
                    .bench_local(|| codegen::emit(api, &options));
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn format(b: Bencher) {
                let c = corpus();
                let (api, options) = (c.api(), Corpus::options());
                b.counter(c.count())
                    .with_inputs(|| codegen::emit(api, &options))
                    .bench_local_values(|e| codegen::format(e).unwrap());
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn generate(b: Bencher) {
                let c = corpus();
                let (api, options) = (c.api(), Corpus::options());
                b.counter(c.count())
                    .bench_local(|| codegen::generate(api, &options).unwrap());
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn write(b: Bencher) {
                let c = corpus();
                let files = c.files();
                b.counter(c.count())
                    .with_inputs(scratch)
                    .bench_local_refs(|dir| bench::write(dir.path(), files).unwrap());
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn write_unchanged(b: Bencher) {
                let c = corpus();
                let (files, dir) = (c.files(), c.written());
                b.counter(c.count())
                    .bench_local(|| assert_eq!(bench::write(dir, files).unwrap(), 0));
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn end_to_end(b: Bencher) {
                let c = corpus();
                b.counter(c.count())
                    .with_inputs(scratch)
                    .bench_local_refs(|out| bench::codegen_dir(&c.dir, out.path()).unwrap());
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn cold(b: Bencher) {
                let c = corpus();
                b.counter(c.count())
                    .with_inputs(scratch)
                    .bench_local_refs(|d| {
                        let (out, cache) = (d.path().join("out"), d.path().join("cache"));
                        let r = bench::regenerate(&c.dir, &out, &cache).unwrap();
                        assert!(!r.skipped && r.written > 0);
                    });
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn cold_check(b: Bencher) {
                let c = corpus();
                let out = c.cached().join("out");
                b.counter(c.count())
                    .with_inputs(scratch)
                    .bench_local_refs(|d| {
                        let r = bench::regenerate(&c.dir, &out, &d.path().join("cache")).unwrap();
                        assert!(!r.skipped && r.emitted > 0 && r.written == 0, "{r:?}");
                    });
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn noop(b: Bencher) {
                let c = corpus();
                let d = c.cached();
                let (out, cache) = (d.join("out"), d.join("cache"));
                b.counter(c.count()).bench_local(|| {
                    let r = bench::regenerate(&c.dir, &out, &cache).unwrap();
                    assert!(r.skipped);
                });
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn one_page(b: Bencher) {
                let c = corpus();
                let e = c.edited();
                b.counter(c.count())
                    .with_inputs(|| e.change())
                    .bench_local_refs(|_| {
                        let r = e.run();
                        assert!(!r.skipped && r.written >= 1 && r.emitted < 10, "{r:?}");
                    });
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn cache_keys(b: Bencher) {
                let c = corpus();
                let (api, options) = (c.api(), Corpus::options());
                let g = disk::cache::generator();
                b.counter(c.count())
                    .bench_local(|| disk::cache::keys(&g, api, &options));
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn cache_unchanged(b: Bencher) {
                let c = corpus();
                let d = c.cached();
                let (out, path) = (d.join("out"), d.join("cache"));
                let cache = disk::cache::Cache::load(&path, disk::cache::generator());
                let (api, options) = (c.api(), bench::options_for(&out));
                let ws = bench::workspace();
                b.counter(c.count()).bench_local(|| {
                    let r = ws.regenerate(api, &options, &out, &cache).unwrap();
                    assert!(r.emitted == 0 && r.plan.is_empty());
                });
            }

            #[divan::bench(sample_count = $samples, sample_size = 1)]
            fn floor(b: Bencher) {
                use pulldown_cmark::{Options, Parser};
                let c = corpus();
                let texts = c.texts();
                b.counter(c.count()).bench_local(|| {
                    for t in texts {
                        for item in Parser::new_ext(t, Options::ENABLE_TABLES).into_offset_iter() {
                            black_box(item);
                        }
                    }
                });
            }
        }
    };
}

stages!(specs, SPECS, samples = 40);
stages!(synth_1k, SYNTH_1K, samples = 10);
stages!(synth_10k, SYNTH_10K, samples = 3);

/// Making the synthetic corpora (in memory): not part of the pipeline, but
/// it must stay well under a second for 10,000 pages.
#[divan::bench(args = [1_000, 10_000], sample_count = 5, sample_size = 1)]
fn synth(b: Bencher, pages: usize) {
    b.counter(ItemsCount::new(pages + 1))
        .bench_local(|| synth::corpus(pages, 0));
}
