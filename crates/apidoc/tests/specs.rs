//! Snapshots of the IR built from the project's own `specs/` (the whole
//! published API): one per action, plus the structures, the error codes
//! the service settings, the session and the WebSocket channel. They show every decision the docs needed
//! (auth modes, merged pages, paging, example defects) in one place.

#[test]
fn project_specs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let loaded = apidoc::load_dir(&dir).unwrap();
    let rendered = loaded
        .diagnostics
        .render(&loaded.db, &annotate_snippets::Renderer::plain());
    assert!(!loaded.diagnostics.has_errors(), "{rendered}");
    // 95 published actions, 8 music sub-commands, and the seed
    // AppGetDeviceOTAInfo.
    assert_eq!(loaded.api.actions.len(), 104);
    for action in &loaded.api.actions {
        insta::assert_json_snapshot!(format!("action_{}", action.method), action);
    }
    insta::assert_json_snapshot!("structs", loaded.api.structs);
    insta::assert_json_snapshot!("error_codes", loaded.api.error_codes);
    insta::assert_json_snapshot!("service", loaded.api.service);
    insta::assert_json_snapshot!("session", loaded.api.session);
    // The three pages of 长连接通信, with the pushes they document.
    let channel = loaded
        .api
        .channel
        .as_ref()
        .expect("the specs document a channel");
    assert_eq!(channel.messages.len(), 3);
    insta::assert_json_snapshot!("channel", channel);
}
