//! The parser of Go's text/template: the same grammar, the same checks at
//! parse time (undefined functions and variables, `{{break}}` outside
//! `{{range}}`, …) and the same error texts.

#[cfg(test)]
use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;

use super::exec::{STACK_RED_ZONE, STACK_SEGMENT};
use super::lex::{Keyword, Kind, Token, go_quote, tokenize, unquote};

/// How deep control structures and parentheses may nest.
pub const MAX_NESTING: usize = 2000;

/// One parsed template: a file's top level, or a `define`/`block` body.
#[derive(Clone, Debug)]
pub(crate) struct Tree {
    /// The template's name (`mychart/templates/deploy.yaml`, `mychart.labels`).
    pub name: String,
    /// Shared: files with the same text share their parsed bodies.
    pub root: Rc<[Node]>,
}

/// A node of a template's body.
#[derive(Debug)]
pub(crate) enum Node {
    /// Text copied as is: a byte range of the template text.
    Text {
        start: usize,
        end: usize,
    },
    /// `{{ pipeline }}`: `start..end` covers the delimiters.
    Action {
        start: usize,
        end: usize,
        pipe: Pipe,
    },
    If(Branch),
    With(Branch),
    Range(Branch),
    Template(TemplateCall),
    Break,
    Continue,
}

/// The shared shape of `if`, `with` and `range`.
#[derive(Debug)]
pub(crate) struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

/// `{{template "name" pipeline}}` (also what `{{block}}` leaves in place).
#[derive(Debug)]
pub(crate) struct TemplateCall {
    /// Offset of the name literal, where Go reports errors.
    pub pos: usize,
    pub name: String,
    pub pipe: Option<Pipe>,
}

/// A pipeline: optional variable declarations, then commands joined by `|`.
#[derive(Debug)]
pub(crate) struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

/// A command: a function or a value, and its arguments.
#[derive(Debug)]
pub(crate) struct Command {
    pub pos: usize,
    pub args: Vec<Operand>,
}

/// An operand and the offset Go reports errors at.
#[derive(Debug)]
pub(crate) struct Operand {
    pub pos: usize,
    pub kind: OperandKind,
}

#[derive(Debug)]
pub(crate) enum OperandKind {
    Identifier(String),
    Dot,
    Nil,
    Bool(bool),
    Number {
        text: String,
        value: Constant,
    },
    String {
        quoted: String,
        value: Rc<str>,
    },
    /// `.a.b` on dot.
    Field(Vec<String>),
    /// `$x.a.b`: the variable name (with `$`) and the fields.
    Variable(String, Vec<String>),
    /// `(pipeline).a.b`, `fn.a`.
    Chain(Box<Operand>, Vec<String>),
    Pipe(Pipe),
}

/// A number literal as Go's `idealConstant` turns it into a value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Constant {
    Int(i64),
    Float(f64),
    /// Valid syntax that does not fit an `int` (Go: "… overflows int").
    Overflow,
}

/// A parse error: Go's message, the line and the byte offset of the token.
#[derive(Debug)]
pub(crate) struct ParseError {
    pub message: String,
    pub line: u32,
    pub offset: usize,
}

/// Everything one file's text defines: its top level under `name`, then each
/// `define` and `block`, in order.
pub(crate) fn parse(
    name: &str,
    text: &str,
    functions: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    let tokens = tokenize(text);
    let mut parser = Parser {
        text,
        name,
        tokens,
        index: 0,
        vars: vec!["$".to_string()],
        range_depth: 0,
        nesting: 0,
        action_line: 0,
        functions,
        trees: Vec::new(),
    };
    let root = parser.parse_top()?;
    let top = Tree {
        name: name.to_string(),
        root: root.into(),
    };
    let mut trees = vec![top];
    trees.append(&mut parser.trees);
    Ok(trees)
}

/// Go's `parse.IsEmptyTree`: only whitespace text. An empty `define` does
/// not replace an existing template of the same name.
pub(crate) fn is_empty_tree(nodes: &[Node], text: &str) -> bool {
    nodes.iter().all(|node| match node {
        Node::Text { start, end } => text[*start..*end].trim_ascii().is_empty(),
        _ => false,
    })
}

/// A control keyword's node, before it is attached to its structure.
enum Item {
    Node(Node),
    Else,
    End,
}

