//! Scalar subqueries as PostgreSQL runs them: a subquery used as a value
//! gives its one row's value, NULL when it has no row, and an error
//! (SQLSTATE 21000) when it has more than one.
//!
//! DataFusion plans a correlated scalar subquery only when it is visibly at
//! most one row (an aggregate: "Correlated scalar subquery must be
//! aggregated"), and decorrelates it only when every condition that reads
//! the outer query can become part of a join. Catalog queries of clients
//! (SQLAlchemy's column list, psql's `\d`) are full of subqueries such as
//! `(SELECT d.adbin FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND
//! a.atthasdef)`. Before planning, a pull query's plain one-column scalar
//! subqueries are rewritten:
//!
//! - the value becomes `eddy_single_value(value)`, an aggregate that is the
//!   value of the one row, NULL for none, and fails for a second row — the
//!   subquery's own meaning, now in a form DataFusion plans;
//! - conditions of its `WHERE` that read only the outer query (every column
//!   qualified by a relation the subquery's `FROM` does not name) move out:
//!   `(SELECT v FROM t WHERE k = o.k AND o.flag)` is `CASE WHEN o.flag THEN
//!   (SELECT v FROM t WHERE k = o.k) END` (false or NULL: no row, NULL);
//! - a `FROM` of parts no condition relates (psql's `FROM pg_collation c,
//!   pg_type t`, each looked up by its own key) is computed part by part,
//!   the parts' row counts multiplied ([`components`]), not as the
//!   aggregate of a cross join.
//!
//! Subqueries that aggregate, group, `DISTINCT`, order, limit or read no
//! table are left as they are.

mod components;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Field, FieldRef, UInt64Type};
use datafusion::error::DataFusionError;
use datafusion::error::Result;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};
use datafusion::scalar::ScalarValue;
use eddy_common::{sqlstate, SqlError};
use eddy_sql::normalize_ident;
use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    BinaryOperator, CaseWhen, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments,
    GroupByExpr, Ident, ObjectName, Query, Select, SelectItem, SetExpr, TableFactor, TableWithJoins, Visit, VisitMut,
    Visitor, VisitorMut,
};

/// The aggregate a rewritten scalar subquery's value goes through: its
/// value and how many rows it had.
const ROWS: &str = "eddy_rows";

/// The check of [`ROWS`]' result: the value, an error (21000) when there
/// were more rows than one.
const ONE_ROW: &str = "eddy_one_row";

/// [`ONE_ROW`] for a subquery whose conditions comparing it with the outer
/// query were moved out: more rows than one are Eddy's limit (0A000).
const ONE_MATCH: &str = "eddy_one_match";

/// Rewrites every plain scalar subquery of `statement` (see the module
/// documentation); `is_aggregate` tells the functions that aggregate.
pub(crate) fn single_row_subqueries(statement: &mut sqlparser::ast::Statement, is_aggregate: &dyn Fn(&str) -> bool) {
    let _ = statement.visit(&mut ScalarSubqueries { is_aggregate, sets: HashSet::new() });
}

struct ScalarSubqueries<'a> {
    is_aggregate: &'a dyn Fn(&str) -> bool,
    /// The subqueries of `x op ANY/ALL (subquery)`: sets of rows, not
    /// values (DataFusion plans those itself).
    sets: HashSet<*const Query>,
}

impl VisitorMut for ScalarSubqueries<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::AnyOp { right, .. } | Expr::AllOp { right, .. } = expr {
            if let Expr::Subquery(query) = right.as_ref() {
                self.sets.insert(query.as_ref() as *const Query);
            }
        }
        ControlFlow::Continue(())
    }

    /// After the expression's own subqueries (inner ones first).
    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Subquery(query) = expr else { return ControlFlow::Continue(()) };
        if self.sets.contains(&(query.as_ref() as *const Query)) {
            return ControlFlow::Continue(());
        }
        let Some(Rewritten { guard, value }) = self.rewrite(query) else { return ControlFlow::Continue(()) };
        *expr = match guard {
            None => value,
            Some(condition) => Expr::Case {
                case_token: AttachedToken::empty(),
                end_token: AttachedToken::empty(),
                operand: None,
                conditions: vec![CaseWhen { condition, result: value }],
                else_result: None,
            },
        };
        ControlFlow::Continue(())
    }
}

/// A rewritten scalar subquery.
struct Rewritten {
    /// What must hold for it to have a value (else NULL).
    guard: Option<Expr>,
    /// What replaces it.
    value: Expr,
}

