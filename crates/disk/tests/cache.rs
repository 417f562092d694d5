//! The codegen cache never hides a stale file: a file is kept only when
//! its inputs have the recorded key and its bytes on disk the recorded
//! hash. Run on the project's specs, into a scratch folder; and a cache
//! file is read back whole or not at all.

use disk::cache::{Cache, Digest, Run};
use disk::{Regenerated, Workspace};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Setup {
    ws: Workspace,
    api: apidoc::ir::Api,
    options: codegen::Options,
    out: PathBuf,
    _tmp: tempfile::TempDir,
}

fn setup() -> Setup {
    let ws = Workspace::at(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).unwrap();
    let loaded = apidoc::load_dir(&ws.specs()).unwrap();
    assert!(!loaded.diagnostics.has_errors());
    let tmp = tempfile::tempdir().unwrap();
    let out = disk::path::normalize(&tmp.path().join("out")).unwrap();
    let options = ws.options_for(&out).unwrap();
    Setup {
        ws,
        api: loaded.api,
        options,
        out,
        _tmp: tmp,
    }
}

impl Setup {
    fn regenerate(&self, cache: &Cache) -> Regenerated {
        self.ws
            .regenerate(&self.api, &self.options, &self.out, cache)
            .unwrap()
    }

    /// Regenerates and writes; returns the cache it learnt.
    fn write(&self, cache: &Cache) -> Cache {
        let r = self.regenerate(cache);
        disk::prepare(r.plan.changes())
            .unwrap()
            .apply(&mut disk::RealFs)
            .unwrap();
        r.cache
    }

    fn stale(r: &Regenerated) -> Vec<String> {
        r.plan
            .items
            .iter()
            .map(|i| i.rel.to_string_lossy().into_owned())
            .collect()
    }
}

fn generator(name: &str) -> Digest {
    Digest::of(name.as_bytes())
}

#[test]
fn unchanged_files_are_not_emitted_and_the_plan_is_the_uncached_one() {
    let s = setup();
    let warm = s.write(&Cache::empty(generator("a")));
    let r = s.regenerate(&warm);
    assert_eq!(r.emitted, 0, "every file is vouched for");
    assert!(r.plan.is_empty());
    assert_eq!(r.files, r.outputs.len());
    // The same files as without a cache, and the same (empty) plan.
    let cold = s.regenerate(&Cache::empty(generator("a")));
    assert_eq!(cold.emitted, cold.files - 1, "all but Cargo.lock");
    assert!(cold.plan.is_empty());
    assert_eq!(cold.outputs, r.outputs);
}

#[test]
fn a_hand_edited_file_is_regenerated_and_reported() {
    let s = setup();
    let warm = s.write(&Cache::empty(generator("a")));
    let edited = "src/actions/app_get_products.rs";
    let path = s.out.join(edited);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("// edited by hand\n");
    std::fs::write(&path, text).unwrap();
    let r = s.regenerate(&warm);
    assert_eq!(r.emitted, 1);
    assert_eq!(Setup::stale(&r), [edited]);
    // Writing it restores the file; then nothing is stale again.
    let warm = s.write(&warm);
    let r = s.regenerate(&warm);
    assert!(r.plan.is_empty() && r.emitted == 0);
    // A removed file is missing, not vouched for.
    std::fs::remove_file(&path).unwrap();
    let r = s.regenerate(&warm);
    assert_eq!((r.emitted, Setup::stale(&r)), (1, vec![edited.to_string()]));
}

/// What an older generator made is on disk, and that generator's cache
/// vouches for it: a new generator (another identity) does not trust the
/// cache and reports the file.
#[test]
fn another_generator_does_not_trust_the_cache() {
    let s = setup();
    let old = generator("old");
    let edited = "src/structs/mod.rs";
    // The old generator's output: the file with another line.
    s.write(&Cache::empty(old));
    let path = s.out.join(edited);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("// what the old generator wrote\n");
    std::fs::write(&path, &text).unwrap();
    // Its cache says so: regenerate with it, then forge the record of
    // the edited file as the old generator would have left it.
    let r = s.regenerate(&Cache::empty(old));
    let mut files: Vec<codegen::File> = codegen::generate(&s.api, &s.options).unwrap();
    for f in &mut files {
        if f.path == edited {
            f.contents = text.clone();
        }
    }
    let keys = disk::cache::keys(&old, &s.api, &s.options);
    let mut vouching = r.cache;
    vouching.record(&keys, &files);
    // With the old generator's identity the cache would keep the file...
    let trusted = s.regenerate(&vouching);
    assert!(trusted.plan.is_empty() && trusted.emitted == 0);
    // ...but a new generator's keys differ: the file is regenerated and stale.
    let new = Cache::load(Path::new("/nonexistent"), generator("new"));
    let r = s.ws.regenerate(&s.api, &s.options, &s.out, &new).unwrap();
    assert_eq!(Setup::stale(&r), [edited]);
    // And a cache file written by the old generator loads empty for the new.
    let file = s._tmp.path().join("cache");
    vouching.save(&file).unwrap();
    assert!(!Cache::load(&file, old).is_empty());
    assert!(Cache::load(&file, generator("new")).is_empty());
}

