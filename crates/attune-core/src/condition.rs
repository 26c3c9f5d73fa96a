//! Conditions authors write as text, e.g. `"trust >= 4 and not felt_judged"`.
//!
//! Grammar (words and symbols both work, so authors need not know either):
//! `expr := and ("or" | "||") ...`, `and := not ("and" | "&&") ...`, `not := ("not" | "!") not | atom`,
//! `atom := "(" expr ")" | flag | variable op integer`, `op := >= <= > < == !=`.

use std::cell::Cell;
use std::ops::Range;

use foldhash::{HashMap, HashMapExt};

/// A resolved condition: variables and flags are indices into the scenario's state tables.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Flag(u16),
    Compare {
        variable: u16,
        op: CmpOp,
        value: i32,
    },
    Not(Box<Condition>),
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

impl Default for Condition {
    /// Always true.
    fn default() -> Self {
        Condition::All(Vec::new())
    }
}

impl Condition {
    pub fn holds(&self, variables: &[i32], flags: &[bool]) -> bool {
        match self {
            Condition::Flag(f) => flags[*f as usize],
            Condition::Compare {
                variable,
                op,
                value,
            } => op.apply(variables[*variable as usize], *value),
            Condition::Not(c) => !c.holds(variables, flags),
            Condition::All(cs) => cs.iter().all(|c| c.holds(variables, flags)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(variables, flags)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn apply(self, left: i32, right: i32) -> bool {
        match self {
            CmpOp::Ge => left >= right,
            CmpOp::Le => left <= right,
            CmpOp::Gt => left > right,
            CmpOp::Lt => left < right,
            CmpOp::Eq => left == right,
            CmpOp::Ne => left != right,
        }
    }

    fn negated(self) -> CmpOp {
        match self {
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        }
    }

    /// The values in `lo..=hi` for which `x op value` holds, as an interval (`Ne` keeps the hull).
    fn narrow(self, lo: i32, hi: i32, value: i32) -> Option<(i32, i32)> {
        let (lo, hi) = match self {
            CmpOp::Ge => (lo.max(value), hi),
            CmpOp::Gt => (lo.max(value.saturating_add(1)), hi),
            CmpOp::Le => (lo, hi.min(value)),
            CmpOp::Lt => (lo, hi.min(value.saturating_sub(1))),
            CmpOp::Eq => (lo.max(value), hi.min(value)),
            CmpOp::Ne if lo == hi && lo == value => return None,
            CmpOp::Ne => (lo, hi),
        };
        (lo <= hi).then_some((lo, hi))
    }
}

/// A parsed, not yet resolved, condition. Spans are byte ranges within the condition text.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Name(Range<usize>, String),
    Compare {
        name: (Range<usize>, String),
        op: CmpOp,
        value: i32,
        span: Range<usize>,
    },
    Not(Box<Expr>),
    All(Vec<Expr>),
    Any(Vec<Expr>),
}

/// A problem in a condition, at a byte range within its text.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionError {
    pub at: Range<usize>,
    /// Whether the condition names something not declared (rather than being malformed).
    pub unknown_name: bool,
    pub message: String,
    pub help: Option<String>,
}

impl ConditionError {
    fn new(at: Range<usize>, message: impl Into<String>) -> Self {
        ConditionError {
            at,
            unknown_name: false,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Int(i32),
    Op(CmpOp),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<(Range<usize>, Token)>, ConditionError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let two = bytes.get(i..i + 2);
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                Token::Open
            }
            b')' => {
                i += 1;
                Token::Close
            }
            _ if two == Some(b">=") => {
                i += 2;
                Token::Op(CmpOp::Ge)
            }
            _ if two == Some(b"<=") => {
                i += 2;
                Token::Op(CmpOp::Le)
            }
            _ if two == Some(b"==") => {
                i += 2;
                Token::Op(CmpOp::Eq)
            }
            _ if two == Some(b"!=") => {
                i += 2;
                Token::Op(CmpOp::Ne)
            }
            _ if two == Some(b"&&") => {
                i += 2;
                Token::And
            }
            _ if two == Some(b"||") => {
                i += 2;
                Token::Or
            }
            b'>' => {
                i += 1;
                Token::Op(CmpOp::Gt)
            }
            b'<' => {
                i += 1;
                Token::Op(CmpOp::Lt)
            }
            b'!' => {
                i += 1;
                Token::Not
            }
            _ if two == Some(b"=>") || two == Some(b"=<") => {
                let meant = if two == Some(b"=>") { ">=" } else { "<=" };
                return Err(ConditionError::new(
                    i..i + 2,
                    format!("`{}` is not a comparison", &text[i..i + 2]),
                )
                .help(format!("did you mean `{meant}`? The `=` comes second")));
            }
            b'=' => {
                return Err(
                    ConditionError::new(i..i + 1, "a single `=` is not a comparison")
                        .help("write `==` to test for equality, e.g. `trust == 3`"),
                );
            }
            b'-' | b'+' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                match text[start..i].parse::<i32>() {
                    Ok(n) => Token::Int(n),
                    Err(_) => {
                        return Err(ConditionError::new(
                            start..i,
                            format!("`{}` is not a whole number", &text[start..i]),
                        ));
                    }
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                match &text[start..i] {
                    "and" => Token::And,
                    "or" => Token::Or,
                    "not" => Token::Not,
                    name => Token::Name(name.to_owned()),
                }
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                return Err(ConditionError::new(
                    i..i + ch.len_utf8(),
                    format!("unexpected `{ch}` in condition"),
                )
                .help(
                    "conditions use names, numbers, >= <= > < == !=, and, or, not, and brackets",
                ));
            }
        };
        tokens.push((start..i, token));
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(Range<usize>, Token)>,
    pos: usize,
    len: usize,
    depth: usize,
}

/// Deeper nesting than this is surely a mistake, and unbounded recursion would overflow the stack.
const MAX_DEPTH: usize = 32;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn here(&self) -> Range<usize> {
        self.tokens
            .get(self.pos)
            .map_or(self.len..self.len, |(r, _)| r.clone())
    }

