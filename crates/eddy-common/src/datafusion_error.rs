//! DataFusion's errors in PostgreSQL's words: the SQLSTATE, message and
//! hint PostgreSQL gives for the same mistake.
//!
//! DataFusion carries no SQLSTATEs and its messages name Arrow types
//! (`Int64`, `Utf8View`, `Decimal128(10, 2)`) and its own internals
//! ("Optimizer rule 'simplify_expressions' failed ... Arrow error: Cast
//! error: Cannot cast string 'abc' to value of Int32 type"). The root
//! cause is found and translated (`invalid input syntax for type integer:
//! "abc"`, 22P02); any Arrow type name left is replaced by its SQL name.

use std::sync::LazyLock;

use arrow::error::ArrowError;
use datafusion::error::DataFusionError;
use regex::Regex;

use crate::error::{sqlstate, ErrorClass, ErrorKind, SqlError};

/// The classification and the message of a DataFusion error.
pub fn translate(err: &DataFusionError) -> (ErrorClass, String) {
    let root = err.find_root();
    let (class, message) = match root {
        DataFusionError::External(e) => match e.downcast_ref::<SqlError>() {
            Some(e) => {
                let class = ErrorClass { kind: ErrorKind::User, sqlstate: e.sqlstate, hint: e.hint.clone() };
                return (class, e.message.clone());
            }
            None => (ErrorClass::internal(), root.message().to_string()),
        },
        DataFusionError::ArrowError(e, _) => arrow_error(e),
        DataFusionError::SQL(e, _) => (ErrorClass::user(sqlstate::SYNTAX_ERROR), e.to_string()),
        DataFusionError::SchemaError(e, _) => schema_error(&e.to_string()),
        DataFusionError::Plan(message) => plan_error(message),
        DataFusionError::NotImplemented(message) => {
            (ErrorClass::user(sqlstate::FEATURE_NOT_SUPPORTED), format!("not supported: {message}"))
        }
        DataFusionError::Execution(message) => execution_error(message),
        DataFusionError::IoError(e) => (ErrorClass::external(sqlstate::IO_ERROR), e.to_string()),
        DataFusionError::ResourcesExhausted(message) => {
            (ErrorClass::user(sqlstate::OUT_OF_MEMORY).with_hint(RESOURCES_HINT), format!("out of memory: {message}"))
        }
        other => (ErrorClass::internal(), other.message().to_string()),
    };
    let message = sql_type_names(&message);
    match refined(&message) {
        Some((sqlstate, message)) => (ErrorClass { kind: ErrorKind::User, sqlstate, hint: class.hint }, message),
        None => (class, message),
    }
}

