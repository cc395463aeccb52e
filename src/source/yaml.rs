//! Spanned YAML and JSON loading, with scalars typed the way Kubernetes types them.
//!
//! Kubernetes reads manifests with `sigs.k8s.io/yaml`, which decodes YAML 1.1 with
//! go-yaml v2 and then converts the result to JSON. This loader reproduces that
//! reading on top of saphyr's event parser, so that `privileged: yes` is the boolean
//! `true`, `runAsUser: 0x0` is the integer 0 and `<<: *defaults` merges keys, while
//! every key, value and sequence item keeps the position it was written at.
//! Flow content that saphyr rejects for its indentation and go-yaml accepts is
//! padded and parsed again (see `flow_padding`), positions read back exactly.
//!
//! Hostile input is bounded: alias expansion has a budget (a "billion laughs"
//! document fails with a diagnostic instead of exhausting memory), nesting depth is
//! capped, and a syntax error only loses the document it is in: loading resumes at
//! the next `---` line.

use std::collections::HashMap;

use compact_str::CompactString;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};

use super::base64;
use super::flow_padding::{CharLines, Padding, is_flow_indentation_error, max_repairs};
use super::{FileId, Position, Span};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};

/// A typed value, as Kubernetes sees it after YAML-to-JSON conversion.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Short strings (most keys and values) are stored inline, without a heap
    /// allocation.
    Str(CompactString),
    Seq(Vec<Node>),
    /// Entries in document order; keys are unique (a repeated key keeps the last
    /// value, like go-yaml).
    Map(Vec<Entry>),
}

/// A value and where it was written. A value reached through an alias or a merge
/// key keeps the position of its definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub value: Node,
}

/// A mapping key, converted to a string the way `sigs.k8s.io/yaml` converts keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: CompactString,
    pub span: Span,
}

impl Entry {
    /// The span of the whole field: from the key to the end of its value, or the
    /// key alone when the value was defined elsewhere (an alias).
    pub fn span(&self) -> Span {
        self.key.span.to(self.value.span)
    }
}

impl Node {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry (key and value) of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key.text == key),
            _ => None,
        }
    }

    /// Follows a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// An integer, also from a float with an integral value (JSON does not tell
    /// `1` from `1.0`, so neither does the API server).
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A string value written at `span`.
    pub fn string(text: impl Into<CompactString>, span: Span) -> Node {
        Node {
            value: Value::Str(text.into()),
            span,
        }
    }

    /// An empty mapping written at `span`.
    pub fn mapping(span: Span) -> Node {
        Node {
            value: Value::Map(Vec::new()),
            span,
        }
    }

    /// The value of `key` in a mapping, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entry_mut(key).map(|e| &mut e.value)
    }

    /// The entry of `key` in a mapping, mutably.
    pub fn entry_mut(&mut self, key: &str) -> Option<&mut Entry> {
        match &mut self.value {
            Value::Map(entries) => entries.iter_mut().find(|e| e.key.text == key),
            _ => None,
        }
    }

    /// Sets `key` in a mapping: replaces the value in place, or appends the
    /// entry. Does nothing when the node is not a mapping.
    pub fn insert(&mut self, key: Key, value: Node) {
        let Value::Map(entries) = &mut self.value else {
            return;
        };
        match entries.iter_mut().find(|e| e.key.text == key.text) {
            Some(entry) => entry.value = value,
            None => entries.push(Entry { key, value }),
        }
    }

    /// Removes `key` from a mapping.
    pub fn remove(&mut self, key: &str) -> Option<Entry> {
        let Value::Map(entries) = &mut self.value else {
            return None;
        };
        let index = entries.iter().position(|e| e.key.text == key)?;
        Some(entries.remove(index))
    }

    /// The mapping `key`, created (at `span`) when absent or not a mapping.
    pub fn mapping_at(&mut self, key: &str, span: Span) -> Option<&mut Node> {
        if !matches!(self.get(key).map(|n| &n.value), Some(Value::Map(_))) {
            self.insert(
                Key {
                    text: key.into(),
                    span,
                },
                Node::mapping(span),
            );
        }
        self.get_mut(key)
    }

    /// The items of a sequence; empty for anything else (including null).
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// A short rendering of a scalar for messages (`true`, `0`, `"Unconfined"`).
    pub fn display_scalar(&self) -> String {
        match &self.value {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format_float(*f),
            Value::Str(s) => format!("{s:?}"),
            Value::Seq(_) => "[…]".to_string(),
            Value::Map(_) => "{…}".to_string(),
        }
    }
}

/// Bounds that keep hostile input from exhausting time or memory.
#[derive(Copy, Clone, Debug)]
pub struct Limits {
    /// Deepest nesting of collections accepted.
    pub max_depth: usize,
    /// Nodes alias expansion may always create in one document…
    pub alias_budget_floor: usize,
    /// …or this many times the nodes written in the document, if larger.
    pub alias_budget_ratio: usize,
    /// How plain scalars are typed.
    pub typing: Typing,
}

/// Which reader's typing of plain scalars to follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Typing {
    /// The API server's (sigs.k8s.io/yaml, YAML 1.1): `yes`, `on`, `y` are
    /// booleans. What `kubectl apply -f` sends.
    #[default]
    Kubernetes,
    /// kustomize's (kyaml, YAML 1.2): only `true` and `false` are booleans,
    /// and kustomize writes `yes` back quoted, so the API server gets text.
    Kustomize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 200,
            alias_budget_floor: 100_000,
            alias_budget_ratio: 10,
            typing: Typing::Kubernetes,
        }
    }
}

