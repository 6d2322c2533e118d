//! `hugi theme eject`: copies a bundled theme into the site and says where.

use std::path::Path;

pub fn eject(root: &Path, name: &str) -> anyhow::Result<()> {
    let dir = hugi::theme::eject(root, name)?;
    println!("copied theme `{name}` to {}", dir.display());
    Ok(())
}
