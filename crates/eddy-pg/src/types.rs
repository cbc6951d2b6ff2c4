//! SQL types as PostgreSQL has them, where DataFusion's mapping differs,
//! and the SQL names of Arrow types for what users read (`DESCRIBE`,
//! error messages).
//!
//! `TIMESTAMP` and `TIMESTAMPTZ` without a precision hold microseconds, as
//! in PostgreSQL (range 4713 BC to 294276 AD); DataFusion would make them
//! nanoseconds, which only reach 1677 to 2262 and make a millisecond epoch
//! number read as nanoseconds look like a plausible 1970 time.

use std::ops::ControlFlow;

use arrow::datatypes::{DataType, TimeUnit};
use sqlparser::ast::{ColumnDef, DataType as SqlType, Expr, VisitMut, VisitorMut};

/// PostgreSQL's forms of the expressions in `node`, before planning: every
/// `TIMESTAMP` without a precision (casts, typed strings) gets
/// PostgreSQL's precision, microseconds; numeric constants in exponent
/// notation are written out in full ([`numeric_constant`]); row comparisons
/// are compared field by field ([`row_comparison`]).
pub fn postgres_forms<V: VisitMut>(node: &mut V) {
    let _ = node.visit(&mut TimestampPrecision);
}

/// A constant such as `1.5e3` as the numeric PostgreSQL reads (`1500`),
/// which DataFusion's decimal parser keeps with a negative scale; a
/// constant that no 38-digit decimal holds (`1e300`) becomes a double.
pub fn numeric_constant(text: &str) -> Option<Expr> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exponent) = lower.split_once('e')?;
    let exponent: i64 = exponent.parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int}{frac}");
    let scale = frac.len() as i64 - exponent;
    let significant = digits.trim_start_matches('0');
    let precision = (significant.len() as i64).max(1) + (-scale).max(0);
    let value = |text: String| {
        Expr::Value(sqlparser::ast::ValueWithSpan {
            value: sqlparser::ast::Value::Number(text, false),
            span: sqlparser::tokenizer::Span::empty(),
        })
    };
    if (0..=38).contains(&scale) && precision.max(scale) <= 38 {
        let padded = format!("{digits:0>width$}", width = scale as usize + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale as usize);
        let whole = whole.trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        return Some(value(if fraction.is_empty() { whole.to_string() } else { format!("{whole}.{fraction}") }));
    }
    if scale < 0 && precision <= 38 {
        return Some(value(format!("{}{}", significant, "0".repeat((-scale) as usize))));
    }
    Some(Expr::Cast {
        kind: sqlparser::ast::CastKind::Cast,
        expr: Box::new(Expr::Value(sqlparser::ast::ValueWithSpan {
            value: sqlparser::ast::Value::SingleQuotedString(text.to_string()),
            span: sqlparser::tokenizer::Span::empty(),
        })),
        data_type: SqlType::DoublePrecision,
        array: false,
        format: None,
    })
}

/// [`postgres_forms`]'s timestamp precision for the columns of a `CREATE`.
pub fn microsecond_timestamp_columns(columns: &mut [ColumnDef]) {
    for column in columns {
        with_microseconds(&mut column.data_type);
    }
}

fn with_microseconds(data_type: &mut SqlType) {
    match data_type {
        SqlType::Timestamp(precision @ None, _) => *precision = Some(6),
        SqlType::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(inner, _))
        | SqlType::Array(sqlparser::ast::ArrayElemTypeDef::AngleBracket(inner))
        | SqlType::Array(sqlparser::ast::ArrayElemTypeDef::Parenthesis(inner)) => with_microseconds(inner),
        _ => {}
    }
}

struct TimestampPrecision;

/// `x [NOT] SIMILAR TO 'pattern' [ESCAPE 'c']` as the regular expression
/// match PostgreSQL makes of it: the whole value must match, `%` is `.*`,
/// `_` is `.`, `.` is a plain dot (DataFusion searched for the pattern
/// anywhere: `'abc' SIMILAR TO 'a'` was true).
fn similar_to_regex(expr: &Expr) -> Option<Expr> {
    let Expr::SimilarTo { negated, expr: value, pattern, escape_char } = expr else { return None };
    let Expr::Value(sqlparser::ast::ValueWithSpan {
        value: sqlparser::ast::Value::SingleQuotedString(pattern), ..
    }) = pattern.as_ref()
    else {
        return None;
    };
    let escape = match escape_char.as_ref().map(|e| &e.value) {
        None => Some('\\'),
        Some(sqlparser::ast::Value::SingleQuotedString(e)) if e.is_empty() => None,
        Some(sqlparser::ast::Value::SingleQuotedString(e)) if e.chars().count() == 1 => e.chars().next(),
        Some(_) => return None,
    };
    let mut regex = String::from("^(?:");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if Some(c) == escape {
            match chars.next() {
                Some(next) => regex.push_str(&regex_literal(next)),
                None => return None,
            }
            continue;
        }
        match c {
            '%' => regex.push_str(".*"),
            '_' => regex.push('.'),
            '.' | '^' | '$' | '\\' => regex.push_str(&regex_literal(c)),
            other => regex.push(other),
        }
    }
    regex.push_str(")$");
    let op = if *negated {
        sqlparser::ast::BinaryOperator::PGRegexNotMatch
    } else {
        sqlparser::ast::BinaryOperator::PGRegexMatch
    };
    Some(Expr::Nested(Box::new(Expr::BinaryOp {
        left: value.clone(),
        op,
        right: Box::new(Expr::Value(sqlparser::ast::Value::SingleQuotedString(regex).into())),
    })))
}