impl ScalarSubqueries<'_> {
    /// Rewrites `query` if it is a plain one-column `SELECT` over tables:
    /// its value through [`SINGLE_VALUE`], its outer-only conditions taken
    /// out into the guard.
    ///
    /// DataFusion cannot decorrelate a value that reads the outer query, nor
    /// a condition that compares the two other than by equality. Such a
    /// value (and such conditions) are computed outside instead, each column
    /// of the subquery's own read by a copy of the subquery without those
    /// conditions, guarded by that copy having its row:
    /// `(SELECT f(t.x, o.y) FROM t WHERE w)` is `CASE WHEN (SELECT
    /// eddy_single_value(true) FROM t WHERE w) THEN f((SELECT
    /// eddy_single_value(t.x) FROM t WHERE w), o.y) END`. With conditions
    /// moved out, the copies use [`SINGLE_MATCH`]: more than one row without
    /// those conditions is an error of its own (Eddy's limit, not the
    /// query's).
    fn rewrite(&self, query: &mut Query) -> Option<Rewritten> {
        let plain_query = query.with.is_none()
            && query.order_by.is_none()
            && query.limit_clause.is_none()
            && query.fetch.is_none()
            && query.locks.is_empty();
        let SetExpr::Select(select) = query.body.as_mut() else { return None };
        if !plain_query || !self.is_plain(select) {
            return None;
        }
        let bound = bound_names(select)?;
        let (mut guard, mut kept, mut compared) = (Vec::new(), Vec::new(), Vec::new());
        for condition in select.selection.take().map(conjuncts).unwrap_or_default() {
            if reads_only_outer(&condition, &bound) {
                guard.push(condition);
            } else if reads_outer(&condition, &bound)
                && reads_own(&condition, &bound)
                && !has_subquery(&condition)
                && !is_correlation(&condition, &bound)
            {
                compared.push(condition);
            } else {
                kept.push(condition);
            }
        }
        let (SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }) =
            &mut select.projection[0]
        else {
            return None;
        };
        let mut value = std::mem::replace(value, null());
        let reads: Vec<&Expr> = compared.iter().chain(std::iter::once(&value)).collect();
        let parts = components::components(select, &kept, &reads);
        let by_parts = |value: &Expr| parts.as_ref().is_some_and(|p| components::read_units(value, p).len() > 1);
        if has_subquery(&value) || (compared.is_empty() && !reads_outer(&value, &bound) && !by_parts(&value)) {
            let checked = match parts.filter(|_| compared.is_empty()) {
                Some(parts) => components::checked_by_parts(ONE_ROW, query, &parts, value),
                None => {
                    kept.append(&mut compared);
                    select.selection = conjunction(kept);
                    set_value(query, call(ROWS, value));
                    call(ONE_ROW, Expr::Subquery(Box::new(query.clone())))
                }
            };
            return Some(Rewritten { guard: conjunction(guard), value: checked });
        }
        select.selection = conjunction(kept);
        let check = if compared.is_empty() { ONE_ROW } else { ONE_MATCH };
        let single = |column: Expr| match &parts {
            Some(parts) => components::checked_by_parts(check, query, parts, column),
            None => {
                let mut copy = query.clone();
                set_value(&mut copy, call(ROWS, column));
                call(check, Expr::Subquery(Box::new(copy)))
            }
        };
        let mut own_columns = OwnColumns { bound: &bound, single: &single };
        let _ = VisitMut::visit(&mut value, &mut own_columns);
        for condition in &mut compared {
            let _ = VisitMut::visit(condition, &mut own_columns);
        }
        guard.push(single(Expr::Value(sqlparser::ast::Value::Boolean(true).into())));
        guard.append(&mut compared);
        Some(Rewritten { guard: conjunction(guard), value })
    }

    /// One value, from tables, without grouping, `DISTINCT`, aggregates or
    /// window functions.
    fn is_plain(&self, select: &Select) -> bool {
        let ungrouped = match &select.group_by {
            GroupByExpr::Expressions(exprs, modifiers) => exprs.is_empty() && modifiers.is_empty(),
            GroupByExpr::All(_) => false,
        };
        let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
            select.projection.as_slice()
        else {
            return false;
        };
        ungrouped
            && !select.from.is_empty()
            && select.distinct.is_none()
            && select.having.is_none()
            && select.qualify.is_none()
            && select.top.is_none()
            && select.named_window.is_empty()
            && !self.aggregates(value)
    }

    /// Whether `value` aggregates or calls a window function at its own
    /// level (not inside a subquery of its own).
    fn aggregates(&self, value: &Expr) -> bool {
        struct Aggregates<'a> {
            is_aggregate: &'a dyn Fn(&str) -> bool,
            depth: usize,
        }
        impl Visitor for Aggregates<'_> {
            type Break = ();
            fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
                self.depth += 1;
                ControlFlow::Continue(())
            }
            fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
                self.depth -= 1;
                ControlFlow::Continue(())
            }
            fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
                match expr {
                    Expr::Function(f) if self.depth == 0 => {
                        let name = eddy_sql::function_name(f);
                        if f.over.is_some() || name.is_some_and(|n| (self.is_aggregate)(&n)) {
                            return ControlFlow::Break(());
                        }
                        ControlFlow::Continue(())
                    }
                    _ => ControlFlow::Continue(()),
                }
            }
        }
        value.visit(&mut Aggregates { is_aggregate: self.is_aggregate, depth: 0 }).is_break()
    }
}

