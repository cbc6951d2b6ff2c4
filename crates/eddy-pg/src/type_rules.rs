//! PostgreSQL's rules for the types of operands, applied to a logical plan
//! before DataFusion coerces it (an analyzer rule that runs ahead of
//! `TypeCoercion`).
//!
//! DataFusion coerces more freely than PostgreSQL: it compares a `TEXT`
//! column with a number by casting one side at run time, and sums text.
//! PostgreSQL refuses those at planning time (42883), and reads only a
//! quoted literal — its "unknown" type — as whatever the other side needs.
//! So here:
//! - an integer constant that fits is `integer` (int4), as PostgreSQL types
//!   it, so `2147483647 + 1` overflows as it does there;
//! - a comparison or arithmetic between a text expression that is not a
//!   literal and a number, time or boolean is refused (42883, both types
//!   named); a string literal on one side becomes the other side's type;
//! - CASE and COALESCE branches mixing text expressions with other types are
//!   refused (42804), string literals among them take the other type;
//! - aggregates and functions over the wrong kind of argument are refused
//!   (`sum(text)`, `length(integer)`: 42883);
//! - `sum(bigint)` sums as `numeric`, as PostgreSQL does, so it never wraps.

use arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRewriter};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr::{AggregateFunction, Case, InList, ScalarFunction};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::utils::merge_schema;
use datafusion::logical_expr::{Between, BinaryExpr, Cast, Expr, ExprSchemable, LogicalPlan, Operator};
use datafusion::optimizer::analyzer::AnalyzerRule;
use datafusion::scalar::ScalarValue;
use eddy_common::{sqlstate, SqlError};

use crate::types::postgres_type_name;

/// The analyzer rule (see the module documentation).
#[derive(Debug, Default)]
pub struct PostgresTypeRules;

impl AnalyzerRule for PostgresTypeRules {
    fn name(&self) -> &str {
        "postgres_type_rules"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        Ok(plan.transform_up_with_subqueries(analyze_node)?.data)
    }
}

fn analyze_node(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    // A LIMIT's count stays a bigint.
    if matches!(plan, LogicalPlan::Limit(_)) {
        return Ok(Transformed::no(plan));
    }
    if let LogicalPlan::Union(union) = &plan {
        check_union(union)?;
    }
    let mut schema = merge_schema(&plan.inputs());
    if let LogicalPlan::TableScan(scan) = &plan {
        schema.merge(&DFSchema::try_from_qualified_schema(scan.table_name.clone(), &scan.source.schema())?);
    }
    let preserver = NamePreserver::new(&plan);
    let mut rewriter = TypeRules { schema: &schema };
    plan.map_expressions(|expr| {
        let name = preserver.save(&expr);
        expr.rewrite(&mut rewriter).map(|t| t.update_data(|e| name.restore(e)))
    })?
    .map_data(|plan| match plan {
        // A VALUES list keeps the schema it was built with: build it again
        // from its (now PostgreSQL-typed) rows.
        LogicalPlan::Values(values)
            if values.values.first().is_some_and(|row| row.len() == values.schema.fields().len()) =>
        {
            let rebuilt = datafusion::logical_expr::LogicalPlanBuilder::values(values.values.clone())?.build()?;
            Ok(
                if rebuilt.schema().fields().iter().map(|f| f.name()).eq(values
                    .schema
                    .fields()
                    .iter()
                    .map(|f| f.name()))
                {
                    rebuilt
                } else {
                    LogicalPlan::Values(values)
                },
            )
        }
        plan => plan.recompute_schema(),
    })
}

