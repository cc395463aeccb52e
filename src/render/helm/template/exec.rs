//! The evaluator: Go's execution rules, Helm's engine functions (`include`,
//! `tpl`, `required`, `fail`, `lookup`), and the origin of every output byte.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use crate::render::helm::functions::Env;
use crate::render::helm::value::Value;

use super::builtins::Builtin;
use super::lex::go_quote;
use super::output::{ActionOrigin, Output, ValuesPath};
use super::parse::{Branch, Command, Constant, Node, Operand, OperandKind, Pipe, TemplateCall};
use super::{Callable, ErrorKind, Template, TemplateError, TemplateSet};

/// Helm's limit on nested `include`s of one template.
const MAX_INCLUDES_PER_NAME: usize = 1000;
/// Limit on nested `include`/`template` calls. Go allows 100000, which no
/// native stack holds; Helm's own include limit stops runaway recursion
/// long before this.
pub const MAX_DEPTH: usize = 1500;
/// Stack left when [`stacker`] switches to a new segment, and its size.
pub(crate) const STACK_RED_ZONE: usize = 128 * 1024;
pub(crate) const STACK_SEGMENT: usize = 2 * 1024 * 1024;

/// A value with what Vigie knows of where it came from.
#[derive(Clone, Default)]
pub(crate) struct Tracked {
    pub value: Value,
    /// The `.Values` path it was read from.
    pub path: Option<ValuesPath>,
    /// A generator function produced it.
    pub generated: bool,
    /// It is the data a render started with: its `.Values` is the values root.
    pub root: bool,
    /// Held in an `interface{}` slot (a map value, a list element) and not
    /// yet unwrapped by a pipeline: Go then names its type `interface {}`,
    /// and a field access on it when nil is an error (other nils yield nil).
    pub boxed: bool,
    /// For a map `dict` built: what is known of the values it was given
    /// (`dict "value" .Values.x "context" $`), so that `.value` in the
    /// template it is passed to still has the path `x`.
    pub members: Option<Rc<Vec<(String, Tracked)>>>,
}

impl Tracked {
    fn plain(value: Value) -> Tracked {
        Tracked {
            value,
            ..Tracked::default()
        }
    }

    /// A pipeline's result: Go unwraps interfaces, so nils lose strictness.
    fn settled(mut self) -> Tracked {
        self.boxed = false;
        self
    }
}

/// What a list of nodes ended with.
enum Flow {
    Normal,
    Break,
    Continue,
}

/// One template being executed: its text and its variables.
struct Frame<'t> {
    template: &'t Template,
    vars: Vec<(String, Tracked)>,
}

/// The state of one render.
pub(crate) struct Exec<'s> {
    set: &'s TemplateSet,
    env: &'s Env,
    /// Templates `tpl` defined, visible while its text executes.
    overlays: Vec<HashMap<String, Rc<Template>>>,
    include_counts: HashMap<String, usize>,
    depth: usize,
    /// Outputs of the `include`s of the action being evaluated.
    captured: Vec<Output>,
}

type Result<T> = std::result::Result<T, TemplateError>;

impl<'s> Exec<'s> {
    pub(crate) fn new(set: &'s TemplateSet, env: &'s Env) -> Self {
        Exec {
            set,
            env,
            overlays: Vec::new(),
            include_counts: HashMap::new(),
            depth: 0,
            captured: Vec::new(),
        }
    }

    fn lookup(&self, name: &str) -> Option<Rc<Template>> {
        for overlay in self.overlays.iter().rev() {
            if let Some(template) = overlay.get(name) {
                return Some(template.clone());
            }
        }
        self.set.templates.get(name).cloned()
    }

    /// Executes the template `name` with `data` as dot, appending to `out`.
    pub(crate) fn execute(&mut self, name: &str, data: Tracked, out: &mut Output) -> Result<()> {
        let Some(template) = self.lookup(name) else {
            return Err(TemplateError::plain(format!(
                "template: no template {} associated with template \"gotpl\"",
                go_quote(name)
            )));
        };
        let dot = data.settled();
        let mut frame = Frame {
            template: &template,
            vars: vec![("$".to_string(), dot.clone())],
        };
        self.exec_list(&mut frame, &dot, &template.tree.root, out)?;
        Ok(())
    }

