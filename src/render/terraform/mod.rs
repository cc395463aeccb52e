//! Terraform's HCL, evaluated the way `terraform plan` would see it before
//! anything is applied: modules loaded from local directories, variables
//! from defaults, `.tfvars` files and the command line, locals, `count`,
//! `for_each` and `dynamic` blocks expanded, and the built-in functions that
//! need no provider. Whatever only `apply` knows is `TfValue::Unknown`.
//! Plans in JSON (`terraform show -json`) are read by [`plan`].

mod expand;
mod expr;
mod functions;
mod module;
pub mod plan;
mod print;
mod value;
mod variables;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::discover::display_path;
use crate::model::TfResource;
use crate::rules::Related;
use crate::source::{Position, SourceFile, SourceMap, Span, sha256_hex};
use module::{Instance, Modules, ParsedModule, local_source};
pub use print::to_hcl;
use variables::{CliAssignment, CliValue, VarFile};

/// Variables given on the command line, in the order given (later wins).
#[derive(Clone, Debug, Default)]
pub struct TerraformOptions {
    pub inputs: Vec<CliInput>,
}

/// `--var NAME=VALUE` or `--var-file FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CliInput {
    Var(String),
    VarFile(PathBuf),
}

/// What to load: module directories and `.tf` files named alone.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Directories holding `*.tf` files (each a module).
    pub dirs: Vec<PathBuf>,
    /// `.tf` files named on the command line: each a one-file module.
    pub files: Vec<PathBuf>,
    /// The scanned roots (canonical): a module outside the repository
    /// holding them is never read.
    pub scan_roots: Vec<PathBuf>,
}