fn regex_literal(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        format!("\\{c}")
    }
}

/// A row comparison as PostgreSQL evaluates it, field by field: `(a, b) <
/// (c, d)` is `a < c OR (a = c AND b < d)`, so a NULL field makes the
/// answer NULL unless an earlier field decided it (DataFusion compares the
/// rows as structs, where NULL is a value). `(a, b) IS NULL` holds when
/// every field is NULL.
fn row_comparison(expr: &Expr) -> Option<Expr> {
    use sqlparser::ast::BinaryOperator as Op;
    let nested = |e: Expr| Expr::Nested(Box::new(e));
    let binary = |left: Expr, op: Op, right: Expr| Expr::BinaryOp { left: Box::new(left), op, right: Box::new(right) };
    match expr {
        Expr::BinaryOp { left, op, right } => {
            let (Expr::Tuple(l), Expr::Tuple(r)) = (left.as_ref(), right.as_ref()) else { return None };
            if l.len() != r.len() || l.is_empty() {
                return None;
            }
            let pairs = l.iter().cloned().zip(r.iter().cloned());
            let joined = |op: Op, join: Op| {
                pairs
                    .clone()
                    .map(|(a, b)| nested(binary(a, op.clone(), b)))
                    .reduce(|acc, next| binary(acc, join.clone(), next))
            };
            match op {
                Op::Eq => joined(Op::Eq, Op::And).map(nested),
                Op::NotEq => joined(Op::NotEq, Op::Or).map(nested),
                Op::Lt | Op::LtEq | Op::Gt | Op::GtEq => {
                    let strict = match op {
                        Op::Lt | Op::LtEq => Op::Lt,
                        _ => Op::Gt,
                    };
                    let items: Vec<(Expr, Expr)> = pairs.collect();
                    let (last_left, last_right) = items.last().cloned()?;
                    let mut result = nested(binary(last_left, op.clone(), last_right));
                    for (a, b) in items[..items.len() - 1].iter().rev() {
                        let equal = nested(binary(a.clone(), Op::Eq, b.clone()));
                        let rest = nested(binary(equal, Op::And, result));
                        result = nested(binary(nested(binary(a.clone(), strict.clone(), b.clone())), Op::Or, rest));
                    }
                    Some(result)
                }
                _ => None,
            }
        }
        Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
            let items = match inner.as_ref() {
                Expr::Tuple(items) => items.clone(),
                _ => return None,
            };
            let test = |e: Expr| match expr {
                Expr::IsNull(_) => Expr::IsNull(Box::new(e)),
                _ => Expr::IsNotNull(Box::new(e)),
            };
            items.into_iter().map(|e| nested(test(e))).reduce(|acc, next| binary(acc, Op::And, next)).map(nested)
        }
        _ => None,
    }
}