    fn exec_list(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        nodes: &[Node],
        out: &mut Output,
    ) -> Result<Flow> {
        // Templates may nest deeply (recursive includes): grow the stack
        // on the heap instead of overflowing it.
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            self.exec_nodes(frame, dot, nodes, out)
        })
    }

    fn exec_nodes(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        nodes: &[Node],
        out: &mut Output,
    ) -> Result<Flow> {
        for node in nodes {
            match self.exec_node(frame, dot, node, out)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_node(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        node: &Node,
        out: &mut Output,
    ) -> Result<Flow> {
        match node {
            Node::Text { start, end } => {
                let source = &frame.template.source;
                out.push_text(&source.text[*start..*end], source.file, *start);
            }
            Node::Action { start, end, pipe } => {
                let mark = self.captured.len();
                let value = self.eval_pipeline(frame, dot, pipe)?;
                let included = self.captured.split_off(mark);
                if pipe.decl.is_empty() {
                    let text = match &value.value {
                        Value::Nil => "<no value>".to_string(),
                        other => other.to_string(),
                    };
                    let origin = ActionOrigin {
                        file: frame.template.source.file,
                        span: *start..*end,
                        values_path: value.path.clone(),
                        generated: value.generated,
                    };
                    if included.is_empty() {
                        out.push_printed(&text, &origin);
                    } else {
                        out.push_aligned(&text, &origin, &included);
                    }
                }
            }
            Node::If(branch) => return self.exec_if(frame, dot, branch, false, out),
            Node::With(branch) => return self.exec_if(frame, dot, branch, true, out),
            Node::Range(branch) => return self.exec_range(frame, dot, branch, out),
            Node::Template(call) => self.exec_template(frame, dot, call, out)?,
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn eval_condition(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        pipe: &Pipe,
    ) -> Result<Tracked> {
        let mark = self.captured.len();
        let value = self.eval_pipeline(frame, dot, pipe);
        self.captured.truncate(mark);
        value
    }

    fn exec_if(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        branch: &Branch,
        with: bool,
        out: &mut Output,
    ) -> Result<Flow> {
        let vars = frame.vars.len();
        let result = (|| {
            let value = self.eval_condition(frame, dot, &branch.pipe)?;
            if value.value.is_true() {
                let inner = if with { value } else { dot.clone() };
                self.exec_list(frame, &inner, &branch.list, out)
            } else if let Some(else_list) = &branch.else_list {
                self.exec_list(frame, dot, else_list, out)
            } else {
                Ok(Flow::Normal)
            }
        })();
        frame.vars.truncate(vars);
        result
    }

    fn exec_range(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        branch: &Branch,
        out: &mut Output,
    ) -> Result<Flow> {
        let vars = frame.vars.len();
        let result = self.exec_range_body(frame, dot, branch, out);
        frame.vars.truncate(vars);
        result.map(|()| Flow::Normal)
    }

    fn exec_range_body(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        branch: &Branch,
        out: &mut Output,
    ) -> Result<()> {
        let value = self.eval_condition(frame, dot, &branch.pipe)?;
        let element = |item: &Value, key: String| Tracked {
            value: item.clone(),
            path: value.path.as_ref().map(|p| extend(p, key)),
            generated: value.generated,
            root: false,
            boxed: true,
            members: None,
        };
        let collection = value.value.object_collection();
        let items: Vec<(Tracked, Tracked)> = match collection.as_ref().unwrap_or(&value.value) {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    (
                        Tracked::plain(Value::Int(i as i64)),
                        element(item, i.to_string()),
                    )
                })
                .collect(),
            Value::Bytes(bytes) => bytes
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    (
                        Tracked::plain(Value::Int(i as i64)),
                        element(&Value::Int(i64::from(*b)), i.to_string()),
                    )
                })
                .collect(),
            Value::Map(entries) => entries
                .borrow()
                .iter()
                .map(|(key, item)| {
                    (
                        Tracked::plain(Value::string(key.as_str())),
                        element(item, key.clone()),
                    )
                })
                .collect(),
            Value::Nil => Vec::new(),
            other => {
                let (pos, context) = last_operand(&branch.pipe);
                return Err(self.error(
                    frame,
                    pos,
                    context,
                    format!("range can't iterate over {other}"),
                ));
            }
        };
        if items.is_empty() {
            if let Some(else_list) = &branch.else_list {
                self.exec_list(frame, dot, else_list, out)?;
            }
            return Ok(());
        }
        // The declared variables were pushed with the range's value: the
        // element is the last, the index the one before.
        let decl = branch.pipe.decl.len();
        let base = frame.vars.len();
        for (index, item) in items {
            if branch.pipe.is_assign {
                let names = &branch.pipe.decl;
                if decl == 1 {
                    self.set_var(frame, &names[0], item.clone(), &branch.pipe)?;
                } else if decl == 2 {
                    self.set_var(frame, &names[0], index, &branch.pipe)?;
                    self.set_var(frame, &names[1], item.clone(), &branch.pipe)?;
                }
            } else if decl >= 1 {
                frame.vars[base - 1].1 = item.clone();
                if decl == 2 {
                    frame.vars[base - 2].1 = index;
                }
            }
            let flow = self.exec_list(frame, &item, &branch.list, out)?;
            frame.vars.truncate(base);
            if let Flow::Break = flow {
                break;
            }
        }
        Ok(())
    }

    fn exec_template(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        call: &TemplateCall,
        out: &mut Output,
    ) -> Result<()> {
        let Some(template) = self.lookup(&call.name) else {
            return Err(self.error(
                frame,
                call.pos,
                call,
                format!("template {} not defined", go_quote(&call.name)),
            ));
        };
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                frame,
                call.pos,
                call,
                format!("exceeded maximum template depth ({MAX_DEPTH})"),
            ));
        }
        let data = match &call.pipe {
            Some(pipe) => self.eval_condition(frame, dot, pipe)?,
            None => Tracked::default(),
        };
        let data = data.settled();
        let mut inner = Frame {
            template: &template,
            vars: vec![("$".to_string(), data.clone())],
        };
        self.depth += 1;
        let result = self.exec_list(&mut inner, &data, &template.tree.root, out);
        self.depth -= 1;
        result.map(|_| ())
    }

    fn set_var(
        &self,
        frame: &mut Frame<'_>,
        name: &str,
        value: Tracked,
        pipe: &Pipe,
    ) -> Result<()> {
        if let Some(slot) = frame.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = value;
            return Ok(());
        }
        let (pos, context) = last_operand(pipe);
        Err(self.error(frame, pos, context, format!("undefined variable: {name}")))
    }

    fn eval_pipeline(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        pipe: &Pipe,
    ) -> Result<Tracked> {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            self.eval_commands(frame, dot, pipe)
        })
    }

    fn eval_commands(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        pipe: &Pipe,
    ) -> Result<Tracked> {
        let mut value: Option<Tracked> = None;
        for cmd in &pipe.cmds {
            let result = self.eval_command(frame, dot, cmd, value.take())?;
            value = Some(result.settled());
        }
        let value = value.unwrap_or_default();
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(frame, name, value.clone(), pipe)?;
            } else {
                frame.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn eval_command(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        cmd: &Command,
        last: Option<Tracked>,
    ) -> Result<Tracked> {
        let first = &cmd.args[0];
        let args = &cmd.args[1..];
        match &first.kind {
            OperandKind::Field(fields) => self.eval_fields(
                frame,
                dot,
                dot.clone(),
                (first.pos, first),
                fields,
                args,
                last,
            ),
            OperandKind::Chain(node, fields) => {
                if let OperandKind::Nil = node.kind {
                    return Err(self.error(
                        frame,
                        first.pos,
                        first,
                        format!("indirection through explicit nil in {first}"),
                    ));
                }
                let receiver = self.eval_arg(frame, dot, node)?;
                self.eval_fields(
                    frame,
                    dot,
                    receiver,
                    chain_context(node),
                    fields,
                    args,
                    last,
                )
            }
            OperandKind::Variable(name, fields) if !fields.is_empty() => {
                let receiver = self.variable(frame, name, first)?;
                self.eval_fields(frame, dot, receiver, (first.pos, first), fields, args, last)
            }
            OperandKind::Identifier(name) => {
                self.eval_function(frame, dot, name, first, cmd, args, last)
            }
            OperandKind::Nil => {
                Err(self.error(frame, first.pos, first, "nil is not a command".to_string()))
            }
            _ => {
                if !args.is_empty() || last.is_some() {
                    return Err(self.error(
                        frame,
                        first.pos,
                        first,
                        format!("can't give argument to non-function {first}"),
                    ));
                }
                self.eval_arg(frame, dot, first)
            }
        }
    }

    fn variable(&self, frame: &Frame<'_>, name: &str, node: &Operand) -> Result<Tracked> {
        match frame.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => Ok(value.clone()),
            None => Err(self.error(frame, node.pos, node, format!("undefined variable: {name}"))),
        }
    }

    /// An operand used as an argument.
    fn eval_arg(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        operand: &Operand,
    ) -> Result<Tracked> {
        match &operand.kind {
            OperandKind::Dot => Ok(dot.clone()),
            OperandKind::Nil => Ok(Tracked::default()),
            OperandKind::Bool(b) => Ok(Tracked::plain(Value::Bool(*b))),
            OperandKind::String { value, .. } => Ok(Tracked::plain(Value::String(value.clone()))),
            OperandKind::Number { text, value } => match value {
                Constant::Int(n) => Ok(Tracked::plain(Value::Int(*n))),
                Constant::Float(x) => Ok(Tracked::plain(Value::Float(*x))),
                Constant::Overflow => {
                    Err(self.error(frame, operand.pos, operand, format!("{text} overflows int")))
                }
            },
            OperandKind::Field(fields) => Ok(self
                .eval_fields(
                    frame,
                    dot,
                    dot.clone(),
                    (operand.pos, operand),
                    fields,
                    &[],
                    None,
                )?
                .settled()),
            OperandKind::Variable(name, fields) => {
                let value = self.variable(frame, name, operand)?;
                if fields.is_empty() {
                    return Ok(value);
                }
                Ok(self
                    .eval_fields(frame, dot, value, (operand.pos, operand), fields, &[], None)?
                    .settled())
            }
            OperandKind::Chain(node, fields) => {
                if let OperandKind::Nil = node.kind {
                    return Err(self.error(
                        frame,
                        operand.pos,
                        operand,
                        format!("indirection through explicit nil in {operand}"),
                    ));
                }
                let receiver = self.eval_arg(frame, dot, node)?;
                Ok(self
                    .eval_fields(frame, dot, receiver, chain_context(node), fields, &[], None)?
                    .settled())
            }
            OperandKind::Pipe(pipe) => Ok(self.eval_pipeline(frame, dot, pipe)?.settled()),
            OperandKind::Identifier(name) => {
                let cmd = Command {
                    pos: operand.pos,
                    args: Vec::new(),
                };
                self.eval_function(frame, dot, name, operand, &cmd, &[], None)
            }
        }
    }

    /// `.a.b.c` on `receiver`; the last field may be a method taking `args`.
    #[allow(clippy::too_many_arguments)]
    fn eval_fields(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        receiver: Tracked,
        at: (usize, &dyn fmt::Display),
        fields: &[String],
        args: &[Operand],
        last: Option<Tracked>,
    ) -> Result<Tracked> {
        let mut current = receiver;
        let mut last = last;
        for (i, name) in fields.iter().enumerate() {
            let final_field = i + 1 == fields.len();
            let has_args = final_field && (!args.is_empty() || last.is_some());
            let error = |message: String| self.error(frame, at.0, at.1, message);
            current = match &current.value {
                Value::Nil => {
                    if current.boxed {
                        return Err(error(format!(
                            "nil pointer evaluating interface {{}}.{name}"
                        )));
                    }
                    Tracked::default()
                }
                Value::Map(entries) => {
                    if has_args {
                        return Err(error(format!("{name} is not a method but has arguments")));
                    }
                    let value = entries
                        .borrow()
                        .get(name.as_str())
                        .cloned()
                        .unwrap_or_default();
                    let member = current
                        .members
                        .as_ref()
                        .and_then(|members| members.iter().find(|(key, _)| key == name))
                        .map(|(_, member)| member)
                        .filter(|member| identical(&member.value, &value));
                    let path = if let Some(member) = member {
                        member.path.clone()
                    } else if current.root && name == "Values" {
                        Some(Rc::from(Vec::new()))
                    } else {
                        current.path.as_ref().map(|p| extend(p, name.clone()))
                    };
                    Tracked {
                        value,
                        path,
                        generated: current.generated,
                        root: member.is_some_and(|m| m.root),
                        boxed: true,
                        members: member.and_then(|m| m.members.clone()),
                    }
                }
                Value::Object(object) => {
                    let object = object.clone();
                    let type_name = if current.boxed {
                        "interface {}".to_string()
                    } else {
                        object.type_name().to_string()
                    };
                    let value = if has_args {
                        let mut values = Vec::with_capacity(args.len() + 1);
                        for arg in args {
                            values.push(self.eval_arg(frame, dot, arg)?.value);
                        }
                        if let Some(last) = last.take() {
                            values.push(last.value);
                        }
                        match object.method(name, &values) {
                            Some(Ok(value)) => value,
                            Some(Err(message)) => {
                                return Err(self.error(
                                    frame,
                                    at.0,
                                    at.1,
                                    format!("error calling {name}: {message}"),
                                ));
                            }
                            None if object.field(name).is_some() => {
                                return Err(self.error(
                                    frame,
                                    at.0,
                                    at.1,
                                    format!(
                                        "{name} has arguments but cannot be invoked as function"
                                    ),
                                ));
                            }
                            None => {
                                return Err(self.error(
                                    frame,
                                    at.0,
                                    at.1,
                                    format!("can't evaluate field {name} in type {type_name}"),
                                ));
                            }
                        }
                    } else if let Some(value) = object.field(name) {
                        value
                    } else {
                        match object.method(name, &[]) {
                            Some(Ok(value)) => value,
                            Some(Err(message)) => {
                                return Err(error(format!("error calling {name}: {message}")));
                            }
                            None => {
                                return Err(error(format!(
                                    "can't evaluate field {name} in type {type_name}"
                                )));
                            }
                        }
                    };
                    let path = if current.root && name == "Values" {
                        Some(Rc::from(Vec::new()))
                    } else {
                        None
                    };
                    Tracked {
                        value,
                        path,
                        generated: current.generated,
                        root: false,
                        // A struct field has its own static type.
                        boxed: false,
                        members: None,
                    }
                }
                other => {
                    let type_name = if current.boxed {
                        "interface {}".to_string()
                    } else {
                        other.type_name()
                    };
                    return Err(error(format!(
                        "can't evaluate field {name} in type {type_name}"
                    )));
                }
            };
        }
        Ok(current)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_function(
        &mut self,
        frame: &mut Frame<'_>,
        dot: &Tracked,
        name: &str,
        ident: &Operand,
        cmd: &Command,
        args: &[Operand],
        last: Option<Tracked>,
    ) -> Result<Tracked> {
        let Some(callable) = self.set.functions.get(name) else {
            return Err(self.error(
                frame,
                ident.pos,
                ident,
                format!("{} is not a defined function", go_quote(name)),
            ));
        };
        let count = args.len() + usize::from(last.is_some());
        let arity = match callable {
            Callable::Builtin(builtin) => Some(builtin.arity()),
            Callable::Include | Callable::Tpl | Callable::Required => Some((2, Some(2))),
            Callable::Fail => Some((1, Some(1))),
            Callable::Lookup => Some((4, Some(4))),
            Callable::Library { .. } => None,
        };
        if let Some((min, max)) = arity {
            let wrong = match max {
                Some(max) => (count != max).then(|| format!("want {max} got {count}")),
                None => (count < min).then(|| format!("want at least {min} got {count}")),
            };
            if let Some(detail) = wrong {
                return Err(self.error(
                    frame,
                    ident.pos,
                    ident,
                    format!("wrong number of args for {name}: {detail}"),
                ));
            }
        }
        // `and` and `or` stop at the first argument that decides.
        if let Callable::Builtin(builtin @ (Builtin::And | Builtin::Or)) = callable {
            let want = *builtin == Builtin::Or;
            let mut value = Tracked::default();
            for arg in args {
                value = self.eval_arg(frame, dot, arg)?;
                if value.value.is_true() == want {
                    return Ok(value);
                }
            }
            if let Some(last) = last {
                value = last;
            }
            return Ok(value);
        }
        let mut values = Vec::with_capacity(count);
        for arg in args {
            values.push(self.eval_arg(frame, dot, arg)?);
        }
        values.extend(last);
        // Parameters Go declares as `string` reject other types before the call.
        let string_params = match callable {
            Callable::Builtin(Builtin::Printf)
            | Callable::Include
            | Callable::Tpl
            | Callable::Required => 1,
            Callable::Fail => 1,
            Callable::Lookup => 4,
            _ => 0,
        };
        for (i, value) in values.iter().enumerate().take(string_params) {
            if matches!(value.value, Value::String(_)) {
                continue;
            }
            let (pos, message): (usize, String) = match args.get(i) {
                Some(operand) => {
                    let message = match (&operand.kind, &value.value) {
                        (OperandKind::Number { text, .. }, _) => {
                            format!("expected string; found {text}")
                        }
                        (OperandKind::Bool(b), _) => format!("expected string; found {b}"),
                        (_, Value::Nil) => {
                            "wrong type for value; expected string; got interface {}".to_string()
                        }
                        (_, other) => format!(
                            "wrong type for value; expected string; got {}",
                            other.type_name()
                        ),
                    };
                    let context = operand.to_string();
                    return Err(self.error(frame, operand.pos, &context, message));
                }
                None => (
                    cmd.pos,
                    format!(
                        "wrong type for value; expected string; got {}",
                        value.value.type_name()
                    ),
                ),
            };
            return Err(self.error(frame, pos, cmd, message));
        }
        let call_error = |exec: &Self, frame: &Frame<'_>, message: String| {
            exec.error(
                frame,
                cmd.pos,
                cmd,
                format!("error calling {name}: {message}"),
            )
        };
        let result = match callable {
            Callable::Builtin(builtin) => {
                let plain: Vec<Value> = values.iter().map(|v| v.value.clone()).collect();
                // Only `call` names its first argument (in errors).
                let callee = match builtin {
                    Builtin::Call => args.first().map(ToString::to_string).unwrap_or_default(),
                    _ => String::new(),
                };
                let value = builtin
                    .call(&plain, &callee)
                    .map_err(|m| call_error(self, frame, m))?;
                let path = if *builtin == Builtin::Index {
                    index_path(&values)
                } else {
                    single_path(&values)
                };
                Tracked {
                    value,
                    path,
                    generated: values.iter().any(|v| v.generated),
                    ..Tracked::default()
                }
            }
            Callable::Library {
                function,
                generated,
            } => {
                // A nil read from a map field is an `interface{}` that Go
                // cannot pass as a map; through a variable or a pipe it is a
                // nil map, which the function receives.
                for (i, operand) in args.iter().enumerate() {
                    if matches!(values[i].value, Value::Nil)
                        && reads_field(operand)
                        && crate::render::helm::functions::takes_map_at(name, i)
                    {
                        return Err(self.error(
                            frame,
                            operand.pos,
                            operand,
                            "wrong type for value; expected map[string]interface {}; got interface {}"
                                .to_string(),
                        ));
                    }
                }
                let plain: Vec<Value> = values.iter().map(|v| v.value.clone()).collect();
                let value = function(self.env, &plain).map_err(|message| {
                    let call = Call {
                        name,
                        ident,
                        cmd,
                        args,
                    };
                    self.library_error(frame, &call, &values, message)
                })?;
                // A new dict or list holding a value is not that value.
                let path = if *generated || matches!(name, "dict" | "list" | "tuple") {
                    None
                } else {
                    result_path(&values, &value)
                };
                let members = if name == "dict" {
                    dict_members(&values)
                } else {
                    None
                };
                Tracked {
                    value,
                    path,
                    members,
                    generated: *generated || values.iter().any(|v| v.generated),
                    ..Tracked::default()
                }
            }
            Callable::Required => {
                let missing = match &values[1].value {
                    Value::Nil => true,
                    Value::String(s) => s.is_empty(),
                    _ => false,
                };
                if missing {
                    let message = values[0].value.as_str().unwrap_or_default().to_string();
                    let mut error = call_error(self, frame, message.clone());
                    error.helm_detail = Some(message);
                    return Err(error);
                }
                values[1].clone()
            }
            Callable::Fail => {
                let message = values[0].value.as_str().unwrap_or_default().to_string();
                let mut error = call_error(self, frame, message.clone());
                error.helm_detail = Some(message);
                return Err(error);
            }
            Callable::Lookup => Tracked::plain(Value::map(Default::default())),
            Callable::Include => {
                let target = values[0].value.as_str().unwrap_or_default().to_string();
                let output = self
                    .include(&target, values[1].clone())
                    .map_err(|inner| self.wrap(frame, cmd, name, inner, false))?;
                let value = Value::string(output.text.as_str());
                self.captured.push(output);
                Tracked::plain(value)
            }
            Callable::Tpl => {
                let text = values[0].value.as_str().unwrap_or_default().to_string();
                let output = self
                    .tpl(&text, values[1].clone(), frame.template.source.file)
                    .map_err(|inner| self.wrap(frame, cmd, name, inner, true))?;
                Tracked {
                    value: Value::string(output),
                    // What a values string renders to still comes from it.
                    path: values[0].path.clone(),
                    generated: values.iter().any(|v| v.generated),
                    ..Tracked::default()
                }
            }
        };
        Ok(result)
    }

    /// A library function's error as Go reports it. Go checks the argument
    /// count and types before calling: a wrong count is reported at the
    /// function's name, a wrong type at the argument (a literal as
    /// `expected string; found 1`), both without `error calling NAME: `.
    fn library_error(
        &self,
        frame: &Frame<'_>,
        call: &Call<'_>,
        values: &[Tracked],
        message: String,
    ) -> TemplateError {
        let call_error = || {
            self.error(
                frame,
                call.cmd.pos,
                call.cmd,
                format!("error calling {}: {message}", call.name),
            )
        };
        if !crate::render::helm::functions::is_argument_error(&message) {
            return call_error();
        }
        if message.starts_with("wrong number of args for ") {
            return self.error(frame, call.ident.pos, call.ident, message);
        }
        if let Some(types) = message.strip_prefix("wrong type for value; expected ")
            && let Some((expected, got)) = types.split_once("; got ")
            // The function names the type, not the argument: Go reports the
            // first argument that fails, so the first of that type.
            && let Some(index) = values.iter().position(|v| match &v.value {
                Value::Nil => got == "interface {}",
                other => other.type_name() == got,
            })
        {
            let nil = matches!(values[index].value, Value::Nil);
            return match call.args.get(index) {
                Some(operand) if nil && matches!(operand.kind, OperandKind::Nil) => self.error(
                    frame,
                    operand.pos,
                    operand,
                    format!("cannot assign nil to {expected}"),
                ),
                // A nil that went through a variable or a pipeline lost its
                // interface type: Go calls it an invalid value.
                Some(operand) if nil && !reads_field(operand) => self.error(
                    frame,
                    operand.pos,
                    operand,
                    format!("invalid value; expected {expected}"),
                ),
                Some(operand) => {
                    let message = literal_type_error(expected, operand).unwrap_or(message);
                    self.error(frame, operand.pos, operand, message)
                }
                // The value piped in.
                None if nil => self.error(
                    frame,
                    call.ident.pos,
                    call.ident,
                    format!("invalid value; expected {expected}"),
                ),
                None => self.error(frame, call.ident.pos, call.ident, message),
            };
        }
        call_error()
    }

    /// Helm's `include`: the named template rendered to a string.
    fn include(&mut self, name: &str, data: Tracked) -> Result<Output> {
        let count = self.include_counts.entry(name.to_string()).or_insert(0);
        if *count > MAX_INCLUDES_PER_NAME {
            return Err(TemplateError::plain(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            )));
        }
        *count += 1;
        if self.depth >= MAX_DEPTH {
            return Err(TemplateError::plain(format!(
                "exceeded maximum template depth ({MAX_DEPTH})"
            )));
        }
        self.depth += 1;
        let mut out = Output::default();
        let result = self.execute(name, data, &mut out);
        self.depth -= 1;
        if let Some(count) = self.include_counts.get_mut(name) {
            *count -= 1;
        }
        result.map(|()| out)
    }

    /// Helm's `tpl`: `text` parsed as the template `gotpl` next to the
    /// chart's templates, rendered, `<no value>` removed.
    fn tpl(&mut self, text: &str, data: Tracked, file: crate::source::FileId) -> Result<String> {
        let parsed = self.set.parse_shared("gotpl", text);
        let shared = match &parsed {
            Ok((_, shared)) => shared.clone(),
            Err(_) => text.into(),
        };
        let source = self.tpl_source(shared, file);
        let (trees, _) = parsed.map_err(|e| {
            let mut error = TemplateError::from_parse(e, &source);
            error.message = format!(
                "cannot parse template {}: {}",
                go_quote(text),
                error.message
            );
            error
        })?;
        let mut overlay = HashMap::new();
        for tree in trees {
            // Helm executes the template it just parsed, even when empty; only
            // the `define`s inside follow Go's rule that an empty definition
            // does not replace an existing one.
            let empty = tree.name != "gotpl" && super::parse::is_empty_tree(&tree.root, text);
            if empty && (overlay.contains_key(&tree.name) || self.lookup(&tree.name).is_some()) {
                continue;
            }
            overlay.insert(
                tree.name.clone(),
                Rc::new(Template {
                    tree,
                    source: source.clone(),
                }),
            );
        }
        // `tpl` can call itself through the values: bound it like includes.
        if self.depth >= MAX_DEPTH {
            return Err(TemplateError::plain(format!(
                "exceeded maximum template depth ({MAX_DEPTH})"
            )));
        }
        self.overlays.push(overlay);
        self.depth += 1;
        let mut out = Output::default();
        let result = self.execute("gotpl", data, &mut out);
        self.depth -= 1;
        self.overlays.pop();
        result.map_err(|mut error| {
            error.message = format!(
                "error during tpl function execution for {}: {}",
                go_quote(text),
                error.message
            );
            error
        })?;
        Ok(out.text.replace("<no value>", ""))
    }

    fn tpl_source(&self, text: Rc<str>, file: crate::source::FileId) -> Rc<super::Source> {
        Rc::new(super::Source {
            name: "gotpl".to_string(),
            file,
            text,
            in_file: false,
        })
    }

    /// An error from an `include`d or `tpl` template, wrapped as Go shows it
    /// (`error calling include: template: …`). The position stays the
    /// innermost one in a file, or becomes the call for text `tpl` parsed.
    fn wrap(
        &self,
        frame: &Frame<'_>,
        cmd: &Command,
        name: &str,
        inner: TemplateError,
        tpl: bool,
    ) -> TemplateError {
        let mut error = self.error(
            frame,
            cmd.pos,
            cmd,
            format!("error calling {name}: {}", inner.message),
        );
        error.helm_detail = inner.helm_detail;
        if !tpl && inner.file.is_some() {
            error.file = inner.file;
            error.offset = inner.offset;
        }
        error
    }

    /// An execution error at `pos` of the current template, as Go words it.
    fn error(
        &self,
        frame: &Frame<'_>,
        pos: usize,
        context: &dyn fmt::Display,
        message: String,
    ) -> TemplateError {
        let source = &frame.template.source;
        let before = &source.text[..pos.min(source.text.len())];
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
        let column = before.rfind('\n').map_or(pos, |nl| pos - nl - 1);
        let location = format!("{}:{line}:{column}", source.name);
        TemplateError {
            message: format!(
                "template: {location}: executing {} at <{context}>: {message}",
                go_quote(&frame.template.tree.name)
            ),
            file: source.in_file.then_some(source.file),
            offset: pos,
            location,
            kind: ErrorKind::Exec,
            helm_detail: None,
        }
    }
}