    fn any(&mut self) -> Result<Expr, ConditionError> {
        let first = self.all()?;
        if self.peek() != Some(&Token::Or) {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            parts.push(self.all()?);
        }
        Ok(Expr::Any(parts))
    }

    fn all(&mut self) -> Result<Expr, ConditionError> {
        let first = self.not()?;
        if self.peek() != Some(&Token::And) {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            parts.push(self.not()?);
        }
        Ok(Expr::All(parts))
    }

    fn not(&mut self) -> Result<Expr, ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(
                ConditionError::new(self.here(), "this condition is nested too deeply")
                    .help("split it up: a condition rarely needs more than two levels of brackets"),
            );
        }
        let expr = if self.peek() == Some(&Token::Not) {
            self.pos += 1;
            self.not().map(|e| Expr::Not(Box::new(e)))
        } else {
            self.atom()
        };
        self.depth -= 1;
        expr
    }

    fn atom(&mut self) -> Result<Expr, ConditionError> {
        let at = self.here();
        // A name is moved out, not copied: each token is read once.
        let token = self.tokens.get_mut(self.pos).map(|(_, t)| match t {
            Token::Name(name) => Token::Name(std::mem::take(name)),
            other => other.clone(),
        });
        match token {
            Some(Token::Open) => {
                self.pos += 1;
                let inner = self.any()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(ConditionError::new(self.here(), "expected `)`")
                        .help("every `(` needs a matching `)`"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Name(name)) => {
                self.pos += 1;
                let Some(Token::Op(op)) = self.peek().cloned() else {
                    return Ok(Expr::Name(at, name));
                };
                self.pos += 1;
                let value_at = self.here();
                let value = match self.peek().cloned() {
                    Some(Token::Int(value)) => value,
                    found => {
                        let error = ConditionError::new(
                            value_at,
                            format!("expected a whole number after the comparison with `{name}`"),
                        );
                        return Err(match found {
                            Some(Token::Name(b)) if b == "true" || b == "false" => {
                                error.help(flag_test_help(&name, op, b == "true"))
                            }
                            _ => error,
                        });
                    }
                };
                self.pos += 1;
                Ok(Expr::Compare {
                    span: at.start..value_at.end,
                    name: (at, name),
                    op,
                    value,
                })
            }
            None => Err(ConditionError::new(
                at,
                "the condition ends where a flag or comparison was expected",
            )),
            Some(_) => Err(ConditionError::new(
                at,
                "expected a flag, a comparison such as `trust >= 3`, `not` or `(`",
            )),
        }
    }
}

/// Help for `flag == true` and the like: flags are tested by name, not compared.
fn flag_test_help(name: &str, op: CmpOp, with_true: bool) -> String {
    match (op, with_true) {
        (CmpOp::Eq, true) | (CmpOp::Ne, false) => {
            format!("a flag is tested by its name: write `{name}`")
        }
        (CmpOp::Eq, false) | (CmpOp::Ne, true) => {
            format!("a flag is tested by its name: write `not {name}`")
        }
        _ => format!("a flag is tested by its name: write `{name}` or `not {name}`"),
    }
}

pub fn parse(text: &str) -> Result<Expr, ConditionError> {
    if text.trim().is_empty() {
        return Err(ConditionError::new(0..text.len(), "the condition is empty")
            .help("remove `when`, or write a condition such as `trust >= 3`"));
    }
    let mut parser = Parser {
        tokens: tokenize(text)?,
        pos: 0,
        len: text.len(),
        depth: 0,
    };
    let expr = parser.any()?;
    if parser.pos < parser.tokens.len() {
        return Err(ConditionError::new(
            parser.here(),
            "unexpected text after the end of the condition",
        )
        .help("join conditions with `and` or `or`"));
    }
    Ok(expr)
}

/// What a condition may refer to.
pub struct StateNames<'a> {
    variables: &'a [(&'a str, i32, i32)],
    flags: &'a [&'a str],
    /// Flags that some choice sets (a flag nobody sets stays false).
    flags_ever_set: &'a [bool],
    /// Every name, hashed: a scenario may declare thousands, and every condition looks them up.
    index: HashMap<&'a str, Name>,
    /// How many more unknown names get a "did you mean" (see [`crate::suggest`]).
    suggestions_left: Cell<usize>,
}