/// PostgreSQL refuses a UNION of text with numbers, times or booleans
/// (42804); DataFusion would make both text.
fn check_union(union: &datafusion::logical_expr::Union) -> Result<()> {
    let Some(first) = union.inputs.first() else { return Ok(()) };
    for input in &union.inputs[1..] {
        for (a, b) in first.schema().fields().iter().zip(input.schema().fields()) {
            let (ca, cb) = (category(a.data_type()), category(b.data_type()));
            let text_against = |x: Category, y: Category| {
                x == Category::Text && matches!(y, Category::Number | Category::Time | Category::Boolean)
            };
            if text_against(ca, cb) || text_against(cb, ca) {
                return Err(SqlError::into_datafusion(
                    sqlstate::DATATYPE_MISMATCH,
                    format!(
                        "UNION types {} and {} cannot be matched",
                        postgres_type_name(a.data_type()),
                        postgres_type_name(b.data_type())
                    ),
                ));
            }
        }
    }
    Ok(())
}

struct TypeRules<'a> {
    schema: &'a DFSchema,
}

/// What PostgreSQL would call the type's category, for the rules above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Text,
    Number,
    Time,
    Boolean,
    Other,
}

fn category(data_type: &DataType) -> Category {
    match data_type {
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => Category::Text,
        t if t.is_numeric() => Category::Number,
        DataType::Date32
        | DataType::Date64
        | DataType::Timestamp(..)
        | DataType::Time32(_)
        | DataType::Time64(_)
        | DataType::Interval(_)
        | DataType::Duration(_) => Category::Time,
        DataType::Boolean => Category::Boolean,
        _ => Category::Other,
    }
}

/// The casts PostgreSQL's implicit promotions give the operands of `op`
/// where DataFusion would choose otherwise: a `real` beside an integer or a
/// numeric, and a `numeric` beside a double, compute in double precision
/// (DataFusion keeps a real, or makes the double a decimal); a date plus or
/// minus an interval is a timestamp (DataFusion keeps a date and drops the
/// time of day). `None` when nothing changes.
fn promoted(left: &DataType, right: &DataType, op: Operator) -> Option<(Option<DataType>, Option<DataType>)> {
    let double = Some(DataType::Float64);
    let decimal = |t: &DataType| matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..));
    let exact = |t: &DataType| t.is_integer() || decimal(t);
    match (left, right) {
        (DataType::Float32, t) if exact(t) => Some((double.clone(), double)),
        (t, DataType::Float32) if exact(t) => Some((double.clone(), double)),
        (DataType::Float64, t) if decimal(t) => Some((None, double)),
        (t, DataType::Float64) if decimal(t) => Some((double, None)),
        (DataType::Date32, DataType::Interval(_)) if matches!(op, Operator::Plus | Operator::Minus) => {
            Some((Some(DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None)), None))
        }
        (DataType::Interval(_), DataType::Date32) if op == Operator::Plus => {
            Some((None, Some(DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None))))
        }
        _ => None,
    }
}

/// A quoted literal read as `to`, as PostgreSQL's cast would read it.
fn cast_literal(literal: Expr, from: &DataType, to: &DataType) -> Result<Expr> {
    Ok(match crate::casts::postgres_cast(literal.clone(), from, to)? {
        Some(expr) => expr,
        None => Expr::Cast(Cast::new(Box::new(literal), to.clone())),
    })
}

/// A quoted literal: PostgreSQL's "unknown" type, which adapts to the other operand.
fn is_unknown_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Literal(ScalarValue::Utf8(Some(_)) | ScalarValue::Utf8View(Some(_)) | ScalarValue::LargeUtf8(Some(_)), _)
    )
}

fn no_operator(left: &DataType, op: &str, right: &DataType) -> datafusion::error::DataFusionError {
    SqlError::with_hint(
        sqlstate::UNDEFINED_FUNCTION,
        format!("operator does not exist: {} {op} {}", postgres_type_name(left), postgres_type_name(right)),
        "No operator matches the given name and argument types. You might need to add explicit type casts.",
    )
}

fn no_function(name: &str, types: &[DataType]) -> datafusion::error::DataFusionError {
    let types: Vec<String> = types.iter().map(postgres_type_name).collect();
    SqlError::with_hint(
        sqlstate::UNDEFINED_FUNCTION,
        format!("function {name}({}) does not exist", types.join(", ")),
        "No function matches the given name and argument types. You might need to add explicit type casts.",
    )
}

