//! `to_char` for numbers: renders a value as digits the way PostgreSQL's
//! `int4_to_char`, `int8_to_char`, `float4_to_char`, `float8_to_char` and
//! `numeric_to_char` do, then lays them out along the template
//! (PostgreSQL's `NUM_processor`).
//!
//! The layout rules are PostgreSQL's, quirks included: a leading sign
//! position (space or `-`), `#` in every digit position when the value has
//! more integer digits than the template, rounding half away from zero for
//! integers and `numeric` (half to even for floating point, as C's
//! `printf`), at most 15 (`double`) or 6 (`real`) significant digits for
//! floating point, and fill mode (`FM`) dropping padding and the trailing
//! zeros in `9` positions (`to_char(12, 'FM999.99')` is `12.`). The locale
//! is C: `D` is `.`, `G` is `,`, `L` is a space.

use super::error::{sqlstate, FormatError, FormatResult};
use super::number_template::{NumberLayout, NumberNode, NumberPattern, NumberTemplate, SignPosition};
use super::ordinal::ordinal_suffix;

/// Significant digits of `real` and `double precision` (C's `FLT_DIG`, `DBL_DIG`).
const FLT_DIG: usize = 6;
const DBL_DIG: usize = 15;

/// A number as `to_char` receives it; each type renders its digits as the
/// PostgreSQL type it stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumberValue {
    Int4(i32),
    Int8(i64),
    Float4(f32),
    Float8(f64),
    /// `numeric`: `unscaled` × 10^-`scale`.
    Numeric {
        unscaled: i128,
        scale: i8,
    },
}

/// Formats `value` as `template` says.
pub(crate) fn format_number(template: &NumberTemplate, value: NumberValue) -> FormatResult<String> {
    let rendered = render(&template.layout, value)?;
    lay_out(&template.nodes, rendered)
}

/// A value rendered for the layout: its digits without sign (or a Roman
/// numeral, or the whole scientific notation), the sign, and how many digit
/// positions of the template stay empty before it.
struct Rendered {
    number: Vec<u8>,
    sign: u8,
    pre_spaces: usize,
    layout: NumberLayout,
}