/// One YAML document of a file.
#[derive(Clone, Debug)]
pub struct Document {
    /// 0-based position of the document in its file.
    pub index: usize,
    pub root: Node,
}

/// What loading a file produced: the documents that parsed, and why others did not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The documents, or the first error: warnings here (a repeated key,
    /// which keeps its last value) are no error to go-yaml.
    pub fn documents_or_error(self) -> Result<Vec<Document>, Diagnostic> {
        match self
            .diagnostics
            .into_iter()
            .find(|d| d.level == DiagnosticLevel::Error)
        {
            Some(error) => Err(error),
            None => Ok(self.documents),
        }
    }
}

/// Texts larger than this are split at document markers and parsed in parallel.
const PARALLEL_CHUNK: usize = 256 * 1024;

/// Loads every document of a YAML (or JSON) text.
pub fn load(file: FileId, display: &str, text: &str, limits: Limits) -> Loaded {
    load_in_pieces(file, display, text, limits, PARALLEL_CHUNK)
}

fn load_in_pieces(file: FileId, display: &str, text: &str, limits: Limits, piece: usize) -> Loaded {
    let chunks = split_at_documents(text, piece);
    let parts: Vec<(Loaded, usize)> = if chunks.len() == 1 {
        vec![load_chunk(file, display, text, 0, limits)]
    } else {
        use rayon::prelude::*;
        chunks
            .par_iter()
            .map(|&(start, end, line_offset)| {
                load_chunk(file, display, &text[start..end], line_offset, limits)
            })
            .collect()
    };
    let mut loaded = Loaded::default();
    let mut base_index = 0;
    for (mut part, count) in parts {
        for document in &mut part.documents {
            document.index += base_index;
        }
        base_index += count;
        loaded.documents.append(&mut part.documents);
        loaded.diagnostics.append(&mut part.diagnostics);
    }
    loaded
}

/// Splits a large text into pieces of at least `target` bytes that each start at
/// a `---` line (so no document or anchor spans two pieces): (start, end, lines
/// before start).
fn split_at_documents(text: &str, target: usize) -> Vec<(usize, usize, u32)> {
    let mut chunks = Vec::new();
    if text.len() < 2 * target {
        chunks.push((0, text.len(), 0));
        return chunks;
    }
    let bytes = text.as_bytes();
    let (mut chunk_start, mut chunk_line) = (0usize, 0u32);
    let (mut offset, mut line) = (0usize, 0u32); // line = lines before `offset`
    let mut after_directive = false;
    while offset < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
        let content = &text[offset..end];
        if offset - chunk_start >= target && is_document_marker(content) && !after_directive {
            chunks.push((chunk_start, offset, chunk_line));
            chunk_start = offset;
            chunk_line = line;
        }
        if !content.trim().is_empty() {
            after_directive = content.starts_with('%');
        }
        offset = end + 1;
        line += 1;
    }
    chunks.push((chunk_start, text.len(), chunk_line));
    chunks
}

fn is_document_marker(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

/// Loads the documents of a piece of text whose first line is line
/// `line_offset + 1` of its file; also returns how many documents it held.
fn load_chunk(
    file: FileId,
    display: &str,
    text: &str,
    line_offset: u32,
    limits: Limits,
) -> (Loaded, usize) {
    let mut loaded = Loaded::default();
    let mut resume_at = 0usize; // byte offset of the text still to parse
    let mut resume_line = 0u32; // lines of `text` before `resume_at`
    let mut next_index = 0usize;
    loop {
        let remaining = &text[resume_at..];
        let (mut builder, result) = parse_padded(
            file,
            display,
            remaining,
            line_offset + resume_line,
            limits,
            next_index,
        );
        next_index = builder.next_index;
        loaded.documents.append(&mut builder.documents);
        loaded.diagnostics.append(&mut builder.diagnostics);
        let Err((error, at)) = result else { break };
        let at = clamp_to_text(text, line_offset, at);
        loaded.diagnostics.push(
            Diagnostic::new(
                DiagnosticLevel::Error,
                DiagnosticCode::YamlSyntax,
                display,
                format!("invalid YAML: {}", error.info()),
            )
            .at(at),
        );
        // The document with the error is lost; resume at the next document marker
        // (always past where this attempt started, so that loading ends).
        let error_line = at.line - line_offset;
        match next_document_marker(text, resume_at, error_line.max(resume_line + 2)) {
            Some((offset, line)) => {
                resume_at = offset;
                resume_line = line - 1;
                next_index += 1;
            }
            None => break,
        }
    }
    (loaded, next_index)
}

/// Parses a text, padding flow content saphyr rejects for its indentation
/// (see [`flow_padding`]) and parsing again, a bounded number of times.
/// On error, also gives its position in `text`: after padding, the first
/// error that is not about flow indentation, or else the first error.
fn parse_padded<'a>(
    file: FileId,
    display: &'a str,
    text: &str,
    line_offset: u32,
    limits: Limits,
    first_index: usize,
) -> (Builder<'a>, Result<(), (ScanError, Position)>) {
    let mut padding = Padding::default();
    let mut lines: Option<CharLines> = None;
    for _ in 0..max_repairs(text.len()) {
        let padded = padding.apply(text);
        let mut builder = Builder::new(file, display, line_offset, limits, first_index);
        builder.padding = lines.take().map(|lines| (padding.clone(), lines));
        let result = builder.run(&padded);
        let at = result
            .as_ref()
            .err()
            .map(|error| builder.position(error.marker()));
        lines = builder.padding.take().map(|(_, lines)| lines);
        let error = match (result, at) {
            (Ok(()), _) | (Err(_), None) => return (builder, Ok(())),
            (Err(error), Some(at)) if !is_flow_indentation_error(&error) => {
                return (builder, Err((error, at)));
            }
            (Err(error), Some(_)) => error,
        };
        if !padding.pad(&padded, error.marker().index(), error.marker().col()) {
            break;
        }
        lines.get_or_insert_with(|| CharLines::new(text));
    }
    // Padding did not help: the text as written, and its first error.
    let mut builder = Builder::new(file, display, line_offset, limits, first_index);
    let result = builder.run(text);
    let result = result.map_err(|error| {
        let at = builder.position(error.marker());
        (error, at)
    });
    (builder, result)
}