#[derive(Debug, Clone, Copy)]
enum Name {
    Variable(usize),
    Flag(usize),
}

impl<'a> StateNames<'a> {
    /// `variables` as (name, min, max).
    pub fn new(
        variables: &'a [(&'a str, i32, i32)],
        flags: &'a [&'a str],
        flags_ever_set: &'a [bool],
    ) -> Self {
        let mut index = HashMap::with_capacity(variables.len() + flags.len());
        // The checks declare each name once (a name used twice is reported and left out).
        for (i, name) in flags.iter().enumerate() {
            index.insert(*name, Name::Flag(i));
        }
        for (i, (name, _, _)) in variables.iter().enumerate() {
            index.insert(*name, Name::Variable(i));
        }
        StateNames {
            variables,
            flags,
            flags_ever_set,
            index,
            suggestions_left: Cell::new(crate::suggest::SUGGESTIONS_PER_FILE),
        }
    }

    fn variable(&self, name: &str) -> Option<usize> {
        match self.index.get(name) {
            Some(Name::Variable(i)) => Some(*i),
            _ => None,
        }
    }

    fn flag(&self, name: &str) -> Option<usize> {
        match self.index.get(name) {
            Some(Name::Flag(i)) => Some(*i),
            _ => None,
        }
    }

    fn all_names(&self) -> impl Iterator<Item = &str> {
        self.variables
            .iter()
            .map(|(n, _, _)| *n)
            .chain(self.flags.iter().copied())
    }
}

/// Resolves names to indices. Returns every problem found.
pub fn resolve(expr: &Expr, names: &StateNames) -> Result<Condition, Vec<ConditionError>> {
    let mut errors = Vec::new();
    let condition = resolve_inner(expr, names, &mut errors);
    if errors.is_empty() {
        Ok(condition)
    } else {
        Err(errors)
    }
}

