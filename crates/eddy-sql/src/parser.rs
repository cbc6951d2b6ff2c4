//! The Eddy statement parser: Eddy's own statements, then sqlparser for the rest.
//!
//! Like DataFusion's `DFParser`, it drives a `sqlparser::parser::Parser` and
//! only takes over at the first keywords of the statements it owns, so every
//! expression and query inside is parsed by sqlparser.

use eddy_catalog::ObjectKind;
use sqlparser::ast::ColumnDef;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use crate::statement::{
    normalize_ident, normalize_name, CreateMaterializedView, CreateSink, CreateStream, EddyStatement, IncludeClause,
    ShowObjects, WatermarkClause,
};

/// Parses a string of `;`-separated statements.
pub fn parse_statements(sql: &str) -> Result<Vec<EddyStatement>, ParserError> {
    let dialect = PostgreSqlDialect {};
    let sql = crate::flink_windows::flink_window_calls(sql);
    let mut parser = Parser::new(&dialect).try_with_sql(&sql)?;
    let mut statements = Vec::new();
    loop {
        while parser.consume_token(&Token::SemiColon) {}
        if parser.peek_token().token == Token::EOF {
            break;
        }
        statements.push(parse_statement(&mut parser)?);
        if !parser.consume_token(&Token::SemiColon) && parser.peek_token().token != Token::EOF {
            return parser.expected("end of statement", parser.peek_token());
        }
    }
    Ok(statements)
}

fn parse_statement(parser: &mut Parser<'_>) -> Result<EddyStatement, ParserError> {
    if parser.parse_keyword(Keyword::CREATE) {
        if parser.parse_keyword(Keyword::STREAM) {
            return parse_create_stream(parser).map(|s| EddyStatement::CreateStream(Box::new(s)));
        }
        if parser.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEW]) {
            let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
            let name = normalize_name(&parser.parse_object_name(false)?);
            parser.expect_keyword_is(Keyword::AS)?;
            let query = parser.parse_query()?;
            return Ok(EddyStatement::CreateMaterializedView(CreateMaterializedView { name, if_not_exists, query }));
        }
        if parse_word(parser, "SINK") {
            let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
            let name = normalize_name(&parser.parse_object_name(false)?);
            parser.expect_keyword_is(Keyword::FROM)?;
            let from = normalize_name(&parser.parse_object_name(false)?);
            let options = parse_with_options(parser)?;
            return Ok(EddyStatement::CreateSink(CreateSink { name, if_not_exists, from, options }));
        }
        parser.prev_token();
    } else if parser.parse_keyword(Keyword::DROP) {
        let kind = if parser.parse_keyword(Keyword::STREAM) {
            Some(ObjectKind::Stream)
        } else if parser.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEW]) {
            Some(ObjectKind::MaterializedView)
        } else if parse_word(parser, "SINK") {
            Some(ObjectKind::Sink)
        } else {
            None
        };
        if let Some(kind) = kind {
            let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            let name = normalize_name(&parser.parse_object_name(false)?);
            return Ok(EddyStatement::Drop { kind, if_exists, name });
        }
        parser.prev_token();
    } else if parser.parse_keyword(Keyword::SHOW) {
        let what = if parse_word(parser, "STREAMS") {
            Some(ShowObjects::Streams)
        } else if parser.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEWS]) {
            Some(ShowObjects::MaterializedViews)
        } else if parse_word(parser, "SINKS") {
            Some(ShowObjects::Sinks)
        } else if parser.parse_keyword(Keyword::QUERIES) {
            Some(ShowObjects::Queries)
        } else {
            None
        };
        if let Some(what) = what {
            return Ok(EddyStatement::Show(what));
        }
        parser.prev_token();
    } else if parser.parse_keyword(Keyword::DESCRIBE) {
        let name = normalize_name(&parser.parse_object_name(false)?);
        return Ok(EddyStatement::Describe(name));
    } else if parser.parse_keyword(Keyword::EXPLAIN) {
        if parser.peek_keyword(Keyword::CREATE) {
            let inner = parse_statement(parser)?;
            return Ok(EddyStatement::Explain(Box::new(inner)));
        }
        parser.prev_token();
    } else if parser.parse_keyword(Keyword::FLUSH) {
        return Ok(EddyStatement::Flush);
    }
    Ok(EddyStatement::Sql(Box::new(parser.parse_statement()?)))
}