/// A changed input changes exactly the keys of the files made from it.
#[test]
fn a_changed_action_changes_its_file_and_the_lists_only() {
    let s = setup();
    let g = generator("a");
    let before = disk::cache::keys(&g, &s.api, &s.options);
    let changed_by = |api: &apidoc::ir::Api| -> Vec<String> {
        let after = disk::cache::keys(&g, api, &s.options);
        before
            .iter()
            .filter(|(p, k)| after.get(*p) != Some(k))
            .map(|(p, _)| p.clone())
            .collect()
    };
    let file = format!(
        "src/actions/{}.rs",
        s.api.actions[3].method.trim_start_matches("r#")
    );
    // Its prose (the description, a field's doc) is in its own file only.
    let mut api = s.api.clone();
    api.actions[3].doc.push_str(" More.");
    assert_eq!(changed_by(&api), std::slice::from_ref(&file));
    let mut api = s.api.clone();
    api.actions[3].outputs[0].doc.push_str(" More.");
    assert_eq!(changed_by(&api), std::slice::from_ref(&file));
    // Anything else of it is in the lists too: the modules, the crate docs
    // (the paginated actions) and the test server (its examples).
    let mut api = s.api.clone();
    api.actions[3].group = Some("another".into());
    let mut expected = [
        "src/actions/mod.rs",
        file.as_str(),
        "src/lib.rs",
        "src/test_util.rs",
    ];
    expected.sort();
    assert_eq!(changed_by(&api), expected);
    // A structure changes its own file, the list of structures and every
    // action file.
    let mut api = s.api.clone();
    api.structs[0].doc.push_str(" More.");
    assert_eq!(changed_by(&api).len(), s.api.actions.len() + 2);
    // Options change every key.
    let after = disk::cache::keys(&g, &s.api, &s.options);
    assert_eq!(before, after);
    let mut options = s.options.clone();
    options.runtime_path.push('/');
    let after = disk::cache::keys(&g, &s.api, &options);
    assert!(before.iter().all(|(p, k)| after.get(p) != Some(k)));
}

/// The cache file reads back as it was saved; another generator's, and
/// one with any byte changed or cut short anywhere, loads empty.
#[test]
fn a_cache_reads_back_and_any_damage_empties_it() {
    let g = generator("generator");
    let mut cache = Cache::empty(g);
    let keys = BTreeMap::from([
        ("src/a.rs".to_string(), Digest::of(b"ka")),
        ("src/b.rs".to_string(), Digest::of(b"kb")),
    ]);
    let files = [codegen::File {
        path: "src/a.rs".into(),
        contents: "a".into(),
    }];
    cache.record(&keys, &files);
    cache.record_run(Run {
        key: Digest::of(b"run"),
        outputs: BTreeMap::from([("src/a.rs".to_string(), Digest::of(b"a"))]),
        note: "warning: \"x\"\nline two".into(),
        warnings: 1,
    });
    assert_eq!(cache.len(), 1, "b.rs was neither made nor known");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cache");
    cache.save(&path).unwrap();
    assert_eq!(Cache::load(&path, g), cache);
    assert_eq!(
        Cache::load(&path, generator("other")),
        Cache::empty(generator("other"))
    );
    let text = std::fs::read(&path).unwrap();
    for at in 0..text.len() {
        let mut damaged = text.clone();
        damaged[at] ^= 0x01;
        std::fs::write(&path, &damaged).unwrap();
        assert_eq!(Cache::load(&path, g), Cache::empty(g), "byte {at}");
        std::fs::write(&path, &text[..at]).unwrap();
        assert_eq!(Cache::load(&path, g), Cache::empty(g), "cut at {at}");
    }
}

/// Saving prunes only the cache's own files, and never writes through a
/// link in the cache folder's place.
#[cfg(unix)]
#[test]
fn saving_touches_only_the_caches_own_files() {
    let g = generator("generator");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("codegen-cache");
    std::fs::create_dir_all(&dir).unwrap();
    // More old cache files than are kept, and a file that is no cache's.
    for i in 0..40 {
        std::fs::write(dir.join(format!("{i:016x}")), "old").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    Cache::empty(g).save(&dir.join("ffffffffffffffff")).unwrap();
    let left = std::fs::read_dir(&dir).unwrap().count();
    assert!(left < 40, "old cache files were pruned ({left} left)");
    assert!(
        dir.join("notes.txt").exists(),
        "a file that is no cache's stays"
    );

    // A link where the cache folder goes: nothing is written or pruned
    // through it.
    let victim = tmp.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    for i in 0..40 {
        std::fs::write(victim.join(format!("{i:016x}")), "theirs").unwrap();
    }
    let link = tmp.path().join("linked-cache");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = Cache::empty(g)
        .save(&link.join("ffffffffffffffff"))
        .unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 40);
}
