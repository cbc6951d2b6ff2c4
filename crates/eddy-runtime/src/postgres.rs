//! PostgreSQL syntax DataFusion lacks, rewritten in a pull query before it
//! is planned (for `eddy serve` and `eddy run` alike): `x [NOT] IN
//! (subquery)` in a `SELECT` list or `ORDER BY`, `LIKE ... ESCAPE` with any
//! escape character, functions in `FROM` as PostgreSQL reads them,
//! set-returning functions in a `SELECT` list ([`set_returning`]),
//! `ARRAY(subquery)` ([`array_subquery`]) and the type `name` (text). The
//! functions the rewrites call are registered on the pull context
//! ([`register`]).

mod array_subquery;
mod set_returning;

use std::ops::ControlFlow;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, StringArray};
use arrow::datatypes::DataType;
use datafusion::common::cast::as_string_array;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::{
    create_udf, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use datafusion::scalar::ScalarValue;
use eddy_sql::template::{parsed_expr, parsed_query, template_expr, Placeholders};
use sqlparser::ast::{
    Expr, Query, SelectItem, SetExpr, Statement, TableAlias, TableAliasColumnDef, TableFactor, Value, VisitMut,
    VisitorMut,
};

/// Rewrites the PostgreSQL syntax of `statement` that DataFusion lacks;
/// `state` tells which functions exist.
pub(crate) fn rewrite(statement: &mut Statement, state: &SessionState) {
    let _ = statement.visit(&mut LikeEscapeVisitor(template_expr("SELECT eddy_like_escape($1, $2)")));
    let _ = statement.visit(&mut FromFunctions(state));
    let _ = statement.visit(&mut NameType);
    let aggregates = state.aggregate_functions();
    let is_aggregate = |name: &str| aggregates.contains_key(name);
    let _ = statement.visit(&mut array_subquery::ArraySubqueries { is_aggregate: &is_aggregate });
    let _ = statement.visit(&mut set_returning::SelectListSetFunctions::new());
    let _ = statement.visit(&mut SelectListIn);
}

/// PostgreSQL's `name` type (`'eddy'::name`, which psqlODBC's
/// `SQLForeignKeys` sends) as `text`: identifiers are text in Eddy's
/// catalog. (`pg_catalog.name` is datafusion-pg-catalog's.)
struct NameType;

impl NameType {
    fn respell(data_type: &mut sqlparser::ast::DataType) {
        use sqlparser::ast::{ArrayElemTypeDef, DataType as SqlType};
        match data_type {
            SqlType::Custom(name, modifiers)
                if modifiers.is_empty()
                    && matches!(name.0.as_slice(), [part] if part.as_ident().is_some_and(|i| i.quote_style.is_none() && i.value.eq_ignore_ascii_case("name"))) =>
            {
                *data_type = SqlType::Text;
            }
            SqlType::Array(ArrayElemTypeDef::AngleBracket(element) | ArrayElemTypeDef::SquareBracket(element, _)) => {
                Self::respell(element)
            }
            _ => {}
        }
    }
}

impl VisitorMut for NameType {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Cast { data_type, .. } = expr {
            Self::respell(data_type);
        }
        ControlFlow::Continue(())
    }
}

/// Registers the functions the rewrites call.
pub(crate) fn register(context: &SessionContext) {
    context.register_udf(like_escape());
    context.register_udf(ScalarUDF::new_from_impl(Membership::new()));
}

/// Functions in `FROM` as PostgreSQL reads them (Grafana's `search_path`
/// subquery has both): a table function of one column names that column
/// after its alias (`generate_series(1, 3) AS i` has a column `i`, where
/// DataFusion calls it `value`), and a scalar function is a table of one row
/// and one column named by the alias (`string_to_array(x, ',') AS s`), which
/// DataFusion has no notion of: it becomes `(SELECT f(...) AS s) AS s`.
/// `unnest(array) AS x` has a column `x` too (DataFusion names it after the
/// call), also spelled `pg_catalog.unnest(array)`.
struct FromFunctions<'a>(&'a SessionState);

