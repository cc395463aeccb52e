//! One instance of a module: its variables bound, its locals evaluated on
//! demand (in any order, cycles reported), its child modules instantiated
//! when first used, and its resources expanded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Structure};

use super::expand::InstanceKey;
use super::expr::{EvalError, Frame, related, traced};
use super::value::{Traced, TypeConstraint};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::{TfResource, TfValue};
use crate::rules::Related;
use crate::source::hcl::HclFile;

/// Module calls nest at most this deep (a module calling itself stops here).
const MAX_MODULE_DEPTH: usize = 16;
/// Expression evaluations allowed per root module.
const MAX_STEPS: u64 = 5_000_000;
/// Resource and module instances allowed per root module.
const MAX_INSTANCES: usize = 100_000;

/// What one root module may spend, shared by its module instances, so that
/// hostile input (nested `for` over large ranges, `for_each` in nested
/// modules) ends with a diagnostic instead of running for hours.
#[derive(Debug, Default)]
pub struct Budget {
    steps: std::cell::Cell<u64>,
    instances: std::cell::Cell<usize>,
}

impl Budget {
    /// Counts one evaluation step; false once the budget is spent.
    pub fn step(&self) -> bool {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        steps <= MAX_STEPS
    }

    /// Counts one more instance; false once the budget is spent.
    pub fn instance(&self) -> bool {
        let instances = self.instances.get() + 1;
        self.instances.set(instances);
        instances <= MAX_INSTANCES
    }
}

/// The `.tf` files of one module directory (or one file named alone).
#[derive(Debug)]
pub struct ParsedModule {
    /// The directory `source` paths and `path.module` are relative to.
    pub dir: PathBuf,
    pub files: Vec<HclFile>,
}

/// Every parsed module of a scan, by canonical directory (or file).
pub type Modules = BTreeMap<PathBuf, ParsedModule>;

/// `path.module`, `path.root`, `path.cwd`, as Terraform sets them when run
/// in the root module's directory (`path.cwd` stays `.` rather than an
/// absolute path, so that output does not depend on the machine).
#[derive(Clone, Debug)]
pub struct Paths {
    pub module: String,
    pub root: String,
    pub cwd: String,
    /// The root module's directory, which `path.module` is relative to.
    root_dir: PathBuf,
}

/// A value a variable receives from outside the module: a `.tfvars` entry,
/// a module argument, or a `--var` text whose meaning depends on the type.
#[derive(Clone, Debug)]
pub enum Input {
    Value(Traced),
    Text { text: String, origin: Related },
}

enum LocalSlot<'a> {
    Pending(&'a HclFile, &'a Attribute),
    Evaluating,
    Done(Traced),
}

enum ChildSlot {
    Evaluating,
    Done {
        /// The outputs as the parent sees `module.NAME`.
        value: TfValue,
        /// Each output with its history, merged over instances.
        outputs: BTreeMap<String, Traced>,
        /// Whether the call has one instance (no `count` or `for_each`), so
        /// `module.NAME.OUTPUT` names an output.
        single: bool,
        resources: Vec<TfResource>,
    },
}

/// A module being evaluated.
pub struct Instance<'a> {
    modules: &'a Modules,
    module: &'a ParsedModule,
    /// The repository root: module sources may not leave it.
    boundary: &'a Path,
    pub paths: Paths,
    /// `module.aks.` inside module `aks` (instance keys left out), for references.
    pub reference_prefix: String,
    /// `module.aks["x"].`, for addresses.
    pub address_prefix: String,
    variables: HashMap<String, Traced>,
    locals: HashMap<&'a str, LocalSlot<'a>>,
    module_calls: BTreeMap<&'a str, (&'a HclFile, &'a Block)>,
    children: HashMap<&'a str, ChildSlot>,
    /// The `module` blocks leading here, outermost first.
    pub calls: Vec<Related>,
    depth: usize,
    pub budget: std::rc::Rc<Budget>,
    pub diagnostics: Vec<Diagnostic>,
    pub resources: Vec<TfResource>,
}

