//! Expressions: literals, references, templates, operators, `for`
//! expressions, splats and function calls, evaluated over hcl-edit's tree.
//! What cannot be known before `apply` evaluates to `TfValue::Unknown`.

use std::collections::BTreeMap;
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};

use super::functions;
use super::module::Instance;
use super::value::{Traced, number_to_string, type_name};
use crate::model::TfValue;
use crate::rules::Related;
use crate::source::hcl::HclFile;

/// Why an expression has no value (Terraform would stop with an error;
/// `try` and `can` catch it).
#[derive(Clone, Debug)]
pub struct EvalError {
    pub message: String,
    /// Bytes of the offending expression, when known.
    pub range: Option<Range<usize>>,
}

impl EvalError {
    pub fn new(message: impl Into<String>, range: Option<Range<usize>>) -> Self {
        EvalError {
            message: message.into(),
            range,
        }
    }
}

/// The result of evaluating an expression.
pub type Eval = Result<TfValue, EvalError>;

/// Deepest expression nesting evaluated; hostile input stops here.
const MAX_DEPTH: u32 = 200;
/// Longest string or collection an expression may build.
pub const MAX_ELEMENTS: usize = 100_000;

/// The state of one evaluation: names in scope (`each`, `count`, `for`
/// variables, a `dynamic` block's iterator) and what the value came from.
#[derive(Debug, Default)]
pub struct Frame {
    pub scope: Vec<(String, Traced)>,
    pub trace: Vec<Related>,
    pub references: Vec<String>,
    depth: u32,
}

impl Frame {
    /// A frame with these names in scope.
    pub fn with_scope(scope: Vec<(String, Traced)>) -> Self {
        Frame {
            scope,
            ..Frame::default()
        }
    }

    /// Records where a value came from (once).
    pub fn absorb(&mut self, traced: &Traced) {
        for related in &traced.trace {
            if !self.trace.contains(related) {
                self.trace.push(related.clone());
            }
        }
        for reference in &traced.references {
            if !self.references.contains(reference) {
                self.references.push(reference.clone());
            }
        }
    }

    fn lookup(&self, name: &str) -> Option<&Traced> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    }
}

impl<'a> Instance<'a> {
    /// Evaluates an expression of `file`.
    pub fn eval(&mut self, expr: &Expression, file: &HclFile, frame: &mut Frame) -> Eval {
        if frame.depth >= MAX_DEPTH {
            return Err(EvalError::new(
                format!("expression nested deeper than {MAX_DEPTH} levels"),
                expr.span(),
            ));
        }
        if !self.budget.step() {
            return Err(EvalError::new(
                "evaluation budget exhausted (the configuration computes too much)",
                expr.span(),
            ));
        }
        frame.depth += 1;
        let result = self.eval_inner(expr, file, frame);
        frame.depth -= 1;
        result
    }

