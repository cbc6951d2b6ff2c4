//! `to_char` for timestamps, dates and intervals: prints the fields of one
//! value as a parsed datetime template says (PostgreSQL's `DCH_to_char`).
//!
//! Intervals go through the same printer with their own fields (years,
//! months, days, hours that may exceed 23, all possibly negative); the
//! patterns that only make sense on a calendar (names, `D`, `AD`, zones)
//! are an error for them, as in PostgreSQL.

use std::fmt::Write;

use super::calendar::{date2isoweek, date2isoyear, date2isoyearday, date2j, j2day, timestamp_fields, USECS_PER_SEC};
use super::datetime_template::{Case, Node, Pattern};
use super::error::{sqlstate, FormatError, FormatResult};
use super::ordinal::ordinal_suffix;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
/// Roman month numerals, December first (PostgreSQL's `rm_months_upper`).
const ROMAN_MONTHS: [&str; 12] = ["XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"];

/// The fields `to_char` prints (PostgreSQL's `fmt_tm` plus the fraction
/// and the zone), for a point in time or an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedFields {
    /// Astronomical year (0 is 1 BC); for an interval, whole years.
    pub(crate) year: i64,
    pub(crate) month: i64,
    pub(crate) day: i64,
    pub(crate) hour: i64,
    pub(crate) minute: i64,
    pub(crate) second: i64,
    pub(crate) microsecond: i64,
    /// Day of the week, 0 = Sunday.
    pub(crate) weekday: i64,
    /// Day of the year, from 1; for an interval, its span in 30-day months.
    pub(crate) year_day: i64,
    /// Seconds east of UTC.
    pub(crate) utc_offset: i64,
    /// What `TZ` prints: `UTC` for a `timestamptz`, nothing for a `timestamp`.
    pub(crate) zone: Option<&'static str>,
    pub(crate) is_interval: bool,
}

impl PrintedFields {
    /// A `timestamp` (no zone) or, with `zone`, a `timestamptz` shown in the
    /// session zone, which is always UTC in Eddy; `None` outside
    /// PostgreSQL's timestamp range.
    pub(crate) fn of_timestamp(unix_micros: i64, zone: Option<&'static str>) -> Option<Self> {
        let fields = timestamp_fields(unix_micros)?;
        Some(PrintedFields {
            year: fields.year,
            month: fields.month,
            day: fields.day,
            hour: fields.hour,
            minute: fields.minute,
            second: fields.second,
            microsecond: fields.microsecond,
            weekday: j2day(fields.julian_day),
            year_day: fields.julian_day - date2j(fields.year, 1, 1) + 1,
            utc_offset: 0,
            zone,
            is_interval: false,
        })
    }

    /// An interval of `months`, `days` and `micros`, split as PostgreSQL's
    /// `interval2itm` does (12 months to the year, 60 minutes to the hour,
    /// but days never into months and hours never into days).
    pub(crate) fn of_interval(months: i64, days: i64, micros: i64) -> Self {
        let year = months / 12;
        let month = months % 12;
        PrintedFields {
            year,
            month,
            day: days,
            hour: micros / 3_600_000_000,
            minute: micros / 60_000_000 % 60,
            second: micros / USECS_PER_SEC % 60,
            microsecond: micros % USECS_PER_SEC,
            weekday: 0,
            // C's int arithmetic, wrapping on huge intervals as PostgreSQL's does.
            year_day: i64::from(
                (year as i32).wrapping_mul(12).wrapping_add(month as i32).wrapping_mul(30).wrapping_add(days as i32),
            ),
            utc_offset: 0,
            zone: None,
            is_interval: true,
        }
    }

    /// The year as written with an era (1 BC for 0), or as is for an interval.
    fn era_year(&self, year: i64) -> i64 {
        if self.is_interval || year > 0 {
            year
        } else {
            1 - year
        }
    }
}

/// Prints `fields` as `nodes` say.
pub(crate) fn format_fields(nodes: &[Node], fields: &PrintedFields) -> FormatResult<String> {
    let mut out = String::with_capacity(nodes.len() * 4);
    for node in nodes {
        match node {
            Node::Literal(c) | Node::Separator(c) | Node::Space(c) => out.push(*c),
            Node::Field { keyword, fill_mode, translate, ordinal } => {
                let field = FieldFormat { fill_mode: *fill_mode, translate: *translate, ordinal: *ordinal };
                format_pattern(&mut out, keyword.pattern, field, fields)?;
            }
        }
    }
    Ok(out)
}

/// The modifiers of one field.
#[derive(Clone, Copy)]
struct FieldFormat {
    fill_mode: bool,
    translate: bool,
    ordinal: Option<Case>,
}

