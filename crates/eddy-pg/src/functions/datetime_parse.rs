//! `to_timestamp(text, text)` and `to_date(text, text)`: reads a string as
//! a parsed datetime template says (PostgreSQL's `DCH_from_char` and
//! `do_to_timestamp`).
//!
//! Reading is lenient as PostgreSQL's is: spaces before fields are skipped,
//! a template separator matches one separator or space of the input or
//! nothing, a literal consumes one character whatever it is, a numeric
//! field followed by a non-digit reads as many digits as there are, and
//! reading stops when either string ends. Fields a template leaves out take
//! PostgreSQL's defaults (year 1 BC, January, the 1st, midnight). `FX`
//! switches to fixed format from there on. Time zone names (`TZ`, `OF`)
//! are only supported by `to_char`, as in PostgreSQL 15.

use super::calendar::{
    date2j, days_in_month, fields_to_unix_micros, is_valid_julian, isoweek2j, j2date, TimestampFields,
    POSTGRES_EPOCH_JDATE, UNIX_EPOCH_JDATE, UNIX_TO_POSTGRES_USECS,
};
use super::datetime_template::{is_c_space, DateMode, Keyword, Node, Pattern};
use super::error::{sqlstate, FormatError, FormatResult};

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
const MONTH_ABBREVS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_ABBREVS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// Even index: before noon / anno domini; odd: after noon / before Christ.
const MERIDIEM: [&str; 4] = ["am", "pm", "AM", "PM"];
const MERIDIEM_DOTS: [&str; 4] = ["a.m.", "p.m.", "A.M.", "P.M."];
const ERAS: [&str; 4] = ["ad", "bc", "AD", "BC"];
const ERAS_DOTS: [&str; 4] = ["a.d.", "b.c.", "A.D.", "B.C."];
/// December first, so that `VIII` is tried before `V`.
const ROMAN_MONTHS: [&str; 12] = ["xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"];

/// Largest UTC offset hour PostgreSQL accepts.
const MAX_TZDISP_HOUR: i32 = 15;

/// What a template read from a string (PostgreSQL's `TmFromChar`); 0 means
/// "not given" for every field, as in PostgreSQL.
#[derive(Debug, Default)]
struct ReadFields {
    mode: Option<DateMode>,
    hour: i32,
    pm: i32,
    minute: i32,
    second: i32,
    seconds_of_day: i32,
    /// Day of week, Sunday = 1.
    weekday: i32,
    day: i32,
    year_day: i32,
    month: i32,
    millisecond: i32,
    year: i32,
    bc: i32,
    week: i32,
    week_of_month: i32,
    century: i32,
    julian_day: i32,
    microsecond: i32,
    /// Digits of the year field read (`YY` is 2), for the century rule.
    year_digits: i32,
    twelve_hour_clock: bool,
    /// +1 or -1 once `TZH` or `TZM` is read.
    zone_sign: i32,
    zone_hour: i32,
    zone_minute: i32,
    /// n of the last `FFn` read: the precision to round to.
    fraction_digits: i32,
}

/// A date and time read by `to_timestamp` or `to_date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedDateTime {
    fields: TimestampFields,
    /// Seconds west of UTC (PostgreSQL's sign), if the input gave an offset.
    offset_west: Option<i64>,
    fraction_digits: i32,
}

impl ParsedDateTime {
    /// The instant, in microseconds since 1970, for `to_timestamp`; the
    /// session zone (UTC) applies when the input gave no offset.
    pub(crate) fn to_unix_micros(&self) -> FormatResult<i64> {
        fields_to_unix_micros(&self.fields, self.offset_west.unwrap_or(0))
            .and_then(|micros| round_to_fraction_digits(micros, self.fraction_digits))
            .ok_or_else(|| FormatError::new(sqlstate::DATETIME_FIELD_OVERFLOW, "timestamp out of range"))
    }

    /// The date, in days since 1970, for `to_date`; `input` is the string
    /// read, which the out-of-range message quotes.
    pub(crate) fn to_unix_days(&self, input: &str) -> FormatResult<i32> {
        let f = &self.fields;
        let out_of_range =
            || FormatError::new(sqlstate::DATETIME_FIELD_OVERFLOW, format!("date out of range: \"{input}\""));
        if !is_valid_julian(f.year, f.month) {
            return Err(out_of_range());
        }
        let postgres_days = date2j(f.year, f.month, f.day) - POSTGRES_EPOCH_JDATE;
        // PostgreSQL's dates end at 5874897-12-31 (IS_VALID_DATE).
        if !(-2_451_545..2_145_031_949).contains(&postgres_days) {
            return Err(out_of_range());
        }
        i32::try_from(postgres_days + POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE).map_err(|_| out_of_range())
    }
}

