//! The join code a host reads aloud: 8 digits, the last a Damm check digit, so a mistyped digit
//! or two swapped neighbours are caught on the joiner's laptop before any attempt is spent
//! (the host allows 5 wrong attempts per code). 10⁷ codes: a guesser has a 1 in 2,000,000
//! chance before the code changes, and SPAKE2 gives nothing to guess from offline.

use std::fmt;

use rand::Rng;

use crate::SyncError;

/// Damm's quasigroup of order 10: every single-digit error and every adjacent transposition
/// changes the result.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

const DIGITS: usize = 8;

fn damm(digits: &[u8]) -> u8 {
    digits.iter().fold(0u8, |interim, &d| {
        DAMM[usize::from(interim)][usize::from(d)]
    })
}

#[derive(Clone, PartialEq, Eq)]
pub struct JoinCode([u8; DIGITS]);

impl JoinCode {
    pub fn random() -> JoinCode {
        let mut rng = rand::rng();
        let mut digits = [0u8; DIGITS];
        for d in digits.iter_mut().take(DIGITS - 1) {
            *d = rng.random_range(0..10);
        }
        digits[DIGITS - 1] = damm(&digits[..DIGITS - 1]);
        JoinCode(digits)
    }

    /// What SPAKE2 is given: the digits alone.
    pub(crate) fn secret(&self) -> Vec<u8> {
        self.0.iter().map(|d| b'0' + d).collect()
    }
}

impl std::str::FromStr for JoinCode {
    type Err = SyncError;

    /// Spaces and dashes between digits are fine ("4821 0375", "4821-0375").
    fn from_str(typed: &str) -> Result<JoinCode, SyncError> {
        let mut digits = Vec::with_capacity(DIGITS);
        for c in typed.trim().chars() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                ' ' | '-' => {}
                _ => {
                    return Err(SyncError::InvalidInput(format!(
                        "a join code is {DIGITS} digits; \"{typed}\" has a '{c}'"
                    )))
                }
            }
            if digits.len() > DIGITS {
                break;
            }
        }
        let Ok(digits) = <[u8; DIGITS]>::try_from(digits) else {
            return Err(SyncError::InvalidInput(format!(
                "a join code is {DIGITS} digits; \"{typed}\" is not"
            )));
        };
        if damm(&digits) != 0 {
            return Err(SyncError::InvalidInput(format!(
                "\"{typed}\" is not a join code: a digit is wrong or two are swapped"
            )));
        }
        Ok(JoinCode(digits))
    }
}

/// Read aloud in two groups: "4821 0375".
impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i == DIGITS / 2 {
                f.write_str(" ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Never printed by accident (logs, panics).
impl fmt::Debug for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JoinCode(…)")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_check_digit_is_damms() {
        // The algorithm's published example: 572 → check digit 4.
        assert_eq!(damm(&[5, 7, 2]), 4);
        assert_eq!(damm(&[5, 7, 2, 4]), 0);
    }

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        for _ in 0..200 {
            let code = JoinCode::random();
            let shown = code.to_string();
            assert_eq!(shown.len(), 9);
            assert_eq!(shown.parse::<JoinCode>().unwrap(), code);
            assert_eq!(shown.replace(' ', "-").parse::<JoinCode>().unwrap(), code);
            assert_eq!(shown.replace(' ', "").parse::<JoinCode>().unwrap(), code);
        }
    }

    #[test]
    fn every_single_typo_and_swap_of_neighbours_is_caught() {
        for _ in 0..50 {
            let code = JoinCode::random();
            for i in 0..DIGITS {
                for wrong in 0..10u8 {
                    if wrong == code.0[i] {
                        continue;
                    }
                    let mut typo = code.0;
                    typo[i] = wrong;
                    let typed: String = typo.iter().map(|d| char::from(b'0' + d)).collect();
                    assert!(typed.parse::<JoinCode>().is_err(), "{typed} accepted");
                }
                if i + 1 < DIGITS && code.0[i] != code.0[i + 1] {
                    let mut swapped = code.0;
                    swapped.swap(i, i + 1);
                    let typed: String = swapped.iter().map(|d| char::from(b'0' + d)).collect();
                    assert!(typed.parse::<JoinCode>().is_err(), "{typed} accepted");
                }
            }
        }
    }

    #[test]
    fn anything_but_eight_digits_is_refused_with_the_reason() {
        for typed in ["", "1234567", "123456789", "1234 567a", "１２３４５６７８"] {
            let err = typed.parse::<JoinCode>().unwrap_err().to_string();
            assert!(
                err.contains("8 digits") || err.contains("wrong"),
                "{typed}: {err}"
            );
        }
        assert_eq!(format!("{:?}", JoinCode::random()), "JoinCode(…)");
    }
}