impl VisitorMut for TimestampPrecision {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Some(expanded) = row_comparison(expr) {
            *expr = expanded;
        }
        if let Some(regex) = similar_to_regex(expr) {
            *expr = regex;
        }
        // `-INTERVAL '1 year 2 mons'` negates the whole interval (DataFusion
        // folds the sign into the text, negating only its first field).
        if let Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Minus, expr: inner } = expr {
            if matches!(inner.as_ref(), Expr::Interval(_)) {
                let zero = Expr::Interval(sqlparser::ast::Interval {
                    value: Box::new(Expr::Value(sqlparser::ast::Value::SingleQuotedString("0 seconds".into()).into())),
                    leading_field: None,
                    leading_precision: None,
                    last_field: None,
                    fractional_seconds_precision: None,
                });
                let negated = Expr::BinaryOp {
                    left: Box::new(zero),
                    op: sqlparser::ast::BinaryOperator::Minus,
                    right: inner.clone(),
                };
                *expr = Expr::Nested(Box::new(negated));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::Cast { data_type, .. } | Expr::TypedString(sqlparser::ast::TypedString { data_type, .. }) => {
                with_microseconds(data_type)
            }
            Expr::Value(sqlparser::ast::ValueWithSpan { value: sqlparser::ast::Value::Number(text, _), .. }) => {
                if let Some(written_out) = numeric_constant(text) {
                    *expr = written_out;
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// The SQL spelling of an Arrow type, as `DESCRIBE` shows it.
pub fn sql_type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::Boolean => "BOOLEAN".into(),
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => "SMALLINT".into(),
        DataType::Int32 | DataType::UInt16 => "INTEGER".into(),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "BIGINT".into(),
        DataType::Float16 | DataType::Float32 => "REAL".into(),
        DataType::Float64 => "DOUBLE PRECISION".into(),
        DataType::Decimal32(p, s)
        | DataType::Decimal64(p, s)
        | DataType::Decimal128(p, s)
        | DataType::Decimal256(p, s) => {
            format!("NUMERIC({p},{s})")
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "TEXT".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => "BYTEA".into(),
        DataType::Date32 | DataType::Date64 => "DATE".into(),
        DataType::Time32(_) | DataType::Time64(_) => "TIME".into(),
        DataType::Timestamp(unit, tz) => {
            let precision = match unit {
                TimeUnit::Second => "(0)",
                TimeUnit::Millisecond => "(3)",
                TimeUnit::Microsecond => "",
                TimeUnit::Nanosecond => "(9)",
            };
            match tz {
                Some(_) => format!("TIMESTAMP{precision} WITH TIME ZONE"),
                None => format!("TIMESTAMP{precision}"),
            }
        }
        DataType::Interval(_) | DataType::Duration(_) => "INTERVAL".into(),
        DataType::Null => "UNKNOWN".into(),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::FixedSizeList(f, _) => {
            format!("{}[]", sql_type_name(f.data_type()))
        }
        DataType::Struct(_) => "RECORD".into(),
        DataType::Dictionary(_, value) => sql_type_name(value),
        other => other.to_string(),
    }
}

/// PostgreSQL's lower-case name of a type, as its error messages write it
/// (`operator does not exist: text > integer`).
pub fn postgres_type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::Timestamp(_, None) => "timestamp without time zone".into(),
        DataType::Timestamp(_, Some(_)) => "timestamp with time zone".into(),
        DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..) => {
            "numeric".into()
        }
        DataType::Time32(_) | DataType::Time64(_) => "time without time zone".into(),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::FixedSizeList(f, _) => {
            format!("{}[]", postgres_type_name(f.data_type()))
        }
        other => sql_type_name(other).to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    use super::*;

    #[test]
    fn timestamps_without_precision_become_microseconds() {
        let mut statements = Parser::parse_sql(
            &PostgreSqlDialect {},
            "SELECT '2024-01-01'::timestamp, CAST(x AS TIMESTAMPTZ), TIMESTAMP '2024-01-01', x::timestamp(3) FROM t",
        )
        .unwrap();
        postgres_forms(&mut statements);
        assert_eq!(
            statements[0].to_string(),
            "SELECT '2024-01-01'::TIMESTAMP(6), CAST(x AS TIMESTAMPTZ(6)), TIMESTAMP(6) '2024-01-01', \
             x::TIMESTAMP(3) FROM t"
        );
    }

    #[test]
    fn exponent_constants_are_written_out_or_become_doubles() {
        let shown = |t: &str| numeric_constant(t).map(|e| e.to_string());
        assert_eq!(shown("1.5e3").as_deref(), Some("1500"));
        assert_eq!(shown("1e-7").as_deref(), Some("0.0000001"));
        assert_eq!(shown("1.0e10").as_deref(), Some("10000000000"));
        assert_eq!(shown("12.5E-1").as_deref(), Some("1.25"));
        assert_eq!(shown("1e300").as_deref(), Some("CAST('1e300' AS DOUBLE PRECISION)"));
        assert_eq!(shown("1e-300").as_deref(), Some("CAST('1e-300' AS DOUBLE PRECISION)"));
        assert_eq!(shown("42"), None);
    }

    #[test]
    fn row_comparisons_are_field_by_field() {
        let mut statements =
            Parser::parse_sql(&PostgreSqlDialect {}, "SELECT (a, b) < (1, 2), (a, b) = (c, d), (a, b) IS NULL")
                .unwrap();
        postgres_forms(&mut statements);
        assert_eq!(
            statements[0].to_string(),
            "SELECT ((a < 1) OR ((a = 1) AND (b < 2))), ((a = c) AND (b = d)), ((a IS NULL) AND (b IS NULL))"
        );
    }

    #[test]
    fn similar_to_is_an_anchored_regular_expression() {
        let mut statements = Parser::parse_sql(
            &PostgreSqlDialect {},
            "SELECT a SIMILAR TO '%(b|d)%', a NOT SIMILAR TO 'a.c', a SIMILAR TO '100#%' ESCAPE '#'",
        )
        .unwrap();
        postgres_forms(&mut statements);
        assert_eq!(
            statements[0].to_string(),
            "SELECT (a ~ '^(?:.*(b|d).*)$'), (a !~ '^(?:a\\.c)$'), (a ~ '^(?:100\\%)$')"
        );
    }

    #[test]
    fn type_names_are_sql_names() {
        assert_eq!(sql_type_name(&DataType::Decimal128(10, 2)), "NUMERIC(10,2)");
        assert_eq!(postgres_type_name(&DataType::Utf8View), "text");
        assert_eq!(postgres_type_name(&DataType::Int32), "integer");
        assert_eq!(
            postgres_type_name(&DataType::Timestamp(TimeUnit::Microsecond, None)),
            "timestamp without time zone"
        );
    }
}