/// A function call being evaluated, for its error messages.
struct Call<'a> {
    name: &'a str,
    ident: &'a Operand,
    cmd: &'a Command,
    args: &'a [Operand],
}

/// Whether the operand reads a field (`.a.b`, `$x.a`, `(…).a`): a nil it
/// yields keeps Go's `interface {}` type.
fn reads_field(operand: &Operand) -> bool {
    match &operand.kind {
        OperandKind::Field(_) | OperandKind::Chain(..) => true,
        OperandKind::Variable(_, fields) => !fields.is_empty(),
        _ => false,
    }
}

/// Go's error for a literal argument of the wrong type (`evalArg`): the
/// literal is checked against the parameter's kind before any call.
fn literal_type_error(expected: &str, operand: &Operand) -> Option<String> {
    if !matches!(
        operand.kind,
        OperandKind::Number { .. } | OperandKind::Bool(_) | OperandKind::String { .. }
    ) {
        return None;
    }
    let kind = match expected {
        "string" => "string",
        "int" | "int64" | "int32" | "int16" | "int8" | "uint" | "uint64" | "uint32" | "uint16"
        | "uint8" => "integer",
        "float64" | "float32" => "float",
        "bool" => "bool",
        _ => return Some(format!("can't handle {operand} for arg of type {expected}")),
    };
    Some(format!("expected {kind}; found {operand}"))
}

