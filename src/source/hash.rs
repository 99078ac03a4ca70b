//! A fast hasher for the run's internal maps (paths, names, schema
//! definitions), keyed by text from the linted files.
//!
//! The standard library's SipHash resists hash flooding, which costs about
//! 20 instructions a byte; these maps are built once per run over keys the
//! repository already holds (its own paths and object names), where a
//! multiply-rotate hash over 8 bytes at a time is enough. The worst a crafted
//! repository can do is make its own lint slower.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// An empty [`FastMap`] with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, Default::default())
}

/// Multiply-rotate over 64-bit words (the scheme of Firefox's and rustc's
/// "Fx" hash): not keyed, not flood-resistant, fast on short keys.
#[derive(Clone, Copy, Default)]
pub struct FastHasher {
    state: u64,
}

/// An odd constant with well-mixed bits (the golden ratio's fraction).
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl FastHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            // The length keeps `ab` and `ab\0` apart.
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A product's low bits depend only on the factors' low bits, and
        // hashbrown picks the bucket with the low bits (its tag with the
        // top 7): fold the well-mixed high half into the low half.
        self.state ^ (self.state >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash>(t: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(t)
    }

    #[test]
    fn equal_keys_hash_equal_and_near_keys_apart() {
        assert_eq!(
            hash(&"team-1/app-2/k8s"),
            hash(&String::from("team-1/app-2/k8s"))
        );
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "a\0",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "/work/a/www.conf",
            "/work/b/www.conf",
            "/work/a/www.con",
            "/work/a/www.confx",
        ];
        let hashes: HashSet<u64> = keys.iter().map(hash).collect();
        assert_eq!(hashes.len(), keys.len());
        let tuples: HashSet<u64> = [("a", "bc"), ("ab", "c"), ("abc", "")]
            .iter()
            .map(hash)
            .collect();
        assert_eq!(tuples.len(), 3);
    }

    #[test]
    fn a_map_of_many_similar_paths_works() {
        let mut m: FastMap<String, usize> = map_with_capacity(0);
        for i in 0..20_000 {
            m.insert(format!("/work/team-{}/app-{i}/docker/php", i % 40), i);
        }
        assert_eq!(m.len(), 20_000);
        assert_eq!(m.get("/work/team-7/app-7/docker/php"), Some(&7));
        assert_eq!(m.get("/work/team-7/app-8/docker/php"), None);
        // A badly spread hash would need long probe sequences here; the
        // count of distinct top-7-bit groups shows the spread.
        let groups: HashSet<u64> = m.keys().map(|k| hash(k) >> 57).collect();
        assert!(groups.len() > 100, "{}", groups.len());
    }
}