fn render(layout: &NumberLayout, value: NumberValue) -> FormatResult<Rendered> {
    let mut layout = *layout;
    if layout.roman {
        let number = int_to_roman(roman_value(value)).into_bytes();
        return Ok(Rendered { number, sign: 0, pre_spaces: 0, layout });
    }
    if layout.exponent {
        let number = exponent_notation(&layout, value).into_bytes();
        return Ok(Rendered { number, sign: 0, pre_spaces: 0, layout });
    }
    let (negative, digits) = match value {
        NumberValue::Int4(v) => {
            let v = if layout.multiply {
                layout.pre += layout.shift;
                shift_integer(i64::from(v), layout.shift, i64::from(i32::MIN), i64::from(i32::MAX))
                    .ok_or_else(|| FormatError::new(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))?
            } else {
                i64::from(v)
            };
            (v < 0, integer_digits(v.unsigned_abs(), layout.post))
        }
        NumberValue::Int8(v) => {
            let v = if layout.multiply {
                layout.pre += layout.shift;
                shift_integer(v, layout.shift, i64::MIN, i64::MAX)
                    .ok_or_else(|| FormatError::new(sqlstate::NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range"))?
            } else {
                v
            };
            (v < 0, integer_digits(v.unsigned_abs(), layout.post))
        }
        NumberValue::Float4(v) => {
            let v = if layout.multiply {
                layout.pre += layout.shift;
                v * 10f64.powi(layout.shift as i32) as f32
            } else {
                v
            };
            float_digits(f64::from(v), FLT_DIG, &mut layout)
        }
        NumberValue::Float8(v) => {
            let v = if layout.multiply {
                layout.pre += layout.shift;
                v * 10f64.powi(layout.shift as i32)
            } else {
                v
            };
            float_digits(v, DBL_DIG, &mut layout)
        }
        NumberValue::Numeric { unscaled, scale } => {
            let mut decimal = Decimal::new(unscaled, scale);
            if layout.multiply {
                layout.pre += layout.shift;
                decimal.shift_left(layout.shift);
            }
            decimal.round(layout.post);
            (decimal.negative_nonzero(), decimal.plain())
        }
    };
    let sign = if negative { b'-' } else { b'+' };
    let integer_len = digits.iter().position(|b| *b == b'.').unwrap_or(digits.len());
    let (number, pre_spaces) = if integer_len < layout.pre {
        (digits, layout.pre - integer_len)
    } else if integer_len > layout.pre {
        // Too many integer digits: every position shows '#'.
        let mut overflow = vec![b'#'; layout.pre + layout.post + 1];
        overflow[layout.pre] = b'.';
        (overflow, 0)
    } else {
        (digits, 0)
    };
    Ok(Rendered { number, sign, pre_spaces, layout })
}

/// `value` × 10^`shift` for `V`, or `None` outside `min..=max`.
fn shift_integer(value: i64, shift: usize, min: i64, max: i64) -> Option<i64> {
    let factor = 10i64.checked_pow(u32::try_from(shift).ok()?)?;
    value.checked_mul(factor).filter(|v| (min..=max).contains(v))
}

/// Digits of an integer, with `post` zeros after a point if `post` > 0.
fn integer_digits(magnitude: u64, post: usize) -> Vec<u8> {
    let mut digits = magnitude.to_string().into_bytes();
    if post > 0 {
        digits.push(b'.');
        digits.resize(digits.len() + post, b'0');
    }
    digits
}

/// Digits of a float as C's `printf("%.*f")` gives them, the decimals cut
/// so that at most `significant` digits show (PostgreSQL's float rule).
fn float_digits(value: f64, significant: usize, layout: &mut NumberLayout) -> (bool, Vec<u8>) {
    let integer_len = c_fixed(value.abs(), 0).len();
    if integer_len >= significant {
        layout.post = 0;
    } else if integer_len + layout.post > significant {
        layout.post = significant - integer_len;
    }
    let text = c_fixed(value, layout.post);
    match text.strip_prefix('-') {
        Some(digits) => (true, digits.as_bytes().to_vec()),
        None => (false, text.into_bytes()),
    }
}

/// PostgreSQL's `snprintf("%.*f")`: C's rounding, and `NaN`, `Infinity`,
/// `-Infinity` spelled out.
fn c_fixed(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        format!("{value:.decimals$}")
    }
}

/// C's `printf("%+.*e")` with the leading `+` made a space, as PostgreSQL
/// aligns positive and negative numbers.
fn c_exponent(value: f64, decimals: usize) -> String {
    let text = format!("{value:+.decimals$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mantissa = mantissa.replacen('+', " ", 1);
    format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
}

/// The whole output of an `EEEE` template.
fn exponent_notation(layout: &NumberLayout, value: NumberValue) -> String {
    match value {
        NumberValue::Int4(v) => c_exponent(f64::from(v), layout.post),
        NumberValue::Float4(v) if v.is_finite() => c_exponent(f64::from(v), layout.post),
        NumberValue::Float8(v) if v.is_finite() => c_exponent(v, layout.post),
        NumberValue::Float4(_) | NumberValue::Float8(_) => {
            // Room for the sign, the point, 'e', the exponent's sign and two digits.
            let mut hashes = vec![b'#'; layout.pre + layout.post + 6];
            hashes[0] = b' ';
            hashes[layout.pre + 1] = b'.';
            String::from_utf8_lossy(&hashes).into_owned()
        }
        NumberValue::Int8(v) => Decimal::new(i128::from(v), 0).scientific(layout.post),
        NumberValue::Numeric { unscaled, scale } => Decimal::new(unscaled, scale).scientific(layout.post),
    }
}

/// The integer a Roman numeral shows: rounded (half away from zero for
/// `numeric`, half to even for floats), or one that prints `#`s when it
/// does not fit an `integer`.
fn roman_value(value: NumberValue) -> i64 {
    let fits = |v: f64| -> i64 {
        if !v.is_nan() && v >= f64::from(i32::MIN) && v < -f64::from(i32::MIN) {
            v as i64
        } else {
            i64::from(i32::MAX)
        }
    };
    match value {
        NumberValue::Int4(v) => i64::from(v),
        NumberValue::Int8(v) => i32::try_from(v).map_or(i64::from(i32::MAX), i64::from),
        NumberValue::Float4(v) => fits(f64::from(v).round_ties_even()),
        NumberValue::Float8(v) => fits(v.round_ties_even()),
        NumberValue::Numeric { unscaled, scale } => {
            let mut decimal = Decimal::new(unscaled, scale);
            decimal.round(0);
            decimal.plain_integer().map_or(i64::from(i32::MAX), i64::from)
        }
    }
}

/// Roman numeral of 1..=3999, else 15 `#` (PostgreSQL's `int_to_roman`).
fn int_to_roman(number: i64) -> String {
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    const TENS: [&str; 10] = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
    const HUNDREDS: [&str; 10] = ["", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"];
    if !(1..=3999).contains(&number) {
        return "#".repeat(15);
    }
    let n = number as usize;
    format!("{}{}{}{}", "M".repeat(n / 1000), HUNDREDS[n / 100 % 10], TENS[n / 10 % 10], ONES[n % 10])
}

/// A `numeric` value as decimal digits, rounded as PostgreSQL's `numeric`
/// rounds (half away from zero).
#[derive(Debug, Clone)]
struct Decimal {
    negative: bool,
    /// Integer digits, without leading zeros ("" for zero).
    integer: Vec<u8>,
    /// Fraction digits, as many as the scale.
    fraction: Vec<u8>,
}

impl Decimal {
    fn new(unscaled: i128, scale: i8) -> Self {
        let mut digits = unscaled.unsigned_abs().to_string().into_bytes();
        if scale < 0 {
            digits.resize(digits.len() + usize::from(scale.unsigned_abs()), b'0');
        }
        let scale = usize::try_from(scale).unwrap_or(0);
        if digits.len() < scale {
            let mut padded = vec![b'0'; scale - digits.len()];
            padded.extend_from_slice(&digits);
            digits = padded;
        }
        let fraction = digits.split_off(digits.len() - scale);
        let mut decimal = Decimal { negative: unscaled < 0, integer: digits, fraction };
        decimal.trim_integer();
        decimal
    }

    fn trim_integer(&mut self) {
        let zeros = self.integer.iter().take_while(|d| **d == b'0').count();
        self.integer.drain(..zeros);
    }

    fn is_zero(&self) -> bool {
        self.integer.is_empty() && self.fraction.iter().all(|d| *d == b'0')
    }

    /// Multiplies by 10^`n` (`V`).
    fn shift_left(&mut self, n: usize) {
        let moved = n.min(self.fraction.len());
        self.integer.extend(self.fraction.drain(..moved));
        self.integer.resize(self.integer.len() + (n - moved), b'0');
        self.trim_integer();
    }

    /// Rounds to `scale` fraction digits, half away from zero; the result
    /// has exactly `scale` of them.
    fn round(&mut self, scale: usize) {
        if self.fraction.len() <= scale {
            self.fraction.resize(scale, b'0');
            return;
        }
        let round_up = self.fraction[scale] >= b'5';
        self.fraction.truncate(scale);
        if round_up {
            let mut digits = std::mem::take(&mut self.integer);
            digits.append(&mut self.fraction);
            increment(&mut digits);
            self.fraction = digits.split_off(digits.len() - scale);
            self.integer = digits;
            self.trim_integer();
        }
    }

    /// `numeric_out`: integer digits ("0" if none), then the point and the
    /// fraction if there is one; zero has no sign.
    fn plain(&self) -> Vec<u8> {
        let mut out = if self.integer.is_empty() { b"0".to_vec() } else { self.integer.clone() };
        if !self.fraction.is_empty() {
            out.push(b'.');
            out.extend_from_slice(&self.fraction);
        }
        out
    }

    fn negative_nonzero(&self) -> bool {
        self.negative && !self.is_zero()
    }

    /// The value as an `i32` if it is an integer that fits.
    fn plain_integer(&self) -> Option<i32> {
        let text = String::from_utf8_lossy(if self.integer.is_empty() { b"0" } else { &self.integer }).into_owned();
        let magnitude: i64 = text.parse().ok()?;
        i32::try_from(if self.negative { -magnitude } else { magnitude }).ok()
    }

    /// `numeric_out_sci` with a leading space for a positive value: one
    /// digit before the point, `scale` after, rounded half away from zero
    /// without renormalising (9.995 with 2 digits is `10.00e+00`).
    fn scientific(&self, scale: usize) -> String {
        let mut all = self.integer.clone();
        all.extend_from_slice(&self.fraction);
        let leading = all.iter().take_while(|d| **d == b'0').count();
        let (exponent, significant) = if leading == all.len() {
            (0i64, Vec::new())
        } else {
            (self.integer.len() as i64 - 1 - leading as i64, all[leading..].to_vec())
        };
        let mut significand = Decimal {
            negative: self.negative,
            integer: significant.first().map(|d| vec![*d]).unwrap_or_default(),
            fraction: significant.get(1..).unwrap_or_default().to_vec(),
        };
        significand.round(scale);
        let sign = if significand.negative_nonzero() { "-" } else { " " };
        let digits = String::from_utf8_lossy(&significand.plain()).into_owned();
        format!("{sign}{digits}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
    }
}

/// Adds one to a string of decimal digits, growing it on carry.
fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

/// Lays the rendered value out along the template (PostgreSQL's
/// `NUM_processor` for output). A NUL written where PostgreSQL writes one
/// ends the output there, as it ends PostgreSQL's C string.
fn lay_out(nodes: &[NumberNode], rendered: Rendered) -> FormatResult<String> {
    let Rendered { number, sign, pre_spaces, mut layout } = rendered;
    if layout.exponent {
        return Ok(String::from_utf8_lossy(&number).into_owned());
    }
    if layout.zero_start > 0 {
        layout.zero_start -= 1;
    }
    if layout.roman {
        let fill_mode = layout.fill_mode;
        layout = NumberLayout {
            pre: 0,
            post: 0,
            sign_position: SignPosition::None,
            pre_sign_digits: 0,
            roman: true,
            fill_mode,
            decimal: false,
            zero: false,
            blank: false,
            locale_sign: false,
            brackets: false,
            minus: false,
            plus: false,
            multiply: false,
            exponent: false,
            ..layout
        };
    }
    let mut p = Processor {
        out: Vec::new(),
        number,
        number_pos: 0,
        sign,
        sign_written: false,
        digits_started: false,
        current: 0,
        pre_spaces,
        last_relevant: None,
        count: 0,
        layout,
    };
    p.start();
    for node in nodes {
        match node {
            NumberNode::Literal(c) => {
                let mut buf = [0u8; 4];
                p.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            NumberNode::Pattern(pattern) => p.pattern(*pattern)?,
        }
    }
    let end = p.out.iter().position(|b| *b == 0).unwrap_or(p.out.len());
    Ok(String::from_utf8_lossy(&p.out[..end]).into_owned())
}

/// PostgreSQL's `NUMProc` while printing.
struct Processor {
    out: Vec<u8>,
    number: Vec<u8>,
    number_pos: usize,
    sign: u8,
    sign_written: bool,
    /// Whether the last digit position printed a digit (commas show then).
    digits_started: bool,
    /// Index of the current digit position.
    current: i64,
    pre_spaces: usize,
    /// In fill mode, the last fraction digit worth printing.
    last_relevant: Option<usize>,
    /// Index of the last digit position, where a trailing sign goes.
    count: i64,
    layout: NumberLayout,
}

impl Processor {
    fn number_at(&self, pos: usize) -> u8 {
        self.number.get(pos).copied().unwrap_or(0)
    }

    fn start(&mut self) {
        let l = &mut self.layout;
        if l.plus || l.minus {
            // MI and SG print the sign themselves; PL alone leaves a minus to the number.
            self.sign_written = !l.plus || l.minus;
        } else {
            if self.sign != b'-' && l.fill_mode {
                l.brackets = false;
            }
            self.sign_written = self.sign == b'+' && l.fill_mode && !l.locale_sign;
            if l.sign_position == SignPosition::Before && l.pre == l.pre_sign_digits {
                l.sign_position = SignPosition::After;
            }
        }
        self.count = l.post as i64 + l.pre as i64 - 1;
        if l.fill_mode && l.decimal {
            self.last_relevant = last_relevant_decimal(&self.number);
            if let Some(relevant) = self.last_relevant {
                if l.zero_end > self.pre_spaces && !self.number.is_empty() {
                    let last_zero = (self.number.len() - 1).min(l.zero_end - self.pre_spaces);
                    if relevant < last_zero {
                        self.last_relevant = Some(last_zero);
                    }
                }
            }
        }
        if !self.sign_written && self.pre_spaces == 0 {
            self.count += 1;
        }
    }

    fn relevant_is_point(&self) -> bool {
        self.last_relevant.is_some_and(|r| self.number_at(r) == b'.')
    }

    /// `0` before a point in a `9` template: printed as a space (`" .50"`).
    fn is_predecimal_space(&self) -> bool {
        !self.layout.zero && self.number_pos == 0 && self.number_at(0) == b'0' && self.layout.post != 0
    }

    fn pattern(&mut self, pattern: NumberPattern) -> FormatResult<()> {
        let fill_mode = self.layout.fill_mode;
        match pattern {
            NumberPattern::Nine | NumberPattern::Zero | NumberPattern::Point | NumberPattern::LocaleDecimal => {
                self.digit_position(pattern)
            }
            NumberPattern::Comma | NumberPattern::Group => {
                if self.digits_started {
                    self.out.push(b',');
                } else if !fill_mode {
                    self.out.push(b' ');
                }
            }
            NumberPattern::Currency => self.out.push(b' '),
            NumberPattern::Roman { upper } => {
                let end = self.number[self.number_pos..]
                    .iter()
                    .position(|b| *b == 0)
                    .map_or(self.number.len(), |e| e + self.number_pos);
                let text = String::from_utf8_lossy(&self.number[self.number_pos..end]).into_owned();
                let text = if upper { text } else { text.to_ascii_lowercase() };
                let text = if fill_mode { text } else { format!("{text:>15}") };
                self.out.extend_from_slice(text.as_bytes());
            }
            NumberPattern::Ordinal { upper } => {
                if self.layout.roman || self.number_at(0) == b'#' || self.sign == b'-' || self.layout.decimal {
                    return Ok(());
                }
                let digits = String::from_utf8_lossy(&self.number).into_owned();
                self.out.extend_from_slice(ordinal_suffix(&digits, upper)?.as_bytes());
            }
            NumberPattern::Minus => {
                if self.sign == b'-' {
                    self.out.push(b'-');
                } else if !fill_mode {
                    self.out.push(b' ');
                }
            }
            NumberPattern::Plus => {
                if self.sign == b'+' {
                    self.out.push(b'+');
                } else if !fill_mode {
                    self.out.push(b' ');
                }
            }
            NumberPattern::PlusMinus => self.out.push(self.sign),
            NumberPattern::Blank
            | NumberPattern::C
            | NumberPattern::Exponent
            | NumberPattern::FillMode
            | NumberPattern::Sign
            | NumberPattern::Spell
            | NumberPattern::Shift
            | NumberPattern::Brackets => {}
        }
        Ok(())
    }

    /// A `9`, `0`, `.` or `D` (PostgreSQL's `NUM_numpart_to_char`).
    fn digit_position(&mut self, pattern: NumberPattern) {
        if self.layout.roman {
            return;
        }
        let l = self.layout;
        let pre_spaces = self.pre_spaces as i64;
        self.digits_started = false;
        if !self.sign_written
            && (self.current >= pre_spaces || (l.zero && l.zero_start as i64 == self.current))
            && (!self.is_predecimal_space() || self.relevant_is_point())
        {
            if l.locale_sign {
                if l.sign_position == SignPosition::Before {
                    self.out.push(if self.sign == b'-' { b'-' } else { b'+' });
                    self.sign_written = true;
                }
            } else if l.brackets {
                self.out.push(if self.sign == b'+' { b' ' } else { b'<' });
                self.sign_written = true;
            } else if self.sign == b'+' {
                if !l.fill_mode {
                    self.out.push(b' ');
                }
                self.sign_written = true;
            } else if self.sign == b'-' {
                self.out.push(b'-');
                self.sign_written = true;
            }
        }

        if self.current < pre_spaces && (l.zero_start as i64 > self.current || !l.zero) {
            if !l.fill_mode {
                self.out.push(b' ');
            }
        } else if l.zero && self.current < pre_spaces && l.zero_start as i64 <= self.current {
            self.out.push(b'0');
            self.digits_started = true;
        } else {
            let c = self.number_at(self.number_pos);
            if c == b'.' {
                if !self.relevant_is_point() || l.fill_mode {
                    self.out.push(b'.');
                }
            } else if self.last_relevant.is_some_and(|r| self.number_pos > r) && pattern != NumberPattern::Zero {
                // A trailing zero of the fraction, dropped in fill mode.
            } else if self.is_predecimal_space() {
                if !l.fill_mode {
                    self.out.push(b' ');
                } else if self.relevant_is_point() {
                    self.out.push(b'0');
                }
            } else {
                self.out.push(c);
                self.digits_started = true;
            }
            if c != 0 {
                self.number_pos += 1;
            }
        }

        let mut end = self.count + i64::from(self.pre_spaces > 0) + i64::from(l.decimal);
        if self.last_relevant == Some(self.number_pos) {
            end = self.current;
        }
        if self.current + 1 == end {
            if self.sign_written && l.brackets {
                self.out.push(if self.sign == b'+' { b' ' } else { b'>' });
            } else if l.locale_sign && l.sign_position == SignPosition::After {
                self.out.push(if self.sign == b'-' { b'-' } else { b'+' });
            }
        }
        self.current += 1;
    }
}

/// Index of the last nonzero fraction digit, or of the point if the
/// fraction is all zeros; `None` without a point.
fn last_relevant_decimal(number: &[u8]) -> Option<usize> {
    let point = number.iter().position(|b| *b == b'.')?;
    Some(number[point + 1..].iter().rposition(|d| *d != b'0').map_or(point, |i| point + 1 + i))
}

#[cfg(test)]
mod tests;