/// Moves a position past the end of the text (errors at end of input) onto the
/// end of its last line, so that it can be shown.
fn clamp_to_text(text: &str, line_offset: u32, at: Position) -> Position {
    let lines = line_offset + text.lines().count().max(1) as u32;
    if at.line <= lines {
        return at;
    }
    let last = text.lines().last().unwrap_or("");
    Position::new(lines, last.chars().count() as u32 + 1)
}

/// The byte offset and 1-based line of the first `---` line at or after
/// `min_line`, searching from byte offset `from`.
fn next_document_marker(text: &str, from: usize, min_line: u32) -> Option<(usize, u32)> {
    let mut line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..from]).count() as u32;
    let mut offset = from;
    while offset < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i);
        let content = &text[offset..end];
        if line >= min_line && is_document_marker(content) {
            return Some((offset, line));
        }
        offset = end + 1;
        line += 1;
    }
    None
}

/// A mapping key waiting for its value.
enum PendingKey {
    Key(Key),
    /// `<<`: the value is merged into the mapping.
    Merge(Span),
    /// A key that cannot become a string; its value is dropped.
    Invalid,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map(MapBuilder),
}

/// A mapping being built.
#[derive(Default)]
struct MapBuilder {
    entries: Vec<Entry>,
    /// Whether each entry was written in this mapping (not merged in).
    explicit: Vec<bool>,
    /// Key index, built once a mapping grows large.
    index: Option<HashMap<CompactString, usize>>,
    /// The key whose value comes next.
    key: Option<PendingKey>,
}

/// Mappings with more entries than this get a key index.
const MAP_INDEX_THRESHOLD: usize = 32;

impl MapBuilder {
    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|e| e.key.text == key),
        }
    }

    /// Sets an entry, replacing one with the same key. Returns the line of the
    /// replaced entry when both were written explicitly (a duplicate key).
    fn set(&mut self, entry: Entry, explicit: bool) -> Option<u32> {
        if let Some(i) = self.find(&entry.key.text) {
            let duplicate =
                (explicit && self.explicit[i]).then_some(self.entries[i].key.span.start.line);
            self.entries[i] = entry;
            self.explicit[i] = explicit;
            return duplicate;
        }
        if let Some(index) = &mut self.index {
            index.insert(entry.key.text.clone(), self.entries.len());
        } else if self.entries.len() >= MAP_INDEX_THRESHOLD {
            let mut index: HashMap<CompactString, usize> = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.text.clone(), i))
                .collect();
            index.insert(entry.key.text.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push(entry);
        self.explicit.push(explicit);
        None
    }
}

struct Frame {
    kind: FrameKind,
    start: Position,
    /// End of a flow collection's closing bracket is known from its end event;
    /// a block collection ends where its last child ends.
    flow: bool,
    last_end: Position,
    anchor: usize,
    size: usize,
}

struct Builder<'a> {
    file: FileId,
    display: &'a str,
    line_offset: u32,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes created from events in the current document.
    written: usize,
    /// Nodes created by alias expansion in the current document.
    expanded: usize,
    root: Option<Node>,
    /// A fatal problem in the current document: its events are skipped.
    abandoned: bool,
    document_start: Position,
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    next_index: usize,
    /// Spaces inserted into the parsed text, and the lines of the text as
    /// written: positions are read back through them.
    padding: Option<(Padding, CharLines)>,
}

impl<'a> Builder<'a> {
    fn new(
        file: FileId,
        display: &'a str,
        line_offset: u32,
        limits: Limits,
        next_index: usize,
    ) -> Self {
        Builder {
            file,
            display,
            line_offset,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            written: 0,
            expanded: 0,
            root: None,
            abandoned: false,
            document_start: Position::default(),
            documents: Vec::new(),
            diagnostics: Vec::new(),
            next_index,
            padding: None,
        }
    }

    fn position(&self, marker: &Marker) -> Position {
        if let Some((padding, lines)) = &self.padding {
            let at = lines.position(padding.original(marker.index()));
            return Position::new(at.line.saturating_add(self.line_offset), at.column);
        }
        Position {
            line: u32::try_from(marker.line())
                .unwrap_or(u32::MAX)
                .saturating_add(self.line_offset),
            column: u32::try_from(marker.col())
                .unwrap_or(u32::MAX)
                .saturating_add(1),
        }
    }

    fn span(&self, start: &Marker, end: &Marker) -> Span {
        Span::new(self.file, self.position(start), self.position(end))
    }

    fn diagnostic(
        &mut self,
        level: DiagnosticLevel,
        code: DiagnosticCode,
        at: Position,
        message: String,
    ) {
        self.diagnostics
            .push(Diagnostic::new(level, code, self.display, message).at(at));
    }