impl<'a> Instance<'a> {
    /// A root module instance.
    pub fn root(modules: &'a Modules, module: &'a ParsedModule, boundary: &'a Path) -> Self {
        let paths = Paths {
            module: ".".to_string(),
            root: ".".to_string(),
            cwd: ".".to_string(),
            root_dir: module.dir.clone(),
        };
        Instance::new(modules, module, boundary, paths)
    }

    fn new(
        modules: &'a Modules,
        module: &'a ParsedModule,
        boundary: &'a Path,
        paths: Paths,
    ) -> Self {
        let mut instance = Instance {
            modules,
            module,
            boundary,
            paths,
            reference_prefix: String::new(),
            address_prefix: String::new(),
            variables: HashMap::new(),
            locals: HashMap::new(),
            module_calls: BTreeMap::new(),
            children: HashMap::new(),
            calls: Vec::new(),
            depth: 0,
            budget: std::rc::Rc::default(),
            diagnostics: Vec::new(),
            resources: Vec::new(),
        };
        for file in &module.files {
            for block in file.body.blocks() {
                match block.ident.as_str() {
                    "locals" => {
                        for attribute in block.body.attributes() {
                            instance.locals.insert(
                                attribute.key.as_str(),
                                LocalSlot::Pending(file, attribute),
                            );
                        }
                    }
                    "module" => {
                        if let Some(label) = block.labels.first() {
                            instance
                                .module_calls
                                .insert(label_str(label), (file, block));
                        }
                    }
                    _ => {}
                }
            }
        }
        instance
    }

    /// The declared variables' types (`any` when not given).
    pub fn variable_types(&mut self) -> HashMap<String, TypeConstraint> {
        let mut types = HashMap::new();
        for (file, block) in self.blocks_of("variable") {
            let Some(name) = block.labels.first().map(label_str) else {
                continue;
            };
            let constraint = match block.body.get_attribute("type") {
                Some(attribute) => {
                    let parsed = TypeConstraint::parse(&attribute.value, &mut |expr| {
                        self.eval(expr, file, &mut Frame::default()).ok()
                    });
                    parsed.unwrap_or_else(|| {
                        self.note(
                            file,
                            attribute.span().map_or(0, |r| r.start),
                            format!("the type of var.{name} is not understood; its value is used as given"),
                        );
                        TypeConstraint::Any
                    })
                }
                None => TypeConstraint::Any,
            };
            types.insert(name.to_string(), constraint);
        }
        types
    }

    /// Gives each declared variable its value: the input, else its
    /// default, else unknown; converted to its type.
    pub fn bind_variables(&mut self, mut inputs: HashMap<String, Input>) {
        let types = self.variable_types();
        for (file, block) in self.blocks_of("variable") {
            let Some(name) = block.labels.first().map(label_str) else {
                continue;
            };
            let constraint = types.get(name).cloned().unwrap_or(TypeConstraint::Any);
            let (value, origin) = match inputs.remove(name) {
                Some(Input::Value(traced)) => (Some(traced), None),
                Some(Input::Text { text, origin }) => (
                    self.text_input(&text, &constraint, origin.clone()),
                    Some(origin),
                ),
                None => (None, None),
            };
            // A variable declared `nullable = false` takes its default when given null.
            let non_nullable = block
                .body
                .get_attribute("nullable")
                .and_then(|a| a.value.as_bool())
                == Some(false);
            let value = value.filter(|v| !(non_nullable && v.value == TfValue::Null));
            let value = value.or_else(|| {
                let default = block.body.get_attribute("default")?;
                let mut frame = Frame::default();
                let value = self.eval(&default.value, file, &mut frame).ok()?;
                let mut traced = traced(frame, value);
                traced.trace.insert(
                    0,
                    related(file, default.span(), format!("default of var.{name}")),
                );
                Some(traced)
            });
            let mut value = value.unwrap_or_else(|| Traced::plain(TfValue::Unknown));
            match constraint.convert(value.value.clone()) {
                Ok(converted) => value.value = converted,
                Err(message) => {
                    let at = origin
                        .map(|o| o.span)
                        .or_else(|| value.trace.first().map(|r| r.span))
                        .unwrap_or_else(|| file.header_span(block.span().map_or(0, |r| r.start)));
                    self.diagnostics.push(
                        Diagnostic::new(
                            DiagnosticLevel::Warning,
                            DiagnosticCode::TerraformEvaluation,
                            file.display.clone(),
                            format!("var.{name}: {message}; its value is unknown"),
                        )
                        .at(at.start),
                    );
                    value.value = TfValue::Unknown;
                }
            }
            self.variables.insert(name.to_string(), value);
        }
    }

