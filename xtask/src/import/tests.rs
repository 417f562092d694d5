//! The import's plan and its all-or-nothing writes.

use super::pages::is_spec_file_name;
use super::*;

fn page(action: &str) -> Vec<u8> {
    format!("## 1. 接口描述\n本接口（{action}）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Id|String|是|x|\n").into_bytes()
}

fn folder(pages: &[(&str, Vec<u8>)]) -> Folder {
    Folder {
        pages: pages
            .iter()
            .map(|(p, b)| (p.to_string(), b.clone()))
            .collect(),
        ..Folder::default()
    }
}

fn plan_for(specs: &Folder, dir: &Folder, prune: bool) -> Vec<Step> {
    plan(specs, &roles(specs), dir, &roles(dir), prune).steps
}

#[test]
fn pages_are_matched_by_action_not_by_file_name() {
    let specs = folder(&[
        ("AppFoo.md", page("AppFoo")),
        ("AppGone.md", page("AppGone")),
        ("notes.md", b"# notes\n".to_vec()),
    ]);
    let dir = folder(&[
        ("a/改名.md", page("AppFOO")),
        ("b/重复.md", page("AppFoo")),
        ("c/新.md", page("AppNew")),
        ("简介.md", "## 简介\n\n文字\n".into()),
    ]);
    let s = |x: &str| x.to_string();
    assert_eq!(
        plan_for(&specs, &dir, false),
        vec![
            // A rename by case is the same page, under its new name and
            // in the folder (the category) it is published in.
            Step::Replace {
                file: s("a/AppFOO.md"),
                from: s("a/改名.md"),
                old: Some(s("AppFoo.md"))
            },
            // The action's second page is imported too: the loader merges it.
            Step::Add {
                file: s("b/AppFoo.2.md"),
                from: s("b/重复.md")
            },
            Step::Add {
                file: s("c/AppNew.md"),
                from: s("c/新.md")
            },
            Step::Skip {
                from: s("简介.md"),
                why: s("not an interface page nor a structures page")
            },
            Step::Keep {
                file: s("AppGone.md"),
                what: s("`AppGone` is not among the imported pages")
            },
        ]
    );
    let pruned = plan_for(&specs, &dir, true);
    assert!(pruned.contains(&Step::Remove {
        file: s("AppGone.md"),
        what: s("`AppGone` is not among the imported pages")
    }));
    // Pages that are neither actions nor structures (notes.md) are left alone.
    assert!(
        !pruned
            .iter()
            .any(|st| format!("{st:?}").contains("notes.md"))
    );
}

/// A page of `action` with one input row per name.
fn page_with_rows(action: &str, rows: &[&str]) -> Vec<u8> {
    let mut text = format!(
        "## 1. 接口描述\n本接口（{action}）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n"
    );
    for r in rows {
        text.push_str(&format!("|{r}|String|否|x|\n"));
    }
    text.into_bytes()
}

#[test]
fn an_actions_pages_are_named_by_content_so_importing_again_changes_nothing() {
    let pages = [
        page_with_rows("AppX", &["A"]),
        page_with_rows("AppX", &["A", "B", "C"]),
        page_with_rows("AppX", &["A", "C"]),
        page_with_rows("AppX", &["A", "B"]),
    ];
    let published = |names: [&str; 4]| {
        folder(
            &names
                .iter()
                .zip(&pages)
                .map(|(n, p)| (*n, p.clone()))
                .collect::<Vec<_>>(),
        )
    };
    let dir = published(["c/一.md", "c/二.md", "c/三.md", "c/四.md"]);
    let empty = Folder::default();
    let specs = would_be(
        &empty,
        &dir,
        &plan(&empty, &roles(&empty), &dir, &roles(&dir), false),
    );
    // Most rows first, then by bytes (`A|B` before `A|C`): the order in
    // which the loader ranks them, so the page it uses is `AppX.md`.
    let s = |x: &str| x.to_string();
    let named: Vec<(&String, &Vec<u8>)> = specs.pages.iter().collect();
    assert_eq!(
        named,
        [
            (&s("c/AppX.2.md"), &pages[3]),
            (&s("c/AppX.3.md"), &pages[2]),
            (&s("c/AppX.4.md"), &pages[0]),
            (&s("c/AppX.md"), &pages[1]),
        ]
    );
    let loaded = specs.load();
    assert_eq!(loaded.api.actions[0].source, "c/AppX.md");
    assert_eq!(
        loaded.api.actions[0].other_sources,
        ["c/AppX.2.md", "c/AppX.3.md", "c/AppX.4.md"]
    );
    let unchanged = |steps: Vec<Step>| steps.iter().all(|s| matches!(s, Step::Unchanged { .. }));
    // The specs imported into themselves, and the same pages published
    // under other names, in another path order.
    assert!(unchanged(plan_for(&specs, &specs, true)));
    let renamed = published(["c/d.md", "c/c.md", "c/b.md", "c/a.md"]);
    assert!(unchanged(plan_for(&specs, &renamed, true)));
}

#[test]
fn the_would_be_specs_apply_the_plan() {
    let specs = folder(&[
        ("AppFoo.md", page("AppFoo")),
        ("AppGone.md", page("AppGone")),
    ]);
    let dir = folder(&[
        ("x/foo.md", page("AppFOO")),
        ("y/broken.md", "## 2. 输入参数\n\nno table\n".into()),
    ]);
    let plan = plan(&specs, &roles(&specs), &dir, &roles(&dir), true);
    assert_eq!(plan.unnamed, vec!["y/broken.md".to_string()]);
    let next = would_be(&specs, &dir, &plan);
    assert_eq!(
        next.pages.keys().collect::<Vec<_>>(),
        ["x/AppFOO.md", "y/broken.md"]
    );
    assert!(
        next.load().diagnostics.has_errors(),
        "a page that cannot be named fails the load"
    );
}

