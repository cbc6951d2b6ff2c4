//! Session settings: what `SET` changes and `SHOW` and `current_setting`
//! read.
//!
//! A connection's settings live in its pgwire client metadata, keyed by the
//! lower-cased name (where pgwire also reads `datestyle`,
//! `extra_float_digits` and friends when it formats values). Settings Eddy
//! does not act on are still kept and shown back, because drivers set them
//! on connect and read them to learn what kind of server they talk to.

use std::collections::HashMap;

/// The PostgreSQL version Eddy speaks for: what drivers see in
/// `server_version` and `version()`.
pub const POSTGRES_VERSION: &str = "16.0";

/// Eddy's own version.
pub const EDDY_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The text `version()` returns; SQLAlchemy and Superset parse the
/// `PostgreSQL x.y` prefix.
pub fn version_text() -> String {
    format!(
        "PostgreSQL {POSTGRES_VERSION} on {}-pc-{}-gnu, Eddy {EDDY_VERSION}",
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}

/// Settings every session starts with: (display name, value). Names match
/// case-insensitively; `SHOW` titles its column with the display name.
const DEFAULTS: &[(&str, &str)] = &[
    ("application_name", ""),
    ("bytea_output", "hex"),
    ("client_encoding", "UTF8"),
    ("client_min_messages", "notice"),
    ("DateStyle", "ISO, MDY"),
    ("default_transaction_isolation", "read committed"),
    ("default_transaction_read_only", "off"),
    ("extra_float_digits", "1"),
    ("integer_datetimes", "on"),
    ("IntervalStyle", "postgres"),
    ("is_superuser", "on"),
    ("lc_collate", "C"),
    ("lc_ctype", "C"),
    ("lc_messages", "C"),
    ("lc_monetary", "C"),
    ("lc_numeric", "C"),
    ("lc_time", "C"),
    ("max_identifier_length", "63"),
    // Eddy has no indexes; pgJDBC reads this before asking for foreign keys.
    ("max_index_keys", "32"),
    ("search_path", "\"$user\", public"),
    ("server_encoding", "UTF8"),
    ("server_version", POSTGRES_VERSION),
    ("server_version_num", "160000"),
    ("standard_conforming_strings", "on"),
    ("statement_timeout", "0"),
    ("TimeZone", "UTC"),
    ("transaction_isolation", "read committed"),
    ("transaction_read_only", "off"),
];

/// Settings fixed by the server: `SET` refuses to change them.
const READ_ONLY: &[&str] = &[
    "integer_datetimes",
    "lc_collate",
    "lc_ctype",
    "max_identifier_length",
    "max_index_keys",
    "server_encoding",
    "server_version",
    "server_version_num",
];

/// Settings whose changes the server reports to the client with a
/// `ParameterStatus` message (PostgreSQL's `GUC_REPORT` list).
const REPORTED: &[&str] = &[
    "application_name",
    "client_encoding",
    "DateStyle",
    "default_transaction_read_only",
    "IntervalStyle",
    "is_superuser",
    "search_path",
    "standard_conforming_strings",
    "TimeZone",
];

/// The setting a multi-word `SHOW` means (`transaction isolation level`,
/// `time zone`, `session authorization`).
pub fn multi_word_name(words: &str) -> Option<&'static str> {
    match words.to_lowercase().as_str() {
        "transaction isolation level" => Some("transaction_isolation"),
        "time zone" => Some("TimeZone"),
        "session authorization" => Some("session_authorization"),
        _ => None,
    }
}

/// The canonical name of a setting: its display name when Eddy knows it,
/// else lower-cased.
pub fn canonical_name(name: &str) -> String {
    if let Some(name) = multi_word_name(name) {
        return name.to_string();
    }
    let lower = name.trim().to_lowercase();
    DEFAULTS.iter().find(|(n, _)| n.eq_ignore_ascii_case(&lower)).map(|(n, _)| n.to_string()).unwrap_or(lower)
}

/// The server-wide default of a setting, if Eddy knows it.
pub fn default_value(name: &str) -> Option<&'static str> {
    DEFAULTS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
}

/// A session's value of `name`: what it `SET` or connected with, else the
/// default. `None` for a setting that is neither known nor set.
pub fn current_value(metadata: &HashMap<String, String>, name: &str) -> Option<String> {
    let name = canonical_name(name);
    if name == "session_authorization" {
        return metadata.get("user").cloned();
    }
    metadata.get(&name.to_lowercase()).cloned().or_else(|| default_value(&name).map(str::to_string))
}

/// Every known setting with the session's value, sorted by name (`SHOW ALL`).
pub fn all_values(metadata: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = DEFAULTS
        .iter()
        .map(|(name, _)| (name.to_string(), current_value(metadata, name).unwrap_or_default()))
        .collect();
    values.sort_by_key(|(name, _)| name.to_lowercase());
    values
}

/// Whether `SET` may change `name`.
pub fn is_read_only(name: &str) -> bool {
    READ_ONLY.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Startup parameters that say who the connection is, not settings: no
/// statement changes them (PostgreSQL does not know them as parameters).
const CONNECTION: [&str; 4] = ["user", "database", "options", "replication"];

/// Whether `name` is one of the connection's identity parameters.
pub fn is_connection_parameter(name: &str) -> bool {
    CONNECTION.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The name under which a change of `name` is reported to the client, if it is.
pub fn reported_name(name: &str) -> Option<&'static str> {
    REPORTED.iter().find(|n| n.eq_ignore_ascii_case(name)).copied()
}

/// Copies the startup parameters a client connected with (`DateStyle`,
/// `application_name`, ...) to their lower-cased keys, where `SHOW` and the
/// value formatter look.
pub fn normalize_startup(metadata: &mut HashMap<String, String>) {
    let mixed: Vec<(String, String)> = metadata
        .iter()
        .filter(|(k, _)| k.chars().any(|c| c.is_uppercase()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, value) in mixed {
        metadata.entry(key.to_lowercase()).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_word_names_map_to_their_setting() {
        assert_eq!(canonical_name("transaction isolation level"), "transaction_isolation");
        assert_eq!(canonical_name("TIME ZONE"), "TimeZone");
        assert_eq!(canonical_name("datestyle"), "DateStyle");
        assert_eq!(canonical_name("my.custom"), "my.custom");
    }

    #[test]
    fn session_values_override_defaults() {
        let mut metadata = HashMap::new();
        assert_eq!(current_value(&metadata, "extra_float_digits").as_deref(), Some("1"));
        metadata.insert("extra_float_digits".to_string(), "3".to_string());
        assert_eq!(current_value(&metadata, "EXTRA_FLOAT_DIGITS").as_deref(), Some("3"));
        assert_eq!(current_value(&metadata, "no_such_setting"), None);
    }

    #[test]
    fn startup_parameters_are_found_by_lower_case_name() {
        let mut metadata = HashMap::from([("DateStyle".to_string(), "ISO, DMY".to_string())]);
        normalize_startup(&mut metadata);
        assert_eq!(current_value(&metadata, "datestyle").as_deref(), Some("ISO, DMY"));
    }
}