    /// A `--var` text: a plain string for primitive types, else an HCL expression.
    fn text_input(
        &mut self,
        text: &str,
        constraint: &TypeConstraint,
        origin: Related,
    ) -> Option<Traced> {
        let value = if constraint.is_primitive() {
            TfValue::String(text.to_string())
        } else {
            let parsed =
                crate::source::hcl::parse(origin.span.file, "--var", &format!("v = {text}\n"))
                    .ok()?;
            let attribute = parsed.body.get_attribute("v")?;
            let result = self.eval(&attribute.value, &parsed, &mut Frame::default());
            result.ok()?
        };
        Some(Traced {
            value,
            trace: vec![origin],
            references: Vec::new(),
        })
    }

    fn blocks_of(&self, kind: &'static str) -> Vec<(&'a HclFile, &'a Block)> {
        let module: &'a ParsedModule = self.module;
        module
            .files
            .iter()
            .flat_map(|file| {
                file.body
                    .blocks()
                    .filter(move |b| b.ident.as_str() == kind)
                    .map(move |b| (file, b))
            })
            .collect()
    }

    /// A variable's value, if declared.
    pub fn variable(&self, name: &str) -> Option<Traced> {
        self.variables.get(name).cloned()
    }

    /// A local's value, evaluated on first use; its definition joins the trace.
    pub fn local(&mut self, name: &str, expr: &Expression) -> Result<Traced, EvalError> {
        let slot = self
            .locals
            .get_mut(name)
            .ok_or_else(|| EvalError::new(format!("undeclared local.{name}"), expr.span()))?;
        match std::mem::replace(slot, LocalSlot::Evaluating) {
            LocalSlot::Done(traced) => {
                *slot = LocalSlot::Done(traced.clone());
                Ok(traced)
            }
            LocalSlot::Evaluating => Err(EvalError::new(
                format!("local.{name} refers to itself (a cycle between locals)"),
                expr.span(),
            )),
            LocalSlot::Pending(file, attribute) => {
                let mut frame = Frame::default();
                let value = match self.eval(&attribute.value, file, &mut frame) {
                    Ok(value) => value,
                    Err(error) => {
                        self.report(file, &error, &format!("local.{name}"));
                        TfValue::Unknown
                    }
                };
                let mut traced = traced(frame, value);
                traced.trace.insert(
                    0,
                    related(
                        file,
                        attribute.span(),
                        format!("local.{name} is defined here"),
                    ),
                );
                let key: &'a str = attribute.key.as_str();
                self.locals.insert(key, LocalSlot::Done(traced.clone()));
                Ok(traced)
            }
        }
    }