/// Consumes the next token if it is the (non-reserved) word `word`.
fn parse_word(parser: &mut Parser<'_>, word: &str) -> bool {
    match &parser.peek_token().token {
        Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word) => {
            parser.next_token();
            true
        }
        _ => false,
    }
}

fn parse_create_stream(parser: &mut Parser<'_>) -> Result<CreateStream, ParserError> {
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = normalize_name(&parser.parse_object_name(false)?);
    let mut columns: Vec<ColumnDef> = Vec::new();
    let mut watermark = None;
    if parser.consume_token(&Token::LParen) {
        loop {
            if parse_word(parser, "WATERMARK") {
                if watermark.is_some() {
                    return parser.expected("one WATERMARK clause", parser.peek_token());
                }
                parser.expect_keyword_is(Keyword::FOR)?;
                let column = parser.parse_identifier()?;
                parser.expect_keyword_is(Keyword::AS)?;
                let expr = parser.parse_expr()?;
                watermark = Some(WatermarkClause { column, expr });
            } else {
                columns.push(parser.parse_column_def()?);
            }
            if parser.consume_token(&Token::Comma) {
                continue;
            }
            parser.expect_token(&Token::RParen)?;
            break;
        }
    }
    let mut includes = Vec::new();
    while parser.parse_keyword(Keyword::INCLUDE) {
        let kind = match parser.next_token().token {
            Token::Word(w) => w.value.to_lowercase(),
            _ => {
                parser.prev_token();
                return parser.expected("key, partition, offset, timestamp or headers", parser.peek_token());
            }
        };
        let alias =
            if parser.parse_keyword(Keyword::AS) { Some(normalize_ident(&parser.parse_identifier()?)) } else { None };
        includes.push(IncludeClause { kind, alias });
    }
    let options = if parser.peek_keyword(Keyword::WITH) { parse_with_options(parser)? } else { Vec::new() };
    let query = if parser.parse_keyword(Keyword::AS) { Some(parser.parse_query()?) } else { None };
    if options.is_empty() && query.is_none() {
        return parser.expected("WITH (connector = ...) or AS SELECT ...", parser.peek_token());
    }
    Ok(CreateStream { name, if_not_exists, columns, watermark, includes, options, query })
}

/// `WITH (key = value, ...)`; keys may be dotted (`fields.price.min`) and are
/// lower-cased; values are literals or bare words.
fn parse_with_options(parser: &mut Parser<'_>) -> Result<Vec<(String, String)>, ParserError> {
    parser.expect_keyword_is(Keyword::WITH)?;
    parser.expect_token(&Token::LParen)?;
    let mut options = Vec::new();
    loop {
        let mut key = option_key_part(parser)?;
        while parser.consume_token(&Token::Period) {
            key.push('.');
            key.push_str(&option_key_part(parser)?);
        }
        parser.expect_token(&Token::Eq)?;
        let value = match parser.next_token().token {
            Token::SingleQuotedString(s) => s,
            Token::Number(n, _) => n,
            Token::Word(w) => w.value,
            Token::Minus => match parser.next_token().token {
                Token::Number(n, _) => format!("-{n}"),
                _ => return parser.expected("a number", parser.peek_token()),
            },
            _ => {
                parser.prev_token();
                return parser.expected("an option value ('text', a number or a word)", parser.peek_token());
            }
        };
        options.push((key, value));
        if parser.consume_token(&Token::Comma) {
            continue;
        }
        parser.expect_token(&Token::RParen)?;
        return Ok(options);
    }
}

