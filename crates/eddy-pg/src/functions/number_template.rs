//! PostgreSQL's numeric template language (docs §9.8, "Template Patterns
//! for Numeric Formatting"): parsed once per template into [`NumberNode`]s
//! and a [`NumberLayout`] that counts digit positions and records which
//! sign, decimal and special patterns the template uses
//! (PostgreSQL's `parse_format` with `NUMDesc_prepare`).
//!
//! Unlike datetime templates, a numeric template can be invalid: patterns
//! that exclude each other (`S` with `MI`, `V` with a decimal point, ...)
//! are a syntax error (42601) with PostgreSQL's message.

use super::error::{sqlstate, FormatError, FormatResult};

/// A numeric pattern (PostgreSQL's `NUM_poz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberPattern {
    /// `,`: group separator.
    Comma,
    /// `.`: decimal point.
    Point,
    /// `0`: digit, zero-padded.
    Zero,
    /// `9`: digit, space-padded.
    Nine,
    /// `B`: blank (accepted, prints nothing).
    Blank,
    /// `C`: accepted, prints nothing, as in PostgreSQL.
    C,
    /// `D`: locale decimal point.
    LocaleDecimal,
    /// `EEEE`: scientific notation.
    Exponent,
    /// `FM`: fill mode.
    FillMode,
    /// `G`: locale group separator.
    Group,
    /// `L`: locale currency symbol.
    Currency,
    /// `MI`: minus sign if negative.
    Minus,
    /// `PL`: plus sign if positive.
    Plus,
    /// `PR`: negative value in angle brackets.
    Brackets,
    /// `RN`, `rn`: Roman numeral.
    Roman { upper: bool },
    /// `SG`: plus or minus sign.
    PlusMinus,
    /// `SP`: accepted, prints nothing, as in PostgreSQL.
    Spell,
    /// `S`: sign anchored to the number.
    Sign,
    /// `TH`, `th`: ordinal suffix.
    Ordinal { upper: bool },
    /// `V`: shift by one decimal digit per following `9`.
    Shift,
}

use NumberPattern::*;

/// PostgreSQL's `NUM_keywords`, in its order (longest spelling first among
/// those sharing a first character).
const KEYWORDS: [(&str, NumberPattern); 36] = [
    (",", Comma),
    (".", Point),
    ("0", Zero),
    ("9", Nine),
    ("B", Blank),
    ("C", C),
    ("D", LocaleDecimal),
    ("EEEE", Exponent),
    ("FM", FillMode),
    ("G", Group),
    ("L", Currency),
    ("MI", Minus),
    ("PL", Plus),
    ("PR", Brackets),
    ("RN", Roman { upper: true }),
    ("SG", PlusMinus),
    ("SP", Spell),
    ("S", Sign),
    ("TH", Ordinal { upper: true }),
    ("V", Shift),
    ("b", Blank),
    ("c", C),
    ("d", LocaleDecimal),
    ("eeee", Exponent),
    ("fm", FillMode),
    ("g", Group),
    ("l", Currency),
    ("mi", Minus),
    ("pl", Plus),
    ("pr", Brackets),
    ("rn", Roman { upper: false }),
    ("sg", PlusMinus),
    ("sp", Spell),
    ("s", Sign),
    ("th", Ordinal { upper: false }),
    ("v", Shift),
];

/// One element of a parsed numeric template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NumberNode {
    Pattern(NumberPattern),
    /// Text copied as is.
    Literal(char),
}

/// Where an `S` sign goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignPosition {
    None,
    /// Before the number (`S` before the digits).
    Before,
    /// After the number (`S` after the decimal point or the digits).
    After,
}

/// What the template asks of a number (PostgreSQL's `NUMDesc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumberLayout {
    /// Digit positions before the decimal point.
    pub(crate) pre: usize,
    /// Digit positions after the decimal point.
    pub(crate) post: usize,
    pub(crate) sign_position: SignPosition,
    /// `pre` when `S` was read: an `S` after all the digits anchors after.
    pub(crate) pre_sign_digits: usize,
    /// Digits shifted by `V`.
    pub(crate) shift: usize,
    /// 1-based digit position of the first `0`, 0 if none.
    pub(crate) zero_start: usize,
    /// Digit position of the last `0`.
    pub(crate) zero_end: usize,
    pub(crate) decimal: bool,
    pub(crate) zero: bool,
    pub(crate) blank: bool,
    pub(crate) fill_mode: bool,
    pub(crate) locale_sign: bool,
    pub(crate) brackets: bool,
    pub(crate) minus: bool,
    pub(crate) plus: bool,
    pub(crate) roman: bool,
    pub(crate) multiply: bool,
    pub(crate) exponent: bool,
}

/// A parsed numeric template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberTemplate {
    pub(crate) nodes: Vec<NumberNode>,
    pub(crate) layout: NumberLayout,
}

/// Parses `template`, or fails on patterns that exclude each other.
pub(crate) fn parse_number_template(template: &str) -> FormatResult<NumberTemplate> {
    let mut layout = NumberLayout {
        pre: 0,
        post: 0,
        sign_position: SignPosition::None,
        pre_sign_digits: 0,
        shift: 0,
        zero_start: 0,
        zero_end: 0,
        decimal: false,
        zero: false,
        blank: false,
        fill_mode: false,
        locale_sign: false,
        brackets: false,
        minus: false,
        plus: false,
        roman: false,
        multiply: false,
        exponent: false,
    };
    let mut nodes = Vec::with_capacity(template.len());
    let mut rest = template;
    while !rest.is_empty() {
        if let Some((name, pattern)) = KEYWORDS.iter().find(|(name, _)| rest.starts_with(name)) {
            rest = &rest[name.len()..];
            layout.add(*pattern)?;
            nodes.push(NumberNode::Pattern(*pattern));
        } else if let Some(quoted) = rest.strip_prefix('"') {
            rest = push_quoted(quoted, &mut nodes);
        } else {
            if rest.starts_with("\\\"") {
                rest = &rest[1..];
            }
            let mut chars = rest.chars();
            let Some(c) = chars.next() else { break };
            nodes.push(NumberNode::Literal(c));
            rest = chars.as_str();
        }
    }
    Ok(NumberTemplate { nodes, layout })
}

