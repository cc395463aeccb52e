//! The lexer of Go's text/template: text, `{{ }}` actions with their trim
//! markers, comments, and the tokens inside actions.

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    /// Any other printable ASCII character (`,` in `range $i, $v`).
    Char,
    String,
    RawString,
    CharConstant,
    Number,
    Bool,
    Nil,
    Dot,
    Field,
    Variable,
    Identifier,
    Keyword(Keyword),
    Eof,
    /// A lexical error; the parser reports it when it reaches it.
    Error(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

/// A token: its kind and its byte range in the template text.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
}

/// Go's `isSpace`: the only characters trim markers remove.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Tokenizes `text`; lexing stops at the first error, which becomes the last
/// token.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        start: 0,
        line: 1,
        // Templates average one token per 8 to 16 bytes; growing from empty
        // copies large token lists several times.
        tokens: Vec::with_capacity(text.len() / 8),
        paren_depth: 0,
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    start: usize,
    line: u32,
    tokens: Vec<Token>,
    paren_depth: i32,
}

enum State {
    Text,
    Action,
    Done,
}

impl Lexer<'_> {
    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::Action => self.lex_inside_action(),
                State::Done => return,
            };
        }
    }

    fn line_at(&self, offset: usize) -> u32 {
        self.line + memchr::memchr_iter(b'\n', &self.bytes[self.start..offset]).count() as u32
    }

    /// Emits `start..pos` and moves `start` (and the line count) past it.
    fn emit(&mut self, kind: Kind) {
        self.tokens.push(Token {
            kind,
            start: self.start,
            end: self.pos,
            line: self.line,
        });
        self.ignore();
    }

    /// Skips `start..pos`, counting its lines.
    fn ignore(&mut self) {
        self.line = self.line_at(self.pos);
        self.start = self.pos;
    }

    fn error(&mut self, message: String) -> State {
        self.tokens.push(Token {
            kind: Kind::Error(message),
            start: self.start,
            end: self.pos,
            line: self.line,
        });
        State::Done
    }

    fn peek_char(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.bytes.get(self.pos) {
            Some(&b) if valid.as_bytes().contains(&b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn has_left_trim_marker(&self, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'-') && self.bytes.get(at + 1).is_some_and(|&b| is_space(b))
    }

    /// Whether a right delimiter starts at `pos`, and whether it has a trim
    /// marker (` -}}`).
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.bytes[self.pos..];
        if rest.len() >= 4 && is_space(rest[0]) && rest[1] == b'-' && &rest[2..4] == b"}}" {
            return (true, true);
        }
        (rest.starts_with(b"}}"), false)
    }

    fn lex_text(&mut self) -> State {
        match memchr::memmem::find(&self.bytes[self.pos..], b"{{") {
            Some(x) => {
                if x > 0 {
                    self.pos += x;
                    let mut text_end = self.pos;
                    if self.has_left_trim_marker(self.pos + 2) {
                        while text_end > self.start && is_space(self.bytes[text_end - 1]) {
                            text_end -= 1;
                        }
                    }
                    if text_end > self.start {
                        self.tokens.push(Token {
                            kind: Kind::Text,
                            start: self.start,
                            end: text_end,
                            line: self.line,
                        });
                    }
                    self.ignore();
                }
                self.lex_left_delim()
            }
            None => {
                self.pos = self.bytes.len();
                if self.pos > self.start {
                    self.emit(Kind::Text);
                }
                self.emit(Kind::Eof);
                State::Done
            }
        }
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += 2;
        let after_marker = if self.has_left_trim_marker(self.pos) {
            2
        } else {
            0
        };
        if self.bytes[self.pos + after_marker..].starts_with(b"/*") {
            self.pos += after_marker;
            self.ignore();
            return self.lex_comment();
        }
        self.emit(Kind::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        State::Action
    }

    fn lex_comment(&mut self) -> State {
        self.pos += 2;
        let Some(x) = memchr::memmem::find(&self.bytes[self.pos..], b"*/") else {
            return self.error("unclosed comment".to_string());
        };
        self.pos += x + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".to_string());
        }
        self.pos += if trim { 4 } else { 2 };
        if trim {
            self.skip_leading_space();
        }
        self.ignore();
        State::Text
    }

    fn skip_leading_space(&mut self) {
        while self.bytes.get(self.pos).is_some_and(|&b| is_space(b)) {
            self.pos += 1;
        }
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += 2;
            self.ignore();
        }
        self.pos += 2;
        self.emit(Kind::RightDelim);
        if trim {
            self.skip_leading_space();
            self.ignore();
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim();
            }
            return self.error("unclosed left paren".to_string());
        }
        let Some(c) = self.next_char() else {
            return self.error("unclosed action".to_string());
        };
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                self.pos -= 1;
                self.lex_space()
            }
            '=' => {
                self.emit(Kind::Assign);
                State::Action
            }
            ':' => {
                if self.next_char() != Some('=') {
                    return self.error("expected :=".to_string());
                }
                self.emit(Kind::Declare);
                State::Action
            }
            '|' => {
                self.emit(Kind::Pipe);
                State::Action
            }
            '"' => self.lex_quote(),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_field_or_variable(Kind::Variable),
            '\'' => self.lex_char(),
            '.' if !self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) => {
                self.lex_field_or_variable(Kind::Field)
            }
            '.' | '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                self.lex_number()
            }
            c if is_alphanumeric(c) => {
                self.pos -= c.len_utf8();
                self.lex_identifier()
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(Kind::LeftParen);
                State::Action
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".to_string());
                }
                self.emit(Kind::RightParen);
                State::Action
            }
            c if c.is_ascii() && !c.is_ascii_control() => {
                self.emit(Kind::Char);
                State::Action
            }
            c => self.error(format!(
                "unrecognized character in action: {}",
                describe_char(c)
            )),
        }
    }

    fn lex_space(&mut self) -> State {
        let mut spaces = 0;
        while self.bytes.get(self.pos).is_some_and(|&b| is_space(b)) {
            self.pos += 1;
            spaces += 1;
        }
        // A space followed by `-}}` belongs to the closing delimiter.
        let rest = &self.bytes[self.pos - 1..];
        if rest.len() >= 4 && rest[1] == b'-' && &rest[2..4] == b"}}" {
            self.pos -= 1;
            if spaces == 1 {
                return self.lex_right_delim();
            }
        }
        self.emit(Kind::Space);
        State::Action
    }

    fn at_terminator(&self) -> bool {
        match self.bytes.get(self.pos) {
            None => true,
            Some(&b) if is_space(b) => true,
            Some(b'.' | b',' | b'|' | b':' | b')' | b'(') => true,
            Some(_) => self.bytes[self.pos..].starts_with(b"}}"),
        }
    }

    fn lex_field_or_variable(&mut self, kind: Kind) -> State {
        if self.at_terminator() {
            let kind = if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            };
            self.emit(kind);
            return State::Action;
        }
        let mut last = None;
        while let Some(c) = self.peek_char() {
            if !is_alphanumeric(c) {
                last = Some(c);
                break;
            }
            self.pos += c.len_utf8();
        }
        if !self.at_terminator() {
            return self.bad_character(last);
        }
        self.emit(kind);
        State::Action
    }

    fn bad_character(&mut self, c: Option<char>) -> State {
        let shown = c.map_or_else(|| "U+FFFFFFFF".to_string(), describe_char);
        self.error(format!("bad character {shown}"))
    }

    fn lex_identifier(&mut self) -> State {
        let mut last = None;
        while let Some(c) = self.peek_char() {
            if !is_alphanumeric(c) {
                last = Some(c);
                break;
            }
            self.pos += c.len_utf8();
        }
        if !self.at_terminator() {
            return self.bad_character(last);
        }
        let kind = match &self.text[self.start..self.pos] {
            "block" => Kind::Keyword(Keyword::Block),
            "break" => Kind::Keyword(Keyword::Break),
            "continue" => Kind::Keyword(Keyword::Continue),
            "define" => Kind::Keyword(Keyword::Define),
            "else" => Kind::Keyword(Keyword::Else),
            "end" => Kind::Keyword(Keyword::End),
            "if" => Kind::Keyword(Keyword::If),
            "range" => Kind::Keyword(Keyword::Range),
            "template" => Kind::Keyword(Keyword::Template),
            "with" => Kind::Keyword(Keyword::With),
            "nil" => Kind::Nil,
            "true" | "false" => Kind::Bool,
            _ => Kind::Identifier,
        };
        self.emit(kind);
        State::Action
    }

    fn lex_quote(&mut self) -> State {
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    Some('\n') | None => {
                        return self.error("unterminated quoted string".to_string());
                    }
                    Some(_) => {}
                },
                Some('\n') | None => return self.error("unterminated quoted string".to_string()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(Kind::String);
        State::Action
    }

    fn lex_raw_quote(&mut self) -> State {
        match memchr::memchr(b'`', &self.bytes[self.pos..]) {
            Some(x) => {
                self.pos += x + 1;
                self.emit(Kind::RawString);
                State::Action
            }
            None => {
                self.pos = self.bytes.len();
                self.error("unterminated raw quoted string".to_string())
            }
        }
    }

    fn lex_char(&mut self) -> State {
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    Some('\n') | None => {
                        return self.error("unterminated character constant".to_string());
                    }
                    Some(_) => {}
                },
                Some('\n') | None => {
                    return self.error("unterminated character constant".to_string());
                }
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(Kind::CharConstant);
        State::Action
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            return self.error(format!(
                "bad number syntax: {}",
                go_quote(&self.text[self.start..self.pos])
            ));
        }
        if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
            // A complex constant (`1+2i`): Vigie has no complex values.
            if !self.scan_number() || self.bytes.get(self.pos - 1) != Some(&b'i') {
                return self.error(format!(
                    "bad number syntax: {}",
                    go_quote(&self.text[self.start..self.pos])
                ));
            }
        }
        self.emit(Kind::Number);
        State::Action
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek_char().is_some_and(is_alphanumeric) {
            self.next_char();
            return false;
        }
        true
    }
}