/// The evaluated resources of every root module.
#[derive(Debug, Default)]
pub struct Evaluated {
    pub resources: Vec<TfResource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Largest `.tf` or `.tfvars` file read.
const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Loads and evaluates every root module of `inputs`.
pub fn load(inputs: &Inputs, options: &TerraformOptions, sources: &mut SourceMap) -> Evaluated {
    let cwd = std::env::current_dir().unwrap_or_default();
    let canonical_cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.clone());
    let mut reader = Reader {
        sources,
        cwd: &cwd,
        canonical_cwd: &canonical_cwd,
        diagnostics: Vec::new(),
    };
    let mut modules: Modules = BTreeMap::new();
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
    for dir in &inputs.dirs {
        let Ok(dir) = dir.canonicalize() else {
            continue;
        };
        roots.push(dir.clone());
        pending.insert(dir);
    }
    for file in &inputs.files {
        let Ok(path) = file.canonicalize() else {
            continue;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let parsed = reader.module(&dir, std::slice::from_ref(&path));
        modules.insert(path.clone(), parsed);
        roots.push(path);
    }
    roots.sort();
    roots.dedup();
    // Load every module the roots call, transitively, before evaluating.
    let mut calls: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut checked: BTreeSet<PathBuf> = BTreeSet::new();
    loop {
        while let Some(dir) = pending.pop_first() {
            if modules.contains_key(&dir) {
                continue;
            }
            let (files, overrides): (Vec<PathBuf>, Vec<PathBuf>) =
                tf_files(&dir).into_iter().partition(|f| !is_override(f));
            for file in overrides {
                let display = display_path(&file, &cwd, &canonical_cwd);
                reader.diagnostics.push(Diagnostic::new(
                    DiagnosticLevel::Warning,
                    DiagnosticCode::TerraformUnsupported,
                    display,
                    "override files are not merged by this version of Vigie: not read",
                ));
            }
            let parsed = reader.module(&dir, &files);
            modules.insert(dir, parsed);
        }
        let keys: Vec<PathBuf> = modules
            .keys()
            .filter(|k| !checked.contains(*k))
            .cloned()
            .collect();
        if keys.is_empty() {
            break;
        }
        for key in keys {
            checked.insert(key.clone());
            let module = &modules[&key];
            let boundary = boundary_of(&module.dir, &inputs.scan_roots);
            for source in module_sources(module) {
                if let Some(dir) = local_source(&module.dir, &source, &boundary) {
                    calls.entry(key.clone()).or_default().insert(dir.clone());
                    if !modules.contains_key(&dir) {
                        pending.insert(dir);
                    }
                }
            }
        }
    }
    let cli = reader.cli_values(&options.inputs);
    let roots = root_modules(&roots, &calls);
    let automatic: Vec<Vec<VarFile>> = roots
        .iter()
        .map(|root| {
            let dir = &modules[root].dir;
            let is_file_module = root.is_file();
            if is_file_module {
                return Vec::new();
            }
            variables::automatic_files(dir)
                .iter()
                .filter_map(|path| reader.var_file(path))
                .collect()
        })
        .collect();
    let mut diagnostics = reader.diagnostics;
    let results: Vec<Evaluated> = roots
        .par_iter()
        .zip(automatic.par_iter())
        .map(|(root, automatic)| {
            let module = &modules[root];
            let boundary = boundary_of(&module.dir, &inputs.scan_roots);
            let mut instance = Instance::root(&modules, module, &boundary);
            let inputs = instance.root_inputs(automatic, &cli);
            instance.bind_variables(inputs);
            instance.run();
            Evaluated {
                resources: instance.resources,
                diagnostics: instance.diagnostics,
            }
        })
        .collect();
    let mut evaluated = Evaluated::default();
    for result in results {
        evaluated.resources.extend(result.resources);
        diagnostics.extend(result.diagnostics);
    }
    // Each instance of a counted resource reports the same problem once.
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    evaluated.diagnostics = diagnostics;
    evaluated
}

/// The modules no other module calls; a module reached only through a cycle
/// of calls (a module calling itself) is a root too, so it is still checked.
fn root_modules(
    candidates: &[PathBuf],
    calls: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
) -> Vec<PathBuf> {
    let called_by_other = |dir: &PathBuf| {
        calls
            .iter()
            .any(|(caller, callees)| caller != dir && callees.contains(dir))
    };
    let mut roots: Vec<PathBuf> = candidates
        .iter()
        .filter(|d| !called_by_other(d))
        .cloned()
        .collect();
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    let visit = |start: &PathBuf, reached: &mut BTreeSet<PathBuf>| {
        let mut stack = vec![start.clone()];
        while let Some(dir) = stack.pop() {
            if reached.insert(dir.clone()) {
                stack.extend(calls.get(&dir).into_iter().flatten().cloned());
            }
        }
    };
    for root in &roots {
        visit(root, &mut reached);
    }
    for candidate in candidates {
        if !reached.contains(candidate) {
            roots.push(candidate.clone());
            visit(candidate, &mut reached);
        }
    }
    roots.sort();
    roots
}

/// The directory a module's calls may read in: the repository holding it,
/// as for kustomizations.
fn boundary_of(dir: &Path, scan_roots: &[PathBuf]) -> PathBuf {
    crate::render::kustomize::repository_root(dir, scan_roots)
}

/// The `source` strings of a module's `module` blocks.
fn module_sources(module: &ParsedModule) -> Vec<String> {
    module
        .files
        .iter()
        .flat_map(|file| file.body.blocks())
        .filter(|block| block.ident.as_str() == "module")
        .filter_map(|block| block.body.get_attribute("source"))
        .filter_map(|source| source.value.as_str().map(str::to_string))
        .collect()
}

/// `override.tf` and `*_override.tf`, which Terraform merges into the
/// blocks they name instead of adding them.
fn is_override(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|stem| stem == "override" || stem.ends_with("_override"))
}

/// The `*.tf` files of a directory, sorted.
fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
        .collect();
    files.sort();
    files
}