    fn eval_inner(&mut self, expr: &Expression, file: &HclFile, frame: &mut Frame) -> Eval {
        match expr {
            Expression::Null(_) => Ok(TfValue::Null),
            Expression::Bool(b) => Ok(TfValue::Bool(*b.value())),
            Expression::Number(n) => {
                Ok(n.value().as_f64().map_or(TfValue::Unknown, TfValue::Number))
            }
            Expression::String(s) => Ok(TfValue::String(s.value().clone())),
            Expression::Array(array) => {
                let mut items = Vec::with_capacity(array.len());
                for item in array.iter() {
                    items.push(self.eval(item, file, frame)?);
                }
                Ok(TfValue::List(items))
            }
            Expression::Object(object) => {
                let mut entries = BTreeMap::new();
                let mut unknown_key = false;
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => TfValue::String(ident.as_str().to_string()),
                        ObjectKey::Expression(Expression::Variable(ident)) => {
                            TfValue::String(ident.as_str().to_string())
                        }
                        ObjectKey::Expression(expr) => self.eval(expr, file, frame)?,
                    };
                    let value = self.eval(value.expr(), file, frame)?;
                    match key_string(&key) {
                        Some(key) => {
                            entries.insert(key, value);
                        }
                        None if key.is_unknown() => unknown_key = true,
                        None => {
                            return Err(EvalError::new(
                                format!("an object key must be a string, not {}", type_name(&key)),
                                object.span(),
                            ));
                        }
                    }
                }
                Ok(if unknown_key {
                    TfValue::Unknown
                } else {
                    TfValue::Map(entries)
                })
            }
            Expression::StringTemplate(template) => self
                .eval_template(template, file, frame)
                .map(string_or_unknown),
            // The parser already removed a `<<-` heredoc's indentation.
            Expression::HeredocTemplate(heredoc) => self
                .eval_template(&heredoc.template, file, frame)
                .map(string_or_unknown),
            Expression::Parenthesis(inner) => self.eval(inner.inner(), file, frame),
            Expression::Variable(ident) => self.eval_root(ident.as_str(), &[], expr, file, frame),
            Expression::Conditional(cond) => match self.eval(&cond.cond_expr, file, frame)? {
                TfValue::Unknown => Ok(TfValue::Unknown),
                value => match value.as_bool() {
                    Some(true) => self.eval(&cond.true_expr, file, frame),
                    Some(false) => self.eval(&cond.false_expr, file, frame),
                    None => Err(EvalError::new(
                        format!("a condition must be a bool, not {}", type_name(&value)),
                        cond.cond_expr.span(),
                    )),
                },
            },
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                if call.name.is_namespaced() {
                    // Provider functions (`provider::x::f`) run inside the provider.
                    self.note_unsupported(file, expr, format!("provider function {name}"));
                    return Ok(TfValue::Unknown);
                }
                let args: Vec<&Expression> = call.args.iter().collect();
                match name {
                    "try" => return self.eval_try(&args, file, frame),
                    "can" => return self.eval_can(&args, expr, file, frame),
                    "file" | "fileexists" | "templatefile" => {
                        return self.eval_file_function(name, &args, expr, file, frame);
                    }
                    _ => {}
                }
                let mut values = Vec::with_capacity(args.len());
                for arg in &args {
                    values.push(self.eval(arg, file, frame)?);
                }
                if call.args.expand_final() {
                    match values.pop() {
                        Some(TfValue::List(items)) => values.extend(items),
                        Some(TfValue::Unknown) => return Ok(TfValue::Unknown),
                        Some(other) => {
                            return Err(EvalError::new(
                                format!("cannot expand {} into arguments", type_name(&other)),
                                expr.span(),
                            ));
                        }
                        None => {}
                    }
                }
                match functions::call(name, values) {
                    functions::Outcome::Value(value) => Ok(value),
                    functions::Outcome::Error(message) => {
                        Err(EvalError::new(format!("{name}(): {message}"), expr.span()))
                    }
                    functions::Outcome::NotSupported => {
                        self.note_unsupported(file, expr, format!("function {name}()"));
                        Ok(TfValue::Unknown)
                    }
                }
            }
            Expression::Traversal(traversal) => self.eval_traversal(traversal, expr, file, frame),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr, file, frame)?;
                match (op.operator.value(), value) {
                    (_, TfValue::Unknown) => Ok(TfValue::Unknown),
                    (UnaryOperator::Not, value) => match value.as_bool() {
                        Some(b) => Ok(TfValue::Bool(!b)),
                        None => Err(type_error("!", "bool", &value, expr)),
                    },
                    (UnaryOperator::Neg, value) => match value.as_number() {
                        Some(n) => Ok(TfValue::Number(-n)),
                        None => Err(type_error("-", "number", &value, expr)),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval(&op.lhs_expr, file, frame)?;
                let rhs = self.eval(&op.rhs_expr, file, frame)?;
                binary(*op.operator.value(), lhs, rhs, expr)
            }
            Expression::ForExpr(for_expr) => self.eval_for(for_expr, expr, file, frame),
        }
    }

    fn note_unsupported(&mut self, file: &HclFile, expr: &Expression, what: String) {
        let at = expr.span().map_or(0, |r| r.start);
        self.note(
            file,
            at,
            format!("{what} is not evaluated by Vigie: the value is unknown"),
        );
    }

    /// `try(a, b, …)`: the first argument that evaluates without error; an
    /// argument not wholly known makes the result unknown (as Terraform does).
    fn eval_try(&mut self, args: &[&Expression], file: &HclFile, frame: &mut Frame) -> Eval {
        let mut last = None;
        for arg in args {
            let mut attempt = Frame::with_scope(frame.scope.clone());
            attempt.depth = frame.depth;
            match self.eval(arg, file, &mut attempt) {
                Ok(value) => {
                    frame.absorb(&Traced {
                        value: TfValue::Null,
                        trace: attempt.trace,
                        references: attempt.references,
                    });
                    return Ok(if value.contains_unknown() {
                        TfValue::Unknown
                    } else {
                        value
                    });
                }
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or_else(|| EvalError::new("try() needs at least one argument", None)))
    }

    /// `can(expr)`: whether `expr` evaluates without error.
    fn eval_can(
        &mut self,
        args: &[&Expression],
        expr: &Expression,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Eval {
        let [arg] = args else {
            return Err(EvalError::new("can() takes one argument", expr.span()));
        };
        let mut attempt = Frame::with_scope(frame.scope.clone());
        attempt.depth = frame.depth;
        Ok(match self.eval(arg, file, &mut attempt) {
            Ok(value) if value.contains_unknown() => TfValue::Unknown,
            Ok(_) => TfValue::Bool(true),
            Err(_) => TfValue::Bool(false),
        })
    }

    /// `file`, `fileexists` and `templatefile`: files of the repository are
    /// read (never outside it); a template sees only the variables given.
    fn eval_file_function(
        &mut self,
        name: &str,
        args: &[&Expression],
        expr: &Expression,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Eval {
        let Some(path_expr) = args.first() else {
            return Err(EvalError::new(
                format!("{name}() needs a path"),
                expr.span(),
            ));
        };
        let path = match self.eval(path_expr, file, frame)? {
            TfValue::Unknown => return Ok(TfValue::Unknown),
            TfValue::String(path) => path,
            other => {
                return Err(type_error(name, "string", &other, path_expr));
            }
        };
        let text = match (name, self.repository_file(&path)) {
            ("fileexists", Ok(text)) => {
                return Ok(text.map_or(TfValue::Unknown, |_| TfValue::Bool(true)));
            }
            ("fileexists", Err(_)) => return Ok(TfValue::Bool(false)),
            (_, Ok(Some(text))) => text,
            (_, Ok(None)) => {
                self.note_unsupported(
                    file,
                    expr,
                    format!("{name}() of a file outside the repository"),
                );
                return Ok(TfValue::Unknown);
            }
            (_, Err(message)) => {
                return Err(EvalError::new(format!("{name}(): {message}"), expr.span()));
            }
        };
        if name == "file" {
            return Ok(TfValue::String(text));
        }
        let variables = match args.get(1) {
            Some(vars) => self.eval(vars, file, frame)?,
            None => TfValue::Map(BTreeMap::new()),
        };
        let scope = match variables {
            TfValue::Unknown => return Ok(TfValue::Unknown),
            TfValue::Map(entries) => entries
                .into_iter()
                .map(|(k, v)| (k, Traced::plain(v)))
                .collect(),
            other => return Err(type_error("templatefile", "map", &other, expr)),
        };
        let template = hcl_edit::parser::parse_template(&text).map_err(|e| {
            EvalError::new(
                format!("templatefile(): {path}: {}", e.message()),
                expr.span(),
            )
        })?;
        let mut inner = Frame::with_scope(scope);
        inner.depth = frame.depth;
        // Errors inside the template are reported at the call.
        let result = self
            .eval_template(&template, file, &mut inner)
            .map_err(|e| {
                EvalError::new(
                    format!("templatefile(): {path}: {}", e.message),
                    expr.span(),
                )
            })?;
        frame.absorb(&traced(inner, TfValue::Null));
        Ok(string_or_unknown(result))
    }

    fn eval_traversal(
        &mut self,
        traversal: &Traversal,
        expr: &Expression,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Eval {
        let operators: Vec<&TraversalOperator> =
            traversal.operators.iter().map(|o| o.value()).collect();
        match &traversal.expr {
            Expression::Variable(ident) => {
                self.eval_root(ident.as_str(), &operators, expr, file, frame)
            }
            base => {
                let value = self.eval(base, file, frame)?;
                self.apply_operators(value, &operators, file, frame)
            }
        }
    }

    /// A name at the start of a traversal (`var.x`, `local.y`, `each.key`,
    /// `azurerm_kubernetes_cluster.main.id`) and the operators after it.
    fn eval_root(
        &mut self,
        root: &str,
        operators: &[&TraversalOperator],
        expr: &Expression,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Eval {
        if let Some(traced) = frame.lookup(root) {
            let traced = traced.clone();
            frame.absorb(&traced);
            return self.apply_operators(traced.value, operators, file, frame);
        }
        let attribute = |index: usize| match operators.get(index) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let missing = |what: &str| {
            EvalError::new(
                format!("{what} must be followed by an attribute name"),
                expr.span(),
            )
        };
        match root {
            "var" => {
                let name = attribute(0).ok_or_else(|| missing("var"))?;
                let traced = self.variable(name).ok_or_else(|| {
                    EvalError::new(format!("undeclared variable var.{name}"), expr.span())
                })?;
                frame.absorb(&traced);
                self.apply_operators(traced.value, &operators[1..], file, frame)
            }
            "local" => {
                let name = attribute(0).ok_or_else(|| missing("local"))?;
                let traced = self.local(name, expr)?;
                frame.absorb(&traced);
                self.apply_operators(traced.value, &operators[1..], file, frame)
            }
            "path" => {
                let value = match attribute(0) {
                    Some("module") => TfValue::String(self.paths.module.clone()),
                    Some("root") => TfValue::String(self.paths.root.clone()),
                    Some("cwd") => TfValue::String(self.paths.cwd.clone()),
                    _ => {
                        return Err(EvalError::new(
                            "path has only module, root and cwd",
                            expr.span(),
                        ));
                    }
                };
                self.apply_operators(value, &operators[1..], file, frame)
            }
            "module" => {
                let name = attribute(0).ok_or_else(|| missing("module"))?;
                let output = attribute(1);
                let traced = self.module_output(name, output, expr)?;
                frame.absorb(&traced);
                let rest = if output.is_some() {
                    &operators[2..]
                } else {
                    &operators[1..]
                };
                self.apply_operators(traced.value, rest, file, frame)
            }
            "data" => {
                if let (Some(kind), Some(name)) = (attribute(0), attribute(1)) {
                    self.reference(frame, format!("data.{kind}.{name}"));
                }
                Ok(TfValue::Unknown)
            }
            "count" | "each" => Err(EvalError::new(
                format!("{root} is only available in a block with {root}"),
                expr.span(),
            )),
            // Known only to the running Terraform.
            "self" | "terraform" => Ok(TfValue::Unknown),
            resource_type => {
                if let Some(name) = attribute(0) {
                    self.reference(frame, format!("{resource_type}.{name}"));
                }
                Ok(TfValue::Unknown)
            }
        }
    }

    fn reference(&self, frame: &mut Frame, address: String) {
        let address = format!("{}{address}", self.reference_prefix);
        if !frame.references.contains(&address) {
            frame.references.push(address);
        }
    }

    fn apply_operators(
        &mut self,
        mut value: TfValue,
        operators: &[&TraversalOperator],
        file: &HclFile,
        frame: &mut Frame,
    ) -> Eval {
        for (i, operator) in operators.iter().enumerate() {
            match operator {
                TraversalOperator::GetAttr(name) => {
                    value = get_attr(value, name.as_str(), name.span())?;
                }
                TraversalOperator::Index(index) => {
                    let key = self.eval(index, file, frame)?;
                    value = get_index(value, &key, index.span())?;
                }
                TraversalOperator::LegacyIndex(index) => {
                    let key = TfValue::Number(*index.value() as f64);
                    value = get_index(value, &key, index.span())?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(operator, TraversalOperator::FullSplat(_));
                    // `.*` applies only the attribute accesses that follow it.
                    let rest = &operators[i + 1..];
                    let applied = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o, TraversalOperator::GetAttr(_)))
                            .count()
                    };
                    let items = match value {
                        TfValue::Unknown => return Ok(TfValue::Unknown),
                        TfValue::Null => Vec::new(),
                        TfValue::List(items) => items,
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_operators(item, &rest[..applied], file, frame)?);
                    }
                    return self.apply_operators(TfValue::List(out), &rest[applied..], file, frame);
                }
            }
        }
        Ok(value)
    }

    fn eval_for(
        &mut self,
        for_expr: &ForExpr,
        expr: &Expression,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Eval {
        let collection = self.eval(&for_expr.intro.collection_expr, file, frame)?;
        let pairs = match iteration_pairs(collection) {
            Ok(Some(pairs)) => pairs,
            Ok(None) => return Ok(TfValue::Unknown),
            Err(value) => {
                return Err(EvalError::new(
                    format!("cannot iterate over {}", type_name(&value)),
                    for_expr.intro.collection_expr.span(),
                ));
            }
        };
        let key_var = for_expr
            .intro
            .key_var
            .as_ref()
            .map(|k| k.as_str().to_string());
        let value_var = for_expr.intro.value_var.as_str().to_string();
        let mut list = Vec::new();
        let mut object: BTreeMap<String, TfValue> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<TfValue>> = BTreeMap::new();
        let base = frame.scope.len();
        for (key, value) in pairs {
            frame.scope.truncate(base);
            if let Some(key_var) = &key_var {
                frame.scope.push((key_var.clone(), Traced::plain(key)));
            }
            frame.scope.push((value_var.clone(), Traced::plain(value)));
            if let Some(cond) = &for_expr.cond {
                match self.eval(&cond.expr, file, frame) {
                    Ok(TfValue::Unknown) => {
                        frame.scope.truncate(base);
                        return Ok(TfValue::Unknown);
                    }
                    Ok(v) => match v.as_bool() {
                        Some(true) => {}
                        Some(false) => continue,
                        None => {
                            frame.scope.truncate(base);
                            return Err(type_error("for … if", "bool", &v, expr));
                        }
                    },
                    Err(e) => {
                        frame.scope.truncate(base);
                        return Err(e);
                    }
                }
            }
            let result = self.eval_for_item(for_expr, file, frame);
            let (key, value) = match result {
                Ok(pair) => pair,
                Err(e) => {
                    frame.scope.truncate(base);
                    return Err(e);
                }
            };
            match key {
                None => list.push(value),
                Some(TfValue::Unknown) => {
                    frame.scope.truncate(base);
                    return Ok(TfValue::Unknown);
                }
                Some(key) => {
                    let Some(key) = key_string(&key) else {
                        frame.scope.truncate(base);
                        return Err(type_error("for key", "string", &key, expr));
                    };
                    if for_expr.grouping {
                        groups.entry(key).or_default().push(value);
                    } else if object.insert(key.clone(), value).is_some() {
                        frame.scope.truncate(base);
                        return Err(EvalError::new(
                            format!("duplicate key {key:?} in a for expression (use … to group)"),
                            expr.span(),
                        ));
                    }
                }
            }
        }
        frame.scope.truncate(base);
        Ok(if for_expr.key_expr.is_none() {
            TfValue::List(list)
        } else if for_expr.grouping {
            TfValue::Map(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, TfValue::List(v)))
                    .collect(),
            )
        } else {
            TfValue::Map(object)
        })
    }

    fn eval_for_item(
        &mut self,
        for_expr: &ForExpr,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Result<(Option<TfValue>, TfValue), EvalError> {
        let key = match &for_expr.key_expr {
            Some(key_expr) => Some(self.eval(key_expr, file, frame)?),
            None => None,
        };
        let value = self.eval(&for_expr.value_expr, file, frame)?;
        Ok((key, value))
    }

    /// A template's text, or `None` when part of it is unknown.
    fn eval_template(
        &mut self,
        template: &Template,
        file: &HclFile,
        frame: &mut Frame,
    ) -> Result<Option<String>, EvalError> {
        let mut out = String::new();
        let mut known = true;
        let mut strip_next = false;
        for element in template.iter() {
            self.eval_element(element, file, frame, &mut out, &mut known, &mut strip_next)?;
            if out.len() > MAX_ELEMENTS * 16 {
                return Err(EvalError::new("template result too long", None));
            }
        }
        Ok(known.then_some(out))
    }

    fn eval_element(
        &mut self,
        element: &Element,
        file: &HclFile,
        frame: &mut Frame,
        out: &mut String,
        known: &mut bool,
        strip_next: &mut bool,
    ) -> Result<(), EvalError> {
        match element {
            Element::Literal(text) => {
                let text = text.value().as_str();
                if std::mem::take(strip_next) {
                    out.push_str(text.trim_start());
                } else {
                    out.push_str(text);
                }
            }
            Element::Interpolation(interpolation) => {
                if interpolation.strip.strip_start() {
                    trim_end_in_place(out);
                }
                let value = self.eval(&interpolation.expr, file, frame)?;
                match template_text(&value) {
                    Some(Some(text)) => out.push_str(&text),
                    Some(None) => *known = false,
                    None => {
                        return Err(EvalError::new(
                            format!("cannot insert {} in a string", type_name(&value)),
                            interpolation.expr.span(),
                        ));
                    }
                }
                *strip_next = interpolation.strip.strip_end();
            }
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(if_directive) => {
                    if if_directive.if_expr.strip.strip_start() {
                        trim_end_in_place(out);
                    }
                    let cond = self.eval(&if_directive.if_expr.cond_expr, file, frame)?;
                    // Which branch runs: `None` when the condition is unknown.
                    let branch = match cond {
                        TfValue::Unknown => {
                            *known = false;
                            None
                        }
                        value => Some(value.as_bool().ok_or_else(|| {
                            EvalError::new(
                                "a %{if} condition must be a bool",
                                if_directive.if_expr.cond_expr.span(),
                            )
                        })?),
                    };
                    let else_expr = if_directive.else_expr.as_ref();
                    let endif_strip = if_directive.endif_expr.strip;
                    // Strip markers: `~}` trims the start of what follows,
                    // `%{~` the end of what precedes.
                    let (template, strip_start, strip_before_close) = match branch {
                        Some(true) => (
                            Some(&if_directive.if_expr.template),
                            if_directive.if_expr.strip.strip_end(),
                            else_expr.map_or(endif_strip, |e| e.strip).strip_start(),
                        ),
                        Some(false) => (
                            else_expr.map(|e| &e.template),
                            else_expr
                                .map_or(if_directive.if_expr.strip, |e| e.strip)
                                .strip_end(),
                            endif_strip.strip_start(),
                        ),
                        None => (None, false, false),
                    };
                    *strip_next = strip_start;
                    for element in template.into_iter().flat_map(Template::iter) {
                        self.eval_element(element, file, frame, out, known, strip_next)?;
                    }
                    if strip_before_close {
                        trim_end_in_place(out);
                    }
                    *strip_next = if_directive.endif_expr.strip.strip_end();
                }
                Directive::For(for_directive) => {
                    let intro = &for_directive.for_expr;
                    if intro.strip.strip_start() {
                        trim_end_in_place(out);
                    }
                    let collection = self.eval(&intro.collection_expr, file, frame)?;
                    let pairs = match iteration_pairs(collection) {
                        Ok(Some(pairs)) => pairs,
                        Ok(None) => {
                            *known = false;
                            Vec::new()
                        }
                        Err(value) => {
                            return Err(EvalError::new(
                                format!("cannot iterate over {}", type_name(&value)),
                                intro.collection_expr.span(),
                            ));
                        }
                    };
                    let base = frame.scope.len();
                    for (key, value) in pairs {
                        frame.scope.truncate(base);
                        if let Some(key_var) = &intro.key_var {
                            frame
                                .scope
                                .push((key_var.as_str().to_string(), Traced::plain(key)));
                        }
                        frame
                            .scope
                            .push((intro.value_var.as_str().to_string(), Traced::plain(value)));
                        *strip_next = intro.strip.strip_end();
                        for element in intro.template.iter() {
                            let result =
                                self.eval_element(element, file, frame, out, known, strip_next);
                            if let Err(e) = result {
                                frame.scope.truncate(base);
                                return Err(e);
                            }
                        }
                        if for_directive.endfor_expr.strip.strip_start() {
                            trim_end_in_place(out);
                        }
                        if out.len() > MAX_ELEMENTS * 16 {
                            frame.scope.truncate(base);
                            return Err(EvalError::new("template result too long", None));
                        }
                    }
                    frame.scope.truncate(base);
                    *strip_next = for_directive.endfor_expr.strip.strip_end();
                }
            },
        }
        Ok(())
    }
}

