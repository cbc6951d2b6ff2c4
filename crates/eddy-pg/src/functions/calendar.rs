//! PostgreSQL's calendar arithmetic (`datetime.c`, `timestamp.c`): Julian
//! day numbers, ISO 8601 weeks, and the range of its timestamps.
//!
//! The routines follow PostgreSQL's integer formulas, truncating division
//! included, rather than a calendar library: `to_char` applies them to
//! interval fields too (month 0, negative days), where PostgreSQL's answer
//! is whatever its formula gives, and `to_timestamp` to Julian days a user
//! typed, which may lie outside any calendar.

/// Julian day of 2000-01-01, PostgreSQL's epoch.
pub(crate) const POSTGRES_EPOCH_JDATE: i64 = 2_451_545;
/// Julian day of 1970-01-01, Arrow's epoch.
pub(crate) const UNIX_EPOCH_JDATE: i64 = 2_440_588;
pub(crate) const USECS_PER_SEC: i64 = 1_000_000;
pub(crate) const USECS_PER_DAY: i64 = 86_400 * USECS_PER_SEC;
/// Microseconds from Arrow's epoch to PostgreSQL's.
pub(crate) const UNIX_TO_POSTGRES_USECS: i64 = (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

/// First valid PostgreSQL timestamp (4714-11-24 BC), microseconds since 2000.
pub(crate) const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
/// One past the last valid PostgreSQL timestamp (294277-01-01), microseconds since 2000.
pub(crate) const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;

/// Days in each month, for common and leap years.
const DAYS_IN_MONTH: [[i64; 12]; 2] =
    [[31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]];

/// Whether `year` (astronomical: 0 is 1 BC) is a Gregorian leap year.
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1-12) of `year`.
pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    DAYS_IN_MONTH[usize::from(is_leap(year))][(month - 1).clamp(0, 11) as usize]
}

/// Julian day number of a Gregorian date (PostgreSQL's `date2j`); month and
/// day may lie outside their ranges, as interval fields do. Computed in C's
/// `int`, wrapping on absurd years as PostgreSQL's does (the caller's range
/// checks then refuse the result).
pub(crate) fn date2j(year: i64, month: i64, day: i64) -> i64 {
    let (year, month, day) = (year as i32, month as i32, day as i32);
    let (year, month) = if month > 2 {
        (year.wrapping_add(4800), month.wrapping_add(1))
    } else {
        (year.wrapping_add(4799), month.wrapping_add(13))
    };
    let century = year / 100;
    let julian = year.wrapping_mul(365).wrapping_sub(32167);
    let julian = julian.wrapping_add(year / 4 - century + century / 4);
    i64::from(julian.wrapping_add(7834i32.wrapping_mul(month) / 256).wrapping_add(day))
}

/// Gregorian date of a Julian day number (PostgreSQL's `j2date`), computed
/// in C's unsigned 32-bit arithmetic so that any day number, including one a
/// user typed for `J`, yields PostgreSQL's (possibly nonsensical) date, which
/// the caller then range-checks.
pub(crate) fn j2date(jd: i32) -> (i64, i64, i64) {
    let mut julian = (jd as u32).wrapping_add(32044);
    let mut quad = julian / 146_097;
    let extra = julian.wrapping_sub(quad.wrapping_mul(146_097)).wrapping_mul(4).wrapping_add(3);
    julian = julian.wrapping_add(60).wrapping_add(quad.wrapping_mul(3)).wrapping_add(extra / 146_097);
    quad = julian / 1461;
    julian = julian.wrapping_sub(quad.wrapping_mul(1461));
    let mut y = julian.wrapping_mul(4) / 1461;
    julian = if y != 0 { julian.wrapping_add(305) % 365 } else { julian.wrapping_add(306) % 366 }.wrapping_add(123);
    y = y.wrapping_add(quad.wrapping_mul(4));
    let year = i64::from((y as i32).wrapping_sub(4800));
    let quad = julian.wrapping_mul(2141) / 65536;
    let day = i64::from(julian.wrapping_sub(7834u32.wrapping_mul(quad) / 256) as i32);
    let month = i64::from(((quad.wrapping_add(10)) % 12 + 1) as i32);
    (year, month, day)
}

/// Day of the week of a Julian day, 0 = Sunday (PostgreSQL's `j2day`).
pub(crate) fn j2day(jd: i64) -> i64 {
    i64::from((jd as i32).wrapping_add(1).rem_euclid(7))
}

/// Julian day of the Monday starting ISO week `week` of ISO year `year`,
/// in C's wrapping `int` like [`date2j`].
pub(crate) fn isoweek2j(year: i64, week: i64) -> i64 {
    let day4 = date2j(year, 1, 4) as i32;
    let day0 = j2day(i64::from(day4.wrapping_sub(1))) as i32;
    i64::from((week as i32).wrapping_sub(1).wrapping_mul(7).wrapping_add(day4.wrapping_sub(day0)))
}

/// The ISO week-numbering year and week of a date, in C's wrapping `int`
/// like [`date2j`].
fn iso_week_start(year: i64, month: i64, day: i64) -> (i64, i64) {
    let week_one = |year: i32| {
        let day4 = date2j(i64::from(year), 1, 4) as i32;
        day4.wrapping_sub(j2day(i64::from(day4.wrapping_sub(1))) as i32)
    };
    let dayn = date2j(year, month, day) as i32;
    let mut iso_year = year as i32;
    let mut start = week_one(iso_year);
    if dayn < start {
        iso_year = iso_year.wrapping_sub(1);
        start = week_one(iso_year);
    }
    let mut week = dayn.wrapping_sub(start) / 7 + 1;
    if week >= 52 {
        let next = week_one(iso_year.wrapping_add(1));
        if dayn >= next {
            week = dayn.wrapping_sub(next) / 7 + 1;
            iso_year = iso_year.wrapping_add(1);
        }
    }
    (i64::from(iso_year), i64::from(week))
}