/// `name(arg)`.
fn call(name: &str, arg: Expr) -> Expr {
    call_with(name, vec![arg])
}

/// `name(args...)`.
fn call_with(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|arg| FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))).collect(),
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    })
}

/// The names the relations of `select`'s `FROM` are known by in it
/// ([`relation_names`]).
fn bound_names(select: &Select) -> Option<HashSet<String>> {
    relation_names(&select.from)
}

/// The names the relations of `tables` are known by: the alias, or else
/// the table's own name (inside parenthesized joins too); `None` when a
/// relation has no name to tell its columns by.
fn relation_names(tables: &[TableWithJoins]) -> Option<HashSet<String>> {
    fn bind(tables: &[TableWithJoins], names: &mut HashSet<String>) -> Option<()> {
        for table in tables {
            for factor in std::iter::once(&table.relation).chain(table.joins.iter().map(|j| &j.relation)) {
                let name = match factor {
                    TableFactor::Table { alias: Some(alias), .. } => &alias.name,
                    TableFactor::Table { name, alias: None, .. } => name.0.last()?.as_ident()?,
                    TableFactor::NestedJoin { table_with_joins, alias } => match alias {
                        Some(alias) => &alias.name,
                        None => {
                            bind(std::slice::from_ref(table_with_joins), names)?;
                            continue;
                        }
                    },
                    TableFactor::Derived { alias: Some(alias), .. }
                    | TableFactor::Function { alias: Some(alias), .. }
                    | TableFactor::TableFunction { alias: Some(alias), .. }
                    | TableFactor::UNNEST { alias: Some(alias), .. } => &alias.name,
                    _ => return None,
                };
                names.insert(normalize_ident(name));
            }
        }
        Some(())
    }
    let mut names = HashSet::new();
    bind(tables, &mut names)?;
    Some(names)
}

/// Whether `condition` reads the outer query only: it names columns, each
/// qualified by a relation not in `bound`, and has no subquery or
/// aggregate of its own.
fn reads_only_outer(condition: &Expr, bound: &HashSet<String>) -> bool {
    struct Outer<'a> {
        bound: &'a HashSet<String>,
        columns: usize,
    }
    impl Visitor for Outer<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
            match expr {
                Expr::Identifier(_)
                | Expr::Subquery(_)
                | Expr::Exists { .. }
                | Expr::InSubquery { .. }
                | Expr::Function(_) => ControlFlow::Break(()),
                Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                    if self.bound.contains(&normalize_ident(&parts[parts.len() - 2])) {
                        ControlFlow::Break(())
                    } else {
                        self.columns += 1;
                        ControlFlow::Continue(())
                    }
                }
                Expr::CompoundIdentifier(_) => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            }
        }
    }
    let mut outer = Outer { bound, columns: 0 };
    condition.visit(&mut outer).is_continue() && outer.columns > 0
}

/// The `AND`ed parts of `condition`.
fn conjuncts(condition: Expr) -> Vec<Expr> {
    match condition {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            let mut parts = conjuncts(*left);
            parts.extend(conjuncts(*right));
            parts
        }
        Expr::Nested(inner) if matches!(inner.as_ref(), Expr::BinaryOp { op: BinaryOperator::And, .. }) => {
            conjuncts(*inner)
        }
        other => vec![other],
    }
}

/// `parts` joined by `AND`; `None` for none.
fn conjunction(parts: Vec<Expr>) -> Option<Expr> {
    parts.into_iter().reduce(|left, right| Expr::BinaryOp {
        left: Box::new(left),
        op: BinaryOperator::And,
        right: Box::new(right),
    })
}

fn null() -> Expr {
    Expr::Value(sqlparser::ast::Value::Null.into())
}

/// Sets the value of a plain one-column `SELECT`.
fn set_value(query: &mut Query, value: Expr) {
    if let SetExpr::Select(select) = query.body.as_mut() {
        if let Some(SelectItem::UnnamedExpr(item) | SelectItem::ExprWithAlias { expr: item, .. }) =
            select.projection.first_mut()
        {
            *item = value;
        }
    }
}

/// Whether `value` names a column qualified by a relation not in `bound`
/// (the outer query's).
fn reads_outer(value: &Expr, bound: &HashSet<String>) -> bool {
    let outer = |expr: &Expr| match expr {
        Expr::CompoundIdentifier(parts) => {
            parts.len() >= 2 && !bound.contains(&normalize_ident(&parts[parts.len() - 2]))
        }
        _ => false,
    };
    value.visit(&mut ExprVisitor(outer)).is_break()
}