fn push_quoted<'a>(mut rest: &'a str, nodes: &mut Vec<NumberNode>) -> &'a str {
    loop {
        let mut chars = rest.chars();
        match chars.next() {
            None => return rest,
            Some('"') => return chars.as_str(),
            Some('\\') if !chars.as_str().is_empty() => {
                let mut escaped = chars.as_str().chars();
                if let Some(c) = escaped.next() {
                    nodes.push(NumberNode::Literal(c));
                }
                rest = escaped.as_str();
            }
            Some(c) => {
                nodes.push(NumberNode::Literal(c));
                rest = chars.as_str();
            }
        }
    }
}

fn syntax_error(message: &str) -> FormatError {
    FormatError::new(sqlstate::SYNTAX_ERROR, message)
}

impl NumberLayout {
    /// Records one pattern (PostgreSQL's `NUMDesc_prepare`).
    fn add(&mut self, pattern: NumberPattern) -> FormatResult<()> {
        if self.exponent && pattern != Exponent {
            return Err(syntax_error("\"EEEE\" must be the last pattern used"));
        }
        match pattern {
            Nine => {
                if self.brackets {
                    return Err(syntax_error("\"9\" must be ahead of \"PR\""));
                }
                if self.multiply {
                    self.shift += 1;
                } else if self.decimal {
                    self.post += 1;
                } else {
                    self.pre += 1;
                }
            }
            Zero => {
                if self.brackets {
                    return Err(syntax_error("\"0\" must be ahead of \"PR\""));
                }
                if !self.zero && !self.decimal {
                    self.zero = true;
                    self.zero_start = self.pre + 1;
                }
                if self.decimal {
                    self.post += 1;
                } else {
                    self.pre += 1;
                }
                self.zero_end = self.pre + self.post;
            }
            Blank => {
                if self.pre == 0 && self.post == 0 && !self.zero {
                    self.blank = true;
                }
            }
            LocaleDecimal | Point => {
                if self.decimal {
                    return Err(syntax_error("multiple decimal points"));
                }
                if self.multiply {
                    return Err(syntax_error("cannot use \"V\" and decimal point together"));
                }
                self.decimal = true;
            }
            FillMode => self.fill_mode = true,
            Sign => {
                if self.locale_sign {
                    return Err(syntax_error("cannot use \"S\" twice"));
                }
                if self.plus || self.minus || self.brackets {
                    return Err(syntax_error("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together"));
                }
                if !self.decimal {
                    self.sign_position = SignPosition::Before;
                    self.pre_sign_digits = self.pre;
                    self.locale_sign = true;
                } else if self.sign_position == SignPosition::None {
                    self.sign_position = SignPosition::After;
                    self.locale_sign = true;
                }
            }
            Minus => {
                if self.locale_sign {
                    return Err(syntax_error("cannot use \"S\" and \"MI\" together"));
                }
                self.minus = true;
            }
            Plus => {
                if self.locale_sign {
                    return Err(syntax_error("cannot use \"S\" and \"PL\" together"));
                }
                self.plus = true;
            }
            PlusMinus => {
                if self.locale_sign {
                    return Err(syntax_error("cannot use \"S\" and \"SG\" together"));
                }
                self.minus = true;
                self.plus = true;
            }
            Brackets => {
                if self.locale_sign || self.plus || self.minus {
                    return Err(syntax_error("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together"));
                }
                self.brackets = true;
            }
            Roman { .. } => self.roman = true,
            Shift => {
                if self.decimal {
                    return Err(syntax_error("cannot use \"V\" and decimal point together"));
                }
                self.multiply = true;
            }
            Exponent => {
                if self.exponent {
                    return Err(syntax_error("cannot use \"EEEE\" twice"));
                }
                if self.blank
                    || self.fill_mode
                    || self.locale_sign
                    || self.brackets
                    || self.minus
                    || self.plus
                    || self.roman
                    || self.multiply
                {
                    return Err(syntax_error("\"EEEE\" is incompatible with other formats"));
                }
                self.exponent = true;
            }
            Comma | C | Group | Currency | Spell | Ordinal { .. } => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_positions_are_counted_around_the_point() {
        let layout = parse_number_template("FM0,999.9900").unwrap().layout;
        assert_eq!((layout.pre, layout.post, layout.zero_start, layout.zero_end), (4, 4, 1, 8));
        assert!(layout.fill_mode && layout.decimal && layout.zero);
    }

    #[test]
    fn exclusive_patterns_are_syntax_errors() {
        for (template, message) in [
            ("9.9.9", "multiple decimal points"),
            ("S99S", "cannot use \"S\" twice"),
            ("9EEEE9", "\"EEEE\" must be the last pattern used"),
            ("99PR9", "\"9\" must be ahead of \"PR\""),
        ] {
            let error = parse_number_template(template).unwrap_err();
            assert_eq!((error.sqlstate, error.message.as_str()), ("42601", message));
        }
    }
}