struct Parser<'p> {
    text: &'p str,
    name: &'p str,
    tokens: Vec<Token>,
    index: usize,
    vars: Vec<String>,
    range_depth: usize,
    /// Open control structures and parentheses.
    nesting: usize,
    action_line: u32,
    functions: &'p dyn Fn(&str) -> bool,
    /// Templates defined so far (`define`, `block`).
    trees: Vec<Tree>,
}

impl Parser<'_> {
    fn token(&self, index: usize) -> &Token {
        let last = self.tokens.len().saturating_sub(1);
        &self.tokens[index.min(last)]
    }

    fn peek(&self) -> &Token {
        self.token(self.index)
    }

    fn next(&mut self) -> Result<Token, ParseError> {
        let token = self.token(self.index).clone();
        self.index += 1;
        if let Kind::Error(message) = &token.kind {
            let mut message = message.clone();
            if self.action_line != 0 && self.action_line != token.line {
                message.push_str(&format!(
                    " in action started at {}:{}",
                    self.name, self.action_line
                ));
            }
            return Err(ParseError {
                message,
                line: token.line,
                offset: token.start,
            });
        }
        Ok(token)
    }

    fn backup(&mut self) {
        self.index -= 1;
    }

    fn skip_space(&mut self) {
        while self.peek().kind == Kind::Space {
            self.index += 1;
        }
    }

    fn next_non_space(&mut self) -> Result<Token, ParseError> {
        self.skip_space();
        self.next()
    }

    fn peek_non_space(&mut self) -> &Token {
        self.skip_space();
        self.peek()
    }

    fn value(&self, token: &Token) -> &str {
        &self.text[token.start..token.end]
    }

    fn error_at(&self, token: &Token, message: String) -> ParseError {
        ParseError {
            message,
            line: token.line,
            offset: token.start,
        }
    }

    /// The error at the last token read, as Go's `errorf`.
    fn error(&self, message: String) -> ParseError {
        let token = self.token(self.index.saturating_sub(1)).clone();
        self.error_at(&token, message)
    }

    /// Go's `item.String()`, as `unexpected …` messages show a token.
    fn describe(&self, token: &Token) -> String {
        match &token.kind {
            Kind::Eof => "EOF".to_string(),
            Kind::Error(message) => message.clone(),
            Kind::Keyword(_) => format!("<{}>", self.value(token)),
            _ => {
                let value = self.value(token);
                if value.chars().count() > 10 {
                    let head: String = value.chars().take(10).collect();
                    format!("{}...", go_quote(&head))
                } else {
                    go_quote(value)
                }
            }
        }
    }

    fn unexpected(&self, token: &Token, context: &str) -> ParseError {
        self.error_at(
            token,
            format!("unexpected {} in {context}", self.describe(token)),
        )
    }

    fn expect(&mut self, kind: Kind, context: &str) -> Result<Token, ParseError> {
        let token = self.next_non_space()?;
        if token.kind != kind {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    fn parse_top(&mut self) -> Result<Vec<Node>, ParseError> {
        let mut root = Vec::new();
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let mark = self.index;
                self.next()?;
                if self.next_non_space()?.kind == Kind::Keyword(Keyword::Define) {
                    self.parse_definition()?;
                    continue;
                }
                self.index = mark;
            }
            match self.text_or_action()? {
                Item::Node(node) => root.push(node),
                Item::Else => return Err(self.error("unexpected {{else}}".to_string())),
                Item::End => return Err(self.error("unexpected {{end}}".to_string())),
            }
        }
        Ok(root)
    }

    /// Parses `{{define "name"}} … {{end}}` with its own variable scope.
    fn parse_definition(&mut self) -> Result<(), ParseError> {
        let context = "define clause";
        let token = self.next_non_space()?;
        if !matches!(token.kind, Kind::String | Kind::RawString) {
            return Err(self.unexpected(&token, context));
        }
        let name = unquote(self.value(&token))
            .ok_or_else(|| self.error_at(&token, "invalid syntax".to_string()))?;
        self.expect(Kind::RightDelim, context)?;
        let outer_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let outer_depth = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        self.vars = outer_vars;
        self.range_depth = outer_depth;
        if !matches!(end, Item::End) {
            return Err(self.error(format!("unexpected {{{{else}}}} in {context}")));
        }
        self.add_tree(Tree {
            name,
            root: list.into(),
        })
    }

    /// Go's `Tree.add`: a second non-empty definition in the same text is an
    /// error.
    fn add_tree(&mut self, tree: Tree) -> Result<(), ParseError> {
        if let Some(index) = self.trees.iter().position(|t| t.name == tree.name) {
            if is_empty_tree(&self.trees[index].root, self.text) {
                self.trees[index] = tree;
            } else if !is_empty_tree(&tree.root, self.text) {
                return Err(self.error(format!(
                    "template: multiple definition of template {}",
                    go_quote(&tree.name)
                )));
            }
            return Ok(());
        }
        self.trees.push(tree);
        Ok(())
    }

    fn item_list(&mut self) -> Result<(Vec<Node>, Item), ParseError> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item::Node(node) => list.push(node),
                other => return Ok((list, other)),
            }
        }
        // Reading the EOF token positions the error on the last line.
        self.next()?;
        Err(self.error("unexpected EOF".to_string()))
    }

    fn text_or_action(&mut self) -> Result<Item, ParseError> {
        let token = self.next_non_space()?;
        match token.kind {
            Kind::Text => Ok(Item::Node(Node::Text {
                start: token.start,
                end: token.end,
            })),
            Kind::LeftDelim => {
                self.action_line = token.line;
                let item = self.action(token.start);
                self.action_line = 0;
                item
            }
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    /// End offset of the right delimiter just read.
    fn last_end(&self) -> usize {
        self.token(self.index.saturating_sub(1)).end
    }

    fn action(&mut self, start: usize) -> Result<Item, ParseError> {
        let token = self.next_non_space()?;
        match token.kind {
            Kind::Keyword(Keyword::Block) => self.block_control().map(Item::Node),
            Kind::Keyword(Keyword::Break) => {
                self.loop_control("break").map(|()| Item::Node(Node::Break))
            }
            Kind::Keyword(Keyword::Continue) => self
                .loop_control("continue")
                .map(|()| Item::Node(Node::Continue)),
            Kind::Keyword(Keyword::Else) => {
                if matches!(
                    self.peek_non_space().kind,
                    Kind::Keyword(Keyword::If | Keyword::With)
                ) {
                    return Ok(Item::Else);
                }
                self.expect(Kind::RightDelim, "else")?;
                Ok(Item::Else)
            }
            Kind::Keyword(Keyword::End) => {
                self.expect(Kind::RightDelim, "end")?;
                Ok(Item::End)
            }
            Kind::Keyword(Keyword::If) => self.control("if").map(|b| Item::Node(Node::If(b))),
            Kind::Keyword(Keyword::Range) => {
                self.control("range").map(|b| Item::Node(Node::Range(b)))
            }
            Kind::Keyword(Keyword::With) => self.control("with").map(|b| Item::Node(Node::With(b))),
            Kind::Keyword(Keyword::Template) => self.template_control().map(Item::Node),
            _ => {
                self.backup();
                let pipe = self.pipeline("command", Kind::RightDelim)?;
                Ok(Item::Node(Node::Action {
                    start,
                    end: self.last_end(),
                    pipe,
                }))
            }
        }
    }

    fn loop_control(&mut self, keyword: &str) -> Result<(), ParseError> {
        let token = self.next_non_space()?;
        if token.kind != Kind::RightDelim {
            return Err(self.unexpected(&token, &format!("{{{{{keyword}}}}}")));
        }
        if self.range_depth == 0 {
            return Err(self.error(format!("{{{{{keyword}}}}} outside {{{{range}}}}")));
        }
        Ok(())
    }

    /// Enters a nested structure. Go has no limit; Vigie stops at
    /// [`MAX_NESTING`] so that dropping the tree stays within the stack.
    fn enter(&mut self) -> Result<(), ParseError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.error(format!("template nesting deeper than {MAX_NESTING} levels")));
        }
        Ok(())
    }

    fn control(&mut self, context: &str) -> Result<Branch, ParseError> {
        let vars = self.vars.len();
        self.enter()?;
        // Nesting depth is up to the input: never overflow the stack.
        let result =
            stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || self.control_body(context));
        self.nesting -= 1;
        self.vars.truncate(vars);
        result
    }

    fn control_body(&mut self, context: &str) -> Result<Branch, ParseError> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let else_list = match next {
            Item::End => None,
            Item::Else => {
                let chained = match self.peek().kind {
                    Kind::Keyword(Keyword::If) if context == "if" => Some("if"),
                    Kind::Keyword(Keyword::With) if context == "with" => Some("with"),
                    _ => None,
                };
                if let Some(keyword) = chained {
                    self.next()?;
                    let branch = self.control(keyword)?;
                    let node = if keyword == "if" {
                        Node::If(branch)
                    } else {
                        Node::With(branch)
                    };
                    Some(vec![node])
                } else {
                    let (list, next) = self.item_list()?;
                    match next {
                        Item::End => {}
                        Item::Else => {
                            return Err(self.error("expected end; found {{else}}".to_string()));
                        }
                        Item::Node(_) => {}
                    }
                    Some(list)
                }
            }
            Item::Node(_) => None,
        };
        Ok(Branch {
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, context: &str) -> Result<(Token, String), ParseError> {
        let token = self.next_non_space()?;
        if !matches!(token.kind, Kind::String | Kind::RawString) {
            return Err(self.unexpected(&token, context));
        }
        let name = unquote(self.value(&token))
            .ok_or_else(|| self.error_at(&token, "invalid syntax".to_string()))?;
        Ok((token, name))
    }

    fn template_control(&mut self) -> Result<Node, ParseError> {
        let context = "template clause";
        let (token, name) = self.template_name(context)?;
        let pipe = if self.next_non_space()?.kind != Kind::RightDelim {
            self.backup();
            Some(self.pipeline(context, Kind::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template(TemplateCall {
            pos: token.start,
            name,
            pipe,
        }))
    }

    fn block_control(&mut self) -> Result<Node, ParseError> {
        let context = "block clause";
        let (token, name) = self.template_name(context)?;
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        let outer_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let outer_depth = std::mem::replace(&mut self.range_depth, 0);
        let listed = self.item_list();
        self.vars = outer_vars;
        self.range_depth = outer_depth;
        let (list, end) = listed?;
        if !matches!(end, Item::End) {
            return Err(self.error(format!("unexpected {{{{else}}}} in {context}")));
        }
        self.add_tree(Tree {
            name: name.clone(),
            root: list.into(),
        })?;
        Ok(Node::Template(TemplateCall {
            pos: token.start,
            name,
            pipe: Some(pipe),
        }))
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> Result<Pipe, ParseError> {
        let pos = self.peek_non_space().start;
        let mut pipe = Pipe {
            pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        loop {
            if self.peek_non_space().kind != Kind::Variable {
                break;
            }
            let mark = self.index;
            let variable = self.next()?;
            let name = self.value(&variable).to_string();
            let next = self.peek_non_space().clone();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space()?;
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                }
                Kind::Char if self.value(&next) == "," => {
                    self.next_non_space()?;
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => {
                                return Err(
                                    self.error("range can only initialize variables".to_string())
                                );
                            }
                        }
                    }
                    return Err(self.error(format!("too many declarations in {context}")));
                }
                _ => self.index = mark,
            }
            break;
        }
        loop {
            let token = self.next_non_space()?;
            if token.kind == end {
                if pipe.cmds.is_empty() {
                    return Err(self.error(format!("missing value for {context}")));
                }
                for (i, cmd) in pipe.cmds.iter().enumerate().skip(1) {
                    if matches!(
                        cmd.args.first().map(|a| &a.kind),
                        Some(
                            OperandKind::Bool(_)
                                | OperandKind::Dot
                                | OperandKind::Nil
                                | OperandKind::Number { .. }
                                | OperandKind::String { .. }
                        )
                    ) {
                        return Err(self.error(format!(
                            "non executable command in pipeline stage {}",
                            i + 1
                        )));
                    }
                }
                return Ok(pipe);
            }
            match token.kind {
                Kind::Bool
                | Kind::CharConstant
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let command = self.command()?;
                    pipe.cmds.push(command);
                }
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let pos = self.peek_non_space().start;
        let mut args = Vec::new();
        loop {
            self.skip_space();
            if let Some(operand) = self.operand()? {
                args.push(operand);
            }
            let token = self.next()?;
            match token.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return Err(self.unexpected(&token, "operand")),
            }
            break;
        }
        if args.is_empty() {
            return Err(self.error("empty command".to_string()));
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> Result<Option<Operand>, ParseError> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().start;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            let token = self.next()?;
            fields.push(self.value(&token)[1..].to_string());
        }
        let kind = match node.kind {
            OperandKind::Field(mut first) => {
                first.append(&mut fields);
                OperandKind::Field(first)
            }
            OperandKind::Variable(name, mut first) => {
                first.append(&mut fields);
                OperandKind::Variable(name, first)
            }
            OperandKind::Bool(_)
            | OperandKind::String { .. }
            | OperandKind::Number { .. }
            | OperandKind::Nil
            | OperandKind::Dot => {
                return Err(self.error(format!(
                    "unexpected . after term {}",
                    go_quote(&node.to_string())
                )));
            }
            _ => OperandKind::Chain(Box::new(node), fields),
        };
        Ok(Some(Operand { pos, kind }))
    }

    fn term(&mut self) -> Result<Option<Operand>, ParseError> {
        let token = self.next_non_space()?;
        let value = self.value(&token).to_string();
        let kind = match token.kind {
            Kind::Identifier => {
                if !(self.functions)(&value) {
                    return Err(self.error(format!("function {} not defined", go_quote(&value))));
                }
                OperandKind::Identifier(value)
            }
            Kind::Dot => OperandKind::Dot,
            Kind::Nil => OperandKind::Nil,
            Kind::Variable => {
                if !self.vars.contains(&value) {
                    return Err(self.error(format!("undefined variable {}", go_quote(&value))));
                }
                OperandKind::Variable(value, Vec::new())
            }
            Kind::Field => OperandKind::Field(vec![value[1..].to_string()]),
            Kind::Bool => OperandKind::Bool(value == "true"),
            Kind::Number | Kind::CharConstant => {
                let constant = number(&value, token.kind == Kind::CharConstant)
                    .map_err(|message| self.error(message))?;
                OperandKind::Number {
                    text: value,
                    value: constant,
                }
            }
            Kind::LeftParen => {
                self.enter()?;
                let pipe = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                    self.pipeline("parenthesized pipeline", Kind::RightParen)
                });
                self.nesting -= 1;
                OperandKind::Pipe(pipe?)
            }
            Kind::String | Kind::RawString => {
                let unquoted =
                    unquote(&value).ok_or_else(|| self.error("invalid syntax".to_string()))?;
                OperandKind::String {
                    quoted: value,
                    value: unquoted.into(),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(Operand {
            pos: token.start,
            kind,
        }))
    }
}

