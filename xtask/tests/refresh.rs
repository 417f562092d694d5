//! The docs refresh as maintainers run it: `import` a folder of pages as
//! Tencent publishes them, and `diff` the specs against a git revision.
//!
//! Every test works on scratch copies of the project's specs; the
//! published-style folder is built from those same pages, renamed the way
//! the docs site names them, with deliberate edits.

mod common;

use common::{Scratch, edit, files, git, root, seed_specs, xtask};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// Where each page of specs/ is on the docs site (shape of the published
/// folders: category sub-folders, Chinese titles, one with a space).
const PUBLISHED: &[(&str, &str)] = &[
    ("AppGetDeviceOTAInfo.md", "设备管理/获取设备OTA信息.md"),
    (
        "AppCallDeviceActionAsync.md",
        "设备管理/设备控制/异步调用设备行为.md",
    ),
    ("AppGetProducts.md", "产品管理/获取产品列表.md"),
    (
        "AppCreateProductResource.md",
        "文件管理/创建文件下发任务.md",
    ),
    (
        "AppGetResourceUploadURL.md",
        "文件管理/获取文件上传目标 URL.md",
    ),
    ("structures.md", "_structures/数据结构.md"),
];

const INTRO: &str = "## 简介\n\n应用端 API 为小程序和 App 提供设备管理、设备控制等能力。\n\n## 公共参数\n\n每个请求都带有 Action 和 RequestId。\n";

/// The published path of a page of specs/.
fn published(page: &str) -> &'static str {
    PUBLISHED
        .iter()
        .find(|(s, _)| *s == page)
        .map(|(_, p)| *p)
        .unwrap()
}

/// Copies the seed specs (as writable files) into `to`, each page in the
/// folder of its category, as `import` lays the specs out.
fn copy_specs(to: &Path) {
    copy_dir(&seed_specs(), to);
    for (page, _) in PUBLISHED {
        let target = in_specs(to, page);
        if target != to.join(page) {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::rename(to.join(page), target).unwrap();
        }
    }
}

/// Where a page of the seed specs is in specs laid out by `import`: in the
/// folder its published page is in (structures.md stays at the top).
fn in_specs(specs: &Path, page: &str) -> PathBuf {
    match published(page).rsplit_once('/') {
        Some((dir, _)) if page != "structures.md" => specs.join(dir).join(page),
        _ => specs.join(page),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let path = e.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::write(&target, std::fs::read(&path).unwrap()).unwrap();
        }
    }
}

/// A published-style folder with exactly the pages of specs/, plus the
/// API introduction.
fn publish(to: &Path) {
    for (page, target) in PUBLISHED {
        let target = to.join(target);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, std::fs::read(seed_specs().join(page)).unwrap()).unwrap();
    }
    std::fs::write(to.join("应用端_API_简介.md"), INTRO).unwrap();
}

/// Takes an action out of the `[groups]` of a scratch `service.toml`, if it
/// is listed there: a maintainer who prunes an action edits the groups too
/// (import never touches service.toml, and a stale group entry is an error).
fn ungroup(specs: &Path, action: &str) {
    let path = specs.join("service.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(&format!("\"{action}\", "), "")
            .replace(&format!(", \"{action}\""), ""),
    )
    .unwrap();
}

/// Stdout, with the scratch folder written as `[scratch]`.
fn stdout(o: &Output, s: &Scratch) -> String {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .replace(&s.0.display().to_string(), "[scratch]")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn succeeds(o: &Output) {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(o)
    );
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

/// `(kind, subject) -> impact` of a `--format json` report.
fn classify(json: &[u8]) -> (BTreeMap<(String, String), String>, String) {
    let v: Value = serde_json::from_slice(json)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(json)));
    let mut out = BTreeMap::new();
    for c in v["changes"].as_array().unwrap() {
        let key = (
            c["kind"].as_str().unwrap().to_string(),
            c["subject"].as_str().unwrap().to_string(),
        );
        out.insert(key, c["impact"].as_str().unwrap().to_string());
    }
    (out, v["bump"].as_str().unwrap().to_string())
}