    /// `module.NAME` (or `module.NAME.OUTPUT` when `output` is given).
    pub fn module_output(
        &mut self,
        name: &str,
        output: Option<&str>,
        expr: &Expression,
    ) -> Result<Traced, EvalError> {
        let Some((&key, _)) = self.module_calls.get_key_value(name) else {
            return Err(EvalError::new(
                format!("no module call named {name:?}"),
                expr.span(),
            ));
        };
        self.evaluate_child(key);
        match self.children.get(key) {
            Some(ChildSlot::Done {
                value,
                outputs,
                single,
                ..
            }) => match output {
                Some(_) if !single => Ok(Traced::plain(TfValue::Unknown)),
                Some(output) => match outputs.get(output) {
                    Some(traced) => Ok(traced.clone()),
                    // Remote modules and repeated calls: nothing is known here.
                    None if !matches!(value, TfValue::Map(_)) => {
                        Ok(Traced::plain(TfValue::Unknown))
                    }
                    None => Err(EvalError::new(
                        format!("module {name:?} has no output {output:?}"),
                        expr.span(),
                    )),
                },
                None => {
                    let mut references: Vec<String> = Vec::new();
                    for reference in outputs.values().flat_map(|t| &t.references) {
                        if !references.contains(reference) {
                            references.push(reference.clone());
                        }
                    }
                    Ok(Traced {
                        value: value.clone(),
                        trace: Vec::new(),
                        references,
                    })
                }
            },
            _ => Err(EvalError::new(
                format!("module {name:?} depends on its own outputs"),
                expr.span(),
            )),
        }
    }

    /// Evaluates every local, resource, data source and module call.
    pub fn run(&mut self) {
        let names: Vec<&'a str> = self.locals.keys().copied().collect();
        let mut names = names;
        names.sort_unstable();
        for name in names {
            if let Some(LocalSlot::Pending(file, attribute)) = self.locals.get(name) {
                let (file, attribute): (&'a HclFile, &'a Attribute) = (file, attribute);
                if let Err(error) = self.local(name, &attribute.value) {
                    self.report(file, &error, &format!("local.{name}"));
                }
            }
        }
        let module: &'a ParsedModule = self.module;
        for file in &module.files {
            for structure in file.body.iter() {
                let Structure::Block(block) = structure else {
                    continue;
                };
                match block.ident.as_str() {
                    "resource" => self.expand_resource(file, block, false),
                    "data" => self.expand_resource(file, block, true),
                    _ => {}
                }
            }
        }
        let calls: Vec<&'a str> = self.module_calls.keys().copied().collect();
        for name in calls {
            self.evaluate_child(name);
        }
        for name in self.module_calls.keys() {
            if let Some(ChildSlot::Done { resources, .. }) = self.children.get_mut(name) {
                self.resources.append(resources);
            }
        }
    }

