//! Stable hashes for what ends up in the output or on the wire: FNV-1a, whose values never change
//! between builds, hugi versions or machines (unlike the standard library's hasher). Search shard
//! numbers (which `search.js` computes the same way), the suffixes of shortened slugs and the
//! preview server's ETags use it.

/// 32-bit FNV-1a of a byte sequence.
pub fn fnv1a32(bytes: impl IntoIterator<Item = u8>) -> u32 {
    bytes.into_iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// 64-bit FNV-1a of a byte slice.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Reference values of the FNV specification.
        assert_eq!(fnv1a32(*b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(*b"a"), 0xe40c_292c);
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