#[track_caller]
fn assert_impact(
    changes: &BTreeMap<(String, String), String>,
    kind: &str,
    subject: &str,
    impact: &str,
) {
    let got = changes.get(&(kind.to_string(), subject.to_string()));
    assert_eq!(
        got.map(String::as_str),
        Some(impact),
        "{kind} on {subject}; the report has:\n{changes:#?}"
    );
}

/// A git repository holding a copy of specs/, committed.
fn repo(s: &Scratch) -> PathBuf {
    let repo = s.path("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("README.md"), "# before the specs\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "no specs yet"]);
    copy_specs(&repo.join("specs"));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "specs"]);
    repo.join("specs")
}

/// The published folder with one change of every kind the report knows
/// about for pages (see `every_kind_of_change_is_imported_and_classified`).
fn publish_with_changes(dir: &Path) {
    publish(dir);
    let page = |name: &str| dir.join(published(name));
    // An action added: a new page, made from the OTA page. It lists one
    // error code fewer; the OTA page itself is gone (an action removed),
    // so that code is no longer documented anywhere.
    let ota = std::fs::read_to_string(page("AppGetDeviceOTAInfo.md")).unwrap();
    let status = ota
        .replace("AppGetDeviceOTAInfo", "AppGetDeviceStatus")
        .replace("用于查询设备固件下载地址", "用于查询设备状态")
        .replace(
            "| ResourceNotFound.DeviceFirmwareTaskNotExist | 未查询到固件升级任务 |\n",
            "",
        );
    assert!(!status.contains("DeviceFirmwareTaskNotExist"));
    std::fs::write(dir.join("设备管理/获取设备状态.md"), status).unwrap();
    std::fs::remove_file(page("AppGetDeviceOTAInfo.md")).unwrap();
    // Inputs: a required one added, an optional one added, one removed;
    // an output added; an error code added.
    let call = page("AppCallDeviceActionAsync.md");
    edit(
        &call,
        "| InputParams | String | 否   | 输入参数                                                     |\n",
        "| Timeout     | Int    | 是   | 超时时间（秒）                                               |\n| Priority    | Int    | 否   | 优先级                                                       |\n",
    );
    edit(
        &call,
        "| Status      | String | 返回状态                         |\n",
        "| Status      | String | 返回状态                         |\n| ExpireTime  | Int    | 过期时间                         |\n",
    );
    edit(
        &call,
        "| InvalidParameterValue.InvalidAccessToken | Token 无效    |\n",
        "| InvalidParameterValue.InvalidAccessToken | Token 无效    |\n| ResourceNotFound.DeviceOffline           | 设备不在线    |\n",
    );
    // An input made optional, another made required.
    let products = page("AppGetProducts.md");
    edit(
        &products,
        "| ProductIds  | Array of String | 是 ",
        "| ProductIds  | Array of String | 否 ",
    );
    edit(
        &products,
        "| DeviceIds   | Array of String | 否 ",
        "| DeviceIds   | Array of String | 是 ",
    );
    // A field retyped, a wire name changed by case only, a description changed.
    let upload = page("AppGetResourceUploadURL.md");
    edit(
        &upload,
        "| FileSize         | Int    |",
        "| FileSize         | String |",
    );
    edit(
        &upload,
        "| ProductId        | String |",
        "| ProductID        | String |",
    );
    edit(
        &upload,
        "用于获取在小程序或 App 上上传文件的 URL",
        "用于获取上传文件的预签名 URL",
    );
    // A structure field added.
    edit(
        &page("structures.md"),
        "| UpdateTime   | Int64  |",
        "| CreateTime   | Int64  | 创建的 Unix 时间戳（秒级）           |\n| UpdateTime   | Int64  |",
    );
}