fn option_key_part(parser: &mut Parser<'_>) -> Result<String, ParserError> {
    match parser.next_token().token {
        Token::Word(w) => Ok(normalize_ident(&w.into_ident(sqlparser::tokenizer::Span::empty()))),
        Token::SingleQuotedString(s) => Ok(s),
        Token::Number(n, _) => Ok(n),
        _ => {
            parser.prev_token();
            parser.expected("an option name", parser.peek_token())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(sql: &str) -> EddyStatement {
        let mut v = parse_statements(sql).unwrap();
        assert_eq!(v.len(), 1, "{sql}");
        v.remove(0)
    }

    #[test]
    fn create_stream_with_watermark_and_dotted_options() {
        let EddyStatement::CreateStream(s) = one("CREATE STREAM Bids (auction BIGINT, date_time TIMESTAMP, \
             WATERMARK FOR date_time AS date_time - INTERVAL '2 seconds') \
             WITH (connector = 'file', Path = 'a.ndjson', fields.price.min = 5)")
        else {
            panic!("not a stream")
        };
        assert_eq!(s.name, "bids");
        assert_eq!(s.columns.len(), 2);
        assert_eq!(s.watermark.unwrap().column.value, "date_time");
        assert_eq!(
            s.options,
            vec![
                ("connector".to_string(), "file".to_string()),
                ("path".to_string(), "a.ndjson".to_string()),
                ("fields.price.min".to_string(), "5".to_string())
            ]
        );
        assert!(s.query.is_none());
    }

    #[test]
    fn create_stream_as_select_and_view_and_sink() {
        let stmts = parse_statements(
            "CREATE STREAM out WITH (connector = 'file', path = 'o') AS SELECT * FROM bids; \
             CREATE MATERIALIZED VIEW v AS SELECT 1; CREATE SINK s FROM v WITH (connector = 'file', path = 'x');",
        )
        .unwrap();
        assert!(matches!(&stmts[0], EddyStatement::CreateStream(s) if s.query.is_some()));
        assert!(matches!(&stmts[1], EddyStatement::CreateMaterializedView(v) if v.name == "v"));
        assert!(matches!(&stmts[2], EddyStatement::CreateSink(s) if s.from == "v"));
    }

    #[test]
    fn catalog_commands_and_passthrough() {
        assert_eq!(one("SHOW MATERIALIZED VIEWS"), EddyStatement::Show(ShowObjects::MaterializedViews));
        assert_eq!(one("show queries;"), EddyStatement::Show(ShowObjects::Queries));
        assert_eq!(one("FLUSH"), EddyStatement::Flush);
        assert_eq!(
            one("DROP MATERIALIZED VIEW IF EXISTS hot"),
            EddyStatement::Drop { kind: ObjectKind::MaterializedView, if_exists: true, name: "hot".into() }
        );
        assert!(matches!(one("EXPLAIN CREATE MATERIALIZED VIEW v AS SELECT 1"), EddyStatement::Explain(_)));
        assert!(matches!(one("SELECT * FROM hot ORDER BY 1"), EddyStatement::Sql(_)));
        assert!(matches!(one("SHOW TIME ZONE"), EddyStatement::Sql(_)));
    }

    #[test]
    fn errors_point_at_the_position_and_say_what_was_expected() {
        let err = parse_statements("CREATE STREAM s (a BIGINT) WITH (connector 'file')").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("Expected: ="), "{text}");
        assert!(text.contains("Line: 1, Column: 44"), "{text}");
    }

    #[test]
    fn create_stream_needs_options_or_query() {
        let err = parse_statements("CREATE STREAM s (a BIGINT)").unwrap_err();
        assert!(err.to_string().contains("WITH (connector = ...)"), "{err}");
    }
}
