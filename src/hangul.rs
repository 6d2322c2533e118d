//! Facts about Hangul characters that several stages share: which characters are precomposed
//! syllables, and how a syllable decomposes into its initial consonant.

/// A Hangul syllable (가–힣).
pub fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Index (0–18) of a syllable's initial consonant.
pub fn initial_index(c: char) -> Option<usize> {
    is_syllable(c).then(|| (c as usize - 0xAC00) / 588)
}