/// DataFusion messages whose PostgreSQL SQLSTATE and words are known,
/// whatever error variant carried them (a message is often wrapped in
/// another variant's text): `(pattern, SQLSTATE, replacement)`.
const REFINEMENTS: &[(&str, &str, &str)] = &[
    (r"function (\w+\([^)]*\)) does not exist", sqlstate::UNDEFINED_FUNCTION, "function $1 does not exist"),
    (
        r"Cannot coerce arithmetic expression (.+?) (\S+) (.+?) to valid types",
        sqlstate::UNDEFINED_FUNCTION,
        "operator does not exist: $1 $2 $3",
    ),
    (
        r"Cannot get result type for temporal operation (.+?) (\S+) (.+?):",
        sqlstate::UNDEFINED_FUNCTION,
        "operator does not exist: $1 $2 $3",
    ),
    (
        r"Cannot infer common argument type for (?:comparison|regex) operation (.+?) (\S+) (.+?)$",
        sqlstate::UNDEFINED_FUNCTION,
        "operator does not exist: $1 $2 $3",
    ),
    (
        r"Cannot infer common string type for string concat operation (.+?) \|\| (.+?)$",
        sqlstate::UNDEFINED_FUNCTION,
        "operator does not exist: $1 || $2",
    ),
    (
        r"There isn't a common type to coerce (.+?) and (.+?) in \w+ expression",
        sqlstate::UNDEFINED_FUNCTION,
        "operator does not exist: $1 ~~ $2",
    ),
    (r"Unary operator '-' only supports", sqlstate::UNDEFINED_FUNCTION, "operator does not exist: - of this type"),
    (
        r"Failed to coerce arguments to satisfy a call to '(\w+)' function",
        sqlstate::UNDEFINED_FUNCTION,
        "function $1 does not exist for these argument types",
    ),
    (
        r"Function '(\w+)' (?:user-defined coercion failed|failed to match any signature)",
        sqlstate::UNDEFINED_FUNCTION,
        "function $1 does not exist for these argument types",
    ),
    (
        r"Cannot create filter with non-boolean predicate '.*' returning (.+?)$",
        sqlstate::DATATYPE_MISMATCH,
        "argument of WHERE must be type boolean, not type $1",
    ),
    (
        r"Unary operator 'NOT' requires a boolean expression, got (.+?)$",
        sqlstate::DATATYPE_MISMATCH,
        "argument of NOT must be type boolean, not type $1",
    ),
    (
        r"Cannot find column with position (\d+) in SELECT clause",
        sqlstate::INVALID_COLUMN_REFERENCE,
        "GROUP BY position $1 is not in select list",
    ),
    (
        r"Order by column out of bounds, specified: (\d+)",
        sqlstate::INVALID_COLUMN_REFERENCE,
        "ORDER BY position $1 is not in select list",
    ),
    (
        r"Physical plan does not support logical expression AggregateFunction",
        sqlstate::GROUPING_ERROR,
        "aggregate functions are not allowed here",
    ),
    (
        r"Physical plan does not support logical expression Wildcard",
        sqlstate::SYNTAX_ERROR,
        "syntax error: * is not allowed here",
    ),
    (
        r"Unsupported SQL type (?i:(json|jsonb|xml|money|bit|varbit|tsvector|tsquery|point|line|box|circle|cidr|inet|macaddr))\b",
        sqlstate::FEATURE_NOT_SUPPORTED,
        "type $1 is not supported",
    ),
    (r"Unsupported SQL type ([\w.]+)", sqlstate::UNDEFINED_OBJECT, "type \"$1\" does not exist"),
    (r"(?s)regex parse error:.*error: (.+?)$", sqlstate::INVALID_REGULAR_EXPRESSION, "invalid regular expression: $1"),
    (r"Unsupported List Datatype", sqlstate::FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported"),
    (
        r"Error parsing timestamp from '(\d+-\d+-\d+[^']*)'",
        sqlstate::DATETIME_FIELD_OVERFLOW,
        "date/time field value out of range: \"$1\"",
    ),
    (
        r"Error parsing timestamp from '([^']*)'",
        sqlstate::INVALID_DATETIME_FORMAT,
        "invalid input syntax for type timestamp: \"$1\"",
    ),
    (
        r#"invalid input syntax for type (date|timestamp[^:]*): "(\d+-\d+-\d+[^"]*)""#,
        sqlstate::DATETIME_FIELD_OVERFLOW,
        "date/time field value out of range: \"$2\"",
    ),
    (
        r#"invalid input syntax for type (smallint|integer|bigint): "(-?\d+)""#,
        sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
        "value \"$2\" is out of range for type $1",
    ),
    (r"Unable to parse date from", sqlstate::DATETIME_FIELD_OVERFLOW, "date field value out of range"),
    (r"negative count not allowed", sqlstate::SUBSTRING_ERROR, "negative substring length not allowed"),
    (r"field position must not be zero", sqlstate::INVALID_PARAMETER_VALUE, "field position must not be zero"),
    (r"invalid Unicode scalar value: -", sqlstate::INVALID_PARAMETER_VALUE, "character number must be positive"),
    (r"step can't be 0", sqlstate::INVALID_PARAMETER_VALUE, "step size cannot equal zero"),
    (r"Date part '(\w+)' not supported", sqlstate::INVALID_PARAMETER_VALUE, "unit \"$1\" not recognized"),
    (r"Unsupported date_trunc granularity: '(\w+)'", sqlstate::INVALID_PARAMETER_VALUE, "unit \"$1\" not recognized"),
    (r"LIMIT must be >= 0", sqlstate::INVALID_ROW_COUNT_IN_LIMIT, "LIMIT must not be negative"),
    (r#"Invalid timezone "([^"]+)""#, sqlstate::INVALID_PARAMETER_VALUE, "time zone \"$1\" not recognized"),
    (r"Cannot cast to interval. Overflowing", sqlstate::DATETIME_FIELD_OVERFLOW, "interval out of range"),
    (
        r"cannot take square root of a negative number",
        sqlstate::INVALID_ARGUMENT_FOR_POWER_FUNCTION,
        "cannot take square root of a negative number",
    ),
    (
        r"factorial of a negative number is undefined",
        sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
        "factorial of a negative number is undefined",
    ),
];

/// The first of [`REFINEMENTS`] that `message` matches, applied.
fn refined(message: &str) -> Option<(&'static str, String)> {
    static RULES: LazyLock<Vec<(Regex, &str, &str)>> = LazyLock::new(|| {
        REFINEMENTS.iter().map(|(p, s, r)| (Regex::new(p).expect("a refinement pattern"), *s, *r)).collect()
    });
    RULES.iter().find_map(|(pattern, state, replacement)| {
        let captures = pattern.captures(message)?;
        let mut out = String::new();
        captures.expand(replacement, &mut out);
        Some((*state, out))
    })
}

const RESOURCES_HINT: &str = "the query needs more memory than a query may use: read fewer rows or columns";

fn arrow_error(e: &ArrowError) -> (ErrorClass, String) {
    static CAST_STRING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)^Cannot cast (?:string|value) '(.*)' to value of (.+) type$").unwrap());
    static CAST_VALUE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)^Can't cast value (.*) to type (.+)$").unwrap());
    static OVERFLOW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\w+?)Array overflow").unwrap());
    match e {
        ArrowError::CastError(message) | ArrowError::ParseError(message) => {
            if let Some(c) = CAST_STRING.captures(message) {
                let target = sql_type_names(&c[2]);
                let state = if is_datetime_name(&target) {
                    sqlstate::INVALID_DATETIME_FORMAT
                } else {
                    sqlstate::INVALID_TEXT_REPRESENTATION
                };
                return (ErrorClass::user(state), format!("invalid input syntax for type {target}: \"{}\"", &c[1]));
            }
            if let Some(c) = CAST_VALUE.captures(message) {
                return (
                    ErrorClass::user(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE),
                    format!("{} out of range", sql_type_names(&c[2])),
                );
            }
            (ErrorClass::user(sqlstate::INVALID_TEXT_REPRESENTATION), message.clone())
        }
        ArrowError::DivideByZero => (ErrorClass::user(sqlstate::DIVISION_BY_ZERO), "division by zero".into()),
        ArrowError::ArithmeticOverflow(message) => {
            (ErrorClass::user(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE), format!("value out of range: {message}"))
        }
        ArrowError::ComputeError(message) => match OVERFLOW.captures(message) {
            Some(c) => (
                ErrorClass::user(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE),
                format!("{} out of range", sql_type_names(&c[1])),
            ),
            None => (ErrorClass::user(sqlstate::DATA_EXCEPTION), message.clone()),
        },
        ArrowError::InvalidArgumentError(message) => (ErrorClass::user(sqlstate::DATA_EXCEPTION), message.clone()),
        ArrowError::MemoryError(message) => (ErrorClass::user(sqlstate::OUT_OF_MEMORY), message.clone()),
        other => (ErrorClass::internal(), other.to_string()),
    }
}

