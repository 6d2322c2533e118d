//! `hugi init` and `hugi new`: create a site or a note and say what was written.

use std::path::{Path, PathBuf};

use hugi::front_matter::Date;
use hugi::scaffold::{InitOptions, init as write_site, new_note};

/// Writes a new site into `options.dir` and lists its files.
pub fn init(options: &InitOptions) -> anyhow::Result<()> {
    let written: Vec<PathBuf> = write_site(options)?;
    for path in &written {
        println!("created {}", path.display());
    }
    println!("next: cd {} && hugi serve", options.dir.display());
    Ok(())
}

/// Creates a note for a new event and prints its path.
pub fn new(root: &Path, title: &str, date: Option<Date>) -> anyhow::Result<()> {
    let path = new_note(root, title, date)?;
    println!("{}", path.display());
    Ok(())
}