/// Whether `condition` is an equality between an expression of the
/// subquery's own columns and one of the outer query's (a correlation
/// DataFusion turns into a join).
fn is_correlation(condition: &Expr, bound: &HashSet<String>) -> bool {
    let Expr::BinaryOp { left, op: BinaryOperator::Eq, right } = condition else { return false };
    let (left_inner, left_outer) = (reads_own(left, bound), reads_outer(left, bound));
    let (right_inner, right_outer) = (reads_own(right, bound), reads_outer(right, bound));
    (left_inner && !left_outer && right_outer && !right_inner)
        || (right_inner && !right_outer && left_outer && !left_inner)
}

/// Whether `value` names a column of the subquery's own: unqualified, or
/// qualified by a relation in `bound`.
fn reads_own(value: &Expr, bound: &HashSet<String>) -> bool {
    value.visit(&mut ExprVisitor(|expr: &Expr| is_own_column(expr, bound))).is_break()
}

fn is_own_column(expr: &Expr, bound: &HashSet<String>) -> bool {
    match expr {
        Expr::Identifier(_) => true,
        Expr::CompoundIdentifier(parts) => {
            parts.len() >= 2 && bound.contains(&normalize_ident(&parts[parts.len() - 2]))
        }
        _ => false,
    }
}

/// Whether `value` has a subquery of its own.
fn has_subquery(value: &Expr) -> bool {
    let subquery = |expr: &Expr| matches!(expr, Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. });
    value.visit(&mut ExprVisitor(subquery)).is_break()
}

/// Stops at the first expression `.0` holds for.
struct ExprVisitor<F>(F);

impl<F: FnMut(&Expr) -> bool> Visitor for ExprVisitor<F> {
    type Break = ();
    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if (self.0)(expr) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

/// Replaces each column of the subquery's own (unqualified, or qualified by
/// a relation in `bound`) by `single(column)`.
struct OwnColumns<'a, F> {
    bound: &'a HashSet<String>,
    single: &'a F,
}

impl<F: Fn(Expr) -> Expr> VisitorMut for OwnColumns<'_, F> {
    type Break = ();
    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if is_own_column(expr, self.bound) {
            *expr = (self.single)(std::mem::replace(expr, null()));
        }
        ControlFlow::Continue(())
    }
}

/// `eddy_rows(v)`: `{value, rows}`, the value of the last row and how many
/// rows there were. It never fails itself: DataFusion computes a
/// correlated subquery's aggregate for every correlation key, asked for or
/// not, so the "more than one row" error belongs to [`one_row`], which only
/// sees the rows the outer query reads.
pub(crate) fn rows() -> AggregateUDF {
    AggregateUDF::new_from_impl(Rows { signature: Signature::any(1, Volatility::Immutable) })
}