/// Go's `%#U`: `U+0021 '!'`.
pub(crate) fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

/// Go's `%q` of a string (`strconv.Quote`).
pub(crate) fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        push_escaped(&mut out, c, '"', false);
    }
    out.push('"');
    out
}

/// Appends `c` as Go's `strconv.Quote` writes it inside `quote` quotes.
pub(crate) fn push_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        c if c.is_ascii() => out.push(c),
        c if ascii_only || c.is_control() => {
            if (c as u32) < 0x10000 {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
        }
        c => out.push(c),
    }
}

/// Go's `strconv.Unquote` for `"…"`, `` `…` `` and `'…'` literals; `None`
/// is Go's `invalid syntax`.
pub(crate) fn unquote(literal: &str) -> Option<String> {
    let bytes = literal.as_bytes();
    if bytes.len() < 2 {
        return None;
    }
    let quote = bytes[0];
    if bytes[bytes.len() - 1] != quote {
        return None;
    }
    let body = &literal[1..literal.len() - 1];
    if quote == b'`' {
        if body.contains('`') {
            return None;
        }
        // Go drops carriage returns from raw strings.
        return Some(body.replace('\r', ""));
    }
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote as char || c == '\n' {
            return None;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = chars.next()?;
        let decoded = match escape {
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            '\\' => '\\',
            '\'' | '"' if escape as u8 == quote => escape,
            'x' | 'u' | 'U' => {
                let count = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut value = 0u32;
                for _ in 0..count {
                    value = value * 16 + chars.next()?.to_digit(16)?;
                }
                if escape == 'x' {
                    // `\xNN` is a byte; only ASCII bytes make valid UTF-8 here.
                    if value > 0x7f {
                        return None;
                    }
                }
                char::from_u32(value)?
            }
            '0'..='7' => {
                let mut value = escape.to_digit(8)?;
                for _ in 0..2 {
                    value = value * 8 + chars.next()?.to_digit(8)?;
                }
                if value > 0x7f {
                    return None;
                }
                char::from_u32(value)?
            }
            _ => return None,
        };
        out.push(decoded);
    }
    if quote == b'\'' && out.chars().count() != 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| {
                let slice = text[t.start..t.end].to_string();
                (t.kind, slice)
            })
            .collect()
    }

    #[test]
    fn trim_markers_remove_adjacent_whitespace() {
        let tokens = kinds("a \n {{- 3 -}} \n b");
        assert_eq!(tokens[0], (Kind::Text, "a".to_string()));
        assert_eq!(tokens[2], (Kind::Number, "3".to_string()));
        assert_eq!(tokens[4], (Kind::Text, "b".to_string()));
    }

    #[test]
    fn minus_without_space_is_a_number() {
        let tokens = kinds("{{-3}}");
        assert_eq!(tokens[1], (Kind::Number, "-3".to_string()));
    }

    #[test]
    fn comments_vanish_with_their_trim() {
        let tokens = kinds("a  {{- /* c */ -}}  b");
        assert_eq!(tokens[0], (Kind::Text, "a".to_string()));
        assert_eq!(tokens[1], (Kind::Text, "b".to_string()));
    }

    #[test]
    fn lexical_errors() {
        let last = |text: &str| tokenize(text).pop().map(|t| t.kind);
        assert_eq!(last("{{ /* x"), Some(Kind::Error("unclosed action".into())));
        assert_eq!(last("{{/* x"), Some(Kind::Error("unclosed comment".into())));
        assert_eq!(
            last("{{/* x */ }}"),
            Some(Kind::Error("comment ends before closing delimiter".into()))
        );
        assert_eq!(
            last("{{ \"abc }}"),
            Some(Kind::Error("unterminated quoted string".into()))
        );
        assert_eq!(
            last("{{ 3x }}"),
            Some(Kind::Error("bad number syntax: \"3x\"".into()))
        );
        assert_eq!(
            last("{{ a! }}"),
            Some(Kind::Error("bad character U+0021 '!'".into()))
        );
        assert_eq!(
            last("{{ ) }}"),
            Some(Kind::Error("unexpected right paren".into()))
        );
        assert_eq!(
            last("{{ ( }}"),
            Some(Kind::Error("unclosed left paren".into()))
        );
    }

    #[test]
    fn unquotes_go_literals() {
        assert_eq!(
            unquote(r#""a\tb\x41\u00e9\101""#).as_deref(),
            Some("a\tbAéA")
        );
        assert_eq!(unquote("`a\\n`").as_deref(), Some("a\\n"));
        assert_eq!(unquote("'\\n'").as_deref(), Some("\n"));
        assert_eq!(unquote(r#""\'""#), None);
        assert_eq!(unquote("'ab'"), None);
    }
}
