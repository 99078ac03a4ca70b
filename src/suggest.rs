//! "Did you mean" suggestions for misspelt keys, rule names and directives.

/// Words longer than this get no suggestion: no key, directive or rule name
/// is anywhere near this long, and the distance costs length x candidates.
const MAX_WORD_CHARS: usize = 128;

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo (at most a third of the word's length, minimum 1).
/// Work per candidate is bounded by `MAX_WORD_CHARS` x the limit (banded
/// distance with early exit), so hostile input cannot make it slow.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    if len > MAX_WORD_CHARS {
        return None;
    }
    let limit = (len / 3).max(1);
    let lower: Vec<char> = word.to_ascii_lowercase().chars().collect();
    candidates
        .into_iter()
        .filter_map(|c| {
            let cand: Vec<char> = c.to_ascii_lowercase().chars().collect();
            bounded_distance(&lower, &cand, limit).map(|d| (d, c))
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent swaps).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let limit = a.len().max(b.len());
    bounded_distance(&a, &b, limit).unwrap_or(limit)
}

/// The distance if it is at most `limit`, else `None`: only the diagonal band
/// of width `2 * limit + 1` is computed, and the scan stops as soon as a whole
/// row exceeds the limit. O(min(|a|, |b|) x limit).
fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let big = limit + 1;
    let width = b.len() + 1;
    let mut prev2 = vec![big; width];
    let mut prev: Vec<usize> = (0..width).map(|j| j.min(big)).collect();
    let mut cur = vec![big; width];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(b.len());
        cur.iter_mut().for_each(|c| *c = big);
        cur[0] = i.min(big);
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v.min(big);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["livenessProbe", "readinessProbe", "image"];
        assert_eq!(did_you_mean("livenesProbe", keys), Some("livenessProbe"));
        assert_eq!(
            did_you_mean("pm.max_request", ["pm.max_requests"]),
            Some("pm.max_requests")
        );
        assert_eq!(did_you_mean("imgae", keys), Some("image"));
        assert_eq!(did_you_mean("volumes", keys), None);
    }

    #[test]
    fn bounded_distance_matches_full_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "pm.max_children",
            "pm.max_chidlren",
        ];
        for x in words {
            for y in words {
                let (a, b): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
                let full = distance(x, y);
                for limit in 0..6 {
                    let expect = (full <= limit).then_some(full);
                    assert_eq!(bounded_distance(&a, &b, limit), expect, "{x} {y} {limit}");
                }
            }
        }
    }

    #[test]
    fn long_words_are_cheap() {
        let long = "x".repeat(1_000_000);
        assert_eq!(
            did_you_mean(&long, ["memory_limit", "max_execution_time"]),
            None
        );
    }
}