fn resolve_inner(expr: &Expr, names: &StateNames, errors: &mut Vec<ConditionError>) -> Condition {
    match expr {
        Expr::Name(at, name) => {
            if let Some(f) = names.flag(name) {
                // Past the 16-bit range only in a scenario over the state-name limit, which is
                // reported as an error: it never plays.
                u16::try_from(f).map_or_else(|_| Condition::default(), Condition::Flag)
            } else if names.variable(name).is_some() {
                errors.push(
                    ConditionError::new(at.clone(), format!("`{name}` is a number, not a flag"))
                        .help(format!("compare it, e.g. `{name} >= 3`")),
                );
                Condition::All(vec![])
            } else {
                errors.push(unknown_name(at, name, names, "flag"));
                Condition::All(vec![])
            }
        }
        Expr::Compare {
            name: (at, name),
            op,
            value,
            ..
        } => {
            if let Some(v) = names.variable(name) {
                match u16::try_from(v) {
                    Ok(variable) => Condition::Compare {
                        variable,
                        op: *op,
                        value: *value,
                    },
                    Err(_) => Condition::default(), // over the limit, reported
                }
            } else if names.flag(name).is_some() {
                errors.push(
                    ConditionError::new(
                        at.clone(),
                        format!("`{name}` is a flag, so it cannot be compared with a number"),
                    )
                    .help(format!(
                        "write `{name}` for \"is set\" or `not {name}` for \"is not set\""
                    )),
                );
                Condition::All(vec![])
            } else {
                errors.push(unknown_name(at, name, names, "variable"));
                Condition::All(vec![])
            }
        }
        Expr::Not(e) => Condition::Not(Box::new(resolve_inner(e, names, errors))),
        Expr::All(es) => {
            Condition::All(es.iter().map(|e| resolve_inner(e, names, errors)).collect())
        }
        Expr::Any(es) => {
            Condition::Any(es.iter().map(|e| resolve_inner(e, names, errors)).collect())
        }
    }
}

fn unknown_name(at: &Range<usize>, name: &str, names: &StateNames, kind: &str) -> ConditionError {
    let error = ConditionError {
        unknown_name: true,
        ..ConditionError::new(at.clone(), format!("unknown {kind} `{name}`"))
    };
    let left = names.suggestions_left.get();
    names.suggestions_left.set(left.saturating_sub(1));
    let near = if left > 0 {
        crate::suggest::nearest(name, names.all_names())
    } else {
        None
    };
    match near {
        Some(near) => error.help(format!(
            "did you mean `{near}`? Variables and flags are declared under `state`"
        )),
        None => error.help(format!("declare `{name}` under `state` first")),
    }
}

/// Problems with a condition that parses and resolves but cannot do its job.
pub enum Satisfiability {
    Possible,
    /// Never true; the span (within the condition text) is the part responsible.
    Never(Range<usize>, String),
}

/// Checks, by interval reasoning over the variables' ranges, whether the condition can ever hold.
pub fn satisfiability(expr: &Expr, names: &StateNames) -> Satisfiability {
    match possible(expr, false, names) {
        Ok(()) => Satisfiability::Possible,
        Err((at, why)) => Satisfiability::Never(at, why),
    }
}

type Impossible = (Range<usize>, String);

fn possible(expr: &Expr, negated: bool, names: &StateNames) -> Result<(), Impossible> {
    match expr {
        Expr::Name(at, name) => match names.flag(name) {
            Some(f) if !negated && !names.flags_ever_set[f] => Err((
                at.clone(),
                format!("no choice ever sets `{name}`, so it is never true"),
            )),
            _ => Ok(()),
        },
        Expr::Compare {
            name: (_, name),
            op,
            value,
            span,
        } => {
            let Some(v) = names.variable(name) else {
                return Ok(());
            };
            let (_, lo, hi) = names.variables[v];
            let op = if negated { op.negated() } else { *op };
            match op.narrow(lo, hi, *value) {
                Some(_) => Ok(()),
                None => Err((
                    span.clone(),
                    format!("`{name}` stays between {lo} and {hi}, so this is never true"),
                )),
            }
        }
        Expr::Not(e) => possible(e, !negated, names),
        Expr::All(es) if !negated => possible_together(es, false, names),
        Expr::Any(es) if negated => possible_together(es, true, names),
        Expr::All(es) | Expr::Any(es) => {
            let mut first_err = None;
            for e in es {
                match possible(e, negated, names) {
                    Ok(()) => return Ok(()),
                    Err(err) => {
                        first_err.get_or_insert(err);
                    }
                }
            }
            first_err.map_or(Ok(()), Err)
        }
    }
}

