//! A chart rendered for a scan: `helm template` run in process, then each
//! rendered document read back as Kubernetes objects whose every span points
//! at the template line (and, for values, the values line) that produced it.

use std::collections::HashMap;
use std::path::Path;

use super::chart::load::Chart;
use super::chart::manifests::{self, RenderedTemplate};
use super::chart::prepare::{self, RenderOptions};
use super::functions::{self, Env};
use super::template::{Origin, Output, TemplateError, TemplateSet, helm_parse_order};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::{Resource, resources_from_document};
use crate::source::yaml::{self, Entry, Limits, Node, Value};
use crate::source::{FileId, Position, SourceMap, Span};

/// What rendering one chart produced.
#[derive(Debug, Default)]
pub struct RenderedChart {
    /// The objects of every document that rendered, in `helm template`'s
    /// order, marked with the chart's directory as their variant.
    pub resources: Vec<Resource>,
    /// Load, values and render problems, located in the chart's files.
    pub diagnostics: Vec<Diagnostic>,
    /// What `helm template` would print; `None` when any template failed
    /// (Helm prints nothing then).
    pub manifest: Option<String>,
}

/// What a caller wants from a rendered chart.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Want {
    /// The objects, every field located in its template (for a scan).
    Objects,
    /// Only the text `helm template` prints (for `vigie render`): the
    /// documents are not read into objects.
    Manifest,
}

/// Loads, prepares and renders the chart in `dir`, adding its files to
/// `sources`. A template that fails is reported and skipped; the others are
/// still read.
pub fn render_chart(
    dir: &Path,
    display: &str,
    options: &RenderOptions,
    limits: Limits,
    sources: &mut SourceMap,
    want: Want,
) -> RenderedChart {
    let mut out = RenderedChart::default();
    let chart = match Chart::load(dir, sources) {
        Ok(chart) => chart,
        Err(diagnostic) => {
            out.diagnostics.push(diagnostic);
            return out;
        }
    };
    out.diagnostics.extend(chart.warnings.iter().cloned());
    let prepared = match prepare::prepare(&chart, options, sources) {
        Ok(prepared) => prepared,
        Err(diagnostics) => {
            out.diagnostics.extend(diagnostics);
            return out;
        }
    };
    out.diagnostics.extend(prepared.diagnostics.iter().cloned());
    let mut failed = false;
    let mut set = TemplateSet::new(functions::all());
    let mut names: Vec<&str> = prepared.templates.iter().map(|t| t.name.as_str()).collect();
    helm_parse_order(&mut names);
    let by_name: HashMap<&str, usize> = prepared
        .templates
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    for &name in &names {
        let template = &prepared.templates[by_name[name]];
        let text = sources.get(template.file).text.clone();
        if let Err(error) = set.add(name, template.file, &text) {
            out.diagnostics
                .push(template_error(&error, template.file, sources));
            failed = true;
        }
    }
    if failed {
        // Helm stops at a parse error: no template of the chart is rendered.
        return out;
    }
    let env = Env::default();
    // Helm renders in its parse order, all templates of a chart sharing one
    // scope: what a template changes in `.Values` the later ones see.
    let mut results: Vec<Option<Result<Output, TemplateError>>> =
        prepared.templates.iter().map(|_| None).collect();
    for &name in &names {
        let index = by_name[name];
        let template = &prepared.templates[index];
        if template.render {
            results[index] = Some(set.render(&template.name, &template.dot(), &env));
        }
    }
    let mut rendered = Vec::new();
    let mut outputs = Vec::new();
    for (template, result) in prepared.templates.iter().zip(results) {
        let Some(result) = result else {
            continue;
        };
        match result {
            Ok(output) => {
                rendered.push(RenderedTemplate {
                    name: template.name.clone(),
                    text: output.text.clone(),
                });
                outputs.push((output, template));
            }
            Err(error) => {
                out.diagnostics
                    .push(template_error(&error, template.file, sources));
                failed = true;
            }
        }
    }
    // A document that is not YAML fails Helm's whole render; Vigie reports
    // it and reads the other templates.
    let documents = loop {
        match manifests::order_documents(&rendered) {
            Ok(documents) => break documents,
            Err(error) => {
                failed = true;
                let Some(index) = rendered.iter().position(|r| r.name == error.template) else {
                    break Vec::new();
                };
                let (output, template) = &outputs[index];
                let mut diagnostic = Diagnostic::new(
                    DiagnosticLevel::Error,
                    DiagnosticCode::HelmRender,
                    sources.get(template.file).display.clone(),
                    error.message,
                );
                if let Some((file, position)) = yaml_error_position(output, limits, sources) {
                    diagnostic.path = sources.get(file).display.clone();
                    diagnostic.position = Some(position);
                }
                out.diagnostics.push(diagnostic);
                rendered[index].text.clear();
            }
        }
    };
    let mut ordinal: HashMap<usize, usize> = HashMap::new();
    let read = if want == Want::Objects {
        &documents[..]
    } else {
        &[]
    };
    for document in read {
        let (output, template) = &outputs[document.template];
        let index = ordinal.entry(document.template).or_insert(0);
        let mapper = SpanMapper::new(output, document.range.clone(), sources);
        let loaded = yaml::load(
            template.file,
            &sources.get(template.file).display,
            &output.text[document.range.clone()],
            limits,
        );
        // Warnings on the rendered text (a repeated key), at the template
        // line that wrote it.
        for mut diagnostic in loaded.diagnostics {
            if let Some(position) = diagnostic.position {
                let at = mapper.byte_of(position);
                if let Some((file, offset)) = mapper.source_offset(at, false) {
                    diagnostic.path = sources.get(file).display.clone();
                    diagnostic.position = Some(mapper.position(file, offset));
                }
                diagnostic.message = mapper.relocate_first_line(&diagnostic.message);
            }
            out.diagnostics.push(diagnostic);
        }
        for mut document in loaded.documents {
            document.index = *index;
            let mut value_sources = Vec::new();
            mapper.map_node(&mut document.root, &mut |at, path| {
                let mut full: Vec<&str> = template.values_path.iter().map(String::as_str).collect();
                full.extend(path.iter().map(String::as_str));
                if let Some(from) = prepared.origins.get(&full) {
                    value_sources.push((at, from, full.join(".")));
                }
            });
            for mut resource in resources_from_document(template.file, document) {
                resource.variant = Some(display.to_string());
                resource.value_sources = value_sources.clone();
                out.resources.push(resource);
            }
        }
        *index += 1;
    }
    if !failed {
        let crds = if options.include_crds {
            prepared.crds.clone()
        } else {
            Vec::new()
        };
        out.manifest = Some(manifests::print_manifests(&rendered, &documents, &crds));
    }
    out
}

