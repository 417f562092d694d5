//! The xtask as maintainers run it: exit codes, messages, and what it does
//! (or does not do) to the output folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

/// A scratch folder removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("xtask-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap()
}

/// A copy of the project's specs, and a generated crate made from them.
fn setup(name: &str) -> (Scratch, PathBuf, PathBuf) {
    let s = Scratch::new(name);
    let specs = s.0.join("specs");
    let out = s.0.join("out");
    std::fs::create_dir_all(&specs).unwrap();
    for e in std::fs::read_dir(root().join("specs")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, specs.join(p.file_name().unwrap())).unwrap();
    }
    let o = xtask(&["codegen", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (s, specs, out)
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let meta = std::fs::metadata(&p).unwrap();
                out.insert(p.clone(), (std::fs::read(&p).unwrap(), meta.modified().unwrap()));
            }
        }
    }
    out
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Breaks the specs one way, runs codegen, and checks the run fails with
/// `expected` in its message while the output stays exactly as it was.
fn fails_untouched(name: &str, breaks: impl FnOnce(&Path), expected: &[&str]) {
    let (_s, specs, out) = setup(name);
    let before = snapshot(&out);
    breaks(&specs);
    let o = xtask(&["codegen", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{name}: codegen should fail");
    for e in expected {
        assert!(stderr.contains(e), "{name}: {e:?} missing from:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(snapshot(&out) == before, "{name}: output folder was changed");
}

#[test]
fn unknown_type_fails_and_leaves_output_untouched() {
    fails_untouched(
        "unknown-type",
        |s| edit(&s.join("AppGetDeviceOTAInfo.md"), "| DeviceName  | String |", "| DeviceName  | Strnig |"),
        &["unknown type `Strnig`", "AppGetDeviceOTAInfo.md:14:", "was not touched"],
    );
}

#[test]
fn duplicated_parameter_fails_and_leaves_output_untouched() {
    fails_untouched(
        "duplicate",
        |s| edit(&s.join("AppGetProducts.md"), "| DeviceIds   |", "| ProductIds  |"),
        &["parameter `ProductIds` is documented twice", "AppGetProducts.md:15:", "first documented here"],
    );
}

#[test]
fn missing_input_table_fails_and_leaves_output_untouched() {
    fails_untouched(
        "no-inputs",
        |s| edit(&s.join("AppCallDeviceActionAsync.md"), "## 2. 输入参数", "## 2. 说明"),
        &["no input parameter table", "AppCallDeviceActionAsync.md:1:1"],
    );
}

#[test]
fn non_utf8_page_fails_and_leaves_output_untouched() {
    fails_untouched(
        "not-utf8",
        |s| {
            let mut bytes = std::fs::read(s.join("AppGetProducts.md")).unwrap();
            bytes.splice(0..0, [0xC3, 0x28]);
            std::fs::write(s.join("AppGetProducts.md"), bytes).unwrap();
        },
        &["file is not valid UTF-8", "AppGetProducts.md:1:1"],
    );
}

#[test]
fn regenerating_unchanged_specs_writes_nothing() {
    let (_s, specs, out) = setup("unchanged");
    let before = snapshot(&out);
    let o = xtask(&["codegen", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(snapshot(&out) == before, "files were rewritten");
}

#[test]
fn check_names_stale_files_and_says_what_to_run() {
    let (_s, specs, out) = setup("stale");
    let o = xtask(&["codegen", "--check", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "fresh output passes --check");
    edit(&specs.join("AppGetProducts.md"), "| 设备 ID 数组 ", "| 设备 ID 列表 ");
    std::fs::write(out.join("src/actions/obsolete.rs"), "// Generated by `cargo xtask codegen`, do not edit by hand.\n").unwrap();
    let before = snapshot(&out);
    let o = xtask(&["codegen", "--check", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("app_get_products.rs differs"), "{stderr}");
    assert!(stderr.contains("obsolete.rs is no longer generated"), "{stderr}");
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    assert!(snapshot(&out) == before, "--check must not write");
    // A real run rewrites only the changed action and removes the obsolete file.
    let o = xtask(&["codegen", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success());
    let after = snapshot(&out);
    let changed: Vec<_> = after.iter().filter(|(p, v)| before.get(*p) != Some(v)).map(|(p, _)| p.file_name().unwrap().to_owned()).collect();
    assert_eq!(changed, vec![std::ffi::OsString::from("app_get_products.rs")]);
    assert!(!out.join("src/actions/obsolete.rs").exists());
}

#[test]
fn lint_exits_zero_on_warnings_and_non_zero_on_errors() {
    let s = Scratch::new("lint");
    std::fs::write(s.0.join("AppX.md"), "## 1. 接口描述\n本接口（AppX）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Id,|String|是|x|\n").unwrap();
    let o = xtask(&["lint", "--specs", s.0.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}");
    assert!(stdout.contains("warning[stray-punctuation]=1"), "{stdout}");
    std::fs::write(s.0.join("AppX.md"), "## 1. 接口描述\n本接口（AppX）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Id|Blob|是|x|\n").unwrap();
    let o = xtask(&["lint", "--specs", s.0.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    assert!(stdout.contains("AppX.md:8:5"), "{stdout}");
}
