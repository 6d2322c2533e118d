//! Rebuilds the binary when a bundled theme changes (the themes are embedded with include_dir).
fn main() {
    println!("cargo:rerun-if-changed=themes");
}