    /// Instantiates the module called `name` (once).
    fn evaluate_child(&mut self, name: &'a str) {
        if self.children.contains_key(name) {
            return;
        }
        let Some(&(file, block)) = self.module_calls.get(name) else {
            return;
        };
        self.children.insert(name, ChildSlot::Evaluating);
        let unknown = ChildSlot::Done {
            value: TfValue::Unknown,
            outputs: BTreeMap::new(),
            single: true,
            resources: Vec::new(),
        };
        let Some(child) = self.resolve_source(name, file, block) else {
            self.children.insert(name, unknown);
            return;
        };
        let header = file.header_span(block.span().map_or(0, |r| r.start));
        let instances = self.instances(file, block);
        let mut resources = Vec::new();
        let mut outputs: BTreeMap<String, Traced> = BTreeMap::new();
        let mut values = Vec::new();
        for (key, scope) in instances.keys {
            if !self.within_budget(file, header.start) {
                break;
            }
            let mut inputs = HashMap::new();
            for attribute in block.body.attributes() {
                let argument = attribute.key.as_str();
                if matches!(
                    argument,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                let mut frame = Frame::with_scope(scope.clone());
                let value = match self.eval(&attribute.value, file, &mut frame) {
                    Ok(value) => value,
                    Err(error) => {
                        self.report(
                            file,
                            &error,
                            &format!("module {name:?} argument {argument}"),
                        );
                        TfValue::Unknown
                    }
                };
                let mut traced = traced(frame, value);
                traced.trace.insert(
                    0,
                    related(file, attribute.span(), format!("set by module {name:?}")),
                );
                inputs.insert(argument.to_string(), Input::Value(traced));
            }
            let paths = Paths {
                module: relative_path(&child.dir, &self.paths.root_dir),
                ..self.paths.clone()
            };
            let mut instance = Instance::new(self.modules, child, self.boundary, paths);
            instance.depth = self.depth + 1;
            instance.budget = self.budget.clone();
            instance.reference_prefix = format!("{}module.{name}.", self.reference_prefix);
            instance.address_prefix =
                format!("{}module.{name}{}.", self.address_prefix, key.suffix());
            instance.calls = self.calls.clone();
            instance.calls.push(Related {
                span: header,
                message: format!("in module.{name}{}", key.suffix()),
            });
            instance.bind_variables(inputs);
            instance.run();
            let instance_outputs = instance.outputs(name);
            self.diagnostics.append(&mut instance.diagnostics);
            resources.append(&mut instance.resources);
            let object: BTreeMap<String, TfValue> = instance_outputs
                .iter()
                .map(|(k, t)| (k.clone(), t.value.clone()))
                .collect();
            for (output, traced) in instance_outputs {
                match outputs.get_mut(&output) {
                    Some(existing) => {
                        existing.value = TfValue::Unknown;
                        for reference in traced.references {
                            if !existing.references.contains(&reference) {
                                existing.references.push(reference);
                            }
                        }
                    }
                    None => {
                        outputs.insert(output, traced);
                    }
                }
            }
            values.push((key, TfValue::Map(object)));
        }
        let value = match instances.repetition {
            super::expand::Repetition::Single => values.pop().map_or(TfValue::Unknown, |(_, v)| v),
            super::expand::Repetition::Count => {
                TfValue::List(values.into_iter().map(|(_, v)| v).collect())
            }
            super::expand::Repetition::ForEach => TfValue::Map(
                values
                    .into_iter()
                    .filter_map(|(k, v)| match k {
                        InstanceKey::Key(k) => Some((k, v)),
                        _ => None,
                    })
                    .collect(),
            ),
            super::expand::Repetition::Unknown => TfValue::Unknown,
        };
        let single = instances.repetition == super::expand::Repetition::Single;
        self.children.insert(
            name,
            ChildSlot::Done {
                value,
                outputs,
                single,
                resources,
            },
        );
    }

    /// The directory a module call loads, or why it is not loaded.
    fn resolve_source(
        &mut self,
        name: &str,
        file: &HclFile,
        block: &Block,
    ) -> Option<&'a ParsedModule> {
        let header = file.header_span(block.span().map_or(0, |r| r.start));
        let Some(source) = block.body.get_attribute("source") else {
            self.warn(
                file,
                header.start,
                DiagnosticCode::ModuleNotResolved,
                format!("module {name:?} has no source"),
            );
            return None;
        };
        let at = file.position(source.span().map_or(0, |r| r.start));
        let Some(text) = source.value.as_str() else {
            self.warn(
                file,
                at,
                DiagnosticCode::ModuleNotResolved,
                format!("module {name:?}: source must be a literal string"),
            );
            return None;
        };
        if self.depth + 1 >= MAX_MODULE_DEPTH {
            self.warn(file, at, DiagnosticCode::TerraformEvaluation, format!("module {name:?}: modules nest deeper than {MAX_MODULE_DEPTH} levels; not loaded"));
            return None;
        }
        let resolved = local_source(&self.module.dir, text, self.boundary);
        match resolved.as_ref().and_then(|dir| self.modules.get(dir)) {
            Some(module) => Some(module),
            None => {
                let why = if !(text.starts_with("./") || text.starts_with("../")) {
                    "remote modules are not fetched"
                } else if resolved.is_none() {
                    "the path leaves the repository or does not exist"
                } else {
                    "the directory holds no .tf file"
                };
                self.warn(
                    file,
                    at,
                    DiagnosticCode::ModuleNotResolved,
                    format!("module {name:?} ({text}) not loaded: {why}; its outputs are unknown"),
                );
                None
            }
        }
    }