impl FieldFormat {
    /// Whether a full name is padded to 9 characters: not in fill mode, nor
    /// translated (`TM`), which PostgreSQL never pads.
    fn padded(self) -> bool {
        !self.fill_mode && !self.translate
    }

    /// Width of a zero-padded number: `width`, one more for a negative one
    /// (its sign), none in fill mode.
    fn width(self, width: usize, value: i64) -> usize {
        match (self.fill_mode, value < 0) {
            (true, _) => 0,
            (false, false) => width,
            (false, true) => width + 1,
        }
    }
}

fn format_pattern(out: &mut String, pattern: Pattern, field: FieldFormat, f: &PrintedFields) -> FormatResult<()> {
    let start = out.len();
    match pattern {
        Pattern::Meridiem { dots, upper } => {
            let pm = f.hour % 24 >= 12;
            out.push_str(match (pm, dots, upper) {
                (false, false, true) => "AM",
                (false, false, false) => "am",
                (false, true, true) => "A.M.",
                (false, true, false) => "a.m.",
                (true, false, true) => "PM",
                (true, false, false) => "pm",
                (true, true, true) => "P.M.",
                (true, true, false) => "p.m.",
            });
            return Ok(());
        }
        Pattern::Hour12 => {
            let hour = if f.hour % 12 == 0 { 12 } else { f.hour % 12 };
            push_padded(out, hour, field.width(2, f.hour));
        }
        Pattern::Hour24 => push_padded(out, f.hour, field.width(2, f.hour)),
        Pattern::Minute => push_padded(out, f.minute, field.width(2, f.minute)),
        Pattern::Second => push_padded(out, f.second, field.width(2, f.second)),
        Pattern::Fraction(digits) => {
            push_padded(out, f.microsecond / 10i64.pow(6 - u32::from(digits)), usize::from(digits))
        }
        Pattern::Millisecond => push_padded(out, f.microsecond / 1000, 3),
        Pattern::Microsecond => push_padded(out, f.microsecond, 6),
        Pattern::SecondsOfDay => push_padded(out, f.hour * 3600 + f.minute * 60 + f.second, 0),
        Pattern::ZoneName { upper } => {
            reject_interval(f)?;
            if let Some(zone) = f.zone {
                out.push_str(&if upper { zone.to_string() } else { zone.to_ascii_lowercase() });
            }
            return Ok(());
        }
        Pattern::ZoneHour => {
            reject_interval(f)?;
            let _ = write!(out, "{}{:02}", offset_sign(f), f.utc_offset.abs() / 3600);
            return Ok(());
        }
        Pattern::ZoneMinute => {
            reject_interval(f)?;
            let _ = write!(out, "{:02}", f.utc_offset.abs() % 3600 / 60);
            return Ok(());
        }
        Pattern::Offset => {
            reject_interval(f)?;
            let width = if field.fill_mode { 0 } else { 2 };
            let _ = write!(out, "{}{:0width$}", offset_sign(f), f.utc_offset.abs() / 3600);
            if f.utc_offset.abs() % 3600 != 0 {
                let _ = write!(out, ":{:02}", f.utc_offset.abs() % 3600 / 60);
            }
            return Ok(());
        }
        Pattern::Era { dots, upper } => {
            reject_interval(f)?;
            out.push_str(match (f.year <= 0, dots, upper) {
                (false, false, true) => "AD",
                (false, false, false) => "ad",
                (false, true, true) => "A.D.",
                (false, true, false) => "a.d.",
                (true, false, true) => "BC",
                (true, false, false) => "bc",
                (true, true, true) => "B.C.",
                (true, true, false) => "b.c.",
            });
            return Ok(());
        }
        Pattern::MonthName(case) => {
            reject_interval(f)?;
            if f.month != 0 {
                push_name(out, MONTH_NAMES[(f.month - 1) as usize], case, field.padded());
            }
            return Ok(());
        }
        Pattern::MonthAbbrev(case) => {
            reject_interval(f)?;
            if f.month != 0 {
                push_name(out, &MONTH_NAMES[(f.month - 1) as usize][..3], case, false);
            }
            return Ok(());
        }
        Pattern::Month => push_padded(out, f.month, field.width(2, f.month)),
        Pattern::DayName(case) => {
            reject_interval(f)?;
            push_name(out, DAY_NAMES[f.weekday as usize], case, field.padded());
            return Ok(());
        }
        Pattern::DayAbbrev(case) => {
            reject_interval(f)?;
            push_name(out, &DAY_NAMES[f.weekday as usize][..3], case, false);
            return Ok(());
        }
        Pattern::DayOfYear => push_padded(out, f.year_day, if field.fill_mode { 0 } else { 3 }),
        Pattern::IsoDayOfYear => {
            let day = date2isoyearday(f.year, f.month, f.day);
            push_padded(out, day, if field.fill_mode { 0 } else { 3 });
        }
        Pattern::DayOfMonth => push_padded(out, f.day, if field.fill_mode { 0 } else { 2 }),
        Pattern::DayOfWeek => {
            reject_interval(f)?;
            push_padded(out, f.weekday + 1, 0);
        }
        Pattern::IsoDayOfWeek => {
            reject_interval(f)?;
            push_padded(out, if f.weekday == 0 { 7 } else { f.weekday }, 0);
        }
        Pattern::WeekOfYear => {
            let week = (f.year_day as i32).wrapping_sub(1) / 7 + 1;
            push_padded(out, i64::from(week), if field.fill_mode { 0 } else { 2 });
        }
        Pattern::IsoWeek => push_padded(out, date2isoweek(f.year, f.month, f.day), if field.fill_mode { 0 } else { 2 }),
        Pattern::Quarter => {
            if f.month == 0 {
                return Ok(());
            }
            push_padded(out, (f.month - 1) / 3 + 1, 0);
        }
        Pattern::Century => {
            let century = if f.is_interval {
                f.year / 100
            } else if f.year > 0 {
                (f.year - 1) / 100 + 1
            } else {
                f.year / 100 - 1
            };
            let width = if (-99..=99).contains(&century) { field.width(2, century) } else { 0 };
            push_padded(out, century, width);
        }
        Pattern::YearWithComma => {
            let year = f.era_year(f.year);
            let thousands = year / 1000;
            let _ = write!(out, "{},{:03}", thousands, year - thousands * 1000);
        }
        Pattern::Year(digits) => push_year(out, f, f.year, digits, field),
        Pattern::IsoYear(digits) => push_year(out, f, date2isoyear(f.year, f.month, f.day), digits, field),
        Pattern::RomanMonth { upper } => {
            if f.month == 0 && f.year == 0 {
                return Ok(());
            }
            let index = if f.month == 0 {
                if f.year >= 0 {
                    0
                } else {
                    11
                }
            } else if f.month < 0 {
                -(f.month + 1)
            } else {
                12 - f.month
            };
            let numeral = ROMAN_MONTHS[index.clamp(0, 11) as usize];
            let numeral = if upper { numeral.to_string() } else { numeral.to_ascii_lowercase() };
            let _ = if field.fill_mode { write!(out, "{numeral}") } else { write!(out, "{numeral:<4}") };
            return Ok(());
        }
        Pattern::WeekOfMonth => push_padded(out, i64::from((f.day as i32).wrapping_sub(1) / 7 + 1), 0),
        Pattern::JulianDay => push_padded(out, date2j(f.year, f.month, f.day), 0),
        Pattern::FixedFormat => return Ok(()),
    }
    if let Some(case) = field.ordinal {
        let suffix = ordinal_suffix(&out[start..], case == Case::Upper)?;
        out.push_str(suffix);
    }
    Ok(())
}