fn trim_end_in_place(out: &mut String) {
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
}

fn string_or_unknown(text: Option<String>) -> TfValue {
    text.map_or(TfValue::Unknown, TfValue::String)
}

/// The text a value inserts in a template: `Some(None)` when unknown, `None`
/// when it cannot be inserted.
fn template_text(value: &TfValue) -> Option<Option<String>> {
    match value {
        TfValue::String(s) => Some(Some(s.clone())),
        TfValue::Number(n) => Some(Some(number_to_string(*n))),
        TfValue::Bool(b) => Some(Some(b.to_string())),
        TfValue::Unknown => Some(None),
        _ => None,
    }
}

/// A value as a map key: strings, numbers and bools convert.
pub fn key_string(value: &TfValue) -> Option<String> {
    match value {
        TfValue::String(s) => Some(s.clone()),
        TfValue::Number(n) => Some(number_to_string(*n)),
        TfValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The (key, value) pairs a `for` iterates: indexes of a list, keys of a
/// map. `Ok(None)` when the collection is unknown.
pub fn iteration_pairs(collection: TfValue) -> Result<Option<Vec<(TfValue, TfValue)>>, TfValue> {
    match collection {
        TfValue::Unknown => Ok(None),
        TfValue::List(items) => Ok(Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (TfValue::Number(i as f64), v))
                .collect(),
        )),
        TfValue::Map(entries) => Ok(Some(
            entries
                .into_iter()
                .map(|(k, v)| (TfValue::String(k), v))
                .collect(),
        )),
        other => Err(other),
    }
}

