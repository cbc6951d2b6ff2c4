//! PostgreSQL's datetime template language (docs §9.8, "Template Patterns
//! for Date/Time Formatting"), parsed once per template into [`Node`]s that
//! `to_char` prints and `to_timestamp`/`to_date` read.
//!
//! The parser is PostgreSQL's `parse_format`: at each position an optional
//! `FM`/`TM` prefix, then the first keyword of the table (in table order,
//! case-sensitive) the text starts with, then an optional `TH`/`th`/`SP`
//! suffix; otherwise one character, where `"..."` quotes literal text (a
//! backslash inside quotes takes the next character literally) and `\"`
//! outside quotes is a literal quote. It never fails: what is not a keyword
//! is text.

/// Letter case of a name a pattern prints (`MONTH`, `Month`, `month`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Upper,
    Capitalized,
    Lower,
}

/// Whether a pattern belongs to the Gregorian or the ISO week calendar; a
/// template read by `to_timestamp` may not mix the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateMode {
    None,
    Gregorian,
    IsoWeek,
}

/// What a keyword stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `AM`/`PM` (`dots`: `A.M.`/`P.M.`); both spellings print the actual one.
    Meridiem { dots: bool, upper: bool },
    /// `AD`/`BC` (`dots`: `A.D.`/`B.C.`); both spellings print the actual one.
    Era { dots: bool, upper: bool },
    /// `CC`: century.
    Century,
    /// `DAY`, `Day`, `day`: full day name.
    DayName(Case),
    /// `DY`, `Dy`, `dy`: abbreviated day name.
    DayAbbrev(Case),
    /// `DDD`: day of year.
    DayOfYear,
    /// `DD`: day of month.
    DayOfMonth,
    /// `D`: day of week, Sunday = 1.
    DayOfWeek,
    /// `FF1`..`FF6`: the first n fractional digits of the second.
    Fraction(u8),
    /// `FX`: fixed format (only `to_timestamp` reads it).
    FixedFormat,
    /// `HH24`.
    Hour24,
    /// `HH`, `HH12`.
    Hour12,
    /// `IDDD`: day of ISO year.
    IsoDayOfYear,
    /// `ID`: ISO day of week, Monday = 1.
    IsoDayOfWeek,
    /// `IW`: ISO week of year.
    IsoWeek,
    /// `IYYY`, `IYY`, `IY`, `I`: last n digits of the ISO year.
    IsoYear(u8),
    /// `J`: Julian day.
    JulianDay,
    /// `MI`.
    Minute,
    /// `MM`: month number.
    Month,
    /// `MONTH`, `Month`, `month`: full month name.
    MonthName(Case),
    /// `MON`, `Mon`, `mon`: abbreviated month name.
    MonthAbbrev(Case),
    /// `MS`: milliseconds.
    Millisecond,
    /// `OF`: UTC offset.
    Offset,
    /// `Q`: quarter.
    Quarter,
    /// `RM`, `rm`: month in Roman numerals.
    RomanMonth { upper: bool },
    /// `SSSS`, `SSSSS`: seconds past midnight.
    SecondsOfDay,
    /// `SS`.
    Second,
    /// `TZH`: hours of the UTC offset.
    ZoneHour,
    /// `TZM`: minutes of the UTC offset.
    ZoneMinute,
    /// `TZ`, `tz`: zone abbreviation.
    ZoneName { upper: bool },
    /// `US`: microseconds.
    Microsecond,
    /// `WW`: week of year (weeks start on January 1st).
    WeekOfYear,
    /// `W`: week of month.
    WeekOfMonth,
    /// `Y,YYY`: year with a comma.
    YearWithComma,
    /// `YYYY`, `YYY`, `YY`, `Y`: last n digits of the year.
    Year(u8),
}

/// One entry of PostgreSQL's keyword table.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Keyword {
    /// The spelling, which error messages quote.
    pub(crate) name: &'static str,
    pub(crate) pattern: Pattern,
    /// Whether `to_timestamp` reads digits for it (decides whether the
    /// previous field may run on).
    pub(crate) is_digit: bool,
    pub(crate) mode: DateMode,
}

const fn keyword(name: &'static str, pattern: Pattern, is_digit: bool, mode: DateMode) -> Keyword {
    Keyword { name, pattern, is_digit, mode }
}

