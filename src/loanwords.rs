//! The built-in table of tech words that Korean notes write in both scripts (`장고` and
//! `Django`, `쿠버네티스` and `Kubernetes`, `k8s`): one group per line of `loanwords.txt`,
//! `Hangul, … = Latin, …`. Search treats a group's spellings as one word, and automatic tags
//! keep a title word that names one of its tools (`Node.js`) even when it looks like a file.

/// The table as written.
const TABLE: &str = include_str!("loanwords.txt");

/// The groups of the table, each as its spellings.
pub fn groups() -> impl Iterator<Item = Vec<String>> {
    TABLE.lines().filter_map(|line| {
        let line = line.trim();
        let (hangul, latin) = line.split_once(" = ").filter(|_| !line.starts_with('#'))?;
        Some(
            hangul
                .split(',')
                .chain(latin.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        )
    })
}