/// All of `parts` (each negated if `negated`) must hold at once: each must be possible and the
/// comparisons on one variable must leave some value in its range.
fn possible_together(parts: &[Expr], negated: bool, names: &StateNames) -> Result<(), Impossible> {
    // Only the variables these parts compare: a scenario may declare thousands.
    let mut ranges: HashMap<usize, Option<(i32, i32)>> = HashMap::new();
    for part in parts {
        possible(part, negated, names)?;
        if let Expr::Compare {
            name: (_, name),
            op,
            value,
            span,
        } = part
            && let Some(v) = names.variable(name)
        {
            let op = if negated { op.negated() } else { *op };
            let range = ranges.entry(v).or_insert_with(|| {
                let (_, lo, hi) = names.variables[v];
                Some((lo, hi))
            });
            let narrowed = range.and_then(|(lo, hi)| op.narrow(lo, hi, *value));
            if narrowed.is_none() {
                return Err((
                    span.clone(),
                    format!("together with the other comparisons of `{name}`, this is never true"),
                ));
            }
            *range = narrowed;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> StateNames<'static> {
        StateNames::new(
            &[("trust", 0, 10), ("distress", 0, 10)],
            &["felt_judged", "never_set"],
            &[true, false],
        )
    }

    fn eval(text: &str, trust: i32, judged: bool) -> bool {
        let c = resolve(&parse(text).unwrap(), &names()).unwrap();
        c.holds(&[trust, 5], &[judged, false])
    }

    #[test]
    fn words_and_symbols_mean_the_same() {
        for (a, b) in [
            ("trust >= 4 and not felt_judged", "trust>=4 && !felt_judged"),
            ("trust < 2 or felt_judged", "(trust < 2) || felt_judged"),
        ] {
            for trust in 0..=10 {
                for judged in [false, true] {
                    assert_eq!(eval(a, trust, judged), eval(b, trust, judged), "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert!(eval("felt_judged or trust > 5 and trust < 3", 0, true));
        assert!(!eval("felt_judged or trust > 5 and trust < 3", 6, false));
    }

    #[test]
    fn single_equals_gets_help() {
        let err = parse("trust = 3").unwrap_err();
        assert_eq!(err.at, 6..7);
        assert!(err.help.unwrap().contains("=="));
    }

    #[test]
    fn reversed_comparisons_suggest_the_right_order() {
        let err = parse("trust => 3").unwrap_err();
        assert_eq!(err.at, 6..8);
        assert_eq!(err.message, "`=>` is not a comparison");
        assert!(err.help.unwrap().starts_with("did you mean `>=`?"));
        let err = parse("trust =< 3").unwrap_err();
        assert!(err.help.unwrap().starts_with("did you mean `<=`?"));
    }

    #[test]
    fn flags_compared_with_true_or_false_get_help() {
        let help = |t: &str| parse(t).unwrap_err().help.unwrap();
        assert_eq!(
            help("felt_judged == true"),
            "a flag is tested by its name: write `felt_judged`"
        );
        assert_eq!(
            help("felt_judged == false"),
            "a flag is tested by its name: write `not felt_judged`"
        );
        assert_eq!(
            help("trust >= 2 and felt_judged != true"),
            "a flag is tested by its name: write `not felt_judged`"
        );
        assert_eq!(
            parse("trust == 3 and felt_judged == true").unwrap_err().at,
            30..34
        );
        assert!(parse("trust == x").unwrap_err().help.is_none());
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let err = resolve(&parse("trsut >= 2").unwrap(), &names()).unwrap_err();
        assert_eq!(err[0].at, 0..5);
        assert_eq!(err[0].message, "unknown variable `trsut`");
        assert!(err[0].help.as_deref().unwrap().contains("`trust`"));
    }

    #[test]
    fn flags_and_variables_are_not_interchangeable() {
        let err = resolve(&parse("felt_judged > 1 or trust").unwrap(), &names()).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err[0].message.contains("is a flag"));
        assert!(err[1].message.contains("is a number"));
    }

    #[test]
    fn impossible_comparisons_are_found() {
        let never = |t: &str| {
            matches!(
                satisfiability(&parse(t).unwrap(), &names()),
                Satisfiability::Never(..)
            )
        };
        assert!(never("trust > 10"));
        assert!(never("trust >= 7 and trust <= 3"));
        assert!(never("not (trust <= 10)"));
        assert!(never("never_set"));
        assert!(!never("not never_set"));
        assert!(!never("trust > 10 or felt_judged"));
        assert!(!never("trust >= 3 and trust <= 3"));
        assert!(!never("trust != 3"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}trust > 1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(
            parse(&deep)
                .unwrap_err()
                .message
                .contains("nested too deeply")
        );
        let nots = format!("{}felt_judged", "not ".repeat(10_000));
        assert!(parse(&nots).is_err());
        assert!(parse("((not (trust > 1)))").is_ok());
    }

    #[test]
    fn trailing_text_is_an_error() {
        let err = parse("trust >= 2 felt_judged").unwrap_err();
        assert_eq!(err.at, 11..22);
    }
}