use Case::{Capitalized, Lower, Upper};
use DateMode::{Gregorian, IsoWeek, None as Plain};
use Pattern::*;

/// PostgreSQL's keyword table (`DCH_keywords`), in its order: among the
/// keywords with the same first letter, the first that the template starts
/// with wins, so longer spellings come first (`HH24` before `HH`).
static KEYWORDS: [Keyword; 112] = [
    keyword("A.D.", Era { dots: true, upper: true }, false, Plain),
    keyword("A.M.", Meridiem { dots: true, upper: true }, false, Plain),
    keyword("AD", Era { dots: false, upper: true }, false, Plain),
    keyword("AM", Meridiem { dots: false, upper: true }, false, Plain),
    keyword("B.C.", Era { dots: true, upper: true }, false, Plain),
    keyword("BC", Era { dots: false, upper: true }, false, Plain),
    keyword("CC", Century, true, Plain),
    keyword("DAY", DayName(Upper), false, Plain),
    keyword("DDD", DayOfYear, true, Gregorian),
    keyword("DD", DayOfMonth, true, Gregorian),
    keyword("DY", DayAbbrev(Upper), false, Plain),
    keyword("Day", DayName(Capitalized), false, Plain),
    keyword("Dy", DayAbbrev(Capitalized), false, Plain),
    keyword("D", DayOfWeek, true, Gregorian),
    keyword("FF1", Fraction(1), true, Plain),
    keyword("FF2", Fraction(2), true, Plain),
    keyword("FF3", Fraction(3), true, Plain),
    keyword("FF4", Fraction(4), true, Plain),
    keyword("FF5", Fraction(5), true, Plain),
    keyword("FF6", Fraction(6), true, Plain),
    keyword("FX", FixedFormat, false, Plain),
    keyword("HH24", Hour24, true, Plain),
    keyword("HH12", Hour12, true, Plain),
    keyword("HH", Hour12, true, Plain),
    keyword("IDDD", IsoDayOfYear, true, IsoWeek),
    keyword("ID", IsoDayOfWeek, true, IsoWeek),
    keyword("IW", Pattern::IsoWeek, true, IsoWeek),
    keyword("IYYY", IsoYear(4), true, IsoWeek),
    keyword("IYY", IsoYear(3), true, IsoWeek),
    keyword("IY", IsoYear(2), true, IsoWeek),
    keyword("I", IsoYear(1), true, IsoWeek),
    keyword("J", JulianDay, true, Plain),
    keyword("MI", Minute, true, Plain),
    keyword("MM", Month, true, Gregorian),
    keyword("MONTH", MonthName(Upper), false, Gregorian),
    keyword("MON", MonthAbbrev(Upper), false, Gregorian),
    keyword("MS", Millisecond, true, Plain),
    keyword("Month", MonthName(Capitalized), false, Gregorian),
    keyword("Mon", MonthAbbrev(Capitalized), false, Gregorian),
    keyword("OF", Offset, false, Plain),
    keyword("P.M.", Meridiem { dots: true, upper: true }, false, Plain),
    keyword("PM", Meridiem { dots: false, upper: true }, false, Plain),
    keyword("Q", Quarter, true, Plain),
    keyword("RM", RomanMonth { upper: true }, false, Gregorian),
    keyword("SSSSS", SecondsOfDay, true, Plain),
    keyword("SSSS", SecondsOfDay, true, Plain),
    keyword("SS", Second, true, Plain),
    keyword("TZH", ZoneHour, false, Plain),
    keyword("TZM", ZoneMinute, true, Plain),
    keyword("TZ", ZoneName { upper: true }, false, Plain),
    keyword("US", Microsecond, true, Plain),
    keyword("WW", WeekOfYear, true, Gregorian),
    keyword("W", WeekOfMonth, true, Gregorian),
    keyword("Y,YYY", YearWithComma, true, Gregorian),
    keyword("YYYY", Year(4), true, Gregorian),
    keyword("YYY", Year(3), true, Gregorian),
    keyword("YY", Year(2), true, Gregorian),
    keyword("Y", Year(1), true, Gregorian),
    keyword("a.d.", Era { dots: true, upper: false }, false, Plain),
    keyword("a.m.", Meridiem { dots: true, upper: false }, false, Plain),
    keyword("ad", Era { dots: false, upper: false }, false, Plain),
    keyword("am", Meridiem { dots: false, upper: false }, false, Plain),
    keyword("b.c.", Era { dots: true, upper: false }, false, Plain),
    keyword("bc", Era { dots: false, upper: false }, false, Plain),
    keyword("cc", Century, true, Plain),
    keyword("day", DayName(Lower), false, Plain),
    keyword("ddd", DayOfYear, true, Gregorian),
    keyword("dd", DayOfMonth, true, Gregorian),
    keyword("dy", DayAbbrev(Lower), false, Plain),
    keyword("d", DayOfWeek, true, Gregorian),
    keyword("ff1", Fraction(1), true, Plain),
    keyword("ff2", Fraction(2), true, Plain),
    keyword("ff3", Fraction(3), true, Plain),
    keyword("ff4", Fraction(4), true, Plain),
    keyword("ff5", Fraction(5), true, Plain),
    keyword("ff6", Fraction(6), true, Plain),
    keyword("fx", FixedFormat, false, Plain),
    keyword("hh24", Hour24, true, Plain),
    keyword("hh12", Hour12, true, Plain),
    keyword("hh", Hour12, true, Plain),
    keyword("iddd", IsoDayOfYear, true, IsoWeek),
    keyword("id", IsoDayOfWeek, true, IsoWeek),
    keyword("iw", Pattern::IsoWeek, true, IsoWeek),
    keyword("iyyy", IsoYear(4), true, IsoWeek),
    keyword("iyy", IsoYear(3), true, IsoWeek),
    keyword("iy", IsoYear(2), true, IsoWeek),
    keyword("i", IsoYear(1), true, IsoWeek),
    keyword("j", JulianDay, true, Plain),
    keyword("mi", Minute, true, Plain),
    keyword("mm", Month, true, Gregorian),
    keyword("month", MonthName(Lower), false, Gregorian),
    keyword("mon", MonthAbbrev(Lower), false, Gregorian),
    keyword("ms", Millisecond, true, Plain),
    keyword("of", Offset, false, Plain),
    keyword("p.m.", Meridiem { dots: true, upper: false }, false, Plain),
    keyword("pm", Meridiem { dots: false, upper: false }, false, Plain),
    keyword("q", Quarter, true, Plain),
    keyword("rm", RomanMonth { upper: false }, false, Gregorian),
    keyword("sssss", SecondsOfDay, true, Plain),
    keyword("ssss", SecondsOfDay, true, Plain),
    keyword("ss", Second, true, Plain),
    keyword("tzh", ZoneHour, false, Plain),
    keyword("tzm", ZoneMinute, true, Plain),
    keyword("tz", ZoneName { upper: false }, false, Plain),
    keyword("us", Microsecond, true, Plain),
    keyword("ww", WeekOfYear, true, Gregorian),
    keyword("w", WeekOfMonth, true, Gregorian),
    keyword("y,yyy", YearWithComma, true, Gregorian),
    keyword("yyyy", Year(4), true, Gregorian),
    keyword("yyy", Year(3), true, Gregorian),
    keyword("yy", Year(2), true, Gregorian),
    keyword("y", Year(1), true, Gregorian),
];