#[test]
fn only_plain_identifiers_name_pages() {
    for ok in [
        "AppFoo.md",
        "AppKugouUserCommand__song_url.md",
        "structures.md",
        "structures__2.md",
        "_x.md",
        "a/b.md",
        "用户管理/AppGetToken.md",
        "长连接通信/文件管理/AppX.3.md",
        "AppX__sub.12.md",
    ] {
        assert!(is_spec_file_name(ok), "{ok}");
    }
    for bad in [
        "../../evil.md",
        ".._.._evil.md",
        "../b.md",
        "./b.md",
        ".hidden/b.md",
        "a//b.md",
        "/abs.md",
        "a\\b/c.md",
        "App.1.md",
        "App.02.md",
        "AppFoo.txt",
        "1App.md",
        ".md",
        "App__.md",
        "App-x.md",
        "App.x.md",
        "App Foo.md",
        "Äpp.md",
    ] {
        assert!(!is_spec_file_name(bad), "{bad}");
    }
    for ok in ["长连接通信/心跳.md", "a/注册 监听.md"] {
        assert!(super::pages::is_channel_file_name(ok), "{ok}");
    }
    for bad in [
        "../心跳.md",
        "长连接通信/.心跳.md",
        "a/b.txt",
        "a/ b.md",
        "a/b\u{7}.md",
        ".md",
    ] {
        assert!(!super::pages::is_channel_file_name(bad), "{bad}");
    }
    let specs = Folder::default();
    let evil = "## 1. 接口描述\n用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Id|String|是|x|\n\n## 4. 示例\n\n```json\n{\"Action\": \"../../evil\", \"Id\": \"x\"}\n```\n";
    let dir = folder(&[("e.md", evil.into()), ("ok.md", page("AppOk"))]);
    let plan = plan(&specs, &roles(&specs), &dir, &roles(&dir), false);
    // apidoc refuses the name itself (an error at its place), so the
    // page is one whose action cannot be told; were it let through, the
    // importer's own check would refuse it. Either way it is reported
    // and not imported.
    assert!(
        plan.unnamed == vec!["e.md".to_string()]
            || plan.invalid == vec![("e.md".to_string(), "`../../evil`".to_string())],
        "{:?} {:?}",
        plan.unnamed,
        plan.invalid
    );
    assert_eq!(
        plan.steps,
        vec![Step::Add {
            file: "AppOk.md".into(),
            from: "ok.md".into()
        }]
    );
}

/// A failure at any step of writing pages, the version and the
/// changelog leaves the specs and the crate folder as they were.
#[cfg(unix)]
#[test]
fn a_failure_at_any_step_leaves_specs_and_changelog_as_they_were() {
    let (tmp, specs) = crate::scratch::seeded("import");
    let (dir, out) = (tmp.join("published"), tmp.join("out"));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("CHANGELOG.md"), "# Changelog\n").unwrap();
    for e in std::fs::read_dir(crate::scratch::seed()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".md") && name != "AppGetDeviceOTAInfo.md" {
            std::fs::copy(&p, dir.join("sub").join(format!("x-{name}"))).unwrap();
        }
    }
    // A new page, a changed page, a removed page, the version, the changelog.
    let products = std::fs::read_to_string(specs.join("AppGetProducts.md")).unwrap();
    std::fs::write(
        dir.join("new.md"),
        products.replace("AppGetProducts", "AppZzz"),
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/x-AppGetProducts.md"),
        products.replace("| 设备 ID 数组 ", "| 设备 ID 列表 "),
    )
    .unwrap();
    let service = std::fs::read_to_string(specs.join("service.toml")).unwrap();
    std::fs::write(
        specs.join("service.toml"),
        service
            .replace("\"AppGetDeviceOTAInfo\", ", "")
            .replace(", \"AppGetDeviceOTAInfo\"", ""),
    )
    .unwrap();
    let args = Args {
        dir: dir.clone(),
        specs: specs.clone(),
        out: out.clone(),
        prune: true,
        dry_run: false,
        check: false,
        bump: true,
        format: Format::Text,
    };
    for full_disk in [false, true] {
        let before = (crate::scratch::tree(&specs), crate::scratch::tree(&out));
        let mut failures = 0;
        for n in 1.. {
            let mut fs = if full_disk {
                disk::FailingFs::full_disk_at(n)
            } else {
                disk::FailingFs::nth(n)
            };
            if run_with(&args, &mut fs).unwrap() {
                break;
            }
            failures += 1;
            assert_eq!(
                (crate::scratch::tree(&specs), crate::scratch::tree(&out)),
                before,
                "n = {n}"
            );
        }
        assert!(failures >= 5, "{failures} failures");
        assert!(specs.join("AppZzz.md").exists());
        assert!(!specs.join("AppGetDeviceOTAInfo.md").exists());
        // Back to the start for the second round: the pages moved into
        // `sub/` (their category in DIR), the new one, the removed one.
        std::fs::remove_file(specs.join("AppZzz.md")).unwrap();
        std::fs::remove_dir_all(specs.join("sub")).unwrap();
        for e in std::fs::read_dir(crate::scratch::seed()).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                std::fs::copy(&p, specs.join(p.file_name().unwrap())).unwrap();
            }
        }
        let now = std::fs::read_to_string(specs.join("service.toml")).unwrap();
        let back = now.replace("version = \"0.2.0\"", "version = \"0.1.0\"");
        assert_ne!(now, back, "the version was bumped");
        std::fs::write(specs.join("service.toml"), back).unwrap();
        std::fs::write(out.join("CHANGELOG.md"), "# Changelog\n").unwrap();
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
