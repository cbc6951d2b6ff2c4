//! Eddy's PostgreSQL dialect: functions that answer as PostgreSQL does,
//! registered on the DataFusion session every query is planned in, so a
//! continuous query and a pull query compute the same value.
//!
//! Entry point: [`functions::scalar_functions`], the functions that replace
//! DataFusion's where their semantics differ (`to_char` takes PostgreSQL's
//! templates, not chrono's) or that DataFusion lacks.

pub mod average;
pub mod casts;
pub mod checked_arithmetic;
pub mod column_names;
pub mod date_part;
pub mod datetime_text;
pub mod functions;
pub mod math;
pub mod names;
pub mod text;
pub mod type_rules;
pub mod types;

use std::sync::Arc;

use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::optimizer::analyzer::resolve_grouping_function::ResolveGroupingFunction;
use datafusion::optimizer::analyzer::type_coercion::TypeCoercion;

/// `builder` with the dialect: its analyzer rules around DataFusion's type
/// coercion ([`type_rules`] before it, [`checked_arithmetic`] after) and its
/// functions ([`functions::scalar_functions`], replacing DataFusion's of the
/// same name). Call after `with_default_features`.
pub fn with_postgres_dialect(builder: SessionStateBuilder) -> SessionStateBuilder {
    let mut builder = builder.with_analyzer_rules(vec![
        Arc::new(ResolveGroupingFunction::new()),
        Arc::new(type_rules::PostgresTypeRules),
        Arc::new(TypeCoercion::new()),
        Arc::new(checked_arithmetic::CheckedArithmetic),
    ]);
    let functions = builder.scalar_functions().get_or_insert_with(Vec::new);
    let dialect = [datafusion::logical_expr::ScalarUDF::new_from_impl(date_part::DatePart)];
    for function in functions::scalar_functions().into_iter().chain(math::math_functions()).chain(dialect) {
        functions.retain(|f| f.name() != function.name());
        functions.push(Arc::new(function));
    }
    if let Some(position) = functions.iter().position(|f| f.name() == "ceil") {
        functions[position] = Arc::new(functions[position].as_ref().clone().with_aliases(["ceiling"]));
    }
    let aggregates = builder.aggregate_functions().get_or_insert_with(Vec::new);
    aggregates.retain(|f| f.name() != "avg");
    aggregates.push(Arc::new(datafusion::logical_expr::AggregateUDF::new_from_impl(average::PostgresAvg::default())));
    // PostgreSQL's names for aggregates DataFusion has under others.
    for (name, alias) in [("bool_and", "every"), ("var", "variance")] {
        if let Some(position) = aggregates.iter().position(|f| f.name() == name) {
            let aliased = aggregates[position].as_ref().clone().with_aliases([alias]);
            aggregates[position] = Arc::new(aliased);
        }
    }
    builder
}
