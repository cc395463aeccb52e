//! Values for a root module's variables, in Terraform's order of precedence
//! (later wins): defaults, `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars(.json)` in lexical order, then `--var-file` and `--var` in
//! command-line order. Environment variables (`TF_VAR_*`) are not read, so
//! that a scan depends only on its input.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;

use super::expr::{Frame, traced};
use super::module::{Input, Instance};
use super::value::Traced;
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::TfValue;
use crate::rules::Related;
use crate::source::hcl::HclFile;
use crate::source::yaml::{self, Node, Value};
use crate::source::{FileId, Span};

/// A variable-definitions file, parsed.
#[derive(Debug)]
pub enum VarFile {
    Hcl(HclFile),
    /// A `.tfvars.json` file: its top-level object.
    Json {
        file: FileId,
        display: String,
        root: Option<Node>,
    },
}

/// One `--var NAME=VALUE`, located in the scan's `<command line>` source.
#[derive(Clone, Debug)]
pub struct CliAssignment {
    pub name: String,
    pub text: String,
    pub origin: Related,
}

/// A command-line input, in the order given.
#[derive(Debug)]
pub enum CliValue {
    File(VarFile),
    Assignment(CliAssignment),
}

/// The automatically loaded variable files of a root directory, in
/// precedence order.
pub fn automatic_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let path = dir.join(name);
        if path.is_file() {
            files.push(path);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
                && p.is_file()
        })
        .collect();
    auto.sort();
    files.extend(auto);
    files
}

/// Parses a variable file already in the source map.
pub fn parse_var_file(file: FileId, display: &str, text: &str) -> Result<VarFile, Diagnostic> {
    if display.ends_with(".json") {
        let loaded = yaml::load(file, display, text, yaml::Limits::default());
        if let Some(diagnostic) = loaded.diagnostics.into_iter().next() {
            return Err(diagnostic);
        }
        let root = loaded.documents.into_iter().next().map(|d| d.root);
        return Ok(VarFile::Json {
            file,
            display: display.to_string(),
            root,
        });
    }
    crate::source::hcl::parse(file, display, text).map(VarFile::Hcl)
}

/// Parses `NAME=VALUE`.
pub fn split_assignment(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    (!name.is_empty()).then_some((name, value))
}

impl Instance<'_> {
    /// The inputs of a root module from its variable files and the command line.
    pub fn root_inputs(
        &mut self,
        automatic: &[VarFile],
        cli: &[CliValue],
    ) -> HashMap<String, Input> {
        let mut inputs = HashMap::new();
        for file in automatic {
            self.read_var_file(file, &mut inputs);
        }
        for value in cli {
            match value {
                CliValue::File(file) => self.read_var_file(file, &mut inputs),
                CliValue::Assignment(assignment) => {
                    inputs.insert(
                        assignment.name.clone(),
                        Input::Text {
                            text: assignment.text.clone(),
                            origin: assignment.origin.clone(),
                        },
                    );
                }
            }
        }
        inputs
    }

    fn read_var_file(&mut self, file: &VarFile, inputs: &mut HashMap<String, Input>) {
        match file {
            VarFile::Hcl(hcl) => {
                for attribute in hcl.body.attributes() {
                    let name = attribute.key.as_str();
                    let mut frame = Frame::default();
                    let value = match self.eval(&attribute.value, hcl, &mut frame) {
                        Ok(value) => value,
                        Err(error) => {
                            self.report(hcl, &error, name);
                            TfValue::Unknown
                        }
                    };
                    let mut traced = traced(frame, value);
                    traced.trace.insert(
                        0,
                        Related {
                            span: hcl.span(attribute.span().unwrap_or(0..0)),
                            message: format!("var.{name} set in {}", hcl.display),
                        },
                    );
                    inputs.insert(name.to_string(), Input::Value(traced));
                }
            }
            VarFile::Json {
                display,
                root,
                file,
            } => {
                let Some(root) = root else {
                    return;
                };
                let Value::Map(entries) = &root.value else {
                    self.diagnostics.push(
                        Diagnostic::new(
                            DiagnosticLevel::Warning,
                            DiagnosticCode::TerraformEvaluation,
                            display.clone(),
                            "a .tfvars.json file must hold an object; not read",
                        )
                        .at(root.span.start),
                    );
                    return;
                };
                for entry in entries {
                    let name = entry.key.text.to_string();
                    let span = Span::new(*file, entry.key.span.start, entry.value.span.end);
                    inputs.insert(
                        name.clone(),
                        Input::Value(Traced {
                            value: json_value(&entry.value),
                            trace: vec![Related {
                                span,
                                message: format!("var.{name} set in {display}"),
                            }],
                            references: Vec::new(),
                        }),
                    );
                }
            }
        }
    }
}

fn json_value(node: &Node) -> TfValue {
    match &node.value {
        Value::Null => TfValue::Null,
        Value::Bool(b) => TfValue::Bool(*b),
        Value::Int(i) => TfValue::Number(*i as f64),
        Value::Float(f) => TfValue::Number(*f),
        Value::Str(s) => TfValue::String(s.to_string()),
        Value::Seq(items) => TfValue::List(items.iter().map(json_value).collect()),
        Value::Map(entries) => TfValue::Map(
            entries
                .iter()
                .map(|e| (e.key.text.to_string(), json_value(&e.value)))
                .collect(),
        ),
    }
}