/// Go's `newNumber` followed by `idealConstant`.
fn number(text: &str, is_char: bool) -> Result<Constant, String> {
    if is_char {
        let decoded =
            unquote(text).ok_or_else(|| format!("malformed character constant: {text}"))?;
        let c = decoded
            .chars()
            .next()
            .ok_or_else(|| format!("malformed character constant: {text}"))?;
        return Ok(Constant::Int(c as i64));
    }
    if text.ends_with('i') {
        return Err(format!("complex constants are not supported: {text}"));
    }
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = unsigned.replace('_', "");
    let lower = digits.to_ascii_lowercase();
    let is_hex = lower.starts_with("0x");
    let looks_float = if is_hex {
        lower.contains('p') || lower.contains('.')
    } else {
        lower.contains('.') || lower.contains('e')
    };
    if !looks_float {
        let (radix, body) = if let Some(body) = lower.strip_prefix("0x") {
            (16, body)
        } else if let Some(body) = lower.strip_prefix("0o") {
            (8, body)
        } else if let Some(body) = lower.strip_prefix("0b") {
            (2, body)
        } else if lower.len() > 1 && lower.starts_with('0') {
            (8, &lower[1..])
        } else {
            (10, lower.as_str())
        };
        let magnitude = u128::from_str_radix(body, radix)
            .map_err(|_| format!("illegal number syntax: {}", go_quote(text)))?;
        let value = if negative {
            -(magnitude as i128)
        } else {
            magnitude as i128
        };
        return Ok(i64::try_from(value).map_or(Constant::Overflow, Constant::Int));
    }
    let magnitude = if is_hex {
        hex_float(&lower[2..])
    } else {
        lower.parse::<f64>().ok()
    }
    .ok_or_else(|| format!("illegal number syntax: {}", go_quote(text)))?;
    Ok(Constant::Float(if negative {
        -magnitude
    } else {
        magnitude
    }))
}