    /// The module's outputs, each with its definition in the trace.
    fn outputs(&mut self, call: &str) -> BTreeMap<String, Traced> {
        let mut out = BTreeMap::new();
        for (file, block) in self.blocks_of("output") {
            let Some(name) = block.labels.first().map(label_str) else {
                continue;
            };
            let Some(attribute) = block.body.get_attribute("value") else {
                continue;
            };
            let mut frame = Frame::default();
            let value = match self.eval(&attribute.value, file, &mut frame) {
                Ok(value) => value,
                Err(error) => {
                    self.report(file, &error, &format!("output {name}"));
                    TfValue::Unknown
                }
            };
            let mut traced = traced(frame, value);
            traced.trace.insert(
                0,
                related(
                    file,
                    attribute.span(),
                    format!("output {name} of module.{call}"),
                ),
            );
            out.insert(name.to_string(), traced);
        }
        out
    }

    /// Counts an instance against the budget; reports (once) when it is spent.
    pub fn within_budget(&mut self, file: &HclFile, at: crate::source::Position) -> bool {
        if self.budget.instance() {
            return true;
        }
        if self.budget.instances.get() == MAX_INSTANCES + 1 {
            self.warn(
                file,
                at,
                DiagnosticCode::TerraformEvaluation,
                format!("more than {MAX_INSTANCES} resource and module instances: the rest is not evaluated"),
            );
        }
        false
    }

    /// A file named by `file()` or `templatefile()`, relative to the root
    /// module's directory as Terraform resolves it. `Ok(None)` when it is
    /// outside the repository (never read); `Err` when it cannot be read.
    pub fn repository_file(&self, path: &str) -> Result<Option<String>, String> {
        /// Largest file a function reads.
        const MAX_FUNCTION_FILE: u64 = 1024 * 1024;
        let resolved = self.paths.root_dir.join(path);
        let Ok(canonical) = resolved.canonicalize() else {
            return Err(format!("no file {path:?}"));
        };
        if !canonical.starts_with(self.boundary) {
            return Ok(None);
        }
        let size = std::fs::metadata(&canonical)
            .map_err(|e| format!("{path}: {e}"))?
            .len();
        if size > MAX_FUNCTION_FILE {
            return Err(format!("{path} is larger than {MAX_FUNCTION_FILE} bytes"));
        }
        let bytes = std::fs::read(&canonical).map_err(|e| format!("{path}: {e}"))?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| format!("{path} is not UTF-8 text"))
    }

    /// Reports an expression that cannot be evaluated; its value is unknown.
    pub fn report(&mut self, file: &HclFile, error: &EvalError, what: &str) {
        let at = file.position(error.range.as_ref().map_or(0, |r| r.start));
        self.warn(
            file,
            at,
            DiagnosticCode::TerraformEvaluation,
            format!("{what}: {}; the value is unknown", error.message),
        );
    }

    fn warn(
        &mut self,
        file: &HclFile,
        at: crate::source::Position,
        code: DiagnosticCode,
        message: String,
    ) {
        self.diagnostics.push(
            Diagnostic::new(
                DiagnosticLevel::Warning,
                code,
                file.display.clone(),
                message,
            )
            .at(at),
        );
    }

    /// A note, shown with `--verbose`.
    pub fn note(&mut self, file: &HclFile, offset: usize, message: String) {
        self.diagnostics.push(
            Diagnostic::new(
                DiagnosticLevel::Note,
                DiagnosticCode::TerraformUnsupported,
                file.display.clone(),
                message,
            )
            .at(file.position(offset)),
        );
    }
}

/// `target` relative to `base`, with `/` separators (`modules/aks`,
/// `../../modules/aks`).
fn relative_path(target: &Path, base: &Path) -> String {
    let target: Vec<_> = target.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// A block label's text.
pub fn label_str(label: &hcl_edit::structure::BlockLabel) -> &str {
    label.as_str()
}

/// The canonical directory of a local module source, if it stays inside
/// `boundary`.
pub fn local_source(dir: &Path, source: &str, boundary: &Path) -> Option<PathBuf> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let resolved = dir.join(source).canonicalize().ok()?;
    (resolved.starts_with(boundary) && resolved.is_dir()).then_some(resolved)
}