/// Aggregates PostgreSQL defines over numbers (and intervals) only.
const NUMERIC_AGGREGATES: &[&str] =
    &["sum", "avg", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp"];
/// Aggregates over booleans only.
const BOOLEAN_AGGREGATES: &[&str] = &["bool_and", "bool_or", "every"];
/// Functions whose first argument PostgreSQL defines as text only.
const TEXT_FUNCTIONS: &[&str] = &[
    "length",
    "char_length",
    "character_length",
    "octet_length",
    "bit_length",
    "upper",
    "lower",
    "initcap",
    "btrim",
    "ltrim",
    "rtrim",
    "lpad",
    "rpad",
    "left",
    "right",
    "repeat",
    "replace",
    "reverse",
    "split_part",
    "starts_with",
    "strpos",
    "substr",
    "substring",
    "md5",
    "ascii",
    "translate",
    "regexp_replace",
    "regexp_match",
    "regexp_like",
];
/// Math functions PostgreSQL defines over numbers only.
const NUMBER_FUNCTIONS: &[&str] = &[
    "abs",
    "ceil",
    "ceiling",
    "floor",
    "round",
    "trunc",
    "sqrt",
    "cbrt",
    "exp",
    "ln",
    "log",
    "log10",
    "log2",
    "power",
    "pow",
    "sign",
    "signum",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "degrees",
    "radians",
    "gcd",
    "lcm",
    "factorial",
    "mod",
    "div",
];

impl TypeRules<'_> {
    fn type_of(&self, expr: &Expr) -> Option<DataType> {
        expr.get_type(self.schema).ok().filter(|t| *t != DataType::Null)
    }

    /// `left op right` with PostgreSQL's operand rules.
    fn binary(&self, binary: BinaryExpr) -> Result<Transformed<Expr>> {
        let BinaryExpr { left, op, right } = binary;
        let checked = matches!(
            op,
            Operator::Eq
                | Operator::NotEq
                | Operator::Lt
                | Operator::LtEq
                | Operator::Gt
                | Operator::GtEq
                | Operator::Plus
                | Operator::Minus
                | Operator::Multiply
                | Operator::Divide
                | Operator::Modulo
        );
        let (Some(left_type), Some(right_type)) = (self.type_of(&left), self.type_of(&right)) else {
            return Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr { left, op, right })));
        };
        if !checked {
            return Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr { left, op, right })));
        }
        let (left_category, right_category) = (category(&left_type), category(&right_type));
        let mismatch = |a: Category, b: Category| {
            a == Category::Text && matches!(b, Category::Number | Category::Time | Category::Boolean)
        };
        if mismatch(left_category, right_category) && !is_unknown_literal(&left)
            || mismatch(right_category, left_category) && !is_unknown_literal(&right)
        {
            return Err(no_operator(&left_type, &op.to_string(), &right_type));
        }
        let comparison = op.supports_propagation();
        // A quoted literal takes the other operand's type (in arithmetic
        // only beside a number: `ts - '1 day'` is an interval).
        let literal_takes = |other: Category| comparison && other != Category::Other || other == Category::Number;
        if left_category == Category::Text && right_category != Category::Text && literal_takes(right_category) {
            let left = Box::new(cast_literal(*left, &left_type, &right_type)?);
            return Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr { left, op, right })));
        }
        if right_category == Category::Text && left_category != Category::Text && literal_takes(left_category) {
            let right = Box::new(cast_literal(*right, &right_type, &left_type)?);
            return Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr { left, op, right })));
        }
        if comparison && matches!(left_type, DataType::Interval(_)) && matches!(right_type, DataType::Interval(_)) {
            let (left, right) =
                (Box::new(crate::casts::interval_key(*left)), Box::new(crate::casts::interval_key(*right)));
            return Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr { left, op, right })));
        }
        match promoted(&left_type, &right_type, op) {
            Some((l, r)) => {
                let cast = |e: Box<Expr>, t: Option<DataType>| match t {
                    Some(t) => Box::new(Expr::Cast(Cast::new(e, t))),
                    None => e,
                };
                let (left, right) = (cast(left, l), cast(right, r));
                Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr { left, op, right })))
            }
            None => Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr { left, op, right }))),
        }
    }

    /// `expr [NOT] IN (list)`: each item compared as `=` would be.
    fn in_list(&self, in_list: InList) -> Result<Transformed<Expr>> {
        let Some(expr_type) = self.type_of(&in_list.expr) else { return Ok(Transformed::no(Expr::InList(in_list))) };
        let expr_category = category(&expr_type);
        let mut changed = false;
        let mut list = Vec::with_capacity(in_list.list.len());
        for item in in_list.list {
            let Some(item_type) = self.type_of(&item) else {
                list.push(item);
                continue;
            };
            let item_category = category(&item_type);
            let text_against = |a: Category, b: Category| {
                a == Category::Text && matches!(b, Category::Number | Category::Time | Category::Boolean)
            };
            if text_against(expr_category, item_category) && !is_unknown_literal(&in_list.expr)
                || text_against(item_category, expr_category) && !is_unknown_literal(&item)
            {
                return Err(no_operator(&expr_type, "=", &item_type));
            }
            if item_category == Category::Text
                && is_unknown_literal(&item)
                && expr_category != Category::Text
                && expr_category != Category::Other
            {
                list.push(Expr::Cast(Cast::new(Box::new(item), expr_type.clone())));
                changed = true;
            } else {
                list.push(item);
            }
        }
        let expr = Expr::InList(InList { expr: in_list.expr, list, negated: in_list.negated });
        Ok(if changed { Transformed::yes(expr) } else { Transformed::no(expr) })
    }

    /// The type PostgreSQL resolves for branches of CASE / COALESCE: string
    /// literals take the others' type; a text expression beside other
    /// types is an error.
    fn branches(&self, what: &str, branches: Vec<Expr>) -> Result<(Vec<Expr>, bool)> {
        let typed: Vec<(Option<DataType>, bool)> =
            branches.iter().map(|b| (self.type_of(b), is_unknown_literal(b))).collect();
        let mut text = None;
        let mut other = None;
        for (data_type, literal) in &typed {
            match data_type.as_ref().map(|t| (t, category(t))) {
                Some((t, Category::Text)) if !literal => text = text.or(Some(t.clone())),
                Some((_, Category::Text)) | None => {}
                Some((_, Category::Other)) => return Ok((branches, false)),
                Some((t, _)) => other = other.or(Some(t.clone())),
            }
        }
        match (text, other) {
            (Some(text), Some(other)) => Err(SqlError::into_datafusion(
                sqlstate::DATATYPE_MISMATCH,
                format!(
                    "{what} types {} and {} cannot be matched",
                    postgres_type_name(&text),
                    postgres_type_name(&other)
                ),
            )),
            (None, Some(other)) => {
                let mut changed = false;
                let mut cast = Vec::with_capacity(branches.len());
                for (branch, (data_type, literal)) in branches.into_iter().zip(typed) {
                    if literal {
                        changed = true;
                        cast.push(cast_literal(branch, &data_type.unwrap_or(DataType::Utf8), &other)?);
                    } else {
                        cast.push(branch);
                    }
                }
                Ok((cast, changed))
            }
            _ => Ok((branches, false)),
        }
    }

    fn case(&self, case: Case) -> Result<Transformed<Expr>> {
        let Case { expr, when_then_expr, else_expr } = case;
        let mut results: Vec<Expr> = when_then_expr.iter().map(|(_, then)| then.as_ref().clone()).collect();
        let has_else = else_expr.is_some();
        if let Some(e) = &else_expr {
            results.push(e.as_ref().clone());
        }
        let (mut results, changed) = self.branches("CASE", results)?;
        if !changed {
            return Ok(Transformed::no(Expr::Case(Case { expr, when_then_expr, else_expr })));
        }
        let else_expr = if has_else { results.pop().map(Box::new) } else { None };
        let when_then_expr =
            when_then_expr.into_iter().zip(results).map(|((when, _), then)| (when, Box::new(then))).collect();
        Ok(Transformed::yes(Expr::Case(Case { expr, when_then_expr, else_expr })))
    }

    fn scalar_function(&self, call: ScalarFunction) -> Result<Transformed<Expr>> {
        let name = call.func.name().to_lowercase();
        if let Some(rewritten) = self.postgres_function(&name, &call)? {
            return Ok(Transformed::yes(rewritten));
        }
        if matches!(name.as_str(), "coalesce" | "greatest" | "least" | "nullif") {
            let what = name.to_uppercase();
            let (args, changed) = self.branches(&what, call.args)?;
            let expr = Expr::ScalarFunction(ScalarFunction { func: call.func, args });
            return Ok(if changed { Transformed::yes(expr) } else { Transformed::no(expr) });
        }
        let text_first = TEXT_FUNCTIONS.contains(&name.as_str());
        let numbers = NUMBER_FUNCTIONS.contains(&name.as_str());
        if text_first || numbers {
            let types: Vec<Option<DataType>> = call.args.iter().map(|a| self.type_of(a)).collect();
            let wrong = call.args.iter().zip(&types).enumerate().any(|(i, (arg, t))| {
                let Some(t) = t else { return false };
                match category(t) {
                    Category::Text if numbers => !is_unknown_literal(arg),
                    Category::Number | Category::Time | Category::Boolean if text_first => i == 0,
                    _ => false,
                }
            });
            if wrong {
                let types: Vec<DataType> = types.into_iter().map(|t| t.unwrap_or(DataType::Null)).collect();
                return Err(no_function(&name, &types));
            }
        }
        Ok(Transformed::no(Expr::ScalarFunction(call)))
    }

    /// Functions PostgreSQL defines otherwise than DataFusion, rewritten:
    /// `mod` and `div` as operators, rounding functions over a numeric of
    /// any precision (DataFusion's overflow at the input's), `to_hex` of an
    /// integer in 32 bits.
    fn postgres_function(&self, name: &str, call: &ScalarFunction) -> Result<Option<Expr>> {
        let args = &call.args;
        let types: Vec<Option<DataType>> = args.iter().map(|a| self.type_of(a)).collect();
        let binary = |op: Operator, left: Expr, right: Expr| {
            Expr::BinaryExpr(BinaryExpr { left: Box::new(left), op, right: Box::new(right) })
        };
        Ok(match (name, args.as_slice(), types.as_slice()) {
            ("mod", [a, b], _) => Some(binary(Operator::Modulo, a.clone(), b.clone())),
            // round(double precision) rounds half to even in PostgreSQL (rint).
            ("round", [x], [Some(DataType::Float64 | DataType::Float32)]) => {
                Some(crate::casts::round_half_even(x.clone()))
            }
            // EXTRACT is planned with DataFusion's date_part, whatever is registered.
            ("date_part", [_, _], _) => {
                let ours = datafusion::logical_expr::ScalarUDF::new_from_impl(crate::date_part::DatePart);
                (call.func.as_ref() != &ours).then(|| {
                    Expr::ScalarFunction(ScalarFunction { func: std::sync::Arc::new(ours), args: args.clone() })
                })
            }
            // PostgreSQL arrays start at 1 and have no negative positions:
            // `a[0]` and `a[-1]` are NULL (DataFusion counts from the end).
            ("array_element", [array, index], _) => {
                use datafusion::logical_expr::{lit, when};
                let position = when(index.clone().gt_eq(lit(1i64)), index.clone()).end()?;
                Some(Expr::ScalarFunction(ScalarFunction {
                    func: call.func.clone(),
                    args: vec![array.clone(), position],
                }))
            }
            // The length of an empty array is NULL in PostgreSQL.
            ("array_length", [_, ..], _) => Some(datafusion::functions::core::expr_fn::nullif(
                Expr::ScalarFunction(call.clone()),
                datafusion::logical_expr::lit(0u64),
            )),
            // `x = ANY(array)`: NULL, not false, when no element matched and
            // one was NULL (or x is NULL), as PostgreSQL answers.
            ("array_has", [haystack, needle], _) => {
                use datafusion::logical_expr::{lit, when};
                let null = lit(ScalarValue::Boolean(None));
                let has_null = datafusion::functions_nested::expr_fn::array_position(
                    haystack.clone(),
                    lit(ScalarValue::Null),
                    lit(1i64),
                )
                .is_not_null();
                let empty = datafusion::functions_nested::expr_fn::cardinality(haystack.clone()).eq(lit(0u64));
                Some(
                    when(haystack.clone().is_null(), null.clone())
                        .when(empty, lit(false))
                        .when(needle.clone().is_null(), null.clone())
                        .when(Expr::ScalarFunction(call.clone()), lit(true))
                        .when(has_null, null)
                        .otherwise(lit(false))?,
                )
            }
            ("div", [a, b], [Some(ta), Some(tb)]) if ta.is_integer() && tb.is_integer() => {
                Some(binary(Operator::Divide, a.clone(), b.clone()))
            }
            ("div", [a, b], _) => {
                let double = |e: &Expr| Expr::Cast(Cast::new(Box::new(e.clone()), DataType::Float64));
                let quotient = binary(Operator::Divide, double(a), double(b));
                Some(datafusion::functions::math::trunc().call(vec![quotient]))
            }
            ("ceil" | "floor" | "round" | "trunc", [a, rest @ ..], [Some(DataType::Decimal128(p, s)), ..])
                if *p < 38 =>
            {
                let mut args = vec![Expr::Cast(Cast::new(Box::new(a.clone()), DataType::Decimal128(38, *s)))];
                args.extend(rest.iter().cloned());
                Some(Expr::ScalarFunction(ScalarFunction { func: call.func.clone(), args }))
            }
            ("to_hex", [a], [Some(DataType::Int32 | DataType::Int16 | DataType::Int8)]) => {
                let wide = Expr::Cast(Cast::new(Box::new(a.clone()), DataType::Int64));
                let masked =
                    binary(Operator::BitwiseAnd, wide, Expr::Literal(ScalarValue::Int64(Some(0xFFFF_FFFF)), None));
                Some(Expr::ScalarFunction(ScalarFunction { func: call.func.clone(), args: vec![masked] }))
            }
            _ => None,
        })
    }

    fn aggregate(&self, mut call: AggregateFunction) -> Result<Transformed<Expr>> {
        let name = call.func.name().to_lowercase();
        let types: Vec<Option<DataType>> = call.params.args.iter().map(|a| self.type_of(a)).collect();
        let kinds: Vec<Option<Category>> = types.iter().map(|t| t.as_ref().map(category)).collect();
        let refuse = if NUMERIC_AGGREGATES.contains(&name.as_str()) {
            kinds.iter().any(|k| matches!(k, Some(Category::Text | Category::Boolean)))
                || kinds.iter().zip(&types).any(|(k, t)| {
                    *k == Some(Category::Time) && !matches!(t, Some(DataType::Interval(_) | DataType::Duration(_)))
                })
        } else if BOOLEAN_AGGREGATES.contains(&name.as_str()) {
            kinds.iter().any(|k| matches!(k, Some(Category::Text | Category::Number | Category::Time)))
        } else if matches!(name.as_str(), "min" | "max") {
            kinds.contains(&Some(Category::Boolean))
        } else {
            false
        };
        if refuse {
            let types: Vec<DataType> = types.into_iter().map(|t| t.unwrap_or(DataType::Null)).collect();
            return Err(no_function(&name, &types));
        }
        // PostgreSQL's sum(bigint) is numeric: it cannot wrap around.
        if name == "sum" && matches!(types.first(), Some(Some(DataType::Int64 | DataType::UInt64))) {
            let arg = call.params.args.remove(0);
            call.params.args.insert(0, Expr::Cast(Cast::new(Box::new(arg), DataType::Decimal128(38, 0))));
            return Ok(Transformed::yes(Expr::AggregateFunction(call)));
        }
        Ok(Transformed::no(Expr::AggregateFunction(call)))
    }

    /// A cast as PostgreSQL performs it ([`crate::casts`]).
    fn cast(&self, cast: Cast) -> Result<Transformed<Expr>> {
        let Some(from) = self.type_of(&cast.expr) else { return Ok(Transformed::no(Expr::Cast(cast))) };
        let to = cast.field.data_type().clone();
        match crate::casts::postgres_cast(cast.expr.as_ref().clone(), &from, &to)? {
            Some(expr) => Ok(Transformed::yes(expr)),
            None => Ok(Transformed::no(Expr::Cast(cast))),
        }
    }

    fn between(&self, between: Between) -> Result<Transformed<Expr>> {
        let Some(expr_type) = self.type_of(&between.expr) else { return Ok(Transformed::no(Expr::Between(between))) };
        for bound in [&between.low, &between.high] {
            if let Some(bound_type) = self.type_of(bound) {
                let (a, b) = (category(&expr_type), category(&bound_type));
                let text_against = |a: Category, b: Category| {
                    a == Category::Text && matches!(b, Category::Number | Category::Time | Category::Boolean)
                };
                if text_against(a, b) && !is_unknown_literal(&between.expr)
                    || text_against(b, a) && !is_unknown_literal(bound)
                {
                    return Err(no_operator(&expr_type, ">=", &bound_type));
                }
            }
        }
        Ok(Transformed::no(Expr::Between(between)))
    }
}

