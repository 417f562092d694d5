//! Project automation: `cargo xtask codegen` and `cargo xtask lint`.
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.get(1).cloned().unwrap_or("specs".into()));
    let loaded = spec::load_dir(&dir)?;
    let r = annotate_snippets::Renderer::plain();
    print!("{}", loaded.diagnostics.render(&loaded.db, &r));
    println!("{}", loaded.diagnostics.summary());
    if args.first().map(String::as_str) == Some("ir") { println!("{}", serde_json::to_string_pretty(&loaded.api)?); }
    Ok(())
}