/// A template error as a diagnostic at the failing node, with Helm's text.
fn template_error(error: &TemplateError, fallback: FileId, sources: &SourceMap) -> Diagnostic {
    let file = error.file.unwrap_or(fallback);
    let source = sources.get(file);
    let mut diagnostic = Diagnostic::new(
        DiagnosticLevel::Error,
        DiagnosticCode::HelmRender,
        source.display.clone(),
        error.helm_message(),
    );
    if error.file.is_some() {
        diagnostic.position = Some(position_at(&source.text, error.offset));
    }
    diagnostic
}

/// Where, in the templates, the first YAML error of a rendered output is.
fn yaml_error_position(
    output: &Output,
    limits: Limits,
    sources: &SourceMap,
) -> Option<(FileId, Position)> {
    for range in manifests::split_documents(&output.text) {
        let loaded = yaml::load(FileId(0), "", &output.text[range.clone()], limits);
        let non_mapping = loaded
            .documents
            .first()
            .filter(|d| !d.root.is_null() && d.root.as_map().is_none())
            .map(|d| d.root.span.start);
        let position = loaded
            .diagnostics
            .iter()
            .find_map(|d| d.position)
            .or(non_mapping);
        if let Some(position) = position {
            let mapper = SpanMapper::new(output, range, sources);
            let (file, offset) = mapper.source_offset(mapper.byte_of(position), false)?;
            return Some((file, mapper.position(file, offset)));
        }
    }
    None
}

/// The 1-based line and column (in code points) of a byte offset.
fn position_at(text: &str, offset: usize) -> Position {
    LineIndex::new(text).position(text, offset)
}

/// Byte offsets of the lines of a text, to locate many offsets in it.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line and column (in code points) of a byte offset of `text`.
    fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.starts[line - 1];
        let column = text[line_start..offset].chars().count() as u32 + 1;
        Position::new(line as u32, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Turns positions in a rendered document into positions in the templates.
struct SpanMapper<'a> {
    output: &'a Output,
    /// Byte offset of the document in `output.text`.
    base: usize,
    /// Byte offset of each line of the document.
    line_starts: Vec<usize>,
    sources: &'a SourceMap,
    /// Line indexes of the template files, built on first use.
    files: std::cell::RefCell<HashMap<FileId, std::rc::Rc<LineIndex>>>,
}