/// A hexadecimal float body (`1.8p+1`), after `0x`.
fn hex_float(body: &str) -> Option<f64> {
    let (mantissa, exponent) = body.split_once('p')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut value = 0f64;
    for c in whole.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in fraction.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exponent))
}

impl fmt::Display for Operand {
    /// Go's `Node.String()`, as `executing … at <…>` shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            OperandKind::Identifier(name) => f.write_str(name),
            OperandKind::Dot => f.write_str("."),
            OperandKind::Nil => f.write_str("nil"),
            OperandKind::Bool(b) => write!(f, "{b}"),
            OperandKind::Number { text, .. } => f.write_str(text),
            OperandKind::String { quoted, .. } => f.write_str(quoted),
            OperandKind::Field(fields) => {
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
            OperandKind::Variable(name, fields) => {
                f.write_str(name)?;
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
            OperandKind::Chain(node, fields) => {
                if matches!(node.kind, OperandKind::Pipe(_)) {
                    write!(f, "({node})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
            OperandKind::Pipe(pipe) => write!(f, "{pipe}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if matches!(arg.kind, OperandKind::Pipe(_)) {
                write!(f, "({arg})")?;
            } else {
                write!(f, "{arg}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(" := ")?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

impl fmt::Display for TemplateCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pipe {
            Some(pipe) => write!(f, "{{{{template {} {pipe}}}}}", go_quote(&self.name)),
            None => write!(f, "{{{{template {}}}}}", go_quote(&self.name)),
        }
    }
}

/// The names a parse checks calls against, for tests.
#[cfg(test)]
pub(crate) fn names(list: &[&str]) -> HashSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_error(text: &str) -> String {
        let known = names(&["printf", "include"]);
        let check = |name: &str| known.contains(name);
        match parse("t", text, &check) {
            Ok(_) => "ok".to_string(),
            Err(e) => format!("{}: {}", e.line, e.message),
        }
    }

    #[test]
    fn go_parse_errors() {
        let cases = [
            ("{{ foo }}", "1: function \"foo\" not defined"),
            ("{{ if }}", "1: missing value for if"),
            ("{{ end }}", "1: unexpected {{end}}"),
            ("a\n{{ if .x }}", "2: unexpected EOF"),
            ("{{ break }}", "1: {{break}} outside {{range}}"),
            ("{{ $x }}", "1: undefined variable \"$x\""),
            ("{{ }}", "1: missing value for command"),
            (
                "{{ . | 3 }}",
                "1: non executable command in pipeline stage 2",
            ),
            ("{{ \"a\".b }}", "1: unexpected . after term \"\\\"a\\\"\""),
            (
                "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}",
                "1: template: multiple definition of template \"a\"",
            ),
            (
                "{{ range $a, $b, $c := . }}{{end}}",
                "1: too many declarations in range",
            ),
            (
                "{{ if . }}{{ else }}{{ else }}{{ end }}",
                "1: expected end; found {{else}}",
            ),
            ("{{ template 3 }}", "1: unexpected \"3\" in template clause"),
            ("{{ 0x }}", "1: illegal number syntax: \"0x\""),
            ("{{ if .a\n }}{{ end }}", "ok"),
            (
                "{{ .a\n\"x }}",
                "2: unterminated quoted string in action started at t:1",
            ),
            (
                "{{ with $x := 1 }}{{ $x }}{{ else with 2 }}{{ . }}{{ end }}",
                "ok",
            ),
            ("{{ if 1 }}{{ else if 2 }}{{ else }}{{ end }}", "ok"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_error(text), expected, "{text}");
        }
    }

    #[test]
    fn variables_are_scoped_to_their_control_structure() {
        assert_eq!(
            parse_error("{{ if 1 }}{{ $y := 1 }}{{ end }}{{ $y }}"),
            "1: undefined variable \"$y\""
        );
        assert_eq!(
            parse_error("{{ $y := 1 }}{{ if 1 }}{{ $y }}{{ end }}"),
            "ok"
        );
    }

    #[test]
    fn numbers_follow_go() {
        let cases = [
            ("0x1F", 31i64),
            ("0o17", 15),
            ("017", 15),
            ("1_000", 1000),
            ("-0x10", -16),
            ("0b101", 5),
        ];
        for (text, expected) in cases {
            assert!(
                matches!(number(text, false), Ok(Constant::Int(n)) if n == expected),
                "{text}"
            );
        }
        assert!(matches!(number("1e3", false), Ok(Constant::Float(x)) if x == 1000.0));
        assert!(matches!(number("0x1p4", false), Ok(Constant::Float(x)) if x == 16.0));
        assert!(matches!(number("'a'", true), Ok(Constant::Int(97))));
        assert!(matches!(
            number("99999999999999999999", false),
            Ok(Constant::Overflow)
        ));
    }
}
