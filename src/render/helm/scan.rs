//! A chart rendered for a scan: `helm template` run in process, then each
//! rendered document read back as Kubernetes objects whose every span points
//! at the template line (and, for values, the values line) that produced it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use super::chart::load::Chart;
use super::chart::manifests::{self, RenderedTemplate};
use super::chart::prepare::{self, RenderOptions};
use super::chart::values::ValueOrigins;
use super::functions::{self, Env};
use super::template::{ActionOrigin, Origin, Output, TemplateError, TemplateSet, helm_parse_order};
use super::value::Value as ChartValue;
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::{Resource, ValueSource, resources_from_document};
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
    let chart = match Chart::load_within(dir, options.root.as_deref(), sources) {
        Ok(chart) => chart,
        Err(diagnostic) => {
            return RenderedChart {
                diagnostics: vec![diagnostic],
                ..RenderedChart::default()
            };
        }
    };
    let mut out = render_loaded(&chart, display, options, limits, sources, want);
    out.diagnostics.splice(0..0, chart.warnings.iter().cloned());
    out
}

/// Prepares and renders a chart already loaded (its load warnings are the
/// caller's to report), so one chart can be rendered with several value sets
/// while its files are read, and added to `sources`, once.
pub fn render_loaded(
    chart: &Chart,
    display: &str,
    options: &RenderOptions,
    limits: Limits,
    sources: &mut SourceMap,
    want: Want,
) -> RenderedChart {
    let mut out = RenderedChart::default();
    let prepared = match prepare::prepare(chart, options, sources) {
        Ok(prepared) => prepared,
        Err(diagnostics) => {
            out.diagnostics.extend(diagnostics);
            return out;
        }
    };
    out.diagnostics.extend(prepared.diagnostics.iter().cloned());
    if want == Want::Objects {
        read_crds(&prepared.crds, display, limits, sources, &mut out);
    }
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
        let text = &sources.get(template.file).text;
        if let Err(error) = set.add(name, template.file, text) {
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
    // it and reads the other documents.
    let ordered = manifests::order_documents(&rendered);
    for error in ordered.errors {
        failed = true;
        let Some(index) = rendered.iter().position(|r| r.name == error.template) else {
            continue;
        };
        let (output, template) = &outputs[index];
        let mut diagnostic = Diagnostic::new(
            DiagnosticLevel::Error,
            DiagnosticCode::HelmRender,
            sources.get(template.file).display.clone(),
            error.message,
        );
        if let Some((file, position)) = yaml_error_position(output, error.range, limits, sources) {
            diagnostic.path = sources.get(file).display.clone();
            diagnostic.position = Some(position);
        }
        out.diagnostics.push(diagnostic);
    }
    let documents = ordered.documents;
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
            let values = match &template.scope {
                ChartValue::Map(scope) => scope.borrow().get("Values").cloned(),
                _ => None,
            };
            mapper.map_node(
                &mut document.root,
                &mut String::new(),
                None,
                values.as_ref(),
                &mut |at, path, field| {
                    if let Some((from, values_path)) =
                        winning_origin(&prepared.origins, &template.values_path, path)
                    {
                        value_sources.push(ValueSource {
                            at,
                            from,
                            values_path,
                            field: field.map(str::to_string),
                        });
                    }
                },
            );
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
        out.manifest = Some(manifests::print_manifests(
            &rendered,
            &documents,
            &crds,
            !options.no_hooks,
        ));
    }
    out
}

/// The objects of the chart's `crds/` files (Helm installs them before the
/// templates), located in those files; a file that is not YAML is reported
/// and the others are still read.
fn read_crds(
    crds: &[manifests::CrdFile],
    display: &str,
    limits: Limits,
    sources: &SourceMap,
    out: &mut RenderedChart,
) {
    for crd in crds {
        let loaded = yaml::load(crd.file, &sources.get(crd.file).display, &crd.text, limits);
        out.diagnostics.extend(loaded.diagnostics);
        for document in loaded.documents {
            for mut resource in resources_from_document(crd.file, document) {
                resource.variant = Some(display.to_string());
                out.resources.push(resource);
            }
        }
    }
}

/// Where the value a template of the chart at `prefix` (`[]` for the root
/// chart, `["sub"]` for a subchart) read at `path` of its `.Values` was
/// written, and its full path. A global comes from the outermost chart that
/// sets it: Helm copies a parent's globals over its subcharts'.
fn winning_origin(
    origins: &ValueOrigins,
    prefix: &[String],
    path: &[String],
) -> Option<(Span, String)> {
    let outermost = if path.first().is_some_and(|key| key == "global") {
        0
    } else {
        prefix.len()
    };
    (outermost..=prefix.len()).find_map(|depth| {
        let full: Vec<&str> = prefix[..depth]
            .iter()
            .chain(path)
            .map(String::as_str)
            .collect();
        origins.get(&full).map(|span| (span, full.join(".")))
    })
}

/// The value at `path` of a chart's values, if any.
fn value_at(values: &ChartValue, path: &[String]) -> Option<ChartValue> {
    path.iter()
        .try_fold(values.clone(), |value, key| match &value {
            ChartValue::Map(map) => map.borrow().get(key).cloned(),
            ChartValue::List(items) => items.get(key.parse::<usize>().ok()?).cloned(),
            _ => None,
        })
}

