//! Flink SQL's spelling of window table functions, read as Eddy's:
//! `TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))` is
//! `TUMBLE(bids, ts, INTERVAL '10' SECOND)`; named arguments (`DATA =>`,
//! `TIMECOL =>`, `SIZE =>`, `SLIDE =>`, `STEP =>`, `GAP =>`) are put in
//! Eddy's order; a `PARTITION BY` inside `SESSION` is dropped (sessions are
//! formed per GROUP BY key).
//!
//! sqlparser cannot parse `TABLE name` as a function argument, so this
//! works on tokens before parsing; anything that is not such a call is left
//! exactly as written.

use std::borrow::Cow;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

const WINDOWS: [&str; 4] = ["TUMBLE", "HOP", "CUMULATE", "SESSION"];

/// `sql` with Flink's window calls in Eddy's form.
pub(crate) fn flink_window_calls(sql: &str) -> Cow<'_, str> {
    if !sql.to_ascii_uppercase().contains("DESCRIPTOR") {
        return Cow::Borrowed(sql);
    }
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() else { return Cow::Borrowed(sql) };
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let mut changed = false;
    while i < tokens.len() {
        if let Some((call, end)) = window_call(&tokens, i) {
            out.extend(call);
            i = end;
            changed = true;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    if !changed {
        return Cow::Borrowed(sql);
    }
    Cow::Owned(out.iter().map(ToString::to_string).collect())
}

fn is_word(token: &Token, word: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
}

/// The index of the next token that is not whitespace, from `i`.
fn next_solid(tokens: &[Token], mut i: usize) -> usize {
    while i < tokens.len() && matches!(tokens[i], Token::Whitespace(_)) {
        i += 1;
    }
    i
}

/// The index just after the parenthesis closing the one at `open`.
fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// `TABLE ( F ( args ) )` at `start`, rewritten as `F(args')`, with the
/// index after it.
fn window_call(tokens: &[Token], start: usize) -> Option<(Vec<Token>, usize)> {
    if !is_word(&tokens[start], "TABLE") {
        return None;
    }
    let outer_open = next_solid(tokens, start + 1);
    if tokens.get(outer_open) != Some(&Token::LParen) {
        return None;
    }
    let function = next_solid(tokens, outer_open + 1);
    let name = match tokens.get(function) {
        Some(Token::Word(w)) if WINDOWS.iter().any(|f| w.value.eq_ignore_ascii_case(f)) => w.value.to_uppercase(),
        _ => return None,
    };
    let inner_open = next_solid(tokens, function + 1);
    if tokens.get(inner_open) != Some(&Token::LParen) {
        return None;
    }
    let inner_close = closing(tokens, inner_open)?;
    let outer_close = next_solid(tokens, inner_close);
    if tokens.get(outer_close) != Some(&Token::RParen) {
        return None;
    }
    let args = arguments(&tokens[inner_open + 1..inner_close - 1])?;
    let ordered = ordered_arguments(&name, args)?;
    let mut call = vec![tokens[function].clone(), Token::LParen];
    for (n, arg) in ordered.into_iter().enumerate() {
        if n > 0 {
            call.push(Token::Comma);
            call.push(Token::Whitespace(sqlparser::tokenizer::Whitespace::Space));
        }
        call.extend(arg);
    }
    call.push(Token::RParen);
    Some((call, outer_close + 1))
}

/// One argument: its name (for `NAME => value`) and its tokens, with
/// `TABLE x` as `x` and `DESCRIPTOR(c)` as `c`.
type Argument = (Option<String>, Vec<Token>);

fn arguments(tokens: &[Token]) -> Option<Vec<Argument>> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut current = Vec::new();
    for token in tokens {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.checked_sub(1)?,
            Token::Comma if depth == 0 => {
                args.push(argument(std::mem::take(&mut current))?);
                continue;
            }
            _ => {}
        }
        current.push(token.clone());
    }
    args.push(argument(current)?);
    Some(args)
}

fn argument(tokens: Vec<Token>) -> Option<Argument> {
    let solid: Vec<Token> = tokens.into_iter().filter(|t| !matches!(t, Token::Whitespace(_))).collect();
    let (name, value) = match solid.as_slice() {
        [Token::Word(w), Token::RArrow, rest @ ..] => (Some(w.value.to_uppercase()), rest.to_vec()),
        _ => (None, solid),
    };
    let value = match value.as_slice() {
        [t, rest @ ..] if is_word(t, "TABLE") => {
            // `TABLE x [PARTITION BY k, ...]`: the relation only.
            let end = rest.iter().position(|t| is_word(t, "PARTITION")).unwrap_or(rest.len());
            rest[..end].to_vec()
        }
        [t, Token::LParen, inner @ .., Token::RParen] if is_word(t, "DESCRIPTOR") => inner.to_vec(),
        _ => value,
    };
    let spaced =
        value.into_iter().flat_map(|t| [t, Token::Whitespace(sqlparser::tokenizer::Whitespace::Space)]).collect();
    Some((name, spaced))
}

/// The arguments in Eddy's order: relation, time column, then the sizes
/// (`HOP`: slide, size; `CUMULATE`: step, size; `SESSION`: gap).
fn ordered_arguments(function: &str, args: Vec<Argument>) -> Option<Vec<Vec<Token>>> {
    if args.iter().all(|(name, _)| name.is_none()) {
        return Some(args.into_iter().map(|(_, tokens)| tokens).collect());
    }
    let order: &[&str] = match function {
        "TUMBLE" => &["DATA", "TIMECOL", "SIZE"],
        "HOP" => &["DATA", "TIMECOL", "SLIDE", "SIZE"],
        "CUMULATE" => &["DATA", "TIMECOL", "STEP", "SIZE"],
        _ => &["DATA", "TIMECOL", "GAP"],
    };
    let mut named: Vec<(String, Vec<Token>)> =
        args.into_iter().map(|(name, tokens)| name.map(|n| (n, tokens))).collect::<Option<Vec<_>>>()?;
    order
        .iter()
        .map(|wanted| {
            let position = named.iter().position(|(name, _)| name == wanted)?;
            Some(named.remove(position).1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squeezed(sql: &str) -> String {
        flink_window_calls(sql).split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn flink_window_calls_become_eddy_calls() {
        assert_eq!(
            squeezed("SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) AS w"),
            "SELECT * FROM TUMBLE(bid , date_time , INTERVAL '10' SECOND ) AS w"
        );
        assert_eq!(
            squeezed("FROM TABLE(HOP(DATA => TABLE b, SIZE => INTERVAL '10' SECOND, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '5' SECOND))"),
            "FROM HOP(b , ts , INTERVAL '5' SECOND , INTERVAL '10' SECOND )"
        );
        assert_eq!(
            squeezed("FROM TABLE(SESSION(TABLE b PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' MINUTE))"),
            "FROM SESSION(b , ts , INTERVAL '5' MINUTE )"
        );
    }

    #[test]
    fn other_text_is_left_as_written() {
        let sql = "SELECT 'DESCRIPTOR', TABLE_NAME FROM t WHERE x = 'TABLE(TUMBLE('";
        assert_eq!(flink_window_calls(sql), sql);
        assert_eq!(flink_window_calls("SELECT 1"), "SELECT 1");
    }
}
