//! hugi turns Korean conference notes written in Markdown into a themed static site.
//!
//! The core is a pipeline of pure stages with I/O at the edges: [`load`] reads files,
//! [`note`] splits a note into sessions and sections, [`markdown`] renders them, [`site`] builds
//! the whole model with URLs and orderings, [`output`] turns it into page bytes, and [`write`]
//! publishes them atomically. [`build`] wires the stages together for the commands.

pub mod build;
pub mod config;
pub mod diagnostics;
pub mod front_matter;
pub mod load;
pub mod markdown;
pub mod note;
pub mod output;
pub mod project;
pub mod site;
pub mod slug;
pub mod theme;
pub mod write;