#[test]
fn importing_the_same_pages_changes_nothing() {
    let s = Scratch::new("same");
    let (specs, dir, out) = (s.path("specs"), s.path("published"), s.path("out"));
    copy_specs(&specs);
    publish(&dir);
    let before = files(&specs);
    let o = xtask(&[
        p("import"),
        &dir,
        p("--specs"),
        &specs,
        p("--out"),
        &out,
        p("--bump"),
    ]);
    succeeds(&o);
    let text = stdout(&o, &s);
    assert!(text.contains("no API changes"), "{text}");
    assert!(
        text.contains("skip     应用端_API_简介.md  (not an interface page nor a structures page)"),
        "{text}"
    );
    assert!(files(&specs) == before, "specs were rewritten");
    assert!(
        !out.exists(),
        "--bump with no API changes writes no CHANGELOG"
    );
    insta::assert_snapshot!("import_same_pages", text);
}

/// The project's specs imported into themselves: every page keeps its
/// name, even those of an action with three pages (`AppCreateProductResource`,
/// whose `.2.md` sorts before its `.md`), because which page is which
/// comes from content, never from file names.
#[test]
fn importing_the_specs_into_themselves_changes_nothing() {
    let s = Scratch::new("itself");
    let specs = s.path("specs");
    copy_dir(&root().join("specs"), &specs);
    let before = files(&specs);
    let o = xtask(&[p("import"), &specs, p("--specs"), &specs, p("--check")]);
    succeeds(&o);
    assert!(stdout(&o, &s).contains("up to date"), "{}", stdout(&o, &s));
    let o = xtask(&[p("import"), &specs, p("--specs"), &specs]);
    succeeds(&o);
    assert!(files(&specs) == before, "specs were rewritten");
}

/// `--check` passes when the specs are up to date with the folder and
/// fails, naming each file and writing nothing, when they are not.
#[test]
fn import_check_says_whether_the_specs_are_up_to_date() {
    let s = Scratch::new("check");
    let (specs, dir) = (s.path("specs"), s.path("published"));
    copy_specs(&specs);
    publish(&dir);
    let check = || xtask(&[p("import"), &dir, p("--specs"), &specs, p("--check")]);
    let o = check();
    succeeds(&o);
    assert!(stdout(&o, &s).contains("up to date"), "{}", stdout(&o, &s));

    publish_with_changes(&dir);
    let before = files(&specs);
    let o = check();
    assert!(!o.status.success(), "{}", stdout(&o, &s));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("the import would change"), "{err}");
    assert!(err.contains("is not up to date with"), "{err}");
    assert!(files(&specs) == before, "--check wrote into the specs");
}