    fn run(&mut self, text: &str) -> Result<(), ScanError> {
        let mut parser = Parser::new_from_str(text);
        // A block scalar on the text's last line, with no line break after it,
        // has no final line break to keep; saphyr adds one all the same.
        let unterminated =
            (!text.is_empty() && !text.ends_with('\n')).then(|| text.chars().count());
        while let Some(event) = parser.next_event() {
            let (event, span) = event?;
            match event {
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    self.stack.clear();
                    self.root = None;
                    self.abandoned = false;
                    self.written = 0;
                    self.expanded = 0;
                    self.document_start = self.position(&span.start);
                }
                Event::DocumentEnd => {
                    if let Some(root) = self.root.take()
                        && !self.abandoned
                    {
                        self.documents.push(Document {
                            index: self.next_index,
                            root,
                        });
                    }
                    self.next_index += 1;
                }
                _ if self.abandoned => {}
                Event::Scalar(mut value, style, anchor, tag) => {
                    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                        && unterminated.is_some_and(|end| span.end.index() >= end)
                        && value.ends_with('\n')
                    {
                        value.to_mut().pop();
                    }
                    let span = self.span(&span.start, &span.end);
                    let span = block_scalar_span(span, style);
                    self.written += 1;
                    self.scalar(&value, style, tag.as_deref(), anchor, span);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if self.stack.len() >= self.limits.max_depth {
                        let at = self.position(&span.start);
                        self.abandon(
                            DiagnosticCode::NestingLimit,
                            at,
                            format!(
                                "collections nest deeper than {} levels; document skipped",
                                self.limits.max_depth
                            ),
                        );
                        continue;
                    }
                    let start = self.position(&span.start);
                    let flow = span.start.index() != span.end.index();
                    let kind = if matches!(event, Event::SequenceStart(..)) {
                        FrameKind::Seq(Vec::new())
                    } else {
                        FrameKind::Map(MapBuilder::default())
                    };
                    self.written += 1;
                    self.stack.push(Frame {
                        kind,
                        start,
                        flow,
                        last_end: self.position(&span.end),
                        anchor,
                        size: 1,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        continue;
                    };
                    let end = if frame.flow {
                        // Just past the closing bracket (the event's own end
                        // runs on over spaces and comments).
                        let bracket = self.position(&span.start);
                        Position::new(bracket.line, bracket.column + 1)
                    } else {
                        frame.last_end
                    };
                    // Trees live until the scan ends: drop the growth slack.
                    let value = match frame.kind {
                        FrameKind::Seq(mut items) => {
                            items.shrink_to_fit();
                            Value::Seq(items)
                        }
                        FrameKind::Map(mut map) => {
                            map.entries.shrink_to_fit();
                            Value::Map(map.entries)
                        }
                    };
                    let node = Node {
                        value,
                        span: Span::new(self.file, frame.start, end),
                    };
                    self.complete(node, frame.size, frame.anchor);
                }
                Event::Alias(id) => {
                    let at = self.span(&span.start, &span.end);
                    let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
                        // Anchors do not cross documents: go-yaml rejects the alias.
                        // A null keeps the structure around it intact.
                        self.diagnostic(
                            DiagnosticLevel::Error,
                            DiagnosticCode::YamlSyntax,
                            at.start,
                            "invalid YAML: alias to an anchor that is not defined in this document"
                                .to_string(),
                        );
                        self.alias(
                            Node {
                                value: Value::Null,
                                span: at,
                            },
                            1,
                            at,
                        );
                        continue;
                    };
                    let budget = self
                        .limits
                        .alias_budget_floor
                        .max(self.written.saturating_mul(self.limits.alias_budget_ratio));
                    if self.expanded.saturating_add(size) > budget {
                        self.abandon(
                            DiagnosticCode::AliasLimit,
                            at.start,
                            format!(
                                "aliases expand to more than {budget} nodes (a \"billion laughs\" document?); document skipped"
                            ),
                        );
                        continue;
                    }
                    let Some((node, _)) = self.anchors.get(&id) else {
                        continue;
                    };
                    let node = node.clone();
                    self.expanded += size;
                    self.alias(node, size, at);
                }
                Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            }
        }
        Ok(())
    }

    fn abandon(&mut self, code: DiagnosticCode, at: Position, message: String) {
        self.diagnostic(DiagnosticLevel::Error, code, at, message);
        self.abandoned = true;
        self.stack.clear();
        self.anchors.clear();
        self.root = Some(Node {
            value: Value::Null,
            span: Span::new(self.file, self.document_start, self.document_start),
        });
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        anchor: usize,
        span: Span,
    ) {
        let typing = self.limits.typing;
        if tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "binary")
            && base64::decode(text).is_err()
        {
            // go-yaml fails the document.
            self.abandon(
                DiagnosticCode::YamlSyntax,
                span.start,
                "invalid YAML: !!binary value contains invalid base64 data".to_string(),
            );
            return;
        }
        if let Some(Frame {
            kind: FrameKind::Map(MapBuilder {
                key: key @ None, ..
            }),
            last_end,
            ..
        }) = self.stack.last_mut()
        {
            // A mapping key: no need to build a node.
            *last_end = (*last_end).max(span.end);
            let is_merge = text == "<<"
                && match tag {
                    None => style == ScalarStyle::Plain,
                    Some(tag) => tag.is_yaml_core_schema() && tag.suffix == "merge",
                };
            *key = Some(if is_merge {
                PendingKey::Merge(span)
            } else {
                let value = resolve_typed(text, style, tag, typing);
                PendingKey::Key(Key {
                    text: key_text(&value),
                    span,
                })
            });
            if anchor != 0 {
                let node = Node {
                    value: resolve_typed(text, style, tag, typing),
                    span,
                };
                self.anchors.insert(anchor, (node, 1));
            }
            return;
        }
        let node = Node {
            value: resolve_typed(text, style, tag, typing),
            span,
        };
        self.complete(node, 1, anchor);
    }

    /// An alias used as a key or a value.
    fn alias(&mut self, node: Node, size: usize, at: Span) {
        if let Some(Frame {
            kind: FrameKind::Map(MapBuilder {
                key: key @ None, ..
            }),
            ..
        }) = self.stack.last_mut()
        {
            *key = Some(match &node.value {
                Value::Seq(_) | Value::Map(_) => PendingKey::Invalid,
                scalar => PendingKey::Key(Key {
                    text: key_text(scalar),
                    span: at,
                }),
            });
            return;
        }
        self.complete(node, size, 0);
    }

    /// Attaches a finished node to its parent (or makes it the document root).
    fn complete(&mut self, node: Node, size: usize, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.size = frame.size.saturating_add(size);
        frame.last_end = frame.last_end.max(node.span.end);
        let key = match &mut frame.kind {
            FrameKind::Seq(items) => {
                items.push(node);
                return;
            }
            FrameKind::Map(map) => map.key.take(),
        };
        match key {
            None => {
                // A collection used as a key (`? [a, b]`); go-yaml rejects it.
                if let Some(map) = self.innermost_map() {
                    map.key = Some(PendingKey::Invalid);
                }
                self.diagnostic(
                    DiagnosticLevel::Error,
                    DiagnosticCode::ComplexKey,
                    node.span.start,
                    "a mapping key must be a scalar, not a collection".to_string(),
                );
            }
            Some(PendingKey::Invalid) => {}
            Some(PendingKey::Key(key)) => self.insert(key, node),
            Some(PendingKey::Merge(at)) => self.merge(node, at),
        }
    }

    /// The mapping being built at the top of the stack.
    fn innermost_map(&mut self) -> Option<&mut MapBuilder> {
        match self.stack.last_mut() {
            Some(Frame {
                kind: FrameKind::Map(map),
                ..
            }) => Some(map),
            _ => None,
        }
    }

    /// Adds an explicit `key: value` to the innermost mapping.
    fn insert(&mut self, key: Key, value: Node) {
        let (text, at) = (key.text.clone(), key.span.start);
        let Some(map) = self.innermost_map() else {
            return;
        };
        if let Some(first) = map.set(Entry { key, value }, true) {
            self.diagnostic(
                DiagnosticLevel::Warning,
                DiagnosticCode::DuplicateKey,
                at,
                format!("duplicate key {text:?} (first set on line {first}); Kubernetes keeps this last value"),
            );
        }
    }

    /// Applies a merge key: go-yaml v2 writes the merged keys into the mapping in
    /// document order, so they replace keys written before `<<` and are replaced by
    /// keys written after it. In a list of mappings, earlier mappings win.
    fn merge(&mut self, value: Node, at: Span) {
        let sources: Vec<Node> = match value.value {
            Value::Map(_) => vec![value],
            Value::Seq(items) if items.iter().all(|i| matches!(i.value, Value::Map(_))) => {
                items.into_iter().rev().collect()
            }
            _ => {
                self.diagnostic(
                    DiagnosticLevel::Error,
                    DiagnosticCode::InvalidMerge,
                    at.start,
                    "a merge key (<<) needs a mapping or a list of mappings".to_string(),
                );
                return;
            }
        };
        let Some(map) = self.innermost_map() else {
            return;
        };
        for source in sources {
            if let Value::Map(merged) = source.value {
                for entry in merged {
                    map.set(entry, false);
                }
            }
        }
    }
}

