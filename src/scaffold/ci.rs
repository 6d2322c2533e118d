//! The CI configurations `hugi init` writes, one per place a site is published from, and the
//! install script they share. Each installs the very version of hugi that wrote it, from the
//! release archive first (see `scripts/dist` for its layout), and builds with the address the
//! host gives the site.

/// Where a site is published from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiHost {
    GitHubPages,
    GitLabPages,
    Netlify,
    CloudflarePages,
}

/// Where the install script is written in the site, for every host.
pub const INSTALL_SCRIPT: &str = "ci/install-hugi.sh";

impl CiHost {
    /// The file the host reads, relative to the site, and its text.
    pub fn file(self) -> (&'static str, String) {
        let (path, template) = match self {
            CiHost::GitHubPages => (
                ".github/workflows/pages.yml",
                include_str!("ci/github-pages.yml"),
            ),
            CiHost::GitLabPages => (".gitlab-ci.yml", include_str!("ci/gitlab-ci.yml")),
            CiHost::Netlify => ("netlify.toml", include_str!("ci/netlify.toml")),
            CiHost::CloudflarePages => (
                ".github/workflows/cloudflare-pages.yml",
                include_str!("ci/cloudflare-pages.yml"),
            ),
        };
        (path, fill(template))
    }
}

/// The script every configuration runs to install hugi.
pub fn install_script() -> String {
    fill(include_str!("ci/install-hugi.sh"))
}

/// Where the release archives of each version are: `<releases>/v<version>/<archive>`.
pub fn releases() -> String {
    format!("{}/releases/download", env!("CARGO_PKG_REPOSITORY"))
}

fn fill(template: &str) -> String {
    template
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@RELEASES@", &releases())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_names_this_version_and_no_placeholder_is_left() {
        let hosts = [
            CiHost::GitHubPages,
            CiHost::GitLabPages,
            CiHost::Netlify,
            CiHost::CloudflarePages,
        ];
        for (path, text) in hosts.map(CiHost::file) {
            assert!(
                !text.contains("@VERSION@") && !text.contains("@RELEASES@"),
                "{path}"
            );
            assert!(text.contains(env!("CARGO_PKG_VERSION")), "{path}");
            assert!(text.contains(INSTALL_SCRIPT), "{path}");
        }
        let script = install_script();
        assert!(script.contains(&format!("HUGI_RELEASES:-{}", releases())));
        assert!(script.contains(&format!("HUGI_VERSION:-{}", env!("CARGO_PKG_VERSION"))));
    }
}