fn is_datetime_name(name: &str) -> bool {
    name.starts_with("date") || name.starts_with("timestamp") || name.starts_with("time") || name == "interval"
}

/// DataFusion's schema errors. A missing column is named as DataFusion
/// writes it, `No field named <name>` where `<name>` is the column
/// (`reloptions`), or qualified (`c.reloptions`, `pg_catalog.pg_class.x`),
/// each part quoted only when it needs quotes (`"Mixed"."a.b"`), and then
/// `.` or `. Did you mean '...'?` and `Valid fields are ...`; the column is
/// the last part of the name.
fn schema_error(message: &str) -> (ErrorClass, String) {
    static NO_FIELD: LazyLock<Regex> = LazyLock::new(|| {
        let part = r#"(?:"(?:[^"]|"")*"|[^".\s]+)"#;
        Regex::new(&format!(r#"No field named ((?:{part}\.)*)({part})"#)).unwrap()
    });
    static AMBIGUOUS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"Ambiguous reference to unqualified field "?([^" ]+)"?"#).unwrap());
    if let Some(c) = NO_FIELD.captures(message) {
        let column = unquoted(&c[2]);
        return (ErrorClass::user(sqlstate::UNDEFINED_COLUMN), format!("column \"{column}\" does not exist"));
    }
    if let Some(c) = AMBIGUOUS.captures(message) {
        return (ErrorClass::user(sqlstate::AMBIGUOUS_COLUMN), format!("column reference \"{}\" is ambiguous", &c[1]));
    }
    (ErrorClass::user(sqlstate::SYNTAX_ERROR), message.to_string())
}

/// An identifier as DataFusion quotes it (`"a""b"` is `a"b`), unquoted.
fn unquoted(part: &str) -> String {
    match part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => part.to_string(),
    }
}

fn plan_error(message: &str) -> (ErrorClass, String) {
    static TABLE_NOT_FOUND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"table '(?:[^.']+\.)*([^.']+)' not found").unwrap());
    static INVALID_FUNCTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"Invalid function '([^']+)'").unwrap());
    static NO_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?s)Function '([^']+)' (?:failed to match any signature|requires).*?received \w+ \(DataType: ([^)]+)\)",
        )
        .unwrap()
    });
    let lower = message.to_lowercase();
    if let Some(c) = NO_SIGNATURE.captures(message) {
        return (
            ErrorClass::user(sqlstate::UNDEFINED_FUNCTION).with_hint(
                "No function matches the given name and argument types. You might need to add explicit type casts.",
            ),
            format!("function {}({}) does not exist", &c[1], sql_type_names(&c[2])),
        );
    }
    if lower.contains("aggregate functions are not allowed in the where clause") {
        return (ErrorClass::user(sqlstate::GROUPING_ERROR), "aggregate functions are not allowed in WHERE".into());
    }
    if lower.contains("aggregate function calls cannot be nested") {
        return (ErrorClass::user(sqlstate::GROUPING_ERROR), "aggregate function calls cannot be nested".into());
    }
    if let Some(c) = TABLE_NOT_FOUND.captures(message) {
        return (
            ErrorClass::user(sqlstate::UNDEFINED_TABLE).with_hint(
                "SHOW MATERIALIZED VIEWS and SHOW STREAMS list what can be queried; \\dm in psql lists the views",
            ),
            format!("relation \"{}\" does not exist", &c[1]),
        );
    }
    if let Some(c) = INVALID_FUNCTION.captures(message) {
        return (
            ErrorClass::user(sqlstate::UNDEFINED_FUNCTION).with_hint(
                "No function matches the given name and argument types. You might need to add explicit type casts.",
            ),
            format!("function {}() does not exist", &c[1]),
        );
    }
    let state =
        if lower.contains("must appear in the group by") || lower.contains("projection references non-aggregate") {
            sqlstate::GROUPING_ERROR
        } else if lower.contains("function") && lower.contains("not found") {
            sqlstate::UNDEFINED_FUNCTION
        } else if lower.contains("coerc") || lower.contains("type") || lower.contains("signature") {
            sqlstate::DATATYPE_MISMATCH
        } else {
            sqlstate::SYNTAX_ERROR
        };
    (ErrorClass::user(state), message.to_string())
}

