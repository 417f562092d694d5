//! The xtask as maintainers run it: exit codes, messages, and what it does
//! (or does not do) to the output folder.

mod common;

use common::{Scratch, edit, files, seed_specs, xtask};
use std::path::{Path, PathBuf};

/// A copy of the project's specs, and a generated crate made from them.
fn setup(name: &str) -> (Scratch, PathBuf, PathBuf) {
    let s = Scratch::new(name);
    let specs = s.0.join("specs");
    let out = s.0.join("out");
    std::fs::create_dir_all(&specs).unwrap();
    for e in std::fs::read_dir(seed_specs()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, specs.join(p.file_name().unwrap())).unwrap();
    }
    let o = xtask(&[
        "codegen",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (s, specs, out)
}

/// Breaks the specs one way, runs codegen, and checks the run fails with
/// `expected` in its message while the output stays exactly as it was.
fn fails_untouched(name: &str, breaks: impl FnOnce(&Path), expected: &[&str]) {
    let (_s, specs, out) = setup(name);
    let before = files(&out);
    breaks(&specs);
    let o = xtask(&[
        "codegen",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{name}: codegen should fail");
    for e in expected {
        assert!(stderr.contains(e), "{name}: {e:?} missing from:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(files(&out) == before, "{name}: output folder was changed");
}

#[test]
fn bad_parameter_name_fails_and_leaves_output_untouched() {
    fails_untouched(
        "bad-name",
        |s| {
            edit(
                &s.join("AppGetDeviceOTAInfo.md"),
                "| DeviceName  | String |",
                "| Device Name | String |",
            )
        },
        &[
            "`Device Name` is not a parameter name",
            "AppGetDeviceOTAInfo.md:14:",
            "was not touched",
        ],
    );
}

#[test]
fn duplicated_parameter_fails_and_leaves_output_untouched() {
    fails_untouched(
        "duplicate",
        |s| {
            edit(
                &s.join("AppGetProducts.md"),
                "| DeviceIds   |",
                "| ProductIds  |",
            )
        },
        &[
            "parameter `ProductIds` is documented twice",
            "AppGetProducts.md:15:",
            "first documented here",
        ],
    );
}

#[test]
fn missing_input_table_fails_and_leaves_output_untouched() {
    fails_untouched(
        "no-inputs",
        |s| {
            edit(
                &s.join("AppCallDeviceActionAsync.md"),
                "## 2. 输入参数",
                "## 2. 说明",
            )
        },
        &[
            "no input parameter table",
            "AppCallDeviceActionAsync.md:1:1",
        ],
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
    let before = files(&out);
    let o = xtask(&[
        "codegen",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(files(&out) == before, "files were rewritten");
}

/// A run the cache skips prints the warnings of the run it stands for,
/// and names the specs folder it was given, not the one that run had.
#[test]
fn a_skipped_run_names_the_specs_folder_it_was_given() {
    let (s, specs, out) = setup("skipped-note");
    let moved = s.0.join("moved-specs");
    std::fs::rename(&specs, &moved).unwrap();
    let o = xtask(&[
        "codegen",
        "--specs",
        moved.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("unchanged since the last run"), "{stderr}");
    let named = |dir: &Path| format!("the specs in {} have", dir.display());
    assert!(stderr.contains(&named(&moved)), "{stderr}");
    assert!(!stderr.contains(&named(&specs)), "{stderr}");
}

#[test]
fn check_names_stale_files_and_says_what_to_run() {
    let (_s, specs, out) = setup("stale");
    let o = xtask(&[
        "codegen",
        "--check",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "fresh output passes --check");
    edit(
        &specs.join("AppGetProducts.md"),
        "| 设备 ID 数组 ",
        "| 设备 ID 列表 ",
    );
    std::fs::write(
        out.join("src/actions/obsolete.rs"),
        "// Generated by `cargo xtask codegen`, do not edit by hand.\n",
    )
    .unwrap();
    let before = files(&out);
    let o = xtask(&[
        "codegen",
        "--check",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("app_get_products.rs differs"), "{stderr}");
    assert!(
        stderr.contains("obsolete.rs is no longer generated"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    assert!(files(&out) == before, "--check must not write");
    // A real run rewrites only the changed action and removes the obsolete file.
    let o = xtask(&[
        "codegen",
        "--specs",
        specs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let after = files(&out);
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(v))
        .map(|(p, _)| p.file_name().unwrap().to_owned())
        .collect();
    assert_eq!(
        changed,
        vec![std::ffi::OsString::from("app_get_products.rs")]
    );
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
    std::fs::write(s.0.join("AppX.md"), "## 1. 接口描述\n本接口（AppX）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Id Two|String|是|x|\n").unwrap();
    let o = xtask(&["lint", "--specs", s.0.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    assert!(stdout.contains("AppX.md:8:2"), "{stdout}");
}
