//! hugi turns Korean conference notes written in Markdown into a themed static site.
//!
//! The core is a pipeline of pure stages with I/O at the edges: [`load`] reads files,
//! [`note`] splits a note into sessions and sections, [`markdown`] renders them, [`site`] builds
//! the whole model with URLs and orderings, [`output`] turns it into page bytes, and [`write`]
//! publishes them atomically. [`project`] holds a generated site with the caches that make
//! rebuilds incremental; [`build`], [`serve`] and [`watch`] drive it for the commands.

pub mod check;
pub mod config;
pub mod detect;
pub mod diagnostics;
pub mod front_matter;
pub mod hangul;
pub mod hash;
pub mod images;
pub mod layout;
pub mod links;
pub mod load;
pub mod loanwords;
pub mod markdown;
pub mod minify;
pub mod note;
pub mod output;
pub mod project;
pub mod related;
pub mod scaffold;
pub mod search;
pub mod site;
pub mod slug;
pub mod strings;
pub mod tags;
pub mod talk;
pub mod theme;
pub mod watch;
pub mod write;