/// One element of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// A keyword with its modifiers.
    Field {
        keyword: &'static Keyword,
        /// `FM`: no padding (and, when reading, no fixed width).
        fill_mode: bool,
        /// `TM`: translated names, which print unpadded.
        translate: bool,
        /// `TH` (upper) or `th` (lower): ordinal suffix.
        ordinal: Option<Case>,
    },
    /// Text copied as is: quoted text, letters and digits outside quotes.
    Literal(char),
    /// An ASCII punctuation character outside quotes; `to_timestamp`
    /// matches it against any separator (or nothing).
    Separator(char),
    /// White space outside quotes.
    Space(char),
}

/// Parses `template`; every string is a template.
pub(crate) fn parse_template(template: &str) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(template.len());
    let mut rest = template;
    while !rest.is_empty() {
        let mut fill_mode = false;
        let mut translate = false;
        if let Some(after) = rest.strip_prefix("FM").or_else(|| rest.strip_prefix("fm")) {
            fill_mode = true;
            rest = after;
        } else if let Some(after) = rest.strip_prefix("TM").or_else(|| rest.strip_prefix("tm")) {
            translate = true;
            rest = after;
        }
        if rest.is_empty() {
            break;
        }
        if let Some(keyword) = KEYWORDS.iter().find(|k| rest.starts_with(k.name)) {
            rest = &rest[keyword.name.len()..];
            let mut ordinal = None;
            if let Some(after) = rest.strip_prefix("TH") {
                ordinal = Some(Case::Upper);
                rest = after;
            } else if let Some(after) = rest.strip_prefix("th") {
                ordinal = Some(Case::Lower);
                rest = after;
            } else if let Some(after) = rest.strip_prefix("SP") {
                rest = after;
            }
            nodes.push(Node::Field { keyword, fill_mode, translate, ordinal });
        } else if let Some(quoted) = rest.strip_prefix('"') {
            rest = push_quoted(quoted, &mut nodes);
        } else {
            if rest.starts_with("\\\"") {
                rest = &rest[1..];
            }
            let mut chars = rest.chars();
            let Some(c) = chars.next() else { break };
            rest = chars.as_str();
            nodes.push(if c.is_ascii_graphic() && !c.is_ascii_alphanumeric() {
                Node::Separator(c)
            } else if is_c_space(c) {
                Node::Space(c)
            } else {
                Node::Literal(c)
            });
        }
    }
    nodes
}