impl<'a> SpanMapper<'a> {
    fn new(output: &'a Output, range: std::ops::Range<usize>, sources: &'a SourceMap) -> Self {
        let document = &output.text[range.clone()];
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', document.as_bytes()).map(|i| i + 1));
        SpanMapper {
            output,
            base: range.start,
            line_starts,
            sources,
            files: std::cell::RefCell::new(HashMap::new()),
        }
    }

    /// The position of a byte offset of a template file.
    fn position(&self, file: FileId, offset: usize) -> Position {
        let text = &self.sources.get(file).text;
        let index = self
            .files
            .borrow_mut()
            .entry(file)
            .or_insert_with(|| std::rc::Rc::new(LineIndex::new(text)))
            .clone();
        index.position(text, offset)
    }

    /// The byte of `output.text` at a position of the document.
    fn byte_of(&self, position: Position) -> usize {
        let stop = self.base + self.line_starts.last().copied().unwrap_or(0);
        let stop = self.output.text[stop..]
            .find('\n')
            .map_or(self.output.text.len(), |i| stop + i);
        let document = &self.output.text[self.base..stop];
        let index = (position.line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(index) else {
            return self.output.text.len();
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(document.len(), |next| next - 1);
        let line = &document[start..end];
        let skip = position.column.saturating_sub(1) as usize;
        let within = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
        self.base + start + within
    }

    /// The template file and byte offset that produced byte `at` of the
    /// output; for an end (exclusive) offset, the end of what produced the
    /// byte before it.
    fn source_offset(&self, at: usize, end: bool) -> Option<(FileId, usize)> {
        let byte = if end { at.checked_sub(1)? } else { at };
        let index = self
            .output
            .segments
            .partition_point(|s| s.start <= byte)
            .checked_sub(1)?;
        let segment = self.output.segments.get(index)?;
        Some(match (&segment.origin, end) {
            (Origin::Text { file, offset }, _) => {
                (*file, offset + (byte - segment.start) + usize::from(end))
            }
            (Origin::Action(action), false) => (action.file, action.span.start),
            (Origin::Action(action), true) => (action.file, action.span.end),
        })
    }

    /// The template span of a document span; `None` when it cannot be
    /// traced (the span keeps its document position then).
    fn map_span(&self, span: Span) -> Option<Span> {
        let start_byte = self.byte_of(span.start);
        let (file, start) = self.source_offset(start_byte, false)?;
        let start = self.position(file, start);
        let end_byte = self.byte_of(span.end).max(start_byte);
        let end = match self.source_offset(end_byte, true) {
            Some((end_file, end)) if end_file == file => self.position(file, end).max(start),
            _ => start,
        };
        Some(Span::new(file, start, end))
    }

    /// A loader message naming a line of the rendered document ("first set
    /// on line N") names the template file and line instead.
    fn relocate_first_line(&self, message: &str) -> String {
        const MARK: &str = "(first set on line ";
        let Some(start) = message.find(MARK) else {
            return message.to_string();
        };
        let rest = &message[start + MARK.len()..];
        let Some(close) = rest.find(')') else {
            return message.to_string();
        };
        let Ok(line) = rest[..close].parse::<u32>() else {
            return message.to_string();
        };
        let at = self.byte_of(Position::new(line, 1));
        let indent = self.output.text[at..]
            .bytes()
            .take_while(|b| *b == b' ')
            .count();
        let Some((file, offset)) = self.source_offset(at + indent, false) else {
            return message.to_string();
        };
        let position = self.position(file, offset);
        format!(
            "{}(first set at {}:{}){}",
            &message[..start],
            self.sources.get(file).display,
            position.line,
            &rest[close + 1..]
        )
    }

    /// The `.Values` path of the action that printed the byte at `at`.
    fn values_path(&self, at: usize) -> Option<&'a [String]> {
        self.output.origin_at(at)?.values_path
    }

    /// Maps every span of `node` in place; `values` is told each mapped
    /// value span printed straight from `.Values`, with its path.
    fn map_node(&self, node: &mut Node, values: &mut dyn FnMut(Span, &[String])) {
        let original = node.span;
        if let Some(span) = self.map_span(original) {
            node.span = span;
            let scalar = !matches!(node.value, Value::Map(_) | Value::Seq(_));
            if scalar && let Some(path) = self.values_path(self.byte_of(original.start)) {
                values(span, path);
            }
        }
        match &mut node.value {
            Value::Map(entries) => {
                for Entry { key, value } in entries {
                    if let Some(span) = self.map_span(key.span) {
                        key.span = span;
                    }
                    self.map_node(value, values);
                }
            }
            Value::Seq(items) => {
                for item in items {
                    self.map_node(item, values);
                }
            }
            _ => {}
        }
    }
}
