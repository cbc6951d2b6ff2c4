//! Identifiers as PostgreSQL folds them: unquoted names are lower-cased,
//! quoted names kept as written.

use sqlparser::ast::{Ident, ObjectName};

/// Lower-cases an unquoted identifier, keeps a quoted one (PostgreSQL rules).
pub fn normalize_ident(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

/// A function's name as it is looked up: its last part, normalized.
pub fn function_name(function: &sqlparser::ast::Function) -> Option<String> {
    function.name.0.last().and_then(|part| part.as_ident()).map(normalize_ident)
}

/// The normalized, dot-joined form of an object name.
pub fn normalize_name(name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => normalize_ident(ident),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}