/// Pushes the characters of a quoted text up to its closing quote (or the
/// end of the template) as literals; returns what follows.
fn push_quoted<'a>(mut rest: &'a str, nodes: &mut Vec<Node>) -> &'a str {
    loop {
        let mut chars = rest.chars();
        match chars.next() {
            None => return rest,
            Some('"') => return chars.as_str(),
            Some('\\') if !chars.as_str().is_empty() => {
                let mut escaped = chars.as_str().chars();
                if let Some(c) = escaped.next() {
                    nodes.push(Node::Literal(c));
                }
                rest = escaped.as_str();
            }
            Some(c) => {
                nodes.push(Node::Literal(c));
                rest = chars.as_str();
            }
        }
    }
}

/// C's `isspace` in the C locale.
pub(crate) fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(template: &str) -> Vec<String> {
        parse_template(template)
            .iter()
            .map(|node| match node {
                Node::Field { keyword, fill_mode, ordinal, .. } => {
                    format!(
                        "{}{}{}",
                        if *fill_mode { "FM" } else { "" },
                        keyword.name,
                        if ordinal.is_some() { "TH" } else { "" }
                    )
                }
                Node::Literal(c) => format!("'{c}'"),
                Node::Separator(c) => format!("<{c}>"),
                Node::Space(_) => "_".to_string(),
            })
            .collect()
    }

    #[test]
    fn longest_keyword_of_the_table_order_wins() {
        assert_eq!(names("HH24MIHH12HH"), ["HH24", "MI", "HH12", "HH"]);
        assert_eq!(names("DDDDD"), ["DDD", "DD"]);
        assert_eq!(names("SSSSSS"), ["SSSSS", "'S'"]);
        assert_eq!(names("Month"), ["Month"]);
        assert_eq!(names("MOnth"), ["'M'", "'O'", "'n'", "'t'", "'h'"]);
    }

    #[test]
    fn modifiers_attach_to_the_keyword_or_vanish() {
        assert_eq!(names("FMDDth"), ["FMDDTH"]);
        assert_eq!(names("FMx"), ["'x'"]);
        assert_eq!(names("FM"), Vec::<String>::new());
        assert_eq!(names("DDSP"), ["DD"]);
    }

    #[test]
    fn quotes_and_backslashes_never_fail() {
        assert_eq!(names("\"YY\\\"\"YY"), ["'Y'", "'Y'", "'\"'", "YY"]);
        assert_eq!(names("\"abc\\"), ["'a'", "'b'", "'c'", "'\\'"]);
        assert_eq!(names("\\\"YY"), ["<\">", "YY"]);
        assert_eq!(names("\\"), ["<\\>"]);
        assert_eq!(names("\""), Vec::<String>::new());
        assert_eq!(names("年 "), ["'年'", "_"]);
    }
}