#[test]
fn every_kind_of_change_is_imported_and_classified() {
    let s = Scratch::new("every-kind");
    let specs = repo(&s);
    let (dir, out) = (s.path("published"), s.path("out"));
    publish_with_changes(&dir);
    ungroup(&specs, "AppGetDeviceOTAInfo");
    let before = files(&specs);

    // Dry run: the plan and the report, nothing written.
    let import = |extra: &[&Path]| {
        let mut args = vec![
            p("import"),
            &dir,
            p("--specs"),
            &specs,
            p("--out"),
            &out,
            p("--prune"),
        ];
        args.extend_from_slice(extra);
        xtask(&args)
    };
    let o = import(&[p("--dry-run")]);
    succeeds(&o);
    assert!(files(&specs) == before, "--dry-run wrote to the specs");
    let dry_run = stdout(&o, &s);
    insta::assert_snapshot!("import_dry_run", dry_run);

    // Every classification, from the JSON report.
    let o = import(&[p("--dry-run"), p("--format"), p("json")]);
    succeeds(&o);
    let (changes, bump) = classify(&o.stdout);
    let c = &changes;
    assert_impact(c, "action_added", "AppGetDeviceStatus", "compatible");
    assert_impact(c, "action_removed", "AppGetDeviceOtaInfo", "breaking");
    assert_impact(
        c,
        "field_added",
        "AppCallDeviceActionAsync input `Timeout`",
        "breaking",
    );
    assert_impact(
        c,
        "field_added",
        "AppCallDeviceActionAsync input `Priority`",
        "compatible",
    );
    assert_impact(
        c,
        "field_removed",
        "AppCallDeviceActionAsync input `InputParams`",
        "breaking",
    );
    assert_impact(
        c,
        "field_added",
        "AppCallDeviceActionAsync output `ExpireTime`",
        "compatible",
    );
    assert_impact(
        c,
        "field_retyped",
        "AppGetResourceUploadUrl input `FileSize`",
        "breaking",
    );
    assert_impact(
        c,
        "field_made_required",
        "AppGetProducts input `DeviceIds`",
        "breaking",
    );
    assert_impact(
        c,
        "field_made_optional",
        "AppGetProducts input `ProductIds`",
        "breaking",
    );
    assert_impact(
        c,
        "field_wire_renamed",
        "AppGetResourceUploadUrl input `ProductID`",
        "compatible",
    );
    assert_impact(
        c,
        "field_added",
        "structure `Products` field `CreateTime`",
        "compatible",
    );
    assert_impact(
        c,
        "error_code_added",
        "error code `ResourceNotFound.DeviceOffline`",
        "compatible",
    );
    assert_impact(
        c,
        "error_code_removed",
        "error code `ResourceNotFound.DeviceFirmwareTaskNotExist`",
        "breaking",
    );
    assert_impact(c, "doc_changed", "AppGetResourceUploadUrl", "documentation");
    assert_eq!(bump, "major");
    // JSON goes alone to stdout; the plan goes to stderr.
    assert!(
        stderr(&o).contains("add      设备管理/AppGetDeviceStatus.md  <- 设备管理/获取设备状态.md"),
        "{}",
        stderr(&o)
    );

    // The import itself: pages copied byte for byte under their action's name.
    let o = import(&[]);
    succeeds(&o);
    let report = stdout(&o, &s);
    insta::assert_snapshot!("import", report);
    let read = |path: PathBuf| std::fs::read(path).unwrap();
    assert_eq!(
        read(specs.join("设备管理/AppGetDeviceStatus.md")),
        read(dir.join("设备管理/获取设备状态.md"))
    );
    for page in [
        "AppCallDeviceActionAsync.md",
        "AppGetProducts.md",
        "AppGetResourceUploadURL.md",
        "structures.md",
    ] {
        assert_eq!(
            read(in_specs(&specs, page)),
            read(dir.join(published(page))),
            "{page}"
        );
    }
    assert!(
        !in_specs(&specs, "AppGetDeviceOTAInfo.md").exists(),
        "--prune removes the page of a vanished action"
    );
    assert!(!specs.join("应用端_API_简介.md").exists() && !specs.join("_structures").exists());
    let after = files(&specs);
    for settings in ["service.toml", "overrides.toml"] {
        assert!(
            after[&specs.join(settings)] == before[&specs.join(settings)],
            "{settings} was touched"
        );
    }
    assert_eq!(
        after[&in_specs(&specs, "AppCreateProductResource.md")],
        before[&in_specs(&specs, "AppCreateProductResource.md")],
        "an unchanged page is not rewritten"
    );

    // `diff` against the commit before the import: the same report.
    let o = xtask(&[p("diff"), p("--specs"), &specs]);
    succeeds(&o);
    let diff = stdout(&o, &s);
    let section = |text: &str| {
        text[text.find("API changes:").unwrap()..text.find("Semver:").unwrap()].to_string()
    };
    assert_eq!(section(&diff), section(&report), "diff and import disagree");
    insta::assert_snapshot!("diff_head", diff);
    let o = xtask(&[p("diff"), p("--specs"), &specs, p("--format"), p("json")]);
    succeeds(&o);
    assert_eq!(classify(&o.stdout), (changes, bump));

    // Importing the same folder again finds nothing more to do.
    let o = import(&[]);
    succeeds(&o);
    assert!(
        stdout(&o, &s).contains("no API changes"),
        "{}",
        stdout(&o, &s)
    );
}

