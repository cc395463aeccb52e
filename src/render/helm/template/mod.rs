//! Go's text/template as Helm v3.17 runs it (`missingkey=zero`, Go 1.23
//! semantics), with the origin of every output byte.
//!
//! A chart's templates are parsed once into a [`TemplateSet`], then rendered
//! many times. [`Output`] carries, for each run of rendered bytes, the
//! template text it was copied from or the action that printed it — with the
//! `.Values` path when the printed value came straight from the values.
//!
//! Differences from Go, all out of reach of Helm charts: no complex numbers,
//! no function values (`call` always fails), `range` over an integer is an
//! error (as in helm v3.17.3, built with Go 1.23), template calls nest at
//! most [`MAX_DEPTH`] deep (Go: 100000) and control structures and
//! parentheses at most [`MAX_NESTING`] (Go: unlimited).

mod builtins;
mod exec;
pub mod format;
mod lex;
mod output;
mod parse;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::source::FileId;

use super::functions::{Env, Function, FunctionDef};
use super::value::Value;

pub use exec::MAX_DEPTH;
pub use output::{ActionOrigin, Origin, OriginAt, Output, Segment, ValuesPath};
pub use parse::MAX_NESTING;

use builtins::Builtin;
use exec::{Exec, Tracked};
use parse::{ParseError, Tree};

/// A function a template can call.
#[derive(Clone, Copy)]
enum Callable {
    Builtin(Builtin),
    Library { function: Function, generated: bool },
    Include,
    Tpl,
    Required,
    Fail,
    Lookup,
}

/// The text a template was parsed from.
struct Source {
    /// The name Go's errors locate positions in (the file's template name).
    name: String,
    file: FileId,
    text: Rc<str>,
    /// False for text `tpl` parsed: its offsets are not in `file`.
    in_file: bool,
}

/// A parsed template and its text.
struct Template {
    tree: Tree,
    source: Rc<Source>,
}

/// A text and the trees parsed from it.
type ParsedText = (Rc<str>, Vec<Tree>);

/// A chart's templates, parsed once, with the functions they may call.
pub struct TemplateSet {
    functions: HashMap<&'static str, Callable>,
    templates: HashMap<String, Rc<Template>>,
    /// The trees parsed from each text, so a text seen again (a library
    /// chart vendored by several subcharts, a string `tpl` renders on every
    /// call) is parsed once. A parse depends only on the text and the
    /// functions, except the top tree's name, which callers set. Keyed by
    /// length: comparing texts of equal length is cheaper than hashing them.
    parsed: RefCell<HashMap<usize, Vec<ParsedText>>>,
}

/// How to render.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Remove every `<no value>` from the output, as Helm does.
    pub strip_no_value: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            strip_no_value: true,
        }
    }
}

/// Whether an error happened while parsing or executing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not a valid template.
    Parse,
    /// Rendering failed.
    Exec,
}

/// A template error with Go's text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Go's message (`template: NAME:LINE:COL: executing "NAME" at <…>: …`).
    pub message: String,
    /// The file of the innermost failing node, when it is in a file (text
    /// given to `tpl` is not: its errors point at the `tpl` call).
    pub file: Option<FileId>,
    /// Byte offset of that node in `file`.
    pub offset: usize,
    /// Parse or execution error.
    pub kind: ErrorKind,
    /// The outermost location Go reports (`NAME:LINE` or `NAME:LINE:COL`).
    location: String,
    /// The message of `required`/`fail`, which Helm shows alone.
    helm_detail: Option<String>,
}

impl TemplateError {
    fn plain(message: String) -> Self {
        TemplateError {
            message,
            file: None,
            offset: 0,
            kind: ErrorKind::Exec,
            location: String::new(),
            helm_detail: None,
        }
    }

    fn from_parse(error: ParseError, source: &Source) -> Self {
        let location = format!("{}:{}", source.name, error.line);
        TemplateError {
            message: format!("template: {location}: {}", error.message),
            file: source.in_file.then_some(source.file),
            offset: error.offset,
            kind: ErrorKind::Parse,
            location,
            helm_detail: None,
        }
    }

    /// The error as `helm template` prints it: `parse error at (LOC): …`,
    /// `execution error at (LOC): MSG` for `required`/`fail`, else Go's text.
    pub fn helm_message(&self) -> String {
        match (self.kind, &self.helm_detail) {
            (ErrorKind::Parse, _) => {
                let last = self.message.rsplit(": ").next().unwrap_or(&self.message);
                format!("parse error at ({}): {last}", self.location)
            }
            (ErrorKind::Exec, Some(detail)) if !self.location.is_empty() => {
                format!("execution error at ({}): {detail}", self.location)
            }
            _ => self.message.clone(),
        }
    }
}