/// Rounds to `digits` fractional digits (PostgreSQL's
/// `AdjustTimestampForTypmod`): halves away from zero, 0 means as read;
/// `None` if the result leaves Arrow's range.
fn round_to_fraction_digits(micros: i64, digits: i32) -> Option<i64> {
    if !(1..6).contains(&digits) {
        return Some(micros);
    }
    let scale = 10i64.pow(6 - digits as u32);
    // PostgreSQL rounds microseconds since 2000 (valid ones, so no overflow here).
    let pg = micros - UNIX_TO_POSTGRES_USECS;
    let rounded = if pg >= 0 { (pg + scale / 2) / scale * scale } else { -((-pg + scale / 2) / scale * scale) };
    rounded.checked_add(UNIX_TO_POSTGRES_USECS)
}

/// Reads `input` as `nodes` say.
pub(crate) fn parse_datetime(nodes: &[Node], input: &str) -> FormatResult<ParsedDateTime> {
    // PostgreSQL's text cannot hold NUL; C would stop reading there.
    let input = input.split('\0').next().unwrap_or_default();
    let mut reader = Reader { nodes, input: input.as_bytes(), pos: 0, read: ReadFields::default() };
    reader.read_all()?;
    reader.read.into_datetime(input)
}

/// The state of one read: the input and how far it is consumed.
struct Reader<'a> {
    nodes: &'a [Node],
    input: &'a [u8],
    pos: usize,
    read: ReadFields,
}