/// Reads files into the source map.
struct Reader<'s> {
    sources: &'s mut SourceMap,
    cwd: &'s Path,
    canonical_cwd: &'s Path,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn read(&mut self, path: &Path) -> Option<(crate::source::FileId, String)> {
        let display = display_path(path, self.cwd, self.canonical_cwd);
        if let Some(id) = self.sources.find(path) {
            return Some((id, self.sources.get(id).text.clone()));
        }
        let problem = |code, message: String| {
            Diagnostic::new(DiagnosticLevel::Warning, code, display.clone(), message)
        };
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > MAX_FILE_SIZE => {
                self.diagnostics.push(problem(
                    DiagnosticCode::FileTooLarge,
                    format!("not read: larger than {MAX_FILE_SIZE} bytes"),
                ));
                return None;
            }
            Err(error) => {
                self.diagnostics.push(problem(
                    DiagnosticCode::Unreadable,
                    format!("not read: {error}"),
                ));
                return None;
            }
            Ok(_) => {}
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.diagnostics.push(problem(
                    DiagnosticCode::Unreadable,
                    format!("not read: {error}"),
                ));
                return None;
            }
        };
        let sha256 = sha256_hex(&bytes);
        let Ok(text) = String::from_utf8(bytes) else {
            self.diagnostics.push(problem(
                DiagnosticCode::InvalidEncoding,
                "not read: not UTF-8 text".to_string(),
            ));
            return None;
        };
        let id = self.sources.push(SourceFile::new(
            path.to_path_buf(),
            display,
            text.clone(),
            sha256,
        ));
        Some((id, text))
    }

    fn module(&mut self, dir: &Path, files: &[PathBuf]) -> ParsedModule {
        let mut parsed = Vec::new();
        for path in files {
            let Some((id, text)) = self.read(path) else {
                continue;
            };
            let display = self.sources.get(id).display.clone();
            match crate::source::hcl::parse(id, &display, &text) {
                Ok(file) => parsed.push(file),
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        ParsedModule {
            dir: dir.to_path_buf(),
            files: parsed,
        }
    }

    fn var_file(&mut self, path: &Path) -> Option<VarFile> {
        let (id, text) = self.read(path)?;
        let display = self.sources.get(id).display.clone();
        match variables::parse_var_file(id, &display, &text) {
            Ok(file) => Some(file),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// `--var-file` files are read; `--var` assignments become lines of a
    /// `<command line>` source so traces can point at them.
    fn cli_values(&mut self, inputs: &[CliInput]) -> Vec<CliValue> {
        let assignments: Vec<&String> = inputs
            .iter()
            .filter_map(|i| match i {
                CliInput::Var(text) => Some(text),
                CliInput::VarFile(_) => None,
            })
            .collect();
        let command_line = (!assignments.is_empty()).then(|| {
            let text: String = assignments.iter().map(|a| format!("--var {a}\n")).collect();
            let sha256 = sha256_hex(text.as_bytes());
            self.sources.push(SourceFile::new(
                PathBuf::from("<command line>"),
                "<command line>".to_string(),
                text,
                sha256,
            ))
        });
        let mut line = 0;
        let mut values = Vec::new();
        for input in inputs {
            match input {
                CliInput::VarFile(path) => {
                    if let Some(file) = self.var_file(path) {
                        values.push(CliValue::File(file));
                    }
                }
                CliInput::Var(text) => {
                    line += 1;
                    let Some(file) = command_line else { continue };
                    let Some((name, value)) = variables::split_assignment(text) else {
                        self.diagnostics.push(
                            Diagnostic::new(
                                DiagnosticLevel::Error,
                                DiagnosticCode::TerraformEvaluation,
                                "<command line>",
                                format!("--var {text:?}: expected NAME=VALUE"),
                            )
                            .at(Position::new(line, 1)),
                        );
                        continue;
                    };
                    let width = text.chars().count() as u32 + 6;
                    values.push(CliValue::Assignment(CliAssignment {
                        name: name.to_string(),
                        text: value.to_string(),
                        origin: Related {
                            span: Span::new(
                                file,
                                Position::new(line, 1),
                                Position::new(line, width + 1),
                            ),
                            message: format!("var.{name} set by --var"),
                        },
                    }));
                }
            }
        }
        values
    }
}
