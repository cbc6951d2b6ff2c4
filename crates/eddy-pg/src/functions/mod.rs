//! Scalar functions with PostgreSQL's semantics, named as PostgreSQL's so
//! that registering them replaces DataFusion's function of the same name:
//!
//! - `to_char(timestamp | timestamptz | date | interval | number, text)`
//!   with PostgreSQL's datetime and numeric templates ([`ToChar`]);
//! - `to_timestamp(text, text)`, `to_timestamp(double precision)`
//!   ([`ToTimestamp`]) and `to_date(text, text)` ([`ToDate`]), reading
//!   PostgreSQL's datetime templates; their other arities keep
//!   DataFusion's meaning.
//!
//! Errors a user causes carry PostgreSQL's SQLSTATE and message (as
//! `eddy_common::SqlError`); no input makes these functions panic.
//!
//! The dataflow of a call: `arguments` reads the columns, a template is
//! parsed once (`datetime_template`, `number_template`), then each value is
//! printed (`datetime_format`, `number_format`) or read (`datetime_parse`),
//! with PostgreSQL's calendar arithmetic (`calendar`).

mod arguments;
mod calendar;
mod datetime_format;
mod datetime_parse;
mod datetime_template;
mod error;
mod number_format;
mod number_template;
mod ordinal;
mod to_char;
mod to_date;
mod to_timestamp;

pub use to_char::ToChar;
pub use to_date::ToDate;
pub use to_timestamp::ToTimestamp;

use datafusion::logical_expr::ScalarUDF;

/// Every function of this crate; registering one replaces DataFusion's
/// function of the same name.
pub fn scalar_functions() -> Vec<ScalarUDF> {
    vec![ScalarUDF::from(ToChar::new()), ScalarUDF::from(ToTimestamp::new()), ScalarUDF::from(ToDate::new())]
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use arrow::util::pretty::pretty_format_batches;
    use datafusion::prelude::SessionContext;

    use super::scalar_functions;

    /// Runs a future that needs no I/O to completion (planning and running
    /// a `SELECT` without tables).
    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let mut context = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
        }
    }

    fn query(sql: &str) -> Result<String, String> {
        let ctx = SessionContext::new();
        for function in scalar_functions() {
            ctx.register_udf(function);
        }
        block_on(async {
            let batches = ctx.sql(sql).await?.collect().await?;
            Ok::<_, datafusion::error::DataFusionError>(pretty_format_batches(&batches)?.to_string())
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn registered_functions_replace_datafusions_in_sql() {
        // Expected values from PostgreSQL 15.
        let out = query(
            "SELECT to_char(TIMESTAMP '2024-02-29 13:04:05', 'YYYY-MM-DD HH12:MI AM') AS a, \
             to_char(CAST(12 AS INT), 'FM999.99') AS b, \
             to_char(to_timestamp('05 Dec 2000', 'DD Mon YYYY'), 'YYYY-MM-DD TZ') AS c, \
             to_date('2024 060', 'YYYY DDD') AS d, \
             to_timestamp(0) AS e",
        )
        .unwrap();
        assert!(
            out.contains("| 2024-02-29 01:04 PM | 12. | 2000-12-05 UTC | 2024-02-29 | 1970-01-01T00:00:00Z |"),
            "{out}"
        );
    }

    #[test]
    fn datafusion_forms_keep_working() {
        let out = query("SELECT to_timestamp('2024-01-01T00:00:00') AS t, to_date('2024-01-02') AS d").unwrap();
        assert!(out.contains("| 2024-01-01T00:00:00 | 2024-01-02 |"), "{out}");
    }

    #[test]
    fn user_errors_reach_sql_with_postgres_message() {
        let err = query("SELECT to_timestamp('2024-ab-01', 'YYYY-MM-DD')").unwrap_err();
        assert!(err.contains("invalid value \"ab\" for \"MM\""), "{err}");
        let err = query("SELECT to_char('2024-01-01', 'YYYY')").unwrap_err();
        assert!(err.contains("function to_char(text, text) does not exist"), "{err}");
    }
}