/// Types a scalar for the reader a load follows.
fn resolve_typed(text: &str, style: ScalarStyle, tag: Option<&Tag>, typing: Typing) -> Value {
    match resolve_scalar(text, style, tag) {
        Value::Bool(_)
            if typing == Typing::Kustomize
                && tag.is_none()
                && !matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE") =>
        {
            Value::Str(text.into())
        }
        value => value,
    }
}

/// A block scalar's span ends at the start of the line after it; end it on its
/// last line instead, so reports do not underline the next field.
fn block_scalar_span(span: Span, style: ScalarStyle) -> Span {
    match style {
        ScalarStyle::Literal | ScalarStyle::Folded
            if span.end.column == 1 && span.end.line > span.start.line =>
        {
            Span {
                end: Position::new(span.end.line - 1, u32::MAX),
                ..span
            }
        }
        _ => span,
    }
}

/// Types a scalar as go-yaml v2 does when decoding into `interface{}`.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    match tag {
        None if style == ScalarStyle::Plain => resolve_plain(text),
        None => Value::Str(text.into()),
        Some(tag) if tag.is_yaml_core_schema() => match tag.suffix.as_str() {
            "int" => match resolve_plain(text) {
                value @ Value::Int(_) => value,
                _ => Value::Str(text.into()),
            },
            "float" => match resolve_plain(text) {
                Value::Int(i) => Value::Float(i as f64),
                value @ Value::Float(_) => value,
                _ => Value::Str(text.into()),
            },
            "bool" => match resolve_plain(text) {
                value @ Value::Bool(_) => value,
                _ => Value::Str(text.into()),
            },
            "null" => match resolve_plain(text) {
                Value::Null => Value::Null,
                _ => Value::Str(text.into()),
            },
            // go-yaml decodes binary to a Go string, which JSON writes
            // with U+FFFD for bytes that are not UTF-8.
            "binary" => match base64::decode(text) {
                Ok(bytes) => Value::Str(String::from_utf8_lossy(&bytes).as_ref().into()),
                Err(_) => Value::Str(text.into()),
            },
            // !!str, !!timestamp and the rest stay text.
            _ => Value::Str(text.into()),
        },
        // Application tags (`!foo`) are not resolved by go-yaml: the text is kept.
        Some(_) => Value::Str(text.into()),
    }
}

