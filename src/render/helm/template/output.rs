//! Rendered text and where each of its bytes came from.

use std::ops::Range;
use std::rc::Rc;

use crate::source::FileId;

/// A values path: the keys from `.Values` to the value (`["image", "tag"]`;
/// list items by their index).
pub type ValuesPath = Rc<[String]>;

/// Rendered text; every byte of `text` is covered by the segment starting at
/// or before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub text: String,
    /// Sorted by `start`; the first starts at 0 when `text` is not empty.
    pub segments: Vec<Segment>,
}

/// Where the bytes from `start` up to the next segment came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Byte offset in [`Output::text`] where the run starts.
    pub start: usize,
    /// Where the run came from.
    pub origin: Origin,
}

/// The source of a run of output bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Template text copied as is: `offset` is the byte offset, in `file`, of
    /// the segment's first byte.
    Text { file: FileId, offset: usize },
    /// What an action printed.
    Action(ActionOrigin),
}

/// The action `{{ … }}` that printed some output.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionOrigin {
    /// The template file holding the action.
    pub file: FileId,
    /// Byte range of the action, delimiters included.
    pub span: Range<usize>,
    /// Set when the printed value came straight from `.Values` (through
    /// `default`, `quote`, `toYaml`, pipes…).
    pub values_path: Option<ValuesPath>,
    /// A function whose result differs from helm's on purpose (random,
    /// crypto) produced the value.
    pub generated: bool,
}

/// Where one byte of output came from.
#[derive(Clone, Debug, PartialEq)]
pub struct OriginAt<'o> {
    /// The template file.
    pub file: FileId,
    /// Byte offset in `file`: the byte itself for copied text, the start of
    /// the action for printed values.
    pub offset: usize,
    /// The `.Values` path of a printed value, when known.
    pub values_path: Option<&'o [String]>,
    /// A generator function produced the byte.
    pub generated: bool,
}

impl Output {
    /// Where the byte at `offset` of `text` came from.
    pub fn origin_at(&self, offset: usize) -> Option<OriginAt<'_>> {
        if offset >= self.text.len() {
            return None;
        }
        let index = self.segments.partition_point(|s| s.start <= offset);
        let segment = self.segments.get(index.checked_sub(1)?)?;
        Some(match &segment.origin {
            Origin::Text { file, offset: base } => OriginAt {
                file: *file,
                offset: base + (offset - segment.start),
                values_path: None,
                generated: false,
            },
            Origin::Action(action) => OriginAt {
                file: action.file,
                offset: action.span.start,
                values_path: action.values_path.as_deref(),
                generated: action.generated,
            },
        })
    }

    /// Appends template text that starts at `offset` in `file`.
    pub(crate) fn push_text(&mut self, text: &str, file: FileId, offset: usize) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        if let Some(last) = self.segments.last()
            && let Origin::Text {
                file: last_file,
                offset: last_offset,
            } = &last.origin
            && *last_file == file
            && last_offset + (start - last.start) == offset
        {
            return;
        }
        self.segments.push(Segment {
            start,
            origin: Origin::Text { file, offset },
        });
    }

    /// Appends text printed by an action.
    pub(crate) fn push_printed(&mut self, text: &str, origin: &ActionOrigin) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        if let Some(last) = self.segments.last()
            && matches!(&last.origin, Origin::Action(a) if a == origin)
        {
            return;
        }
        self.segments.push(Segment {
            start,
            origin: Origin::Action(origin.clone()),
        });
    }

    /// Appends `other[range]` with its origins.
    pub(crate) fn push_slice(&mut self, other: &Output, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let first = other
            .segments
            .partition_point(|s| s.start <= range.start)
            .saturating_sub(1);
        for (index, segment) in other.segments.iter().enumerate().skip(first) {
            if segment.start >= range.end {
                break;
            }
            let segment_end = other
                .segments
                .get(index + 1)
                .map_or(other.text.len(), |next| next.start);
            let start = segment.start.max(range.start);
            let end = segment_end.min(range.end);
            if start >= end {
                continue;
            }
            let text = &other.text[start..end];
            match &segment.origin {
                Origin::Text { file, offset } => {
                    self.push_text(text, *file, offset + (start - segment.start));
                }
                Origin::Action(action) => self.push_printed(text, action),
            }
        }
    }

    /// The output without any occurrence of `pattern` (Helm removes every
    /// `<no value>` from rendered files).
    pub fn without(self, pattern: &str) -> Output {
        if pattern.is_empty() || !self.text.contains(pattern) {
            return self;
        }
        let mut out = Output::default();
        let mut last = 0;
        for (at, _) in self.text.match_indices(pattern) {
            out.push_slice(&self, last..at);
            last = at + pattern.len();
        }
        out.push_slice(&self, last..self.text.len());
        out
    }

    /// Appends `printed`, the text an action printed, crediting its bytes to
    /// the outputs of the templates it included (in call order) when they
    /// can be found in it in order, apart from whitespace (`indent`,
    /// `nindent`, `trim` only add or remove whitespace). Bytes not found
    /// belong to the action.
    pub(crate) fn push_aligned(
        &mut self,
        printed: &str,
        action: &ActionOrigin,
        included: &[Output],
    ) {
        let sources: Vec<(usize, usize)> = included
            .iter()
            .enumerate()
            .flat_map(|(which, output)| (0..output.text.len()).map(move |at| (which, at)))
            .collect();
        let source_byte = |(which, at): (usize, usize)| included[which].text.as_bytes()[at];
        let bytes = printed.as_bytes();
        // Greedy in-order matching: `matches[i]` is the source byte of
        // `printed[i]`; only whitespace may be skipped in the sources.
        let mut matches: Vec<Option<(usize, usize)>> = vec![None; bytes.len()];
        let mut next = 0;
        for (i, &b) in bytes.iter().enumerate() {
            while next < sources.len() {
                let source = source_byte(sources[next]);
                if source == b || !super::lex::is_space(source) {
                    break;
                }
                next += 1;
            }
            if next < sources.len() && source_byte(sources[next]) == b {
                matches[i] = Some(sources[next]);
                next += 1;
            }
        }
        // Every non-whitespace source byte must have been found, or the
        // text was transformed beyond recognition.
        let complete = sources[next..]
            .iter()
            .all(|&source| super::lex::is_space(source_byte(source)));
        if !complete || sources.is_empty() {
            self.push_printed(printed, action);
            return;
        }
        // A character counts as found only when all its bytes are, in order.
        for (i, c) in printed.char_indices() {
            let len = c.len_utf8();
            let whole = match matches[i] {
                Some((which, at)) => (1..len).all(|k| matches[i + k] == Some((which, at + k))),
                None => false,
            };
            if !whole {
                matches[i..i + len].fill(None);
            }
        }
        let mut i = 0;
        while i < bytes.len() {
            match matches[i] {
                Some((which, at)) => {
                    // Extend the run while source bytes stay contiguous.
                    let mut j = i + 1;
                    while j < bytes.len() && matches[j] == Some((which, at + (j - i))) {
                        j += 1;
                    }
                    self.push_slice(&included[which], at..at + (j - i));
                    i = j;
                }
                None => {
                    let mut j = i + 1;
                    while j < bytes.len() && matches[j].is_none() {
                        j += 1;
                    }
                    self.push_printed(&printed[i..j], action);
                    i = j;
                }
            }
        }
    }
}