fn get_attr(value: TfValue, name: &str, range: Option<Range<usize>>) -> Eval {
    match value {
        TfValue::Unknown => Ok(TfValue::Unknown),
        TfValue::Map(mut entries) => entries
            .remove(name)
            .ok_or_else(|| EvalError::new(format!("no attribute {name:?}"), range)),
        TfValue::Null => Err(EvalError::new(
            format!("cannot read attribute {name:?} of null"),
            range,
        )),
        other => Err(EvalError::new(
            format!("cannot read attribute {name:?} of {}", type_name(&other)),
            range,
        )),
    }
}

fn get_index(value: TfValue, key: &TfValue, range: Option<Range<usize>>) -> Eval {
    match (value, key) {
        (TfValue::Unknown, _) | (_, TfValue::Unknown) => Ok(TfValue::Unknown),
        (TfValue::List(mut items), key) => {
            let index = key
                .as_number()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0)
                .ok_or_else(|| {
                    EvalError::new("a list index must be a whole number", range.clone())
                })?;
            let index = index as usize;
            if index < items.len() {
                Ok(items.swap_remove(index))
            } else {
                Err(EvalError::new(
                    format!("index {index} out of range for a list of {}", items.len()),
                    range,
                ))
            }
        }
        (TfValue::Map(mut entries), key) => {
            let name = key_string(key)
                .ok_or_else(|| EvalError::new("a map key must be a string", range.clone()))?;
            entries
                .remove(&name)
                .ok_or_else(|| EvalError::new(format!("no key {name:?}"), range))
        }
        (other, _) => Err(EvalError::new(
            format!("cannot index {}", type_name(&other)),
            range,
        )),
    }
}

