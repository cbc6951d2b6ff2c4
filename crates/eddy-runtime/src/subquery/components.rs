//! A scalar subquery's `FROM` split into parts no condition relates: its
//! rows are the product of the parts' rows.
//!
//! psql's `\d` asks for each column's collation with `(SELECT c.collname
//! FROM pg_collation c, pg_type t WHERE c.oid = a.attcollation AND t.oid =
//! a.atttypid AND a.attcollation <> t.typcollation)`. Nothing relates `c`
//! and `t`: each is looked up by its own key. DataFusion decorrelates the
//! subquery as written into an aggregate over `pg_collation × pg_type`
//! (half a million rows) grouped by both keys, and that took seconds for
//! every `\d`. Computed part by part instead, each part is an aggregate over
//! one relation joined by its own key, and the subquery's row count is the
//! product of the parts' counts, which [`super::one_row`] takes: the same
//! answer, the same errors for more rows than one.

use std::collections::HashSet;

use eddy_sql::normalize_ident;
use sqlparser::ast::{Expr, Query, Select, SetExpr, TableWithJoins, Visit};

use super::{call, call_with, conjunction, has_subquery, relation_names, set_value, ExprVisitor, ROWS};

/// One part of a subquery's `FROM`: relations and the conditions on them.
#[derive(Debug, Clone)]
pub(super) struct Component {
    /// Its `FROM` items.
    from: Vec<TableWithJoins>,
    /// The names its relations are known by.
    names: HashSet<String>,
    /// The conditions of the subquery that read its relations.
    conditions: Vec<Expr>,
}

/// The parts of `select`'s `FROM` that none of the conditions `kept`
/// relates, when there are two or more and every column of the conditions
/// and of `reads` (the value, the conditions compared outside) is
/// qualified by the name of one of its relations or of the outer query's;
/// `None` otherwise (also when a condition has a subquery of its own or
/// reads none of the subquery's relations).
pub(super) fn components(select: &Select, kept: &[Expr], reads: &[&Expr]) -> Option<Vec<Component>> {
    if select.from.len() < 2 {
        return None;
    }
    let mut units: Vec<Component> = Vec::with_capacity(select.from.len());
    for table in &select.from {
        let names = relation_names(std::slice::from_ref(table))?;
        if units.iter().any(|unit| !unit.names.is_disjoint(&names)) {
            return None;
        }
        units.push(Component { from: vec![table.clone()], names, conditions: Vec::new() });
    }
    if reads.iter().any(|e| has_subquery(e) || has_bare_column(e)) {
        return None;
    }
    // Union-find over the FROM items: a condition joins those it reads.
    let mut parent: Vec<usize> = (0..units.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owners = Vec::with_capacity(kept.len());
    for condition in kept {
        if has_subquery(condition) || has_bare_column(condition) {
            return None;
        }
        let read = read_units(condition, &units);
        let first = *read.first()?;
        for &other in &read[1..] {
            let (a, b) = (root(&mut parent, first), root(&mut parent, other));
            parent[a] = b;
        }
        owners.push(first);
    }
    let mut parts: Vec<(usize, Component)> = Vec::new();
    for (i, unit) in units.into_iter().enumerate() {
        let r = root(&mut parent, i);
        match parts.iter_mut().find(|(root, _)| *root == r) {
            Some((_, part)) => {
                part.from.extend(unit.from);
                part.names.extend(unit.names);
            }
            None => parts.push((r, unit)),
        }
    }
    if parts.len() < 2 {
        return None;
    }
    for (condition, owner) in kept.iter().zip(owners) {
        let r = root(&mut parent, owner);
        let part = parts.iter_mut().find(|(root, _)| *root == r).map(|(_, part)| part)?;
        part.conditions.push(condition.clone());
    }
    Some(parts.into_iter().map(|(_, part)| part).collect())
}

/// The parts (indexes into `components`) whose columns `expr` reads.
pub(super) fn read_units(expr: &Expr, components: &[Component]) -> Vec<usize> {
    let mut read = Vec::new();
    let _ = expr.visit(&mut ExprVisitor(|e: &Expr| {
        if let Some(i) = owner(e, components) {
            if !read.contains(&i) {
                read.push(i);
            }
        }
        false
    }));
    read
}

/// The part whose relation qualifies the column `expr`, if it is one.
fn owner(expr: &Expr, components: &[Component]) -> Option<usize> {
    let Expr::CompoundIdentifier(parts) = expr else { return None };
    let qualifier = normalize_ident(parts.len().checked_sub(2).and_then(|i| parts.get(i))?);
    components.iter().position(|c| c.names.contains(&qualifier))
}

/// Whether `expr` names a column without a qualifier (it could be any
/// relation's).
fn has_bare_column(expr: &Expr) -> bool {
    expr.visit(&mut ExprVisitor(|e: &Expr| matches!(e, Expr::Identifier(_)))).is_break()
}

/// `check(lookups...)` for `value` of the subquery `query` computed part by
/// part: the first lookup is `value` in the part that holds its columns
/// (the first part when it reads none), then one per other part, counting
/// its rows.
pub(super) fn checked_by_parts(check: &str, query: &Query, components: &[Component], value: Expr) -> Expr {
    let home = read_units(&value, components).first().copied().unwrap_or(0);
    let mut lookups = vec![lookup(query, &components[home], value)];
    for (i, component) in components.iter().enumerate() {
        if i != home {
            lookups.push(lookup(query, component, Expr::Value(sqlparser::ast::Value::Boolean(true).into())));
        }
    }
    call_with(check, lookups)
}

/// `(SELECT eddy_rows(value) FROM <part> WHERE <its conditions>)`.
fn lookup(query: &Query, component: &Component, value: Expr) -> Expr {
    let mut copy = query.clone();
    if let SetExpr::Select(select) = copy.body.as_mut() {
        select.from = component.from.clone();
        select.selection = conjunction(component.conditions.clone());
    }
    set_value(&mut copy, call(ROWS, value));
    Expr::Subquery(Box::new(copy))
}
