//! The `bad_data` option: what a source does with a record it cannot decode.

use crate::ConnectorError;

/// Policy for malformed records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadDataPolicy {
    /// Stop the query with an error naming the record (default).
    #[default]
    Fail,
    /// Skip the record and count it in `bad_rows`.
    Drop,
}

impl BadDataPolicy {
    pub fn parse(value: &str) -> Result<Self, ConnectorError> {
        match value.to_ascii_lowercase().as_str() {
            "fail" => Ok(BadDataPolicy::Fail),
            "drop" => Ok(BadDataPolicy::Drop),
            other => Err(ConnectorError::InvalidOption {
                option: "bad_data".into(),
                reason: format!("expected 'fail' or 'drop', found '{other}'"),
            }),
        }
    }
}
