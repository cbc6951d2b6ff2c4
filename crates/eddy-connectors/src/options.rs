//! Reading connector options: required and typed values, unknown keys refused.

use std::collections::BTreeMap;

use eddy_catalog::ConnectorOptions;

use crate::ConnectorError;

/// Typed access to one connector's `WITH (...)` options.
pub(crate) struct Options<'a> {
    connector: &'a str,
    values: &'a BTreeMap<String, String>,
}

impl<'a> Options<'a> {
    /// Checks that every key is one of `valid` (or starts with one of
    /// `valid_prefixes`).
    pub(crate) fn new(
        options: &'a ConnectorOptions,
        valid: &[&str],
        valid_prefixes: &[&str],
    ) -> Result<Self, ConnectorError> {
        for key in options.options.keys() {
            let known = valid.contains(&key.as_str()) || valid_prefixes.iter().any(|p| key.starts_with(p));
            if !known {
                let mut all: Vec<String> = valid.iter().map(|v| v.to_string()).collect();
                all.extend(valid_prefixes.iter().map(|p| format!("{p}*")));
                return Err(ConnectorError::UnknownOption {
                    connector: options.connector.clone(),
                    option: key.clone(),
                    valid: all,
                });
            }
        }
        Ok(Options { connector: &options.connector, values: &options.options })
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a str> {
        self.values.get(key).map(|s| s.as_str())
    }

    pub(crate) fn required(&self, key: &str) -> Result<&'a str, ConnectorError> {
        self.get(key).ok_or_else(|| ConnectorError::MissingOption {
            connector: self.connector.to_string(),
            option: key.to_string(),
        })
    }

    /// A number option parsed as `T`.
    pub(crate) fn number<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, ConnectorError> {
        match self.get(key) {
            None => Ok(None),
            Some(text) => text.trim().parse::<T>().map(Some).map_err(|_| ConnectorError::InvalidOption {
                option: key.to_string(),
                reason: format!("expected a number, found '{text}'"),
            }),
        }
    }

    pub(crate) fn boolean(&self, key: &str, default: bool) -> Result<bool, ConnectorError> {
        match self.get(key).map(|v| v.to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if v == "true" => Ok(true),
            Some(v) if v == "false" => Ok(false),
            Some(v) => Err(ConnectorError::InvalidOption {
                option: key.to_string(),
                reason: format!("expected 'true' or 'false', found '{v}'"),
            }),
        }
    }

    /// `base_time` as epoch milliseconds; the wall clock (whole seconds) when unset.
    pub(crate) fn base_time_ms(&self) -> Result<i64, ConnectorError> {
        match self.get("base_time") {
            Some(text) => parse_timestamp_ms(text).ok_or_else(|| ConnectorError::InvalidOption {
                option: "base_time".into(),
                reason: format!("expected 'YYYY-MM-DD HH:MM:SS', found '{text}'"),
            }),
            None => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                Ok(now * 1000)
            }
        }
    }
}

/// Parses `YYYY-MM-DD HH:MM:SS[.fff]` (or with `T`) as UTC epoch milliseconds.
pub(crate) fn parse_timestamp_ms(text: &str) -> Option<i64> {
    let nanos = arrow::compute::kernels::cast_utils::string_to_timestamp_nanos(text.trim()).ok()?;
    Some(nanos.div_euclid(1_000_000))
}

/// Parses a duration: a number with a unit (`500ms`, `5 s`, `2 seconds`,
/// `1 minute`); a bare number is milliseconds.
pub(crate) fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim().to_ascii_lowercase();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let millis = match unit.trim() {
        "" | "ms" | "millisecond" | "milliseconds" => 1.0,
        "s" | "sec" | "second" | "seconds" => 1_000.0,
        "m" | "min" | "minute" | "minutes" => 60_000.0,
        "h" | "hour" | "hours" => 3_600_000.0,
        _ => return None,
    };
    (number >= 0.0).then(|| std::time::Duration::from_micros((number * millis * 1000.0) as u64))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::parse_duration;

    #[test]
    fn durations_take_a_unit_or_default_to_milliseconds() {
        assert_eq!(parse_duration("500"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2 seconds"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1 minute"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("5 fortnights"), None);
    }
}