#[test]
fn diff_against_a_revision_without_specs_lists_everything_as_added() {
    let s = Scratch::new("diff-base");
    let specs = repo(&s);
    let o = xtask(&[p("diff"), p("--specs"), &specs]);
    succeeds(&o);
    assert_eq!(stdout(&o, &s), "API changes:\nno API changes\n");
    let o = xtask(&[
        p("diff"),
        p("--base"),
        p("HEAD~1"),
        p("--specs"),
        &specs,
        p("--format"),
        p("json"),
    ]);
    succeeds(&o);
    let (changes, bump) = classify(&o.stdout);
    assert_eq!(bump, "minor");
    assert!(
        changes.values().all(|impact| impact == "compatible"),
        "{changes:#?}"
    );
    for action in [
        "AppCallDeviceActionAsync",
        "AppCreateProductResource",
        "AppGetDeviceOtaInfo",
        "AppGetProducts",
        "AppGetResourceUploadUrl",
    ] {
        assert_impact(&changes, "action_added", action, "compatible");
    }
    let o = xtask(&[
        p("diff"),
        p("--base"),
        p("no-such-rev"),
        p("--specs"),
        &specs,
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("`no-such-rev` is not a commit"),
        "{}",
        stderr(&o)
    );
}

/// Runs an import that must fail, and checks the specs are byte for byte
/// (and time for time) what they were.
fn fails_untouched(name: &str, change: impl FnOnce(&Path), expected: &[&str]) {
    let s = Scratch::new(name);
    let (specs, dir) = (s.path("specs"), s.path("published"));
    copy_specs(&specs);
    publish(&dir);
    change(&dir);
    let before = files(&specs);
    let o = xtask(&[
        p("import"),
        &dir,
        p("--specs"),
        &specs,
        p("--out"),
        &s.path("out"),
        p("--prune"),
        p("--bump"),
    ]);
    let err = stderr(&o).replace(&s.0.display().to_string(), "[scratch]");
    assert!(!o.status.success(), "{name}: import should fail");
    for e in expected {
        assert!(err.contains(e), "{name}: {e:?} missing from:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(files(&specs) == before, "{name}: specs were changed");
    assert!(!s.path("out").exists(), "{name}: CHANGELOG written");
}

#[test]
fn a_page_that_cannot_be_read_is_reported_where_it_is() {
    fails_untouched(
        "bad-name",
        |dir| {
            edit(
                &dir.join(published("AppGetDeviceOTAInfo.md")),
                "| DeviceName  | String |",
                "| Device Name | String |",
            )
        },
        &[
            "`Device Name` is not a parameter name",
            "[scratch]/published/设备管理/获取设备OTA信息.md:14:",
            "was not touched",
        ],
    );
}

#[test]
fn a_page_without_an_action_name_is_reported() {
    fails_untouched(
        "no-name",
        |dir| {
            std::fs::write(dir.join("设备管理/无名接口.md"), "## 1. 接口描述\n用于什么。\n\n## 2. 输入参数\n\n| 名称 | 类型 | 必选 | 描述 |\n|---|---|---|---|\n| Id | String | 是 | x |\n").unwrap()
        },
        &[
            "cannot tell the action's name",
            "[scratch]/published/设备管理/无名接口.md:1:1",
            "was not touched",
        ],
    );
}

#[test]
fn an_override_made_stale_is_reported() {
    fails_untouched(
        "stale-override",
        // The docs now list the input that overrides.toml adds.
        |dir| {
            edit(
                &dir.join(published("AppCreateProductResource.md")),
                "| FileHash         | String | 是   |",
                "| ResourceType     | String | 否   | 文件类型 |\n| FileHash         | String | 是   |",
            )
        },
        &[
            "stale-override",
            "`ResourceType` is documented now",
            "[scratch]/specs/overrides.toml:",
            "was not touched",
        ],
    );
}

#[test]
fn pages_of_vanished_actions_are_kept_unless_pruned() {
    let s = Scratch::new("prune");
    let (specs, dir, out) = (s.path("specs"), s.path("published"), s.path("out"));
    copy_specs(&specs);
    publish(&dir);
    std::fs::remove_file(dir.join(published("AppGetDeviceOTAInfo.md"))).unwrap();
    let import = |extra: &[&Path]| {
        let mut args = vec![p("import"), &dir, p("--specs"), &specs, p("--out"), &out];
        args.extend_from_slice(extra);
        xtask(&args)
    };
    let o = import(&[]);
    succeeds(&o);
    let text = stdout(&o, &s);
    assert!(text.contains("keep     设备管理/AppGetDeviceOTAInfo.md  (`AppGetDeviceOTAInfo` is not among the imported pages; --prune removes it)"), "{text}");
    assert!(text.contains("no API changes"), "{text}");
    assert!(in_specs(&specs, "AppGetDeviceOTAInfo.md").exists());

    // A `[groups]` entry for the pruned action is stale: nothing is written
    // until the maintainer takes it out of service.toml.
    if std::fs::read_to_string(specs.join("service.toml"))
        .unwrap()
        .contains("\"AppGetDeviceOTAInfo\"")
    {
        let before = files(&specs);
        let o = import(&[p("--prune")]);
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("`AppGetDeviceOTAInfo`") && stderr(&o).contains("was not touched"),
            "{}",
            stderr(&o)
        );
        assert!(files(&specs) == before);
        ungroup(&specs, "AppGetDeviceOTAInfo");
    }
    let o = import(&[p("--prune")]);
    succeeds(&o);
    let text = stdout(&o, &s);
    assert!(text.contains("remove   设备管理/AppGetDeviceOTAInfo.md  (`AppGetDeviceOTAInfo` is not among the imported pages)"), "{text}");
    assert!(
        text.contains("AppGetDeviceOtaInfo: action `AppGetDeviceOTAInfo` removed"),
        "{text}"
    );
    assert!(!in_specs(&specs, "AppGetDeviceOTAInfo.md").exists());
}

#[test]
fn bump_sets_the_version_and_writes_the_changelog() {
    let s = Scratch::new("bump");
    let (specs, dir, out) = (s.path("specs"), s.path("published"), s.path("out"));
    copy_specs(&specs);
    publish(&dir);
    let service = std::fs::read_to_string(specs.join("service.toml")).unwrap();
    assert!(
        service.contains("\nversion = \"0.1.0\"\n"),
        "the test expects version 0.1.0:\n{service}"
    );
    let import = || {
        xtask(&[
            p("import"),
            &dir,
            p("--specs"),
            &specs,
            p("--out"),
            &out,
            p("--bump"),
        ])
    };

    // Compatible: below 1.0 that is a patch bump. A dry run only says so.
    edit(
        &dir.join(published("AppGetProducts.md")),
        "| 返回产品信息                     |\n",
        "| 返回产品信息                     |\n| Total     | Int    | 产品总数                         |\n",
    );
    let o = xtask(&[
        p("import"),
        &dir,
        p("--specs"),
        &specs,
        p("--out"),
        &out,
        p("--bump"),
        p("--dry-run"),
    ]);
    succeeds(&o);
    assert!(
        stdout(&o, &s).contains("Version: 0.1.0 -> 0.1.1, to be set in service.toml"),
        "{}",
        stdout(&o, &s)
    );
    assert_eq!(
        std::fs::read_to_string(specs.join("service.toml")).unwrap(),
        service
    );
    assert!(!out.exists());
    let o = import();
    succeeds(&o);
    let text = stdout(&o, &s);
    assert!(
        text.contains("Version: 0.1.0 -> 0.1.1, to be set in service.toml"),
        "{text}"
    );
    // The success line comes only once the files are written.
    assert!(
        text.contains("set version 0.1.1 in [scratch]/specs/service.toml and added its entry to [scratch]/out/CHANGELOG.md"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(specs.join("service.toml")).unwrap(),
        service.replace("\nversion = \"0.1.0\"\n", "\nversion = \"0.1.1\"\n")
    );

    // Breaking: the minor goes up, and the entry goes on top.
    edit(
        &dir.join(published("AppGetProducts.md")),
        "| DeviceIds   | Array of String | 否 ",
        "| DeviceIds   | Array of String | 是 ",
    );
    let o = import();
    succeeds(&o);
    assert_eq!(
        std::fs::read_to_string(specs.join("service.toml")).unwrap(),
        service.replace("\nversion = \"0.1.0\"\n", "\nversion = \"0.2.0\"\n")
    );
    let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.starts_with("# Changelog\n\n## 0.2.0\n\n### Breaking changes\n"),
        "{changelog}"
    );
    assert!(changelog.find("## 0.2.0").unwrap() < changelog.find("## 0.1.1").unwrap());
    insta::assert_snapshot!("changelog", changelog);
}

/// A few real published pages, in `tests/fixtures/published` (their
/// origin is in `SOURCES.tsv` there): a pre-login action, a sub-command
/// page, two pages of one action, an introduction; the structures page is
/// the specs' own plus the two structures the sub-command page links to.
#[test]
fn published_pages_import_and_generate() {
    let published = root().join("xtask/tests/fixtures/published");
    let s = Scratch::new("published");
    let (specs, out) = (s.path("specs"), s.path("out"));
    copy_specs(&specs);
    let real_specs = seed_specs();
    let real_before: Vec<_> = files(&real_specs)
        .into_iter()
        .map(|(p, (bytes, _))| (p, bytes))
        .collect();
    let o = xtask(&[
        p("import"),
        &published,
        p("--specs"),
        &specs,
        p("--out"),
        &out,
    ]);
    succeeds(&o);
    let text = stdout(&o, &s);
    for expected in [
        "add      AppGetToken.md  <- AppGetToken.md",
        "replace  structures.md  <- _structures/数据结构.md",
        "skip     _intro/应用端_API_简介.md  (not an interface page nor a structures page)",
        // An action's second page is imported too; the loader merges it.
        "add      AppGetResourceUploadURL.2.md  <- AppGetResourceUploadURL__2.md",
        "keep     设备管理/AppGetDeviceOTAInfo.md",
        "add      AppKugouUserCommand__song_url.md  <- AppKugouUserCommand__song_url.md",
        "AppGetToken: new action `AppGetToken`",
        "Semver: ",
        "now run `cargo xtask codegen`",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // The copy of AppCreateProductResource is named `__2`; the specs keep the action's name.
    assert!(!specs.join("AppCreateProductResource__2.md").exists());
    assert!(specs.join("AppCreateProductResource.md").exists());
    let o = xtask(&[p("codegen"), p("--specs"), &specs, p("--out"), &out]);
    succeeds(&o);
    assert!(out.join("src/actions/app_get_token.rs").exists());
    assert!(
        out.join("src/actions/app_kugou_user_command_song_url.rs")
            .exists()
    );
    let real_after: Vec<_> = files(&real_specs)
        .into_iter()
        .map(|(p, (bytes, _))| (p, bytes))
        .collect();
    assert!(real_after == real_before, "the project's specs/ changed");
}

#[test]
fn bad_arguments_say_what_is_expected() {
    for (args, expected) in [
        (
            &[p("import")][..],
            "the following required arguments were not provided:\n  <DIR>",
        ),
        (
            &[p("import"), p("x"), p("--format"), p("yaml")],
            "invalid value 'yaml' for '--format <FORMAT>'",
        ),
        (
            &[p("diff"), p("--prune")],
            "unexpected argument '--prune' found",
        ),
    ] {
        let o = xtask(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
}