fn rows_fields(value: &DataType) -> arrow::datatypes::Fields {
    arrow::datatypes::Fields::from(vec![
        Field::new("value", value.clone(), true),
        Field::new("rows", DataType::UInt64, false),
    ])
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Rows {
    signature: Signature,
}

impl AggregateUDFImpl for Rows {
    fn name(&self) -> &str {
        ROWS
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(rows_fields(&arg_types[0])))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let DataType::Struct(fields) = args.return_type() else { unreachable!("eddy_rows returns a struct") };
        let value_type = fields[0].data_type().clone();
        Ok(Box::new(RowsAccumulator { value: ScalarValue::try_from(&value_type)?, value_type, rows: 0 }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let DataType::Struct(fields) = args.return_type() else { unreachable!("eddy_rows returns a struct") };
        Ok(vec![
            Arc::new(Field::new(format!("{}[value]", args.name), fields[0].data_type().clone(), true)),
            Arc::new(Field::new(format!("{}[rows]", args.name), DataType::UInt64, false)),
        ])
    }
}

#[derive(Debug)]
struct RowsAccumulator {
    value: ScalarValue,
    value_type: DataType,
    rows: u64,
}

impl Accumulator for RowsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let values = &values[0];
        if !values.is_empty() {
            self.rows += values.len() as u64;
            self.value = ScalarValue::try_from_array(values, values.len() - 1)?;
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let rows = states[1].as_primitive::<UInt64Type>();
        for i in 0..rows.len() {
            if rows.value(i) > 0 {
                self.rows += rows.value(i);
                self.value = ScalarValue::try_from_array(&states[0], i)?;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value.clone(), ScalarValue::UInt64(Some(self.rows))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let fields = rows_fields(&self.value_type);
        let value = self.value.to_array()?;
        let rows: ArrayRef = Arc::new(arrow::array::UInt64Array::from(vec![self.rows]));
        Ok(ScalarValue::Struct(Arc::new(arrow::array::StructArray::try_new(fields, vec![value, rows], None)?)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.value.size() - std::mem::size_of_val(&self.value)
    }
}

/// `eddy_one_row(r [, r2, ...])`: the value of an [`rows`] result; NULL
/// for no row (or no result: a correlation key without rows); an error
/// (SQLSTATE 21000) for more rows than one. With more results (a subquery
/// computed part by part, [`components`]) the rows are the product of all
/// of theirs, the value the first's.
pub(crate) fn one_row() -> ScalarUDF {
    ScalarUDF::new_from_impl(OneRow {
        name: ONE_ROW,
        signature: Signature::variadic_any(Volatility::Immutable),
        too_many: (sqlstate::CARDINALITY_VIOLATION, "more than one row returned by a subquery used as an expression"),
    })
}

/// `eddy_one_match(r)`: [`one_row`] where more rows are Eddy's limit
/// (SQLSTATE 0A000), not necessarily the query's error.
pub(crate) fn one_match() -> ScalarUDF {
    ScalarUDF::new_from_impl(OneRow {
        name: ONE_MATCH,
        signature: Signature::variadic_any(Volatility::Immutable),
        too_many: (
            sqlstate::FEATURE_NOT_SUPPORTED,
            "a correlated subquery compares its columns with the outer query's other than by equality, and without \
             those comparisons it has more than one row: Eddy cannot run it (join the tables instead)",
        ),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct OneRow {
    name: &'static str,
    signature: Signature,
    /// The SQLSTATE and message of the error for more rows than one.
    too_many: (&'static str, &'static str),
}

impl ScalarUDFImpl for OneRow {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [DataType::Struct(fields), rest @ ..]
                if fields.len() == 2 && rest.iter().all(|t| matches!(t, DataType::Struct(f) if f.len() == 2)) =>
            {
                Ok(fields[0].data_type().clone())
            }
            other => Err(DataFusionError::Plan(format!("{} takes results of {ROWS}, not {other:?}", self.name))),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let results = args.args.iter().map(|a| a.to_array(args.number_rows)).collect::<Result<Vec<_>>>()?;
        // The rows of each result (none where it is NULL: a key without rows), multiplied.
        let mut rows = vec![1u64; args.number_rows];
        for result in &results {
            let result = result.as_struct();
            let counts = result.column(1).as_primitive::<UInt64Type>();
            for (i, total) in rows.iter_mut().enumerate() {
                let count = if result.is_valid(i) && counts.is_valid(i) { counts.value(i) } else { 0 };
                *total = total.saturating_mul(count);
            }
        }
        if rows.iter().any(|&n| n > 1) {
            return Err(SqlError::into_datafusion(self.too_many.0, self.too_many.1));
        }
        // No row is a NULL value.
        let first = results[0].as_struct();
        let data = first.column(0).to_data();
        let one: arrow::buffer::NullBuffer = rows.iter().map(|&n| n == 1).collect();
        let nulls = arrow::buffer::NullBuffer::union(Some(&one), data.nulls());
        let values = arrow::array::make_array(data.into_builder().nulls(nulls).build()?);
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&values, 0)?)
        } else {
            ColumnarValue::Array(values)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn rewritten(sql: &str) -> String {
        let mut statement = Parser::parse_sql(&PostgreSqlDialect {}, sql).unwrap().remove(0);
        single_row_subqueries(&mut statement, &|name| matches!(name, "count" | "max"));
        statement.to_string()
    }

    #[test]
    fn plain_scalar_subqueries_count_their_rows_and_check_them_outside() {
        assert_eq!(
            rewritten("SELECT (SELECT d.v FROM d WHERE d.k = a.k) AS x FROM a"),
            "SELECT eddy_one_row((SELECT eddy_rows(d.v) FROM d WHERE d.k = a.k)) AS x FROM a"
        );
        // nested ones too, and in any clause
        assert_eq!(
            rewritten("SELECT 1 FROM a WHERE a.x = (SELECT b.y FROM b WHERE b.z = (SELECT c.z FROM c))"),
            "SELECT 1 FROM a WHERE a.x = eddy_one_row((SELECT eddy_rows(b.y) FROM b \
             WHERE b.z = eddy_one_row((SELECT eddy_rows(c.z) FROM c))))"
        );
    }

    #[test]
    fn conditions_on_the_outer_query_guard_the_subquery() {
        assert_eq!(
            rewritten(
                "SELECT (SELECT pg_catalog.pg_attrdef.adbin FROM pg_catalog.pg_attrdef \
                 WHERE pg_catalog.pg_attrdef.adrelid = pg_catalog.pg_attribute.attrelid \
                 AND pg_catalog.pg_attribute.atthasdef) FROM pg_catalog.pg_attribute"
            ),
            "SELECT CASE WHEN pg_catalog.pg_attribute.atthasdef THEN \
             eddy_one_row((SELECT eddy_rows(pg_catalog.pg_attrdef.adbin) FROM pg_catalog.pg_attrdef \
             WHERE pg_catalog.pg_attrdef.adrelid = pg_catalog.pg_attribute.attrelid)) END \
             FROM pg_catalog.pg_attribute"
        );
        // by alias; several outer conditions stay together
        assert_eq!(
            rewritten("SELECT (SELECT s.v FROM seq s WHERE a.i <> '' AND s.k = a.k AND a.n > 1) FROM a"),
            "SELECT CASE WHEN a.i <> '' AND a.n > 1 THEN eddy_one_row((SELECT eddy_rows(s.v) FROM seq s \
             WHERE s.k = a.k)) END FROM a"
        );
    }

    #[test]
    fn a_value_that_reads_the_outer_query_is_computed_outside() {
        assert_eq!(
            rewritten("SELECT (SELECT f(s.x, 'k', a.y = 'a') FROM s WHERE s.k = a.k AND a.i <> '') FROM a"),
            "SELECT CASE WHEN a.i <> '' AND eddy_one_row((SELECT eddy_rows(true) FROM s WHERE s.k = a.k)) \
             THEN f(eddy_one_row((SELECT eddy_rows(s.x) FROM s WHERE s.k = a.k)), 'k', a.y = 'a') END FROM a"
        );
        // with a subquery of its own in the value, it is left to the planner
        assert_eq!(
            rewritten("SELECT (SELECT s.x || (SELECT max(u.z) FROM u) || a.y FROM s) FROM a"),
            "SELECT eddy_one_row((SELECT eddy_rows(s.x || (SELECT max(u.z) FROM u) || a.y) FROM s)) FROM a"
        );
    }

    #[test]
    fn comparisons_with_the_outer_query_other_than_equality_are_computed_outside() {
        // the column's collation unless it is its type's, from related relations
        assert_eq!(
            rewritten(
                "SELECT (SELECT c.collname FROM pg_collation c, pg_type t \
                 WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND c.x = t.x \
                 AND a.attcollation <> t.typcollation) FROM a"
            ),
            "SELECT CASE WHEN eddy_one_match((SELECT eddy_rows(true) FROM pg_collation c, pg_type t \
             WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND c.x = t.x)) \
             AND a.attcollation <> eddy_one_match((SELECT eddy_rows(t.typcollation) FROM pg_collation c, pg_type t \
             WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND c.x = t.x)) \
             THEN eddy_one_match((SELECT eddy_rows(c.collname) FROM pg_collation c, pg_type t \
             WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND c.x = t.x)) END FROM a"
        );
    }

    /// psql's `\d name`: nothing relates `c` and `t`, so each is looked up
    /// on its own and the row counts multiplied (one lookup over the cross
    /// join took seconds).
    #[test]
    fn relations_no_condition_relates_are_looked_up_apart() {
        let c = "(SELECT eddy_rows(true) FROM pg_collation c WHERE c.oid = a.attcollation)";
        let t = "(SELECT eddy_rows(true) FROM pg_type t WHERE t.oid = a.atttypid)";
        assert_eq!(
            rewritten(PSQL_COLLATION),
            format!(
                "SELECT CASE WHEN eddy_one_match({c}, {t}) \
                 AND a.attcollation <> eddy_one_match((SELECT eddy_rows(t.typcollation) FROM pg_type t \
                 WHERE t.oid = a.atttypid), {c}) \
                 THEN eddy_one_match((SELECT eddy_rows(c.collname) FROM pg_collation c \
                 WHERE c.oid = a.attcollation), {t}) END AS attcollation FROM pg_attribute a"
            )
        );
        // a plain value: its own part's lookup, counted with the others
        assert_eq!(
            rewritten(
                "SELECT (SELECT c.collname FROM pg_collation c, pg_type t WHERE c.oid = a.k AND t.oid = a.j) FROM a"
            ),
            "SELECT eddy_one_row((SELECT eddy_rows(c.collname) FROM pg_collation c WHERE c.oid = a.k), \
             (SELECT eddy_rows(true) FROM pg_type t WHERE t.oid = a.j)) FROM a"
        );
        // columns that could be either relation's keep the relations together
        for sql in [
            "SELECT (SELECT c.v FROM c, t WHERE c.k = a.k AND j = a.j) FROM a",
            "SELECT (SELECT v FROM c, t WHERE c.k = a.k AND t.j = a.j) FROM a",
        ] {
            assert!(rewritten(sql).contains("FROM c, t WHERE"), "{sql}: {}", rewritten(sql));
        }
    }

    #[test]
    fn relations_inside_parenthesized_joins_are_the_subquerys_own() {
        assert_eq!(
            rewritten("SELECT (SELECT b.v FROM (b JOIN c ON c.k = b.k) WHERE b.id = 7) FROM b"),
            "SELECT eddy_one_row((SELECT eddy_rows(b.v) FROM (b JOIN c ON c.k = b.k) WHERE b.id = 7)) FROM b"
        );
    }

    #[test]
    fn conditions_that_may_read_the_subquery_stay() {
        // unqualified columns may be the subquery's; a function may be volatile
        assert_eq!(
            rewritten("SELECT (SELECT s.v FROM s WHERE flag AND random() > a.x) FROM a"),
            "SELECT eddy_one_row((SELECT eddy_rows(s.v) FROM s WHERE flag AND random() > a.x)) FROM a"
        );
    }

    #[test]
    fn aggregated_grouped_limited_and_tableless_subqueries_are_left_alone() {
        for sql in [
            "SELECT (SELECT count(*) FROM s WHERE s.k = a.k) FROM a",
            "SELECT (SELECT max(s.v) + 1 FROM s WHERE s.k = a.k AND a.f) FROM a",
            "SELECT (SELECT s.v FROM s GROUP BY s.v) FROM a",
            "SELECT (SELECT DISTINCT s.v FROM s) FROM a",
            "SELECT (SELECT s.v FROM s LIMIT 1) FROM a",
            "SELECT (SELECT s.v FROM s ORDER BY s.v) FROM a",
            "SELECT (SELECT row_number() OVER () FROM s) FROM a",
            "SELECT (SELECT a.x + 1) FROM a",
            "SELECT (SELECT s.v, s.w FROM s) FROM a",
            // sets of rows, not values
            "SELECT 1 FROM a WHERE a.x > ALL(SELECT s.v FROM s)",
            "SELECT 1 FROM a WHERE a.x < ANY(SELECT s.v FROM s WHERE s.k = a.k)",
            // a relation without a name: its columns cannot be told from the outer query's
            "SELECT (SELECT v FROM (SELECT 1 AS v)) FROM a",
        ] {
            assert_eq!(rewritten(sql), sql, "{sql}");
        }
        // an aggregate inside a nested subquery does not make the outer one aggregated
        assert_eq!(
            rewritten("SELECT (SELECT (SELECT count(*) FROM c) FROM b) FROM a"),
            "SELECT eddy_one_row((SELECT eddy_rows((SELECT count(*) FROM c)) FROM b)) FROM a"
        );
    }

    /// psql's `\d` column query (its collation subquery), as psql 15 sends it.
    const PSQL_COLLATION: &str = "SELECT (SELECT c.collname FROM pg_collation c, pg_type t \
        WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation \
        FROM pg_attribute a";

    /// A test table: its name, its columns and its rows.
    type Table<'a> = (&'a str, &'a [&'a str], Vec<Vec<Option<i64>>>);

    /// A context with the rewrite's functions and `tables`, every column an
    /// int, or text when its name ends in `name`.
    fn context(tables: &[Table]) -> datafusion::prelude::SessionContext {
        let ctx = datafusion::prelude::SessionContext::new();
        ctx.register_udaf(rows());
        ctx.register_udf(one_row());
        ctx.register_udf(one_match());
        for (name, columns, rows) in tables {
            let fields: Vec<Field> = columns
                .iter()
                .map(|c| Field::new(*c, if c.ends_with("name") { DataType::Utf8 } else { DataType::Int64 }, true))
                .collect();
            let schema = Arc::new(arrow::datatypes::Schema::new(fields));
            let arrays: Vec<ArrayRef> = (0..columns.len())
                .map(|i| {
                    let values = arrow::array::Int64Array::from(rows.iter().map(|r| r[i]).collect::<Vec<_>>());
                    arrow::compute::cast(&values, schema.field(i).data_type()).unwrap()
                })
                .collect();
            let batch = arrow::record_batch::RecordBatch::try_new(schema.clone(), arrays).unwrap();
            let table = datafusion::datasource::MemTable::try_new(schema, vec![vec![batch]]).unwrap();
            ctx.register_table(*name, Arc::new(table)).unwrap();
        }
        ctx
    }

    /// `sql` rewritten and planned (optimized) in `ctx`.
    async fn optimized(ctx: &datafusion::prelude::SessionContext, sql: &str) -> datafusion::logical_expr::LogicalPlan {
        let mut statement = Parser::parse_sql(&PostgreSqlDialect {}, sql).unwrap().remove(0);
        let state = ctx.state();
        single_row_subqueries(&mut statement, &|name| state.aggregate_functions().contains_key(name));
        let plan =
            state.statement_to_plan(datafusion::sql::parser::Statement::Statement(Box::new(statement))).await.unwrap();
        state.optimize(&plan).unwrap()
    }

    /// The rows of `sql`, rewritten, as text (or its error).
    async fn answer(ctx: &datafusion::prelude::SessionContext, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let plan = optimized(ctx, sql).await;
        let mut rows = Vec::new();
        for batch in ctx.execute_logical_plan(plan).await?.collect().await? {
            let columns = batch
                .columns()
                .iter()
                .map(|c| arrow::compute::cast(c, &DataType::Utf8))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            for row in 0..batch.num_rows() {
                rows.push(
                    columns
                        .iter()
                        .map(|c| {
                            c.as_string::<i32>().is_valid(row).then(|| c.as_string::<i32>().value(row).to_string())
                        })
                        .collect(),
                );
            }
        }
        Ok(rows)
    }

    fn text(rows: &[&[Option<&str>]]) -> Vec<Vec<Option<String>>> {
        rows.iter().map(|r| r.iter().map(|v| v.map(str::to_string)).collect()).collect()
    }

    /// The plan of psql's collation subquery joins every relation by a key:
    /// no cross join of `pg_collation` and `pg_type` (an aggregate over
    /// their product is what made `\d` take seconds), and its answers are
    /// PostgreSQL's.
    #[tokio::test]
    async fn the_psql_collation_subquery_joins_by_keys_only() {
        let ctx = context(&[
            (
                "pg_attribute",
                &["attnum", "atttypid", "attcollation"],
                vec![
                    vec![Some(1), Some(20), Some(0)],   // bigint: no collation
                    vec![Some(2), Some(25), Some(100)], // text, its type's collation
                    vec![Some(3), Some(25), Some(950)], // text COLLATE "C"
                    vec![Some(4), Some(99), Some(950)], // a type that does not exist
                ],
            ),
            ("pg_collation", &["oid", "collname"], vec![vec![Some(100), None], vec![Some(950), None]]),
            ("pg_type", &["oid", "typcollation"], vec![vec![Some(20), Some(0)], vec![Some(25), Some(100)]]),
        ]);
        let sql = format!("{PSQL_COLLATION} ORDER BY a.attnum").replace("SELECT (", "SELECT a.attnum, (");
        let plan = optimized(&ctx, &sql).await;
        let mut joins = 0;
        plan.apply_with_subqueries(|node| {
            if let datafusion::logical_expr::LogicalPlan::Join(join) = node {
                joins += 1;
                assert!(!join.on.is_empty(), "a join without keys:\n{}", plan.display_indent());
            }
            Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
        })
        .unwrap();
        assert!(joins > 0, "{}", plan.display_indent());
        // collnames are NULL in the context's tables (ints only): name them by a CASE instead
        let sql = sql.replace("SELECT c.collname", "SELECT CASE WHEN c.oid = 950 THEN 'C' ELSE 'default' END");
        assert_eq!(
            answer(&ctx, &sql).await.unwrap(),
            text(&[&[Some("1"), None], &[Some("2"), None], &[Some("3"), Some("C")], &[Some("4"), None]])
        );
    }

    /// Computed part by part, a subquery still has the rows of the product:
    /// none when any part has none (even if another has two), an error when
    /// there are more than one.
    #[tokio::test]
    async fn parts_multiply_their_rows() {
        let ctx = context(&[
            ("a", &["k", "j"], vec![vec![Some(1), Some(1)], vec![Some(2), Some(2)], vec![Some(3), Some(3)]]),
            ("c", &["k", "v"], vec![vec![Some(1), Some(10)], vec![Some(2), Some(20)], vec![Some(2), Some(21)]]),
            ("t", &["j"], vec![vec![Some(1)], vec![Some(3)]]),
        ]);
        let sql =
            "SELECT a.k, (SELECT c.v FROM c, t WHERE c.k = a.k AND t.j = a.j) AS v FROM a WHERE a.k <> 2 ORDER BY a.k";
        // a.k = 1: one row; a.k = 3: c has none
        assert_eq!(answer(&ctx, sql).await.unwrap(), text(&[&[Some("1"), Some("10")], &[Some("3"), None]]));
        // a.k = 2: c has two rows, t none: no row, NULL
        let sql = "SELECT (SELECT c.v FROM c, t WHERE c.k = a.k AND t.j = a.j) AS v FROM a WHERE a.k = 2";
        assert_eq!(answer(&ctx, sql).await.unwrap(), text(&[&[None]]));
        // c has two rows and t one: an error
        let sql = "SELECT (SELECT c.v FROM c, t WHERE c.k = a.k AND t.j = 1) AS v FROM a WHERE a.k = 2";
        let error = answer(&ctx, sql).await.unwrap_err();
        assert!(error.to_string().contains("more than one row"), "{error}");
    }
}