/// Whether a rendered node is what the values hold (a map for a map, a list
/// for a list, an equal scalar): a field inside a printed block is credited
/// to the values path with the same keys only then (a `merge` or `dict` may
/// have reshaped the block).
fn same_value(node: &Node, value: &ChartValue) -> bool {
    match (&node.value, value) {
        (Value::Map(_), ChartValue::Map(_)) | (Value::Seq(_), ChartValue::List(_)) => true,
        (Value::Null, ChartValue::Nil) => true,
        (Value::Bool(a), ChartValue::Bool(b)) => a == b,
        (Value::Str(a), ChartValue::String(b)) => a.as_str() == &**b,
        (Value::Int(a), ChartValue::Int(b)) => a == b,
        (Value::Int(a), ChartValue::Float(b)) => *a as f64 == *b,
        (Value::Float(a), ChartValue::Float(b)) => a == b,
        (Value::Float(a), ChartValue::Int(b)) => *a == *b as f64,
        _ => false,
    }
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

/// Where, in the templates, the YAML error of a rendered document is.
fn yaml_error_position(
    output: &Output,
    range: Range<usize>,
    limits: Limits,
    sources: &SourceMap,
) -> Option<(FileId, Position)> {
    let loaded = yaml::load(FileId(0), "", &output.text[range.clone()], limits);
    let non_mapping = loaded
        .documents
        .first()
        .filter(|d| !d.root.is_null() && d.root.as_map().is_none())
        .map(|d| d.root.span.start);
    let position = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Error)
        .find_map(|d| d.position)
        .or(non_mapping)?;
    let mapper = SpanMapper::new(output, range, sources);
    let (file, offset) = mapper.source_offset(mapper.byte_of(position), false)?;
    Some((file, mapper.position(file, offset)))
}

/// The 1-based line and column (in code points) of a byte offset.
fn position_at(text: &str, offset: usize) -> Position {
    LineIndex::new(text).position(text, offset)
}

/// Byte offsets of the lines of a text, to locate many offsets in it.
struct LineIndex {
    starts: Vec<usize>,
    /// Columns are byte counts in ASCII text: no need to count characters.
    ascii: bool,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// The 1-based line and column (in code points) of a byte offset of `text`.
    fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.starts[line - 1];
        let column = if self.ascii {
            offset - line_start
        } else {
            text[line_start..offset].chars().count()
        } as u32
            + 1;
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
    /// End of the document's last line in `output.text`.
    end: usize,
    /// The document is ASCII: a column is a byte count.
    ascii: bool,
    sources: &'a SourceMap,
    /// Line indexes of the template files, built on first use.
    files: std::cell::RefCell<HashMap<FileId, std::rc::Rc<LineIndex>>>,
}

impl<'a> SpanMapper<'a> {
    fn new(output: &'a Output, range: std::ops::Range<usize>, sources: &'a SourceMap) -> Self {
        let document = &output.text[range.clone()];
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', document.as_bytes()).map(|i| i + 1));
        let last = range.start + line_starts.last().copied().unwrap_or(0);
        let end = output.text[last..]
            .find('\n')
            .map_or(output.text.len(), |i| last + i);
        SpanMapper {
            output,
            base: range.start,
            line_starts,
            end,
            ascii: output.text[range.start..end].is_ascii(),
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
        let document = &self.output.text[self.base..self.end];
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
        let within = if self.ascii {
            skip.min(line.len())
        } else {
            line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i)
        };
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

    /// The action that printed the byte at `at`, if an action did.
    fn action_at(&self, at: usize) -> Option<&'a ActionOrigin> {
        let segments = &self.output.segments;
        let index = segments.partition_point(|s| s.start <= at).checked_sub(1)?;
        match &segments.get(index)?.origin {
            Origin::Action(action) => Some(action),
            Origin::Text { .. } => None,
        }
    }