impl FromFunctions<'_> {
    /// `[pg_catalog.]unnest(a) [AS] x` of one array with its column named
    /// `x` (a call sqlparser reads as a table function, when qualified,
    /// becomes its `UNNEST`); false for any other relation.
    fn unnest_column(factor: &mut TableFactor) -> bool {
        if let TableFactor::Table { name, alias, args: Some(args), with_ordinality, .. } = factor {
            let is_unnest = |part: &sqlparser::ast::ObjectNamePart| {
                part.as_ident().is_some_and(|f| f.value.eq_ignore_ascii_case("unnest"))
            };
            let qualified = match name.0.as_slice() {
                [function] => is_unnest(function),
                [schema, function] => {
                    schema.as_ident().is_some_and(|s| s.value.eq_ignore_ascii_case("pg_catalog")) && is_unnest(function)
                }
                _ => false,
            };
            let arrays: Option<Vec<Expr>> = args
                .args
                .iter()
                .map(|arg| match arg {
                    sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) => Some(e.clone()),
                    _ => None,
                })
                .collect();
            let Some(array_exprs) = arrays.filter(|_| qualified) else { return false };
            *factor = TableFactor::UNNEST {
                alias: alias.take(),
                array_exprs,
                with_offset: false,
                with_offset_alias: None,
                with_ordinality: *with_ordinality,
            };
        }
        let TableFactor::UNNEST { alias: Some(alias), array_exprs, with_offset: false, with_ordinality: false, .. } =
            factor
        else {
            return false;
        };
        if alias.columns.is_empty() && array_exprs.len() == 1 {
            alias.columns.push(TableAliasColumnDef::from_name(alias.name.value.clone()));
        }
        true
    }
}

/// The table functions whose one column takes the alias's name.
const SINGLE_COLUMN_TABLE_FUNCTIONS: [&str; 2] = ["generate_series", "range"];

impl VisitorMut for FromFunctions<'_> {
    type Break = ();

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        if Self::unnest_column(factor) {
            return ControlFlow::Continue(());
        }
        let TableFactor::Table { name, alias, args: Some(args), with_ordinality: false, .. } = factor else {
            return ControlFlow::Continue(());
        };
        let [part] = name.0.as_slice() else { return ControlFlow::Continue(()) };
        let Some(ident) = part.as_ident() else { return ControlFlow::Continue(()) };
        let function = eddy_sql::normalize_ident(ident);
        if self.0.table_functions().contains_key(&function) {
            if let Some(alias) = alias.as_mut() {
                if alias.columns.is_empty() && SINGLE_COLUMN_TABLE_FUNCTIONS.contains(&function.as_str()) {
                    alias.columns.push(TableAliasColumnDef::from_name(alias.name.value.clone()));
                }
            }
            return ControlFlow::Continue(());
        }
        if !self.0.scalar_functions().contains_key(&function) || alias.as_ref().is_some_and(|a| a.columns.len() > 1) {
            // Not a scalar function, or more columns than it has: DataFusion
            // reports what is wrong.
            return ControlFlow::Continue(());
        }
        let mut alias = alias.take().unwrap_or_else(|| TableAlias {
            explicit: true,
            name: ident.clone(),
            columns: Vec::new(),
            at: None,
        });
        let column = alias.columns.first().map(|c| c.name.clone()).unwrap_or_else(|| alias.name.clone());
        alias.columns.clear();
        let arguments: Vec<String> = args.args.iter().map(ToString::to_string).collect();
        let select = format!("SELECT {name}({}) AS {column}", arguments.join(", "));
        if let Some(subquery) = parsed_query(&select) {
            *factor =
                TableFactor::Derived { lateral: false, subquery: Box::new(subquery), alias: Some(alias), sample: None };
        }
        ControlFlow::Continue(())
    }
}

/// `x [NOT] IN (subquery)` in a `SELECT` list or `ORDER BY` (Grafana's table
/// list has one inside a `CASE` in both), which DataFusion plans only in
/// filters, as `eddy_in(x, (SELECT array_agg(v) FROM (subquery) ...))`, a
/// function with PostgreSQL's three-valued result: false for an empty
/// subquery, true on a match, NULL when `x` is NULL or the subquery has a
/// NULL and nothing matched, false otherwise. A correlated subquery becomes
/// a correlated aggregate, which DataFusion plans for equality correlations
/// only.
struct SelectListIn;