impl TemplateSet {
    /// An empty set whose templates may call Go's builtins, `functions`
    /// (which override builtins of the same name, as a Go `FuncMap` does)
    /// and the engine's own `include`, `tpl`, `required`, `fail`, `lookup`.
    pub fn new(functions: Vec<FunctionDef>) -> Self {
        let mut table: HashMap<&'static str, Callable> = HashMap::new();
        for (name, builtin) in Builtin::ALL {
            table.insert(name, Callable::Builtin(builtin));
        }
        for def in functions {
            table.insert(
                def.name,
                Callable::Library {
                    function: def.function,
                    generated: def.generated,
                },
            );
        }
        for (name, callable) in [
            ("include", Callable::Include),
            ("tpl", Callable::Tpl),
            ("required", Callable::Required),
            ("fail", Callable::Fail),
            ("lookup", Callable::Lookup),
        ] {
            table.insert(name, callable);
        }
        TemplateSet {
            functions: table,
            templates: HashMap::new(),
            parsed: RefCell::new(HashMap::new()),
        }
    }

    /// The trees of `text` with the top one named `name`, and the shared
    /// copy of `text`; parse errors are not kept, their text names the file.
    fn parse_shared(&self, name: &str, text: &str) -> Result<(Vec<Tree>, Rc<str>), ParseError> {
        let parsed = self.parsed.borrow();
        let seen = parsed
            .get(&text.len())
            .and_then(|same_length| same_length.iter().find(|(seen, _)| **seen == *text));
        if let Some((shared, trees)) = seen {
            let mut trees = trees.clone();
            if let Some(top) = trees.first_mut() {
                top.name = name.to_string();
            }
            return Ok((trees, shared.clone()));
        }
        drop(parsed);
        let known = |f: &str| self.functions.contains_key(f);
        let trees = parse::parse(name, text, &known)?;
        let shared: Rc<str> = text.into();
        self.parsed
            .borrow_mut()
            .entry(text.len())
            .or_default()
            .push((shared.clone(), trees.clone()));
        Ok((trees, shared))
    }

    /// Parses `text`, the template file `name`, adding it and the templates
    /// it defines. A later definition replaces an earlier one of the same
    /// name unless its body is empty (Go's rule); Helm adds a chart's files
    /// in [`helm_parse_order`].
    pub fn add(&mut self, name: &str, file: FileId, text: &str) -> Result<(), TemplateError> {
        let (trees, shared) = self.parse_shared(name, text).map_err(|e| {
            let source = Source {
                name: name.to_string(),
                file,
                text: text.into(),
                in_file: true,
            };
            TemplateError::from_parse(e, &source)
        })?;
        let source = Rc::new(Source {
            name: name.to_string(),
            file,
            text: shared,
            in_file: true,
        });
        for tree in trees {
            let empty = parse::is_empty_tree(&tree.root, text);
            if empty && self.templates.contains_key(&tree.name) {
                continue;
            }
            self.templates.insert(
                tree.name.clone(),
                Rc::new(Template {
                    tree,
                    source: source.clone(),
                }),
            );
        }
        Ok(())
    }

    /// Whether a template of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// Renders the template `name` with `data` as dot, as Helm does.
    pub fn render(&self, name: &str, data: &Value, env: &Env) -> Result<Output, TemplateError> {
        self.render_with(name, data, env, &RenderOptions::default())
    }

    /// Renders the template `name` with `data` as dot.
    pub fn render_with(
        &self,
        name: &str,
        data: &Value,
        env: &Env,
        options: &RenderOptions,
    ) -> Result<Output, TemplateError> {
        let mut exec = Exec::new(self, env);
        let mut out = Output::default();
        let root = Tracked {
            value: data.clone(),
            root: true,
            ..Tracked::default()
        };
        exec.execute(name, root, &mut out)?;
        if options.strip_no_value {
            out = out.without("<no value>");
        }
        Ok(out)
    }
}

/// Sorts template file names in the order Helm parses them: deepest paths
/// first, then reverse lexicographic; so on a conflict the `define` in the
/// shallowest, lexicographically smallest file wins.
pub fn helm_parse_order(names: &mut [&str]) {
    names.sort_by(|a, b| {
        let depth = |s: &str| s.matches('/').count();
        depth(b).cmp(&depth(a)).then_with(|| b.cmp(a))
    });
}

#[cfg(test)]
mod tests;