    /// The actions with a values path that printed bytes of `range`, in
    /// order, each once.
    fn actions_in(&self, range: std::ops::Range<usize>) -> Vec<&'a ActionOrigin> {
        let segments = &self.output.segments;
        let first = segments
            .partition_point(|s| s.start <= range.start)
            .saturating_sub(1);
        let mut actions: Vec<&'a ActionOrigin> = Vec::new();
        for segment in segments[first..].iter().take_while(|s| s.start < range.end) {
            if let Origin::Action(action) = &segment.origin
                && action.values_path.is_some()
                && !actions.iter().any(|known| same_action(known, action))
            {
                actions.push(action);
            }
        }
        actions
    }

    /// The action that printed both ends of `range`, when it has a values
    /// path: a map entry or list item printed by a `toYaml` of values.
    fn printed_by_one(&self, range: std::ops::Range<usize>) -> Option<&'a ActionOrigin> {
        let first = self.action_at(range.start)?;
        first.values_path.as_ref()?;
        let last = self.action_at(range.end.checked_sub(1)?)?;
        same_action(first, last).then_some(first)
    }

    /// Whether `action` printed the `-` (or `[`, `,`) before the list item
    /// starting at byte `item`.
    fn item_marker_printed_by(&self, item: usize, action: &ActionOrigin) -> bool {
        let text = &self.output.text.as_bytes()[..item.min(self.output.text.len())];
        let Some(marker) = text.iter().rposition(|b| !b" \t\r\n".contains(b)) else {
            return false;
        };
        matches!(text[marker], b'-' | b'[' | b',')
            && self
                .action_at(marker)
                .is_some_and(|a| same_action(a, action))
    }

    /// Maps every span of `node` in place. `field` is the node's path in
    /// the document; `block`, when an action printed `node` as part of a
    /// map or list (`toYaml .Values.x`), that action and the `.Values` path
    /// of `node`. `found` is told each mapped span whose value came from
    /// `.Values`, with its path, and the field path for a field of a block
    /// (they all share the action's span).
    fn map_node(
        &self,
        node: &mut Node,
        field: &mut String,
        block: Option<Block<'a>>,
        values: Option<&ChartValue>,
        found: &mut FoundValue<'_>,
    ) {
        let original = node.span;
        let start = self.byte_of(original.start);
        let end = self.byte_of(original.end).max(start);
        let composite = matches!(node.value, Value::Map(_) | Value::Seq(_));
        // A map or list one action printed whole starts a block.
        let block = block.or_else(|| {
            let action = self.printed_by_one(start..end).filter(|_| composite)?;
            Some((action, action.values_path.as_deref()?.to_vec()))
        });
        if let Some(span) = self.map_span(original) {
            node.span = span;
            let held = block.as_ref().filter(|(_, path)| {
                values
                    .and_then(|values| value_at(values, path))
                    .is_some_and(|value| same_value(node, &value))
            });
            if let Some((_, path)) = held {
                found(span, path, Some(field));
            } else if !composite {
                // A scalar some actions printed (`"{{ .Values.a }}:{{ .Values.b }}"`),
                // or one a block printed but reshaped (`tpl`): the actions' paths.
                let field = block.is_some().then_some(&field[..]);
                for action in self.actions_in(start..end) {
                    if let Some(path) = &action.values_path {
                        found(span, path, field);
                    }
                }
            }
        }
        let length = field.len();
        match &mut node.value {
            Value::Map(entries) => {
                for Entry { key, value } in entries {
                    let entry_start = self.byte_of(key.span.start);
                    let entry_end = self.byte_of(value.span.end).max(self.byte_of(key.span.end));
                    let child = self
                        .printed_by_one(entry_start..entry_end)
                        .map(|action| (action, child_path(&block, action, &key.text)));
                    if let Some(span) = self.map_span(key.span) {
                        key.span = span;
                    }
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(&key.text);
                    self.map_node(value, field, child, values, found);
                    field.truncate(length);
                }
            }
            Value::Seq(items) => {
                // Items an action printed are numbered from its first one.
                let mut run: Option<(&'a ActionOrigin, usize)> = None;
                for (index, item) in items.iter_mut().enumerate() {
                    let item_start = self.byte_of(item.span.start);
                    let item_end = self.byte_of(item.span.end).max(item_start);
                    let child = self.printed_by_one(item_start..item_end).map(|action| {
                        if !self.item_marker_printed_by(item_start, action) {
                            // The action printed the item's content, not a
                            // list (`- {{ toYaml . }}` in a `range`).
                            run = None;
                            let path = action.values_path.as_deref().unwrap_or_default();
                            return (action, path.to_vec());
                        }
                        let ordinal = match run {
                            Some((previous, count)) if same_action(previous, action) => count + 1,
                            _ => 0,
                        };
                        run = Some((action, ordinal));
                        (action, child_path(&block, action, &ordinal.to_string()))
                    });
                    if child.is_none() {
                        run = None;
                    }
                    // Named items as rules name them (`containers[name=app]`).
                    match item.get("name").and_then(Node::as_str) {
                        Some(name) => {
                            let _ = write!(field, "[name={name}]");
                        }
                        None => {
                            let _ = write!(field, "[{index}]");
                        }
                    }
                    self.map_node(item, field, child, values, found);
                    field.truncate(length);
                }
            }
            _ => {}
        }
    }
}

/// Told a mapped span whose value came from `.Values`, its path, and the
/// field path for a field of a printed block.
type FoundValue<'f> = dyn FnMut(Span, &[String], Option<&str>) + 'f;

/// An action that printed a map or list, and the `.Values` path of a node in
/// what it printed.
type Block<'a> = (&'a ActionOrigin, Vec<String>);

fn same_action(a: &ActionOrigin, b: &ActionOrigin) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// The `.Values` path of the child `key` of a node, printed by `action`:
/// under the node's own path inside the action's block, else a top-level
/// key of what the action printed.
fn child_path(block: &Option<Block<'_>>, action: &ActionOrigin, key: &str) -> Vec<String> {
    let mut path = match block {
        Some((outer, path)) if same_action(outer, action) => path.clone(),
        _ => action.values_path.as_deref().unwrap_or_default().to_vec(),
    };
    path.push(key.to_string());
    path
}
