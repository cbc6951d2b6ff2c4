//! The names PostgreSQL gives result columns, for pull queries and for the
//! columns of a view alike: tools and drivers read them (`rows[0].count`).

use sqlparser::ast::{DataType as SqlType, Expr as SqlExpr, Query, SelectItem, SetExpr, Statement, TimezoneInfo};

use crate::names::{function_name, normalize_ident};

/// The names PostgreSQL gives the result columns of a plain `SELECT`
/// without `*`: the alias, the column's name for a column, the function's
/// for a call (`count(*)` → `count`), the type's for a cast of a constant
/// (`CAST(NULL AS BIGINT)` → `int8`), `?column?` for other expressions.
/// Drivers and tools rely on them (`rows[0].count`).
pub fn postgres_column_names(statement: &Statement) -> Option<Vec<String>> {
    let Statement::Query(query) = statement else { return None };
    query_column_names(query)
}

/// Gives each unaliased item of a query's top-level `SELECT` the name
/// PostgreSQL gives its column (`count(*)` → `count`), as the columns of a
/// view are named. Returns the first name that two columns would share:
/// PostgreSQL refuses such a view (42701).
pub fn alias_select_items(query: &mut Query) -> Result<(), String> {
    let Some(names) = query_column_names(query) else { return Ok(()) };
    let mut seen = std::collections::HashSet::new();
    for name in &names {
        if !seen.insert(name.clone()) {
            return Err(name.clone());
        }
    }
    let SetExpr::Select(select) = query.body.as_mut() else { return Ok(()) };
    for (item, name) in select.projection.iter_mut().zip(names) {
        if let SelectItem::UnnamedExpr(expr) = item {
            let expr = std::mem::replace(expr, SqlExpr::Value(sqlparser::ast::Value::Null.into()));
            *item = SelectItem::ExprWithAlias { expr, alias: sqlparser::ast::Ident::with_quote('"', name) };
        }
    }
    Ok(())
}

/// [`postgres_column_names`] of a query.
pub fn query_column_names(query: &Query) -> Option<Vec<String>> {
    let SetExpr::Select(select) = query.body.as_ref() else { return None };
    select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(expr) => Some(postgres_name(expr).unwrap_or_else(|| "?column?".to_string())),
            SelectItem::ExprWithAlias { alias, .. } => Some(normalize_ident(alias)),
            _ => None,
        })
        .collect()
}

/// PostgreSQL's name for an unaliased expression; `None` where it has
/// none of its own (`?column?`).
pub fn postgres_name(expr: &SqlExpr) -> Option<String> {
    figure_name(expr).map(|(name, _)| name)
}

/// How sure a name is: a cast is named after its operand when that has a
/// name of its own, and after the type otherwise (`x::int` → `x`,
/// `1::int::bigint` → `int8`), as PostgreSQL names it.
#[derive(PartialEq)]
enum Strength {
    TypeName,
    OwnName,
}

fn figure_name(expr: &SqlExpr) -> Option<(String, Strength)> {
    let own = |name: &str| Some((name.to_string(), Strength::OwnName));
    match expr {
        SqlExpr::Identifier(ident) => own(&normalize_ident(ident)),
        SqlExpr::CompoundIdentifier(parts) => own(&normalize_ident(parts.last()?)),
        SqlExpr::Nested(inner) | SqlExpr::Collate { expr: inner, .. } => figure_name(inner),
        // The last field named in the chain, else the base (`conkey[1]` → `conkey`).
        SqlExpr::CompoundFieldAccess { root, access_chain } => {
            let field = access_chain.iter().rev().find_map(|access| match access {
                sqlparser::ast::AccessExpr::Dot(SqlExpr::Identifier(field)) => Some(normalize_ident(field)),
                _ => None,
            });
            match field {
                Some(field) => own(&field),
                None => figure_name(root),
            }
        }
        // `user` is PostgreSQL's spelling of `current_user`, and named so.
        SqlExpr::Function(f) => match function_name(f)? {
            name if name == "user" && matches!(f.args, sqlparser::ast::FunctionArguments::None) => own("current_user"),
            name => own(&name),
        },
        SqlExpr::Cast { expr, data_type, .. } => match figure_name(expr) {
            Some((name, Strength::OwnName)) => own(&name),
            _ => Some((type_name(data_type), Strength::TypeName)),
        },
        SqlExpr::TypedString(typed) => Some((type_name(&typed.data_type), Strength::TypeName)),
        SqlExpr::Interval(_) => Some(("interval".into(), Strength::TypeName)),
        SqlExpr::Case { .. } => own("case"),
        SqlExpr::Array(_) => own("array"),
        SqlExpr::Exists { .. } => own("exists"),
        SqlExpr::Extract { .. } => own("extract"),
        SqlExpr::Substring { .. } => own("substring"),
        SqlExpr::Trim { .. } => own("btrim"),
        SqlExpr::Position { .. } => own("position"),
        SqlExpr::Overlay { .. } => own("overlay"),
        SqlExpr::Ceil { .. } => own("ceil"),
        SqlExpr::Floor { .. } => own("floor"),
        SqlExpr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.first()? {
                SelectItem::ExprWithAlias { alias, .. } => own(&normalize_ident(alias)),
                SelectItem::UnnamedExpr(expr) => figure_name(expr),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// PostgreSQL's internal name of a type, which names a cast's column.
fn type_name(data_type: &SqlType) -> String {
    match data_type {
        SqlType::BigInt(_) | SqlType::Int8(_) => "int8".into(),
        SqlType::Int(_) | SqlType::Integer(_) | SqlType::Int4(_) => "int4".into(),
        SqlType::SmallInt(_) | SqlType::Int2(_) => "int2".into(),
        SqlType::Double(_) | SqlType::DoublePrecision | SqlType::Float8 => "float8".into(),
        SqlType::Real | SqlType::Float4 => "float4".into(),
        SqlType::Boolean | SqlType::Bool => "bool".into(),
        SqlType::Varchar(_) | SqlType::CharacterVarying(_) => "varchar".into(),
        SqlType::Char(_) | SqlType::Character(_) => "bpchar".into(),
        SqlType::Numeric(_) | SqlType::Decimal(_) => "numeric".into(),
        SqlType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => "timestamptz".into(),
        SqlType::Timestamp(..) => "timestamp".into(),
        SqlType::Time(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => "timetz".into(),
        SqlType::Time(..) => "time".into(),
        SqlType::Interval { .. } => "interval".into(),
        other => other.to_string().to_lowercase().split(['(', ' ']).next().unwrap_or("?column?").to_string(),
    }
}
