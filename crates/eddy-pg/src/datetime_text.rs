//! Dates, timestamps and intervals written as PostgreSQL reads them, where
//! Arrow's parsers are stricter: `2024-01-01 13:00` (no seconds),
//! `2024-01-01 10:00:00+02` (an offset without minutes), `1 day 02:03:04.5`
//! and `P1DT2H` (PostgreSQL's own interval output, and ISO 8601).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// A timestamp text: the wall clock time and, when the text has one, its
/// offset from UTC in seconds.
pub fn parse_timestamp(text: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let text = text.trim();
    let (date, rest) = match text.find([' ', 'T', 't']) {
        Some(i) => (&text[..i], text[i + 1..].trim()),
        None => (text, ""),
    };
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    // The offset starts at the first sign after the time, or is a trailing Z.
    let (time, offset) = match rest.rfind(['+', '-']) {
        Some(i) if i > 0 => (&rest[..i], Some(parse_offset(&rest[i..])?)),
        _ => match rest.strip_suffix(['Z', 'z']) {
            Some(time) => (time, Some(0)),
            None => (rest, None),
        },
    };
    let time = time.trim();
    let time =
        NaiveTime::parse_from_str(time, "%H:%M:%S%.f").or_else(|_| NaiveTime::parse_from_str(time, "%H:%M")).ok()?;
    Some((date.and_time(time), offset))
}

/// `+05`, `-05:30`, `+0530` in seconds east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        _ => (digits[..digits.len() - 2].parse::<i32>().ok()?, digits[digits.len() - 2..].parse::<i32>().ok()?),
    };
    (hours <= 15 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// An interval text as (months, days, microseconds): PostgreSQL's
/// `1 year 2 mons 3 days 04:05:06.7`, `-1 day +02:00:00`, units in any
/// spelling (`3 hours`, `2 weeks`, `1 millennium`), and ISO 8601
/// `P1Y2M3DT4H5M6S`.
pub fn parse_interval(text: &str) -> Option<(i32, i32, i64)> {
    let text = text.trim();
    if let Some(iso) = text.strip_prefix(['P', 'p']) {
        return parse_iso_interval(iso);
    }
    let (mut months, mut days, mut micros) = (0f64, 0f64, 0f64);
    let mut tokens = text.split_whitespace().peekable();
    let mut any = false;
    while let Some(token) = tokens.next() {
        any = true;
        if token.contains(':') {
            micros += parse_clock(token)? as f64;
            continue;
        }
        let token = token.trim_end_matches(',');
        let (number, unit) = match token.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) if i > 0 => (&token[..i], token[i..].to_string()),
            _ => (token, tokens.next()?.trim_end_matches(',').to_string()),
        };
        let value: f64 = number.parse().ok()?;
        match unit.to_ascii_lowercase().as_str() {
            "millennium" | "millennia" | "millenniums" | "mil" | "mils" => months += value * 12_000.0,
            "century" | "centuries" | "c" => months += value * 1_200.0,
            "decade" | "decades" | "dec" | "decs" => months += value * 120.0,
            "year" | "years" | "y" | "yr" | "yrs" => months += value * 12.0,
            "month" | "months" | "mon" | "mons" => months += value,
            "week" | "weeks" | "w" => days += value * 7.0,
            "day" | "days" | "d" => days += value,
            "hour" | "hours" | "h" | "hr" | "hrs" => micros += value * 3_600e6,
            "minute" | "minutes" | "m" | "min" | "mins" => micros += value * 60e6,
            "second" | "seconds" | "s" | "sec" | "secs" => micros += value * 1e6,
            "millisecond" | "milliseconds" | "ms" | "msec" | "msecs" => micros += value * 1e3,
            "microsecond" | "microseconds" | "us" | "usec" | "usecs" => micros += value,
            _ => return None,
        }
    }
    if !any {
        return None;
    }
    // Fractions cascade as PostgreSQL's do: a fraction of a month is 30 days,
    // a fraction of a day 24 hours.
    let whole_months = months.trunc();
    days += (months - whole_months) * 30.0;
    let whole_days = days.trunc();
    micros += (days - whole_days) * 86_400e6;
    Some((whole_months as i32, whole_days as i32, micros.round() as i64))
}

