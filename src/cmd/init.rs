//! `hugi init` and `hugi new`: create a site or a note and say what was written.

use std::path::Path;

use hugi::front_matter::Date;
use hugi::project::{BuildOptions, Project};
use hugi::scaffold::{InitOptions, init as write_site, new_note};

/// Writes a new site into `options.dir` and lists its files.
pub fn init(options: &InitOptions) -> anyhow::Result<()> {
    let made = write_site(options)?;
    for path in &made.written {
        println!("created {}", path.display());
    }
    for path in &made.kept {
        println!("kept    {} (it was there already)", path.display());
    }
    println!("next: cd {} && hugi serve", options.dir.display());
    Ok(())
}

/// Creates a note for a new event and says where, refusing a title whose address another note
/// of the site has.
pub fn new(root: &Path, title: &str, date: Option<Date>) -> anyhow::Result<()> {
    // The addresses notes have now, drafts included, as the build plans them. A site that does
    // not build yet has none to lose.
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts: true,
        ..BuildOptions::default()
    };
    let taken: Vec<(String, String)> = Project::open(&options)
        .map(|project| {
            project
                .site()
                .notes
                .iter()
                .map(|n| (n.slug.clone(), format!("content/{}", n.source)))
                .collect()
        })
        .unwrap_or_default();
    let path = new_note(root, title, date, &taken)?;
    println!("wrote {}", path.display());
    println!("it is a draft: `hugi serve --drafts` shows it; remove `draft = true` to publish it");
    Ok(())
}