impl VisitorMut for SelectListIn {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(order_by) = query.order_by.as_mut() {
            let _ = order_by.visit(&mut InToMembership::default());
        }
        let SetExpr::Select(select) = query.body.as_mut() else { return ControlFlow::Continue(()) };
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item {
                let _ = expr.visit(&mut InToMembership::default());
            }
        }
        ControlFlow::Continue(())
    }
}

/// Rewrites each `x [NOT] IN (subquery)` of an expression ([`SelectListIn`]),
/// but not those inside a subquery of it (in a nested `WHERE` DataFusion
/// plans them; a nested `SELECT` list is rewritten on its own).
#[derive(Default)]
struct InToMembership {
    /// How many queries deep the visit is.
    depth: usize,
}

impl VisitorMut for InToMembership {
    type Break = ();

    fn pre_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if self.depth > 0 {
            return ControlFlow::Continue(());
        }
        let Expr::InSubquery { expr: value, subquery, negated } = expr else { return ControlFlow::Continue(()) };
        // One copy of each operand: nested INs stay linear in size.
        let sql = format!(
            "SELECT {}eddy_in({value}, (SELECT array_agg(v) FROM ({subquery}) AS __eddy_in(v)))",
            if *negated { "NOT " } else { "" }
        );
        if let Some(rewritten) = parsed_expr(&sql) {
            *expr = rewritten;
        }
        ControlFlow::Continue(())
    }
}

/// `x LIKE p ESCAPE 'c'` with an escape character other than the
/// backslash (SQLAlchemy writes `ESCAPE '/'`), which DataFusion refuses,
/// as `x LIKE eddy_like_escape(p, 'c')`: the same pattern spelled with
/// backslash escapes.
struct LikeEscapeVisitor(Expr);

impl VisitorMut for LikeEscapeVisitor {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let (Expr::Like { pattern, escape_char, .. } | Expr::ILike { pattern, escape_char, .. }) = expr else {
            return ControlFlow::Continue(());
        };
        let escape = match escape_char.as_ref().map(|v| &v.value) {
            Some(Value::SingleQuotedString(c)) if c != "\\" => c.clone(),
            _ => return ControlFlow::Continue(()),
        };
        let mut call = self.0.clone();
        let escape = Expr::Value(Value::SingleQuotedString(escape).into());
        let _ = call.visit(&mut Placeholders(vec![(**pattern).clone(), escape]));
        **pattern = call;
        *escape_char = None;
        ControlFlow::Continue(())
    }
}

/// `eddy_like_escape(pattern, escape)`: a `LIKE` pattern written with
/// `escape` as its escape character, spelled with backslash escapes (what
/// DataFusion's `LIKE` takes). An empty `escape` means no escape character:
/// every backslash is then literal.
fn like_escape() -> ScalarUDF {
    create_udf(
        "eddy_like_escape",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let (patterns, escapes) = (as_string_array(&arrays[0])?, as_string_array(&arrays[1])?);
            let out: StringArray = patterns
                .iter()
                .zip(escapes.iter())
                .map(|(pattern, escape)| Some(backslash_pattern(pattern?, escape?.chars().next())))
                .collect();
            columnar(args, Arc::new(out))
        }),
    )
}

/// A UDF's result `array` as a scalar when every argument was one.
pub fn columnar(args: &[ColumnarValue], array: ArrayRef) -> Result<ColumnarValue> {
    Ok(if args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
        ColumnarValue::Scalar(ScalarValue::try_from_array(&array, 0)?)
    } else {
        ColumnarValue::Array(array)
    })
}

fn backslash_pattern(pattern: &str, escape: Option<char>) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if Some(c) == escape {
            // The next character is literal (a trailing escape stays literal).
            out.push('\\');
            out.push(chars.next().unwrap_or(c));
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    out
}

/// `eddy_in(value, candidates)`: `value IN (subquery)` with PostgreSQL's
/// three values, the subquery's rows given as an array (`array_agg`, NULL
/// when it had none): false when there are none, NULL for a NULL value,
/// true on a match, NULL when a candidate is NULL and none matched, false
/// otherwise. The server rewrites an `IN (subquery)` DataFusion cannot plan
/// where it stands (a `SELECT` list) into it.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Membership {
    signature: Signature,
}