/// Types an untagged plain scalar with YAML 1.1 rules (go-yaml v2's `resolve`).
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match text.as_bytes()[0] {
        b'.' => {
            if is_yaml_float(text)
                && let Ok(f) = text.parse::<f64>()
                && f.is_finite()
            {
                return Value::Float(f);
            }
            Value::Str(text.into())
        }
        b'0'..=b'9' | b'+' | b'-' => {
            let plain = text.replace('_', "");
            if let Some(value) = parse_go_int(&plain) {
                return value;
            }
            // Go's ParseFloat fails out of range (`1e400`): the text stays.
            if is_yaml_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
                && f.is_finite()
            {
                return Value::Float(f);
            }
            Value::Str(text.into())
        }
        _ => Value::Str(text.into()),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint` for values past `i64::MAX`
/// (kept as a float, the closest JSON number).
fn parse_go_int(text: &str) -> Option<Value> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, body) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            return Some(Value::Int((magnitude as i128).wrapping_neg() as i64));
        }
        return None;
    }
    match i64::try_from(magnitude) {
        Ok(i) => Some(Value::Int(i)),
        Err(_) => Some(Value::Float(magnitude as f64)),
    }
}

/// go-yaml's float syntax: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A mapping key as `sigs.k8s.io/yaml` turns it into a JSON object key.
fn key_text(value: &Value) -> CompactString {
    match value {
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string().into(),
        Value::Int(i) => i.to_string().into(),
        Value::Float(f) => format_float(*f).into(),
        Value::Null => "null".into(),
        Value::Seq(_) | Value::Map(_) => CompactString::default(),
    }
}

/// A float the way YAML users write it (`1.5`, `1e+06`, `.inf`).
fn format_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
    } else if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Loaded {
        load(FileId(0), "t.yaml", text, Limits::default())
    }

    fn root(text: &str) -> Node {
        let loaded = load_str(text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded
            .documents
            .into_iter()
            .next()
            .expect("a document")
            .root
    }

    #[test]
    fn types_scalars_like_kubernetes() {
        let doc = root(
            "a: yes\nb: on\nc: 0755\nd: 1e3\ne: ~\nf: 1.10\ng: 'yes'\nh: 0x1F\ni: 1_000\nj: y\nk: 08\nl: -0b11\nm: 0o17\nplus: +12\no: 2001-12-14\np: .5\nq: !!str 12\nr: !!int \"7\"\ns: !!float 3\nt: \"0\"\nu: 9223372036854775808\nv: .inf\n",
        );
        let v = |k: &str| doc.get(k).unwrap().value.clone();
        assert_eq!(v("a"), Value::Bool(true));
        assert_eq!(v("b"), Value::Bool(true));
        assert_eq!(v("c"), Value::Int(493));
        assert_eq!(v("d"), Value::Float(1000.0));
        assert_eq!(v("e"), Value::Null);
        assert_eq!(v("f"), Value::Float(1.1));
        assert_eq!(v("g"), Value::Str("yes".into()));
        assert_eq!(v("h"), Value::Int(31));
        assert_eq!(v("i"), Value::Int(1000));
        assert_eq!(v("j"), Value::Bool(true));
        assert_eq!(v("k"), Value::Float(8.0));
        assert_eq!(v("l"), Value::Int(-3));
        assert_eq!(v("m"), Value::Int(15));
        assert_eq!(v("plus"), Value::Int(12));
        assert_eq!(v("o"), Value::Str("2001-12-14".into()));
        assert_eq!(v("p"), Value::Float(0.5));
        assert_eq!(v("q"), Value::Str("12".into()));
        assert_eq!(v("r"), Value::Int(7));
        assert_eq!(v("s"), Value::Float(3.0));
        assert_eq!(v("t"), Value::Str("0".into()));
        assert_eq!(v("u"), Value::Float(9223372036854775808.0));
        assert_eq!(v("v"), Value::Float(f64::INFINITY));
    }

    #[test]
    fn block_scalar_at_end_of_text_has_no_line_break_to_keep() {
        let text = |t: &str| root(t).get("a").unwrap().as_str().unwrap().to_string();
        assert_eq!(text("a: |\n  x\n  y"), "x\ny");
        assert_eq!(text("a: |\n  x\n  y\n"), "x\ny\n");
        assert_eq!(text("a: |+\n  x\n  y"), "x\ny");
        assert_eq!(text("a: >\n  x\n  y"), "x y");
        assert_eq!(text("a: |\n  x\nb: 1"), "x\n");
    }

    #[test]
    fn converts_keys_to_strings() {
        let doc = root("on: 1\n12: 2\n\"yes\": 3\nn: 4\n");
        let keys: Vec<_> = doc
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.text.as_str())
            .collect();
        assert_eq!(keys, ["true", "12", "yes", "false"]);
    }

    #[test]
    fn records_positions_of_keys_values_and_items() {
        let doc = root(
            "spec:\n  containers:\n  - name: app\n    securityContext:\n      privileged: true\n",
        );
        let container = &doc.get_path(&["spec", "containers"]).unwrap().items()[0];
        assert_eq!(container.span.start, Position::new(3, 5));
        let entry = container
            .get("securityContext")
            .unwrap()
            .entry("privileged")
            .unwrap();
        assert_eq!(entry.key.span.start, Position::new(5, 7));
        assert_eq!(entry.value.span.start, Position::new(5, 19));
        assert_eq!(entry.value.span.end, Position::new(5, 23));
        assert_eq!(entry.span().end, Position::new(5, 23));
    }

    #[test]
    fn merge_keys_follow_go_yaml_v2_order() {
        let doc = root("base: &b\n  x: 1\n  z: 2\nm:\n  x: 0\n  <<: *b\n  z: 3\n");
        let m = doc.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().value, Value::Int(1));
        assert_eq!(m.get("z").unwrap().value, Value::Int(3));
        // A merged value points at its definition.
        assert_eq!(m.entry("x").unwrap().key.span.start.line, 2);
    }

    #[test]
    fn merge_list_earlier_wins() {
        let doc = root("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nc:\n  <<: [*a, *b]\n");
        let c = doc.get("c").unwrap();
        assert_eq!(c.get("x").unwrap().value, Value::Int(1));
        assert_eq!(c.get("z").unwrap().value, Value::Int(3));
    }

    #[test]
    fn duplicate_keys_keep_last_and_warn() {
        let loaded = load_str("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            loaded.documents[0].root.get("a").unwrap().value,
            Value::Int(3)
        );
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].code, DiagnosticCode::DuplicateKey);
        assert_eq!(loaded.diagnostics[0].position, Some(Position::new(3, 1)));
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(", ");
            text.push_str(&format!("{}: &{} [{}]\n", pair[1], pair[1], refs));
        }
        text.push_str("---\nkind: Next\n");
        let loaded = load_str(&text);
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
        assert_eq!(loaded.diagnostics[0].code, DiagnosticCode::AliasLimit);
        assert_eq!(loaded.documents.len(), 1);
        assert_eq!(
            loaded.documents[0].root.get("kind").unwrap().as_str(),
            Some("Next")
        );
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let loaded = load_str(&flow);
        assert_eq!(loaded.diagnostics.len(), 1);
        assert!(loaded.documents.is_empty());
        let block: String = (0..300)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        let loaded = load_str(&block);
        assert_eq!(loaded.diagnostics[0].code, DiagnosticCode::NestingLimit);
        assert!(loaded.documents.is_empty());
    }

    #[test]
    fn syntax_error_loses_only_its_document() {
        let loaded = load_str("kind: A\n---\nkind: [B\n---\nkind: C\n");
        let kinds: Vec<_> = loaded
            .documents
            .iter()
            .map(|d| d.root.get("kind").unwrap().as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds, ["A", "C"]);
        assert_eq!(loaded.documents[1].index, 2);
        assert_eq!(loaded.documents[1].root.span.start.line, 5);
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].code, DiagnosticCode::YamlSyntax);
        assert_eq!(loaded.diagnostics[0].position.unwrap().line, 4);
    }

    #[test]
    fn large_texts_load_in_pieces_like_one_stream() {
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(&format!(
                "---\n# document {i}\nkind: Doc\nindex: {i}\nanchor: &a {{x: {i}}}\ncopy: *a\n"
            ));
        }
        text.push_str("---\nkind: [broken\n---\nkind: Last\n");
        let pieces = split_at_documents(&text, 4096);
        assert!(pieces.len() > 10);
        let whole = load_chunk(FileId(0), "t.yaml", &text, 0, Limits::default()).0;
        let split = load_in_pieces(FileId(0), "t.yaml", &text, Limits::default(), 4096);
        assert_eq!(whole.documents.len(), 2001);
        assert_eq!(split.documents.len(), whole.documents.len());
        for (a, b) in whole.documents.iter().zip(&split.documents) {
            assert_eq!(a.index, b.index);
            assert_eq!(a.root, b.root);
        }
        assert_eq!(whole.diagnostics, split.diagnostics);
        assert_eq!(
            split.documents[1999]
                .root
                .get("copy")
                .unwrap()
                .span
                .start
                .line,
            1999 * 6 + 5
        );
    }

    #[test]
    fn aliases_do_not_cross_documents() {
        let loaded = load_str("a: &p 1\n---\nb: *p\nc: 2\n");
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].position, Some(Position::new(3, 4)));
        let second = &loaded.documents[1].root;
        assert_eq!(second.get("b").unwrap().value, Value::Null);
        assert_eq!(second.get("c").unwrap().value, Value::Int(2));
    }

    #[test]
    fn loads_json() {
        let doc = root("{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"n\": 1.0\n}\n");
        assert_eq!(doc.get("kind").unwrap().as_str(), Some("Pod"));
        assert_eq!(doc.get("n").unwrap().as_i64(), Some(1));
        assert_eq!(
            doc.entry("kind").unwrap().key.span.start,
            Position::new(3, 2)
        );
    }

    #[test]
    fn flow_collections_end_at_their_bracket() {
        let doc = root("a:\n- {kind: User, name: a}   # c\n- [x, y]  # d\n");
        let items = doc.get("a").unwrap().items();
        assert_eq!(items[0].span.end, Position::new(2, 24));
        assert_eq!(items[1].span.end, Position::new(3, 9));
    }

    #[test]
    fn block_scalar_ends_on_its_last_line() {
        let doc = root("a: |\n  x\n  y\nb: 1\n");
        assert_eq!(doc.get("a").unwrap().span.end.line, 3);
    }

    /// Texts go-yaml (helm, kubectl) reads and saphyr 0.3.4 rejects for
    /// their indentation inside flow collections.
    #[test]
    fn under_indented_flow_content_reads_like_go_yaml() {
        let doc = root("a:\n  b: [\n    \"x\",\n    \"y\"\n  ]\nb: [\n    \"y\"\n]\n");
        let b = doc.get_path(&["a", "b"]).unwrap();
        assert_eq!(b.items().len(), 2);
        assert_eq!(b.span.start, Position::new(2, 6));
        assert_eq!(b.span.end, Position::new(5, 4));
        assert_eq!(b.items()[1].span.start, Position::new(4, 5));
        let top = doc.entry("b").unwrap();
        assert_eq!(top.key.span.start, Position::new(6, 1));
        assert_eq!(top.value.span.end, Position::new(8, 2));
        assert_eq!(top.value.items()[0].as_str(), Some("y"));
        assert_eq!(top.value.items()[0].span.start, Position::new(7, 5));

        // A mapping, a leading comma, comments and blank lines before the
        // bracket, nested flows, entries left of their key.
        let doc = root(
            "a:\n  m: {\n    \"x\": 1,\n    \"y\": \"2\"\n  }\n  c: [\n    \"x\"\n  , \"y\" # c\n    # d\n\n  ]\n  nest: [\n    [\n      \"x\"\n    ],\n    {\"k\": \"v\"\n    }\n  ]\n  e: [\n\"x\",\n  \"y\",\n]\n",
        );
        let a = doc.get("a").unwrap();
        assert_eq!(a.get_path(&["m", "y"]).unwrap().as_str(), Some("2"));
        assert_eq!(a.get("m").unwrap().span.end, Position::new(5, 4));
        let c = a.get("c").unwrap();
        assert_eq!(c.items()[1].span.start, Position::new(8, 5));
        assert_eq!(c.span.end, Position::new(11, 4));
        let n = a.get("nest").unwrap();
        assert_eq!(n.items()[0].items()[0].as_str(), Some("x"));
        assert_eq!(n.items()[0].span.end, Position::new(15, 6));
        assert_eq!(
            n.items()[1].entry("k").unwrap().value.span.start,
            Position::new(16, 11)
        );
        assert_eq!(n.items()[1].span.end, Position::new(17, 6));
        let e = a.get("e").unwrap();
        assert_eq!(e.items()[0].span.start, Position::new(20, 1));
        assert_eq!(e.items()[1].span.start, Position::new(21, 3));
        assert_eq!(e.span.end, Position::new(22, 2));

        // The next document of the stream keeps its place and index.
        let loaded = load_str("k: [\n  \"x\"\n]\n---\nk: 2\n");
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.documents[1].index, 1);
        assert_eq!(
            loaded.documents[1]
                .root
                .entry("k")
                .unwrap()
                .value
                .span
                .start,
            Position::new(5, 4)
        );
    }

    #[test]
    fn real_errors_keep_their_place_after_padding() {
        // An error after a padded bracket: where it is written.
        let loaded = load_str("a: [\n  \"x\"\n]\nb: @x\n");
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].position, Some(Position::new(4, 4)));
        assert_eq!(loaded.documents.len(), 0);
        // Block indentation is still checked.
        let loaded = load_str("a:\n  b: 1\n c: 2\n");
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].position.unwrap().line, 3);
    }

    #[test]
    fn padding_is_bounded_on_hostile_input() {
        // More under-indented entries than repairs allowed: the first
        // error stands, reported where saphyr found it.
        let text = format!("a:\n  b: [\n{}]\n", "\"x\",\n".repeat(500));
        let loaded = load_str(&text);
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(
            loaded.diagnostics[0].message,
            "invalid YAML: invalid indentation"
        );
        assert_eq!(loaded.diagnostics[0].position, Some(Position::new(3, 1)));
        // Within the bound, it reads.
        let text = format!("a:\n  b: [\n{}]\n", "\"x\",\n".repeat(40));
        assert_eq!(root(&text).get_path(&["a", "b"]).unwrap().items().len(), 40);
    }

    #[test]
    fn binary_and_out_of_range_scalars_read_like_go_yaml() {
        let doc = root(
            "a: !!binary aGVsbG8=\nb: !!binary |\n  aGVs\n  bG8=\nc: !!binary \"/w==\"\nd: 1e400\ne: -1e400\n",
        );
        assert_eq!(doc.get("a").unwrap().as_str(), Some("hello"));
        assert_eq!(doc.get("b").unwrap().as_str(), Some("hello"));
        assert_eq!(doc.get("c").unwrap().as_str(), Some("\u{FFFD}"));
        assert_eq!(doc.get("d").unwrap().as_str(), Some("1e400"));
        assert_eq!(doc.get("e").unwrap().as_str(), Some("-1e400"));
        let loaded = load_str("a: 1\n---\nb: !!binary aGVsbG8\n");
        assert_eq!(loaded.documents.len(), 1);
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].position, Some(Position::new(3, 4)));
    }
}