impl Reader<'_> {
    /// The byte at `pos`, 0 past the end (C's terminating NUL).
    fn byte(&self, pos: usize) -> u8 {
        self.input.get(pos).copied().unwrap_or(0)
    }

    /// Length of the UTF-8 character at `pos` (1 past the end).
    fn char_len(&self, pos: usize) -> usize {
        match self.byte(pos) {
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            b if b >= 0xC0 => 2,
            _ => 1,
        }
    }

    fn skip_char(&mut self) {
        self.pos = (self.pos + self.char_len(self.pos)).min(self.input.len());
    }

    /// The rest of the input from `pos`, for error messages.
    fn rest(&self, from: usize) -> String {
        String::from_utf8_lossy(self.input.get(from..).unwrap_or_default()).into_owned()
    }

    fn read_all(&mut self) -> FormatResult<()> {
        let mut fixed_format = false;
        // Characters skipped beyond what the template asked for.
        let mut extra_skip: i64 = 0;
        for index in 0..self.nodes.len() {
            if self.pos >= self.input.len() {
                break;
            }
            let node = &self.nodes[index];
            let is_field = matches!(node, Node::Field { .. });
            let is_fx = matches!(node, Node::Field { keyword, .. } if keyword.pattern == Pattern::FixedFormat);
            if !fixed_format && !is_fx && (is_field || index == 0) {
                while is_c_space_byte(self.byte(self.pos)) {
                    self.pos += 1;
                    extra_skip += 1;
                }
            }
            match node {
                Node::Space(_) | Node::Separator(_) => {
                    if fixed_format {
                        self.skip_char();
                    } else {
                        extra_skip -= 1;
                        let b = self.byte(self.pos);
                        if is_c_space_byte(b) || is_separator_byte(b) {
                            self.pos += 1;
                            extra_skip += 1;
                        }
                    }
                }
                Node::Literal(_) => {
                    if !fixed_format && extra_skip > 0 {
                        extra_skip -= 1;
                    } else {
                        self.skip_char();
                    }
                }
                Node::Field { keyword, fill_mode, ordinal, .. } => {
                    if keyword.pattern == Pattern::FixedFormat {
                        fixed_format = true;
                    } else {
                        self.read_field(index, keyword, *fill_mode, extra_skip)?;
                        if ordinal.is_some() && keyword.is_digit && keyword.pattern != Pattern::ZoneMinute {
                            // The ordinal suffix of a number: two characters, whatever they are.
                            self.skip_char();
                            self.skip_char();
                        }
                    }
                    if !fixed_format {
                        extra_skip = 0;
                        while is_c_space_byte(self.byte(self.pos)) {
                            self.pos += 1;
                            extra_skip += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn read_field(
        &mut self,
        index: usize,
        keyword: &'static Keyword,
        fill_mode: bool,
        extra_skip: i64,
    ) -> FormatResult<()> {
        self.set_mode(keyword.mode)?;
        let len = keyword.name.len();
        let field = FieldRead { index, keyword, fill_mode };
        match keyword.pattern {
            Pattern::FixedFormat => {}
            Pattern::Meridiem { dots, .. } => {
                let value = self.read_name(if dots { &MERIDIEM_DOTS } else { &MERIDIEM }, keyword)?;
                set_once(&mut self.read.pm, (value % 2) as i32, keyword)?;
                self.read.twelve_hour_clock = true;
            }
            Pattern::Hour12 => {
                self.read_int(Some(Target::Hour), 2, field)?;
                self.read.twelve_hour_clock = true;
            }
            Pattern::Hour24 => {
                self.read_int(Some(Target::Hour), 2, field)?;
            }
            Pattern::Minute => {
                self.read_int(Some(Target::Minute), len, field)?;
            }
            Pattern::Second => {
                self.read_int(Some(Target::Second), len, field)?;
            }
            Pattern::Millisecond => {
                let used = self.read_int(Some(Target::Millisecond), 3, field)?;
                self.read.millisecond *= match used {
                    1 => 100,
                    2 => 10,
                    _ => 1,
                };
            }
            Pattern::Fraction(_) | Pattern::Microsecond => {
                let digits = match keyword.pattern {
                    Pattern::Fraction(n) => {
                        self.read.fraction_digits = i32::from(n);
                        usize::from(n)
                    }
                    _ => 6,
                };
                let used = self.read_int(Some(Target::Microsecond), digits, field)?;
                self.read.microsecond *= match used {
                    1 => 100_000,
                    2 => 10_000,
                    3 => 1000,
                    4 => 100,
                    5 => 10,
                    _ => 1,
                };
            }
            Pattern::SecondsOfDay => {
                self.read_int(Some(Target::SecondsOfDay), len, field)?;
            }
            Pattern::ZoneName { .. } | Pattern::Offset => {
                return Err(FormatError::new(
                    sqlstate::FEATURE_NOT_SUPPORTED,
                    format!("formatting field \"{}\" is only supported in to_char", keyword.name),
                ));
            }
            Pattern::ZoneHour => {
                // A minus sign may have been taken for a separator just before.
                let b = self.byte(self.pos);
                if b == b'+' || b == b'-' || b == b' ' {
                    self.read.zone_sign = if b == b'-' { -1 } else { 1 };
                    self.pos += 1;
                } else if extra_skip > 0 && self.pos > 0 && self.byte(self.pos - 1) == b'-' {
                    self.read.zone_sign = -1;
                } else {
                    self.read.zone_sign = 1;
                }
                self.read_int(Some(Target::ZoneHour), 2, field)?;
            }
            Pattern::ZoneMinute => {
                if self.read.zone_sign == 0 {
                    self.read.zone_sign = 1;
                }
                self.read_int(Some(Target::ZoneMinute), 2, field)?;
            }
            Pattern::Era { dots, .. } => {
                let value = self.read_name(if dots { &ERAS_DOTS } else { &ERAS }, keyword)?;
                set_once(&mut self.read.bc, (value % 2) as i32, keyword)?;
            }
            Pattern::MonthName(_) => {
                let value = self.read_name(&MONTH_NAMES, keyword)?;
                set_once(&mut self.read.month, value as i32 + 1, keyword)?;
            }
            Pattern::MonthAbbrev(_) => {
                let value = self.read_name(&MONTH_ABBREVS, keyword)?;
                set_once(&mut self.read.month, value as i32 + 1, keyword)?;
            }
            Pattern::Month => {
                self.read_int(Some(Target::Month), len, field)?;
            }
            Pattern::DayName(_) | Pattern::DayAbbrev(_) => {
                let names: &[&str] =
                    if matches!(keyword.pattern, Pattern::DayName(_)) { &DAY_NAMES } else { &DAY_ABBREVS };
                let value = self.read_name(names, keyword)?;
                set_once(&mut self.read.weekday, value as i32, keyword)?;
                self.read.weekday += 1;
            }
            Pattern::DayOfYear => {
                self.read_int(Some(Target::YearDay), len, field)?;
            }
            Pattern::IsoDayOfYear => {
                self.read_int(Some(Target::YearDay), 3, field)?;
            }
            Pattern::DayOfMonth => {
                self.read_int(Some(Target::Day), len, field)?;
            }
            Pattern::DayOfWeek => {
                self.read_int(Some(Target::Weekday), len, field)?;
            }
            Pattern::IsoDayOfWeek => {
                self.read_int(Some(Target::Weekday), 1, field)?;
                // ISO Monday = 1 .. Sunday = 7 becomes Sunday = 1.
                self.read.weekday += 1;
                if self.read.weekday > 7 {
                    self.read.weekday = 1;
                }
            }
            Pattern::WeekOfYear | Pattern::IsoWeek => {
                self.read_int(Some(Target::Week), len, field)?;
            }
            Pattern::Quarter => {
                // Read, then ignored: which month of the quarter is unclear.
                self.read_int(None, len, field)?;
            }
            Pattern::Century => {
                self.read_int(Some(Target::Century), len, field)?;
            }
            Pattern::YearWithComma => {
                let years = self.read_year_with_comma()?;
                set_once(&mut self.read.year, years, keyword)?;
                self.read.year_digits = 4;
            }
            Pattern::Year(4) | Pattern::IsoYear(4) => {
                self.read_int(Some(Target::Year), len, field)?;
                self.read.year_digits = 4;
            }
            Pattern::Year(digits) | Pattern::IsoYear(digits) => {
                let used = self.read_int(Some(Target::Year), len, field)?;
                if used < 4 {
                    self.read.year = adjust_partial_year_to_2020(self.read.year);
                }
                self.read.year_digits = i32::from(digits);
            }
            Pattern::RomanMonth { .. } => {
                let value = self.read_name(&ROMAN_MONTHS, keyword)?;
                set_once(&mut self.read.month, 12 - value as i32, keyword)?;
            }
            Pattern::WeekOfMonth => {
                self.read_int(Some(Target::WeekOfMonth), len, field)?;
            }
            Pattern::JulianDay => {
                self.read_int(Some(Target::JulianDay), len, field)?;
            }
        }
        Ok(())
    }

    /// PostgreSQL's `from_char_set_mode`.
    fn set_mode(&mut self, mode: DateMode) -> FormatResult<()> {
        if mode == DateMode::None {
            return Ok(());
        }
        match self.read.mode {
            None => self.read.mode = Some(mode),
            Some(current) if current != mode => {
                return Err(FormatError::new(
                    sqlstate::INVALID_DATETIME_FORMAT,
                    "invalid combination of date conventions",
                ))
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Matches the input case-insensitively against `names` in order (the
    /// first name the input starts with wins); returns its index.
    fn read_name(&mut self, names: &[&str], keyword: &Keyword) -> FormatResult<usize> {
        let rest = &self.input[self.pos..];
        for (index, name) in names.iter().enumerate() {
            if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
                self.pos += name.len();
                return Ok(index);
            }
        }
        let shown: String = self.rest(self.pos).chars().take_while(|c| !is_scanner_space(*c)).collect();
        Err(FormatError::new(
            sqlstate::INVALID_DATETIME_FORMAT,
            format!("invalid value \"{shown}\" for \"{}\"", keyword.name),
        ))
    }

    /// Reads an integer into `target` (PostgreSQL's `from_char_parse_int_len`):
    /// exactly `len` characters, or as many digits as there are when the
    /// field has `FM` or what follows it in the template is not a digit.
    /// Returns the characters consumed, leading spaces included.
    fn read_int(&mut self, target: Option<Target>, len: usize, field: FieldRead) -> FormatResult<usize> {
        let init = self.pos;
        while is_c_space_byte(self.byte(self.pos)) {
            self.pos += 1;
        }
        let available = &self.input[self.pos..];
        let copy_len = available.len().min(len);
        let copy = String::from_utf8_lossy(&available[..copy_len]).into_owned();
        let name = field.keyword.name;
        let value = if field.fill_mode || self.next_is_separator(field.index) {
            let (value, end) = strtol(self.input, init);
            self.pos = end;
            value
        } else {
            if available.len() < len {
                return Err(FormatError::new(
                    sqlstate::INVALID_DATETIME_FORMAT,
                    format!("source string too short for \"{name}\" formatting field"),
                ));
            }
            let (value, used) = strtol(&available[..len], 0);
            if used > 0 && used < len {
                return Err(FormatError::new(
                    sqlstate::INVALID_DATETIME_FORMAT,
                    format!("invalid value \"{copy}\" for \"{name}\""),
                ));
            }
            self.pos += used;
            value
        };
        if self.pos == init {
            return Err(FormatError::new(
                sqlstate::INVALID_DATETIME_FORMAT,
                format!("invalid value \"{copy}\" for \"{name}\""),
            ));
        }
        let value = value.and_then(|v| i32::try_from(v).ok()).ok_or_else(|| {
            FormatError::new(
                sqlstate::DATETIME_FIELD_OVERFLOW,
                format!("value for \"{name}\" in source string is out of range"),
            )
        })?;
        if let Some(target) = target {
            set_once(self.read.field_mut(target), value, field.keyword)?;
        }
        Ok(self.pos - init)
    }

    /// PostgreSQL's `is_next_separator`: whether the field at `index` ends
    /// where a non-digit is expected, so it may read any number of digits.
    fn next_is_separator(&self, index: usize) -> bool {
        if let Some(Node::Field { ordinal: Some(_), .. }) = self.nodes.get(index) {
            return true;
        }
        match self.nodes.get(index + 1) {
            None => true,
            Some(Node::Field { keyword, .. }) => !keyword.is_digit,
            Some(Node::Literal(c) | Node::Separator(c) | Node::Space(c)) => !c.is_ascii_digit(),
        }
    }

    /// `Y,YYY`: thousands, a comma, up to three digits (C's `"%d,%03d"`).
    fn read_year_with_comma(&mut self) -> FormatResult<i32> {
        let invalid = || FormatError::new(sqlstate::INVALID_DATETIME_FORMAT, "invalid input string for \"Y,YYY\"");
        let (thousands, end) = strtol(self.input, self.pos);
        let thousands = thousands.ok_or_else(invalid)?;
        if end == self.pos || self.byte(end) != b',' {
            return Err(invalid());
        }
        let mut pos = end + 1;
        while is_c_space_byte(self.byte(pos)) {
            pos += 1;
        }
        let (years, after) = strtol(&self.input[..(pos + 3).min(self.input.len())], pos);
        if after == pos {
            return Err(invalid());
        }
        self.pos = after;
        let overflow = || {
            FormatError::new(sqlstate::DATETIME_FIELD_OVERFLOW, "value for \"Y,YYY\" in source string is out of range")
        };
        let years = years.ok_or_else(overflow)?;
        thousands
            .checked_mul(1000)
            .and_then(|t| t.checked_add(years))
            .and_then(|y| i32::try_from(y).ok())
            .ok_or_else(overflow)
    }
}

/// The node being read, for `read_int`.
#[derive(Clone, Copy)]
struct FieldRead {
    index: usize,
    keyword: &'static Keyword,
    fill_mode: bool,
}

/// The integer fields of [`ReadFields`] a numeric pattern stores into.
#[derive(Clone, Copy)]
enum Target {
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    SecondsOfDay,
    ZoneHour,
    ZoneMinute,
    Month,
    YearDay,
    Day,
    Weekday,
    Week,
    WeekOfMonth,
    Century,
    Year,
    JulianDay,
}

impl ReadFields {
    fn field_mut(&mut self, target: Target) -> &mut i32 {
        match target {
            Target::Hour => &mut self.hour,
            Target::Minute => &mut self.minute,
            Target::Second => &mut self.second,
            Target::Millisecond => &mut self.millisecond,
            Target::Microsecond => &mut self.microsecond,
            Target::SecondsOfDay => &mut self.seconds_of_day,
            Target::ZoneHour => &mut self.zone_hour,
            Target::ZoneMinute => &mut self.zone_minute,
            Target::Month => &mut self.month,
            Target::YearDay => &mut self.year_day,
            Target::Day => &mut self.day,
            Target::Weekday => &mut self.weekday,
            Target::Week => &mut self.week,
            Target::WeekOfMonth => &mut self.week_of_month,
            Target::Century => &mut self.century,
            Target::Year => &mut self.year,
            Target::JulianDay => &mut self.julian_day,
        }
    }

    /// PostgreSQL's `do_to_timestamp` after reading: combines the fields
    /// into a date and time and range-checks them; `input` is quoted by
    /// the errors.
    fn into_datetime(mut self, input: &str) -> FormatResult<ParsedDateTime> {
        let field_overflow = || {
            FormatError::new(
                sqlstate::DATETIME_FIELD_OVERFLOW,
                format!("date/time field value out of range: \"{input}\""),
            )
        };
        let mut f =
            TimestampFields { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, julian_day: 0 };
        let (mut has_year, mut has_month, mut has_day) = (false, false, false);

        if self.seconds_of_day != 0 {
            let x = i64::from(self.seconds_of_day);
            f.hour = x / 3600;
            f.minute = x % 3600 / 60;
            f.second = x % 60;
        }
        if self.second != 0 {
            f.second = i64::from(self.second);
        }
        if self.minute != 0 {
            f.minute = i64::from(self.minute);
        }
        if self.hour != 0 {
            f.hour = i64::from(self.hour);
        }
        if self.twelve_hour_clock {
            if f.hour < 1 || f.hour > 12 {
                return Err(FormatError::new(
                    sqlstate::INVALID_DATETIME_FORMAT,
                    format!("hour \"{}\" is invalid for the 12-hour clock", f.hour),
                ));
            }
            if self.pm != 0 && f.hour < 12 {
                f.hour += 12;
            } else if self.pm == 0 && f.hour == 12 {
                f.hour = 0;
            }
        }

        // PostgreSQL 15 combines the fields in C's `int`, wrapping on absurd
        // input; the range checks below then refuse the result.
        let mut year = 0i32;
        let mut century = self.century;
        if self.year != 0 {
            if self.century != 0 && self.year_digits <= 2 {
                if self.bc != 0 {
                    century = century.wrapping_neg();
                }
                let in_century = self.year % 100;
                year = if in_century != 0 {
                    if century >= 0 {
                        in_century.wrapping_add(century.wrapping_sub(1).wrapping_mul(100))
                    } else {
                        century.wrapping_add(1).wrapping_mul(100).wrapping_sub(in_century).wrapping_add(1)
                    }
                } else {
                    century.wrapping_mul(100).wrapping_add(if century >= 0 { 0 } else { 1 })
                };
            } else {
                year = if self.bc != 0 { self.year.wrapping_neg() } else { self.year };
                if year < 0 {
                    year += 1;
                }
            }
            has_year = true;
        } else if self.century != 0 {
            if self.bc != 0 {
                century = century.wrapping_neg();
            }
            year = if century >= 0 {
                century.wrapping_sub(1).wrapping_mul(100).wrapping_add(1)
            } else {
                century.wrapping_mul(100).wrapping_add(1)
            };
            has_year = true;
        }
        f.year = i64::from(year);

        if self.julian_day != 0 {
            (f.year, f.month, f.day) = j2date(self.julian_day);
            (has_year, has_month, has_day) = (true, true, true);
        }

        if self.week != 0 {
            if self.mode == Some(DateMode::IsoWeek) {
                let mut jd = isoweek2j(f.year, i64::from(self.week)) as i32;
                if self.weekday != 0 {
                    // Gregorian weekday (Sunday = 1) to ISO offset from Monday.
                    jd = jd.wrapping_add(if self.weekday > 1 { self.weekday - 2 } else { 6 });
                }
                (f.year, f.month, f.day) = j2date(jd);
                (has_year, has_month, has_day) = (true, true, true);
            } else {
                self.year_day = self.week.wrapping_sub(1).wrapping_mul(7).wrapping_add(1);
            }
        }
        if self.week_of_month != 0 {
            self.day = self.week_of_month.wrapping_sub(1).wrapping_mul(7).wrapping_add(1);
        }
        if self.day != 0 {
            f.day = i64::from(self.day);
            has_day = true;
        }
        if self.month != 0 {
            f.month = i64::from(self.month);
            has_month = true;
        }

        if self.year_day != 0 && (f.month <= 1 || f.day <= 1) {
            if f.year == 0 && self.bc == 0 {
                return Err(FormatError::new(
                    sqlstate::INVALID_DATETIME_FORMAT,
                    "cannot calculate day of year without year information",
                ));
            }
            if self.mode == Some(DateMode::IsoWeek) {
                let jd = (isoweek2j(f.year, 1) as i32).wrapping_sub(1).wrapping_add(self.year_day);
                (f.year, f.month, f.day) = j2date(jd);
                (has_year, has_month, has_day) = (true, true, true);
            } else {
                let year_day = i64::from(self.year_day);
                let mut month = 1;
                let mut before = 0;
                while month <= 12 && year_day > before + days_in_month(f.year, month) {
                    before += days_in_month(f.year, month);
                    month += 1;
                }
                if f.month <= 1 {
                    f.month = month;
                }
                if f.day <= 1 {
                    f.day = year_day - before;
                }
                (has_month, has_day) = (true, true);
            }
        }

        f.microsecond = i64::from(self.millisecond.wrapping_mul(1000).wrapping_add(self.microsecond));

        // PostgreSQL's ValidateDate, with the year already astronomical.
        if has_month && !(1..=12).contains(&f.month) {
            return Err(field_overflow());
        }
        if has_day && !(1..=31).contains(&f.day) {
            return Err(field_overflow());
        }
        if has_year && has_month && has_day && f.day > days_in_month(f.year, f.month) {
            return Err(field_overflow());
        }
        if !(0..24).contains(&f.hour)
            || !(0..60).contains(&f.minute)
            || !(0..60).contains(&f.second)
            || !(0..1_000_000).contains(&f.microsecond)
        {
            return Err(field_overflow());
        }

        let offset_west = if self.zone_sign != 0 {
            if !(0..=MAX_TZDISP_HOUR).contains(&self.zone_hour) || !(0..60).contains(&self.zone_minute) {
                return Err(FormatError::new(
                    sqlstate::INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                    format!("time zone displacement out of range: \"{input}\""),
                ));
            }
            let east = i64::from(self.zone_hour) * 3600 + i64::from(self.zone_minute) * 60;
            Some(if self.zone_sign > 0 { -east } else { east })
        } else {
            None
        };
        Ok(ParsedDateTime { fields: f, offset_west, fraction_digits: self.fraction_digits })
    }
}

/// PostgreSQL's `from_char_set_int`: a field read twice must read the same.
fn set_once(dest: &mut i32, value: i32, keyword: &Keyword) -> FormatResult<()> {
    if *dest != 0 && *dest != value {
        return Err(FormatError::new(
            sqlstate::INVALID_DATETIME_FORMAT,
            format!("conflicting values for \"{}\" field in formatting string", keyword.name),
        ));
    }
    *dest = value;
    Ok(())
}

/// Two- and three-digit years nearest 2020: `70` is 1970, `69` is 2069.
fn adjust_partial_year_to_2020(year: i32) -> i32 {
    match year {
        ..=69 => year + 2000,
        70..=99 => year + 1900,
        100..=519 => year + 2000,
        520..=999 => year + 1000,
        _ => year,
    }
}

/// C's `strtol(input + start, &end, 10)`: leading white space, a sign,
/// digits. Returns the value (`None` on overflow) and the end position,
/// which is `start` when there are no digits.
fn strtol(input: &[u8], start: usize) -> (Option<i64>, usize) {
    let mut pos = start;
    while input.get(pos).is_some_and(|b| is_c_space_byte(*b)) {
        pos += 1;
    }
    let negative = match input.get(pos) {
        Some(b'-') => {
            pos += 1;
            true
        }
        Some(b'+') => {
            pos += 1;
            false
        }
        _ => false,
    };
    let digits_start = pos;
    let mut value: Option<i64> = Some(0);
    while let Some(d) = input.get(pos).filter(|b| b.is_ascii_digit()) {
        value = value.and_then(|v| v.checked_mul(10)).and_then(|v| {
            let digit = i64::from(d - b'0');
            if negative {
                v.checked_sub(digit)
            } else {
                v.checked_add(digit)
            }
        });
        pos += 1;
    }
    if pos == digits_start {
        return (Some(0), start);
    }
    (value, pos)
}

fn is_c_space_byte(b: u8) -> bool {
    is_c_space(char::from(b))
}

/// ASCII punctuation (PostgreSQL's `is_separator_char`).
fn is_separator_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !b.is_ascii_alphanumeric()
}

/// White space that ends the value quoted in a "did not match" error
/// (PostgreSQL's `scanner_isspace`).
fn is_scanner_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}

#[cfg(test)]
pub(crate) mod tests;