fn execution_error(message: &str) -> (ErrorClass, String) {
    static OVERFLOW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\w+?)Array overflow").unwrap());
    if let Some(c) = OVERFLOW.captures(message) {
        return (
            ErrorClass::user(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE),
            format!("{} out of range", sql_type_names(&c[1])),
        );
    }
    let lower = message.to_lowercase();
    if lower.contains("overflow") {
        return (ErrorClass::user(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE), message.to_string());
    }
    if lower.contains("divide by zero") || lower.contains("division by zero") {
        return (ErrorClass::user(sqlstate::DIVISION_BY_ZERO), "division by zero".into());
    }
    (ErrorClass::user(sqlstate::DATA_EXCEPTION), message.to_string())
}

/// `text` with Arrow's type names replaced by SQL's (`Int64` → `bigint`,
/// `Utf8View` → `text`, `Decimal128(10, 2)` → `numeric(10,2)`).
pub fn sql_type_names(text: &str) -> String {
    static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"Timestamp\((?:s|ms|µs|ns|Second|Millisecond|Microsecond|Nanosecond)(, [^)]*)?\)"#).unwrap()
    });
    static DECIMAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"Decimal(?:32|64|128|256)\((\d+), (-?\d+)\)").unwrap());
    static UNIT_TYPES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(Interval|Duration|Time32|Time64)\([^)]*\)").unwrap());
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:Large)?List\((?:non-null |nullable )?([a-z][a-z ]*(?:\(\d+,\d+\))?)\)").unwrap()
    });
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(LargeUtf8|Utf8View|Utf8|UInt64|UInt32|UInt16|UInt8|Int64|Int32|Int16|Int8|Float64|Float32|Float16|Boolean|Date32|Date64)\b")
            .unwrap()
    });
    let text = TIMESTAMP.replace_all(text, |c: &regex::Captures| match c.get(1) {
        Some(_) => "timestamp with time zone".to_string(),
        None => "timestamp".to_string(),
    });
    let text = DECIMAL.replace_all(&text, "numeric($1,$2)");
    let text = UNIT_TYPES.replace_all(&text, |c: &regex::Captures| match &c[1] {
        "Interval" | "Duration" => "interval".to_string(),
        _ => "time".to_string(),
    });
    let text = WORDS.replace_all(&text, |c: &regex::Captures| {
        match &c[1] {
            "LargeUtf8" | "Utf8View" | "Utf8" => "text",
            "UInt64" | "UInt32" | "Int64" => "bigint",
            "UInt16" | "Int32" => "integer",
            "UInt8" | "Int16" | "Int8" => "smallint",
            "Float64" => "double precision",
            "Float32" | "Float16" => "real",
            "Boolean" => "boolean",
            _ => "date",
        }
        .to_string()
    });
    LIST.replace_all(&text, "$1[]").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_type_names_become_sql_names() {
        assert_eq!(sql_type_names("Cannot compare Utf8View with Int64"), "Cannot compare text with bigint");
        assert_eq!(sql_type_names("Decimal128(10, 2) and Float64"), "numeric(10,2) and double precision");
        assert_eq!(
            sql_type_names("Timestamp(µs) vs Timestamp(ns, \"+00:00\")"),
            "timestamp vs timestamp with time zone"
        );
        assert_eq!(sql_type_names("List(nullable Int32)"), "integer[]");
        assert_eq!(sql_type_names("Interval(MonthDayNano)"), "interval");
        assert_eq!(sql_type_names("Int64Array and Utf8s"), "Int64Array and Utf8s");
    }

    #[test]
    fn casts_of_bad_text_are_invalid_input_syntax() {
        let err = DataFusionError::ArrowError(
            Box::new(ArrowError::CastError("Cannot cast string 'abc' to value of Int32 type".into())),
            None,
        );
        let wrapped = DataFusionError::Context("Optimizer rule 'simplify_expressions' failed".into(), Box::new(err));
        let (class, message) = translate(&wrapped);
        assert_eq!(class.sqlstate, "22P02");
        assert_eq!(message, "invalid input syntax for type integer: \"abc\"");
        let err = DataFusionError::ArrowError(
            Box::new(ArrowError::CastError("Can't cast value 99999 to type Int16".into())),
            None,
        );
        assert_eq!(translate(&err), (ErrorClass::user("22003"), "smallint out of range".to_string()));
        let err = DataFusionError::ArrowError(Box::new(ArrowError::DivideByZero), None);
        assert_eq!(translate(&err).0.sqlstate, "22012");
    }

    /// DataFusion's messages (`SchemaError::FieldNotFound`) name the column
    /// as written, qualified or not, then `.` and suggestions; the message
    /// names the column alone. (The old pattern read `Did` or `Valid`, the
    /// suggestion's first word, as the column.)
    #[test]
    fn missing_columns_are_named_without_the_suggestions() {
        let column = |message: &str| schema_error(message).1;
        for message in [
            "No field named reloptions. Did you mean 'relacl'?",
            "No field named reloptions.\nValid fields are c.oid, c.relname.",
            "No field named reloptions.",
            "No field named c.reloptions. Did you mean 'c.relacl'?",
            "No field named pg_class.reloptions. Valid fields are pg_class.oid.",
            "No field named pg_catalog.pg_class.reloptions. Did you mean 'pg_catalog.pg_class.relacl'?",
        ] {
            assert_eq!(column(message), "column \"reloptions\" does not exist", "{message}");
        }
        assert_eq!(column(r#"No field named "Mixed"."a.b". Did you mean 'x'?"#), "column \"a.b\" does not exist");
        assert_eq!(
            column(r#"No field named "say ""hi""". Valid fields are x."#),
            "column \"say \"hi\"\" does not exist"
        );
        assert_eq!(schema_error("No field named u. Valid fields are t.x.").0.sqlstate, "42703");
    }

    #[test]
    fn messages_wrapped_in_other_variants_get_postgres_sqlstates() {
        let cases = [
            (
                "Cannot coerce arithmetic expression Utf8 + Int64 to valid types",
                "42883",
                "operator does not exist: text + bigint",
            ),
            (
                "Error parsing timestamp from '2024-02-30': error parsing date",
                "22008",
                "date/time field value out of range: \"2024-02-30\"",
            ),
            (
                "Error parsing timestamp from 'soon': error parsing date",
                "22007",
                "invalid input syntax for type timestamp: \"soon\"",
            ),
            (
                "regex parse error:\n    (\n    ^\nerror: unclosed group",
                "2201B",
                "invalid regular expression: unclosed group",
            ),
            ("Unsupported SQL type JSONB", "0A000", "type JSONB is not supported"),
            ("Unsupported SQL type widget", "42704", "type \"widget\" does not exist"),
        ];
        for (text, state, message) in cases {
            let (class, got) = translate(&DataFusionError::Execution(text.into()));
            assert_eq!((class.sqlstate, got.as_str()), (state, message), "{text}");
        }
    }

    #[test]
    fn unknown_relations_and_functions_are_named_as_postgres_names_them() {
        let (class, message) = translate(&DataFusionError::Plan("table 'eddy.public.nosuch' not found".into()));
        assert_eq!((class.sqlstate, message.as_str()), ("42P01", "relation \"nosuch\" does not exist"));
        assert!(class.hint.is_some());
        let (class, message) =
            translate(&DataFusionError::Plan("Invalid function 'nosuch'.\nDid you mean 'now'?".into()));
        assert_eq!((class.sqlstate, message.as_str()), ("42883", "function nosuch() does not exist"));
    }
}