/// `[-]HH:MM[:SS[.fraction]]` in microseconds.
fn parse_clock(text: &str) -> Option<i64> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let parts: Vec<&str> = text.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m] => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, 0f64),
        [h, m, s] => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, s.parse::<f64>().ok()?),
        _ => return None,
    };
    let micros = hours * 3_600_000_000 + minutes * 60_000_000 + (seconds * 1e6).round() as i64;
    Some(if negative { -micros } else { micros })
}

/// ISO 8601 durations after the `P`: `1Y2M3DT4H5M6.5S`, `2W`.
fn parse_iso_interval(text: &str) -> Option<(i32, i32, i64)> {
    let (date, time) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, t),
        None => (text, ""),
    };
    let (mut months, mut days, mut micros) = (0i64, 0i64, 0f64);
    let mut number = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() || c == '.' || c == '-' {
            number.push(c);
            continue;
        }
        let value: i64 = number.parse().ok()?;
        number.clear();
        match c.to_ascii_uppercase() {
            'Y' => months += value * 12,
            'M' => months += value,
            'W' => days += value * 7,
            'D' => days += value,
            _ => return None,
        }
    }
    for c in time.chars() {
        if c.is_ascii_digit() || c == '.' || c == '-' {
            number.push(c);
            continue;
        }
        let value: f64 = number.parse().ok()?;
        number.clear();
        match c.to_ascii_uppercase() {
            'H' => micros += value * 3_600e6,
            'M' => micros += value * 60e6,
            'S' => micros += value * 1e6,
            _ => return None,
        }
    }
    number.is_empty().then_some((i32::try_from(months).ok()?, i32::try_from(days).ok()?, micros.round() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_interval_output_reads_back() {
        assert_eq!(parse_interval("1 day 02:03:04.5"), Some((0, 1, 7_384_500_000)));
        assert_eq!(parse_interval("1 year 2 months 3 days 04:05:06.7"), Some((14, 3, 14_706_700_000)));
        assert_eq!(parse_interval("3 days 04:05:06"), Some((0, 3, 14_706_000_000)));
        assert_eq!(parse_interval("-1 days +02:00:00"), Some((0, -1, 7_200_000_000)));
        assert_eq!(parse_interval("3 millennium"), Some((36_000, 0, 0)));
        assert_eq!(parse_interval("1.5 months"), Some((1, 15, 0)));
        assert_eq!(parse_interval("P1DT2H"), Some((0, 1, 7_200_000_000)));
        assert_eq!(parse_interval("P1Y2M3DT4H5M6S"), Some((14, 3, 14_706_000_000)));
        assert_eq!(parse_interval("2 fortnights"), None);
        assert_eq!(parse_interval(""), None);
    }

    #[test]
    fn timestamps_as_postgres_reads_them() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        assert_eq!(parse_timestamp("2024-01-01 13:00"), Some((at("2024-01-01 13:00:00"), None)));
        assert_eq!(parse_timestamp("2024-01-01T10:00:00.5Z"), Some((at("2024-01-01 10:00:00.5"), Some(0))));
        assert_eq!(parse_timestamp("2024-01-01 10:00:00+02"), Some((at("2024-01-01 10:00:00"), Some(7200))));
        assert_eq!(parse_timestamp("2024-01-01 10:00-05:30"), Some((at("2024-01-01 10:00:00"), Some(-19800))));
        assert_eq!(parse_timestamp("2024-01-01"), Some((at("2024-01-01 00:00:00"), None)));
        assert_eq!(parse_timestamp("2024-02-30 10:00"), None);
        assert_eq!(parse_timestamp("soon"), None);
    }
}