fn extend(path: &ValuesPath, key: String) -> ValuesPath {
    let mut keys = path.to_vec();
    keys.push(key);
    keys.into()
}

/// The values path of a result: the path of its only argument that has one.
fn single_path(values: &[Tracked]) -> Option<ValuesPath> {
    let mut found = None;
    for value in values {
        if let Some(path) = &value.path {
            if found.is_some() {
                return None;
            }
            found = Some(path.clone());
        }
    }
    found
}

/// Whether `a` is `b`: the same list or map (identity, not deep equality:
/// cheap, and what passing a value along keeps), or an equal scalar.
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
        (Value::Map(a), Value::Map(b)) => a.same(b),
        (Value::Bytes(_) | Value::Object(_), _) => false,
        (a, b) => a == b,
    }
}

/// What `dict` was given that came from the values or the render's data.
fn dict_members(values: &[Tracked]) -> Option<Rc<Vec<(String, Tracked)>>> {
    let members: Vec<(String, Tracked)> = values
        .chunks_exact(2)
        .filter(|pair| pair[1].path.is_some() || pair[1].root || pair[1].members.is_some())
        .filter_map(|pair| Some((pair[0].value.as_str()?.to_string(), pair[1].clone())))
        .collect();
    (!members.is_empty()).then(|| Rc::new(members))
}