fn type_error(operator: &str, expected: &str, value: &TfValue, expr: &Expression) -> EvalError {
    EvalError::new(
        format!("{operator} needs a {expected}, not {}", type_name(value)),
        expr.span(),
    )
}

fn binary(operator: BinaryOperator, lhs: TfValue, rhs: TfValue, expr: &Expression) -> Eval {
    use BinaryOperator as Op;
    match operator {
        Op::And | Op::Or => {
            let (l, r) = (lhs.as_bool(), rhs.as_bool());
            let decisive = operator == Op::Or;
            // A known decisive side settles the result even if the other is unknown.
            if l == Some(decisive) || r == Some(decisive) {
                return Ok(TfValue::Bool(decisive));
            }
            if lhs.is_unknown() || rhs.is_unknown() {
                return Ok(TfValue::Unknown);
            }
            match (l, r) {
                (Some(_), Some(_)) => Ok(TfValue::Bool(!decisive)),
                (None, _) => Err(type_error(operator.as_str(), "bool", &lhs, expr)),
                (_, None) => Err(type_error(operator.as_str(), "bool", &rhs, expr)),
            }
        }
        Op::Eq | Op::NotEq => {
            if lhs.contains_unknown() || rhs.contains_unknown() {
                return Ok(TfValue::Unknown);
            }
            let equal = lhs == rhs;
            Ok(TfValue::Bool(if operator == Op::Eq {
                equal
            } else {
                !equal
            }))
        }
        _ => {
            if lhs.is_unknown() || rhs.is_unknown() {
                return Ok(TfValue::Unknown);
            }
            let l = lhs
                .as_number()
                .ok_or_else(|| type_error(operator.as_str(), "number", &lhs, expr))?;
            let r = rhs
                .as_number()
                .ok_or_else(|| type_error(operator.as_str(), "number", &rhs, expr))?;
            Ok(match operator {
                Op::Plus => TfValue::Number(l + r),
                Op::Minus => TfValue::Number(l - r),
                Op::Mul => TfValue::Number(l * r),
                Op::Div if r == 0.0 => {
                    return Err(EvalError::new("division by zero", expr.span()));
                }
                Op::Div => TfValue::Number(l / r),
                Op::Mod if r == 0.0 => {
                    return Err(EvalError::new("modulo by zero", expr.span()));
                }
                Op::Mod => TfValue::Number(l % r),
                Op::Less => TfValue::Bool(l < r),
                Op::LessEq => TfValue::Bool(l <= r),
                Op::Greater => TfValue::Bool(l > r),
                Op::GreaterEq => TfValue::Bool(l >= r),
                Op::And | Op::Or | Op::Eq | Op::NotEq => TfValue::Unknown,
            })
        }
    }
}

impl Traced {
    /// A value with no history.
    pub fn plain(value: TfValue) -> Self {
        Traced {
            value,
            trace: Vec::new(),
            references: Vec::new(),
        }
    }
}

/// A value evaluated in isolation, keeping where it came from.
pub fn traced(frame: Frame, value: TfValue) -> Traced {
    Traced {
        value,
        trace: frame.trace,
        references: frame.references,
    }
}

/// A related location for a trace.
pub fn related(file: &HclFile, range: Option<Range<usize>>, message: String) -> Related {
    let range = range.unwrap_or(0..0);
    Related {
        span: file.span(range),
        message,
    }
}
