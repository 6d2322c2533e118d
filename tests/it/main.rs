//! hugi's integration tests, one binary for all of them (one link of the library instead of
//! one per file): the CLI on fixture sites, incremental rebuilds, the preview server under load,
//! robustness, properties, themes, snapshots and the CommonMark suite.

mod common;

mod build_cli;
mod check_cli;
mod commonmark;
mod docs;
mod incremental;
mod load;
mod note_styles;
mod output_safety;
mod parse;
mod properties;
mod publish;
mod robustness;
mod serve;
mod serve_exposure;
mod sharing;
mod snapshots;
mod tags_feeds;
mod talk_shapes;
mod themes;