impl Membership {
    fn new() -> Self {
        Membership { signature: Signature::user_defined(Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for Membership {
    fn name(&self) -> &str {
        "eddy_in"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The value and the candidates compared as one type.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [value, candidates] = arg_types else {
            return Err(DataFusionError::Plan("eddy_in takes a value and an array".into()));
        };
        let element = match candidates {
            DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
                field.data_type().clone()
            }
            DataType::Null => value.clone(),
            other => return Err(DataFusionError::Plan(format!("eddy_in: {other} is not an array"))),
        };
        let common = datafusion::logical_expr::binary::comparison_coercion(value, &element)
            .ok_or_else(|| DataFusionError::Plan(format!("IN cannot compare {value} with the subquery's {element}")))?;
        let list = DataType::List(Arc::new(arrow::datatypes::Field::new_list_field(common.clone(), true)));
        Ok(vec![common, list])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (values, lists) = (&arrays[0], arrays[1].as_list::<i32>());
        let mut out = arrow::array::BooleanBuilder::with_capacity(values.len());
        for row in 0..values.len() {
            let candidates = if lists.is_null(row) { None } else { Some(lists.value(row)) };
            let Some(candidates) = candidates.filter(|c| !c.is_empty()) else {
                out.append_value(false);
                continue;
            };
            if values.is_null(row) {
                out.append_null();
                continue;
            }
            let value = ScalarValue::try_from_array(values, row)?;
            let (mut found, mut saw_null) = (false, false);
            for i in 0..candidates.len() {
                if candidates.is_null(i) {
                    saw_null = true;
                } else if ScalarValue::try_from_array(&candidates, i)? == value {
                    found = true;
                    break;
                }
            }
            match (found, saw_null) {
                (true, _) => out.append_value(true),
                (false, true) => out.append_null(),
                (false, false) => out.append_value(false),
            }
        }
        columnar(&args.args, Arc::new(out.finish()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_are_respelled_with_backslash_escapes() {
        assert_eq!(backslash_pattern("pg/_%", Some('/')), "pg\\_%");
        assert_eq!(backslash_pattern("a//b", Some('/')), "a\\/b");
        assert_eq!(backslash_pattern("a\\b%", Some('/')), "a\\\\b%");
        assert_eq!(backslash_pattern("100#%", Some('#')), "100\\%");
        assert_eq!(backslash_pattern("a\\_", None), "a\\\\_");
    }

    fn rewritten(sql: &str) -> String {
        let mut statement =
            sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::PostgreSqlDialect {}, sql).unwrap().remove(0);
        let _ = statement.visit(&mut SelectListIn);
        statement.to_string()
    }

    #[test]
    fn the_name_type_is_text() {
        let mut statement = sqlparser::parser::Parser::parse_sql(
            &sqlparser::dialect::PostgreSqlDialect {},
            "SELECT 'eddy'::name, CAST(x AS NAME[]), 'y'::pg_catalog.name, 'z'::\"name\"",
        )
        .unwrap()
        .remove(0);
        let _ = statement.visit(&mut NameType);
        assert_eq!(
            statement.to_string(),
            "SELECT 'eddy'::TEXT, CAST(x AS TEXT[]), 'y'::pg_catalog.name, 'z'::\"name\""
        );
    }

    /// Only an IN of a SELECT list or ORDER BY itself is rewritten; one in
    /// the WHERE of a nested subquery is left to DataFusion.
    #[test]
    fn in_subqueries_are_rewritten_where_they_stand_only() {
        let sql =
            rewritten("SELECT a IN (SELECT b FROM u), (SELECT count(*) FROM v WHERE c IN (SELECT d FROM w)) FROM t");
        assert_eq!(sql.matches("eddy_in(").count(), 1, "{sql}");
        assert!(sql.contains("WHERE c IN (SELECT d FROM w)"), "{sql}");
        let sql = rewritten("SELECT a FROM t ORDER BY a NOT IN (SELECT b FROM u)");
        assert!(
            sql.contains("ORDER BY NOT eddy_in(a, (SELECT array_agg(v) FROM (SELECT b FROM u) AS __eddy_in (v)))"),
            "{sql}"
        );
    }
}
