//! Fractional position keys: strings over base-36 digits read as fractions in [0, 1).
//! A key strictly between any two keys always exists, so moving an item rewrites only its
//! own position. Keys never end in '0', which keeps "between" well defined.

const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BASE: usize = DIGITS.len();

fn digit_value(c: u8) -> usize {
    DIGITS.iter().position(|&d| d == c).unwrap_or(0)
}

/// A key strictly between `before` and `after` (`None` = the start / the end of the list).
/// When `before >= after` (possible after concurrent moves), a key after `before` is returned.
pub fn between(before: Option<&str>, after: Option<&str>) -> String {
    let low = before.unwrap_or("").as_bytes();
    let high = after.map(str::as_bytes).filter(|h| *h > low);
    let mut key = midpoint(low, high);
    // Defensive: never produce an empty or trailing-'0' key.
    while key.last() == Some(&b'0') {
        key.pop();
    }
    if key.is_empty() {
        key.push(DIGITS[BASE / 2]);
    }
    String::from_utf8(key).unwrap_or_default()
}

/// `n` evenly spread keys, for building a list in one go (import).
pub fn spread(n: usize) -> Vec<String> {
    let mut keys = Vec::with_capacity(n);
    let mut last: Option<String> = None;
    for _ in 0..n {
        let next = between(last.as_deref(), None);
        keys.push(next.clone());
        last = Some(next);
    }
    keys
}

fn midpoint(low: &[u8], high: Option<&[u8]>) -> Vec<u8> {
    if let Some(high) = high {
        // Shared prefix (low padded with '0'): keep it and recurse on the rest.
        let mut n = 0;
        while n < high.len() && low.get(n).copied().unwrap_or(b'0') == high[n] {
            n += 1;
        }
        if n > 0 {
            let mut out = high[..n].to_vec();
            out.extend(midpoint(low.get(n..).unwrap_or(&[]), Some(&high[n..])));
            return out;
        }
    }
    let low_digit = low.first().map(|&c| digit_value(c)).unwrap_or(0);
    let high_digit = high.map(|h| digit_value(h[0])).unwrap_or(BASE);
    if high_digit - low_digit > 1 {
        return vec![DIGITS[(low_digit + high_digit) / 2]];
    }
    if let Some(high) = high {
        if high.len() > 1 {
            return vec![high[0]];
        }
    }
    let mut out = vec![DIGITS[low_digit]];
    out.extend(midpoint(low.get(1..).unwrap_or(&[]), None));
    out
}

/// `C-08` after `C-01`..`C-07`: one more than the largest number in use, two digits at least.
pub fn next_reference<'a>(existing: impl Iterator<Item = &'a str>, prefix: &str) -> String {
    let start = format!("{prefix}-");
    let max = existing
        .filter_map(|r| r.strip_prefix(&start))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}-{:02}", max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spread_is_increasing() {
        let keys = spread(500);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn repeated_insert_at_front_and_between_neighbours() {
        let mut first = between(None, None);
        for _ in 0..200 {
            let new = between(None, Some(&first));
            assert!(new < first, "{new} < {first}");
            first = new;
        }
        let (mut a, b) = (between(None, None), between(Some("k"), None));
        for _ in 0..200 {
            let mid = between(Some(&a), Some(&b));
            assert!(a < mid && mid < b, "{a} < {mid} < {b}");
            a = mid;
        }
    }

    proptest! {
        #[test]
        fn between_is_strictly_between(ops in proptest::collection::vec(any::<u16>(), 1..200)) {
            let mut keys: Vec<String> = vec![];
            for op in ops {
                let i = if keys.is_empty() { 0 } else { op as usize % (keys.len() + 1) };
                let before = if i == 0 { None } else { Some(keys[i - 1].as_str()) };
                let after = keys.get(i).map(String::as_str);
                let key = between(before, after);
                if let Some(b) = before { prop_assert!(b < key.as_str()); }
                if let Some(a) = after { prop_assert!(key.as_str() < a); }
                prop_assert!(!key.ends_with('0'));
                keys.insert(i, key);
            }
        }
    }
}