/// ISO 8601 week number of a date (PostgreSQL's `date2isoweek`).
pub(crate) fn date2isoweek(year: i64, month: i64, day: i64) -> i64 {
    iso_week_start(year, month, day).1
}

/// ISO 8601 week-numbering year of a date (PostgreSQL's `date2isoyear`).
pub(crate) fn date2isoyear(year: i64, month: i64, day: i64) -> i64 {
    iso_week_start(year, month, day).0
}

/// Day of the ISO week-numbering year, 1-371 (PostgreSQL's `date2isoyearday`).
pub(crate) fn date2isoyearday(year: i64, month: i64, day: i64) -> i64 {
    let days = (date2j(year, month, day) as i32).wrapping_sub(isoweek2j(date2isoyear(year, month, day), 1) as i32);
    i64::from(days.wrapping_add(1))
}

/// Whether PostgreSQL's Julian-day routines accept the date (`IS_VALID_JULIAN`):
/// from 4714-11-24 BC to 5874898-06-03 AD, checked on year and month.
pub(crate) fn is_valid_julian(year: i64, month: i64) -> bool {
    (year > -4713 || (year == -4713 && month >= 11)) && (year < 5_874_898 || (year == 5_874_898 && month < 6))
}

/// The fields of a timestamp, as PostgreSQL's `timestamp2tm` splits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimestampFields {
    /// Astronomical year: 0 is 1 BC.
    pub(crate) year: i64,
    pub(crate) month: i64,
    pub(crate) day: i64,
    pub(crate) hour: i64,
    pub(crate) minute: i64,
    pub(crate) second: i64,
    pub(crate) microsecond: i64,
    pub(crate) julian_day: i64,
}

/// Splits microseconds since 1970 (Arrow's timestamps) into fields, or
/// `None` outside PostgreSQL's timestamp range (4714 BC to 294276 AD).
pub(crate) fn timestamp_fields(unix_micros: i64) -> Option<TimestampFields> {
    let pg_micros = unix_micros.checked_sub(UNIX_TO_POSTGRES_USECS)?;
    if !(MIN_TIMESTAMP..END_TIMESTAMP).contains(&pg_micros) {
        return None;
    }
    let date = pg_micros.div_euclid(USECS_PER_DAY);
    let time = pg_micros.rem_euclid(USECS_PER_DAY);
    let julian_day = date + POSTGRES_EPOCH_JDATE;
    let (year, month, day) = j2date(i32::try_from(julian_day).ok()?);
    Some(TimestampFields {
        year,
        month,
        day,
        hour: time / 3_600_000_000,
        minute: time / 60_000_000 % 60,
        second: time / USECS_PER_SEC % 60,
        microsecond: time % USECS_PER_SEC,
        julian_day,
    })
}

/// Microseconds since 1970 of a date and time PostgreSQL's `tm2timestamp`
/// accepts, shifted by `offset_west_secs` (PostgreSQL's sign: west of
/// Greenwich is positive), or `None` if the result is no valid timestamp
/// or does not fit Arrow's microseconds.
pub(crate) fn fields_to_unix_micros(fields: &TimestampFields, offset_west_secs: i64) -> Option<i64> {
    if !is_valid_julian(fields.year, fields.month) {
        return None;
    }
    let date = date2j(fields.year, fields.month, fields.day) - POSTGRES_EPOCH_JDATE;
    let time = ((fields.hour * 60 + fields.minute) * 60 + fields.second) * USECS_PER_SEC + fields.microsecond;
    let local = date.checked_mul(USECS_PER_DAY)?.checked_add(time)?;
    let pg_micros = local.checked_add(offset_west_secs.checked_mul(USECS_PER_SEC)?)?;
    if !(MIN_TIMESTAMP..END_TIMESTAMP).contains(&pg_micros) {
        return None;
    }
    pg_micros.checked_add(UNIX_TO_POSTGRES_USECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_days_round_trip_across_the_calendar() {
        for (year, month, day, jd) in
            [(2000, 1, 1, 2_451_545), (1970, 1, 1, 2_440_588), (-4713, 11, 24, 0), (2024, 2, 29, 2_460_370)]
        {
            assert_eq!(date2j(year, month, day), jd);
            assert_eq!(j2date(jd as i32), (year, month, day));
        }
    }

    #[test]
    fn iso_weeks_at_year_boundaries() {
        assert_eq!((date2isoyear(2020, 12, 31), date2isoweek(2020, 12, 31)), (2020, 53));
        assert_eq!((date2isoyear(2021, 1, 3), date2isoweek(2021, 1, 3)), (2020, 53));
        assert_eq!((date2isoyear(2024, 12, 30), date2isoweek(2024, 12, 30)), (2025, 1));
        assert_eq!(date2isoyearday(2021, 1, 3), 371);
    }

    #[test]
    fn timestamps_split_and_join_inside_postgres_range_only() {
        let fields = timestamp_fields(1_709_211_845_123_456).unwrap();
        assert_eq!((fields.year, fields.month, fields.day, fields.hour, fields.minute), (2024, 2, 29, 13, 4));
        assert_eq!((fields.second, fields.microsecond), (5, 123_456));
        assert_eq!(fields_to_unix_micros(&fields, 0), Some(1_709_211_845_123_456));
        // Arrow's microseconds end in 294247, inside PostgreSQL's range; they start far before it.
        assert_eq!(timestamp_fields(i64::MAX).map(|f| f.year), Some(294_247));
        assert_eq!(timestamp_fields(i64::MIN), None);
    }
}