/// `YYYY`..`Y` and `IYYY`..`I`: the last `digits` digits of `year`, padded
/// to `digits` (the padding is decided by the calendar year, as in PostgreSQL).
fn push_year(out: &mut String, f: &PrintedFields, year: i64, digits: u8, field: FieldFormat) {
    let value = f.era_year(year);
    let (modulus, width) = match digits {
        4 => (None, 4),
        3 => (Some(1000), 3),
        2 => (Some(100), 2),
        _ => (Some(10), 1),
    };
    let width = if digits == 1 { 1 } else { field.width(width, f.era_year(f.year)) };
    push_padded(out, modulus.map_or(value, |m| value % m), width);
}

/// Appends `value` zero-padded to `width` characters, sign included.
fn push_padded(out: &mut String, value: i64, width: usize) {
    let _ = write!(out, "{value:0width$}");
}

/// Appends a month or day name in `case`, padded to 9 characters if `pad`.
fn push_name(out: &mut String, name: &str, case: Case, pad: bool) {
    let name = match case {
        Case::Upper => name.to_ascii_uppercase(),
        Case::Capitalized => name.to_string(),
        Case::Lower => name.to_ascii_lowercase(),
    };
    if pad {
        let _ = write!(out, "{name:<9}");
    } else {
        out.push_str(&name);
    }
}

fn offset_sign(f: &PrintedFields) -> char {
    if f.utc_offset >= 0 {
        '+'
    } else {
        '-'
    }
}

/// PostgreSQL's `INVALID_FOR_INTERVAL`.
fn reject_interval(f: &PrintedFields) -> FormatResult<()> {
    if f.is_interval {
        return Err(FormatError::new(
            sqlstate::INVALID_DATETIME_FORMAT,
            "invalid format specification for an interval value",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
