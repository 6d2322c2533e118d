//! The commands: for each, argument handling beyond parsing and everything it prints. The work
//! itself is the library's; nothing in the library knows about these.

pub mod build;
pub mod check;
pub mod init;
pub mod serve;
pub mod theme;
pub mod watch;
