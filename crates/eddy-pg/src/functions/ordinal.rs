//! English ordinal suffixes (PostgreSQL's `get_th`), shared by the `TH`
//! modifier of datetime templates and the `TH` pattern of numeric ones.

use super::error::{sqlstate, FormatError, FormatResult};

/// The suffix of the number `digits` ends with: `st`, `nd`, `rd`, or `th`
/// (always for 11-13), in upper case if `upper`. Fails, as PostgreSQL
/// does, when `digits` does not end with a digit.
pub(crate) fn ordinal_suffix(digits: &str, upper: bool) -> FormatResult<&'static str> {
    let bytes = digits.as_bytes();
    let last = match bytes.last() {
        Some(b) if b.is_ascii_digit() => *b,
        _ => {
            return Err(FormatError::new(
                sqlstate::INVALID_TEXT_REPRESENTATION,
                format!("\"{digits}\" is not a number"),
            ))
        }
    };
    let teen = bytes.len() > 1 && bytes[bytes.len() - 2] == b'1';
    let [upper_suffix, lower_suffix] = match (teen, last) {
        (false, b'1') => ["ST", "st"],
        (false, b'2') => ["ND", "nd"],
        (false, b'3') => ["RD", "rd"],
        _ => ["TH", "th"],
    };
    Ok(if upper { upper_suffix } else { lower_suffix })
}

#[cfg(test)]
mod tests {
    use super::ordinal_suffix;

    #[test]
    fn teens_take_th() {
        let suffixes: Vec<_> = ["1", "2", "3", "4", "11", "12", "13", "21", "22", "23", "111", "-1"]
            .iter()
            .map(|d| ordinal_suffix(d, false).unwrap())
            .collect();
        assert_eq!(suffixes, ["st", "nd", "rd", "th", "th", "th", "th", "st", "nd", "rd", "th", "st"]);
        assert_eq!(ordinal_suffix(".", true).unwrap_err().sqlstate, "22P02");
    }
}