/// An integer constant typed as PostgreSQL types it: `integer` when it fits.
fn integer_literal(value: i64, metadata: Option<datafusion::logical_expr::expr::FieldMetadata>) -> Expr {
    match i32::try_from(value) {
        Ok(small) => Expr::Literal(ScalarValue::Int32(Some(small)), metadata),
        Err(_) => Expr::Literal(ScalarValue::Int64(Some(value)), metadata),
    }
}

impl TreeNodeRewriter for TypeRules<'_> {
    type Node = Expr;

    fn f_up(&mut self, expr: Expr) -> Result<Transformed<Expr>> {
        match expr {
            Expr::Literal(ScalarValue::Int64(Some(value)), metadata) if i32::try_from(value).is_ok() => {
                Ok(Transformed::yes(integer_literal(value, metadata)))
            }
            // A constant beyond bigint is numeric in PostgreSQL.
            Expr::Literal(ScalarValue::UInt64(Some(value)), metadata) => {
                Ok(Transformed::yes(Expr::Literal(ScalarValue::Decimal128(Some(value as i128), 20, 0), metadata)))
            }
            // PostgreSQL folds a sign into the constant it precedes, then
            // types the value: -2147483648 is an integer, -(-2147483648) a bigint.
            Expr::Negative(inner) => match *inner {
                Expr::Literal(ScalarValue::Int32(Some(value)), metadata) => {
                    Ok(Transformed::yes(integer_literal(-(value as i64), metadata)))
                }
                Expr::Literal(ScalarValue::Int64(Some(value)), metadata) if value != i64::MIN => {
                    Ok(Transformed::yes(integer_literal(-value, metadata)))
                }
                inner => Ok(Transformed::no(Expr::Negative(Box::new(inner)))),
            },
            Expr::BinaryExpr(binary) => self.binary(binary),
            Expr::InList(in_list) => self.in_list(in_list),
            Expr::Case(case) => self.case(case),
            Expr::ScalarFunction(call) => self.scalar_function(call),
            Expr::AggregateFunction(call) => self.aggregate(call),
            Expr::Between(between) => self.between(between),
            Expr::Cast(cast) => self.cast(cast),
            other => Ok(Transformed::no(other)),
        }
    }
}