/// The values path of a function's result: that of the argument it
/// returned, if it returned one (`default`, `coalesce`, `ternary`: a
/// `default` that falls back to `.Release.Namespace` has no values path);
/// else that of its only argument with one (`quote`, `toYaml`).
fn result_path(values: &[Tracked], result: &Value) -> Option<ValuesPath> {
    let mut any_returned = false;
    for value in values.iter().filter(|v| identical(&v.value, result)) {
        if value.path.is_some() {
            return value.path.clone();
        }
        any_returned = true;
    }
    if any_returned {
        None
    } else {
        single_path(values)
    }
}

/// `index .Values.a "b" 0` reads `a.b.0`.
fn index_path(values: &[Tracked]) -> Option<ValuesPath> {
    let (first, keys) = values.split_first()?;
    let mut path = first.path.as_ref()?.to_vec();
    for key in keys {
        match &key.value {
            Value::String(s) => path.push(s.to_string()),
            Value::Int(n) => path.push(n.to_string()),
            _ => return None,
        }
    }
    Some(path.into())
}

/// Where Go reports a failed field access on `(pipeline).a`: the last node
/// it evaluated, inside the parentheses.
fn chain_context(node: &Operand) -> (usize, &dyn fmt::Display) {
    match &node.kind {
        OperandKind::Pipe(pipe) => last_operand(pipe),
        _ => (node.pos, node),
    }
}

/// Where Go reports a failed `range`: the last operand it evaluated.
fn last_operand(pipe: &Pipe) -> (usize, &dyn fmt::Display) {
    match pipe.cmds.last() {
        Some(cmd) => match cmd.args.last() {
            Some(arg) if cmd.args.len() == 1 => (arg.pos, arg),
            Some(_) => (cmd.pos, cmd),
            None => (pipe.pos, pipe),
        },
        None => (pipe.pos, pipe),
    }
}
