//! Reads the fixed forms this crate writes, one piece at a time; every read is bounded and no
//! arithmetic overflows.

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let piece = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(piece)
    }

    pub fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    pub fn literal(&mut self, expected: &[u8]) -> Option<()> {
        (self.take(expected.len())? == expected).then_some(())
    }

    /// Exactly `digits` lower-case hex digits.
    pub fn hex(&mut self, digits: usize) -> Option<&'a str> {
        let piece = self.take(digits)?;
        if !piece
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        {
            return None;
        }
        std::str::from_utf8(piece).ok()
    }

    /// A decimal number of at most 10 digits, ending before `end`.
    pub fn number_until(&mut self, end: u8) -> Option<u64> {
        let text = self.until(end, 10, |b| b.is_ascii_digit())?;
        text.parse().ok()
    }

    /// Up to `max` bytes accepted by `allowed`, ending before `end`.
    pub fn until(&mut self, end: u8, max: usize, allowed: impl Fn(u8) -> bool) -> Option<&'a str> {
        let rest = self.bytes.get(self.at..)?;
        let length = rest
            .iter()
            .take(max.saturating_add(1))
            .position(|&b| b == end)?;
        let piece = &rest[..length];
        if piece.is_empty() || !piece.iter().all(|&b| allowed(b)) {
            return None;
        }
        self.at += length;
        std::str::from_utf8(piece).ok()
    }
}
