//! Spaces inserted before under-indented flow content, so that saphyr reads
//! what go-yaml reads, and the way back to the original positions.
//!
//! saphyr-parser 0.3.4 compares every token's column with the enclosing block
//! indentation, also inside `[…]` and `{…}`, and rejects (with "invalid
//! indentation") a closing bracket, a comma or an entry written left of it:
//!
//! ```yaml
//! a:
//!   b: [
//!     "x"
//! ]
//! ```
//!
//! go-yaml (Helm, kubectl) does not check indentation inside flow
//! collections. Padding the rejected token with spaces changes nothing else
//! (spaces between flow tokens are not content), and every position the
//! parser reports in the padded text maps back to the original text through
//! [`Padding::original`].

use std::borrow::Cow;

use saphyr_parser::ScanError;

use super::Position;

/// Reparses allowed for one text: bounds the work hostile input can cause
/// (each repair parses the text again).
const MAX_REPAIRS: usize = 64;

/// Bytes all reparses of one text may read, unless that allows fewer than
/// [`MIN_REPAIRS`].
const REPARSE_BUDGET: usize = 64 << 20;

/// Reparses always allowed.
const MIN_REPAIRS: usize = 4;

/// How many times a text of `len` bytes may be padded and parsed again.
pub fn max_repairs(len: usize) -> usize {
    (REPARSE_BUDGET / len.max(1)).clamp(MIN_REPAIRS, MAX_REPAIRS)
}

/// Spaces one rejected token may get, in total, before the error stands.
const MAX_PAD: usize = 512;

/// Spaces inserted into a text, at char indices of the original text.
#[derive(Clone, Debug, Default)]
pub struct Padding {
    /// (original char index, spaces inserted before it), by index.
    inserts: Vec<(usize, usize)>,
}

/// True for saphyr's errors about a token left of the block indentation
/// inside a flow collection, which go-yaml accepts.
pub fn is_flow_indentation_error(error: &ScanError) -> bool {
    matches!(
        error.info(),
        "invalid indentation" | "invalid indentation in flow construct"
    )
}

impl Padding {
    /// The text with the spaces inserted.
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.inserts.is_empty() {
            return Cow::Borrowed(text);
        }
        let extra: usize = self.inserts.iter().map(|&(_, count)| count).sum();
        let mut padded = String::with_capacity(text.len() + extra);
        let mut inserts = self.inserts.iter().peekable();
        for (index, c) in text.chars().enumerate() {
            if let Some(&&(at, count)) = inserts.peek()
                && at == index
            {
                padded.extend(std::iter::repeat_n(' ', count));
                inserts.next();
            }
            padded.push(c);
        }
        for &(_, count) in inserts {
            padded.extend(std::iter::repeat_n(' ', count));
        }
        Cow::Owned(padded)
    }

    /// The original char index of a char index of the padded text (an
    /// inserted space maps to the token it pads).
    pub fn original(&self, padded: usize) -> usize {
        let mut shift = 0;
        for &(at, count) in &self.inserts {
            if padded < at + shift {
                break;
            }
            if padded < at + shift + count {
                return at;
            }
            shift += count;
        }
        padded - shift
    }

    /// Pads the token a flow-indentation error points at (`column`, 0-based,
    /// in the padded text `padded`), further each time it is rejected
    /// again. False when the token already got all the spaces it may get.
    pub fn pad(&mut self, padded: &str, index: usize, column: usize) -> bool {
        let at = self.original(index);
        match self.inserts.binary_search_by_key(&at, |&(i, _)| i) {
            Ok(found) => {
                let count = &mut self.inserts[found].1;
                if *count >= MAX_PAD {
                    return false;
                }
                // Rejected again: the block indentation is deeper than the
                // first guess; double the padding.
                *count = (*count * 2).min(MAX_PAD);
            }
            Err(slot) => {
                // First guess: one column right of the previous line's
                // indentation (the usual place of the entries).
                let target = previous_content_indent(padded, index).map_or(column + 1, |i| i + 1);
                let count = target.saturating_sub(column).clamp(1, MAX_PAD);
                self.inserts.insert(slot, (at, count));
            }
        }
        true
    }
}

/// The indentation, in chars, of the nearest line before the one holding
/// char `index` that is neither blank nor a comment.
fn previous_content_indent(text: &str, index: usize) -> Option<usize> {
    let byte = text
        .char_indices()
        .nth(index)
        .map_or(text.len(), |(b, _)| b);
    let line_start = text[..byte].rfind('\n')?;
    text[..line_start]
        .lines()
        .rev()
        .map(|line| (line, line.trim_start_matches([' ', '\t'])))
        .find(|(_, content)| !content.is_empty() && !content.starts_with('#'))
        .map(|(line, content)| line[..line.len() - content.len()].chars().count())
}

/// Positions of char indices of a text, for reading back through a padding.
#[derive(Debug)]
pub struct CharLines {
    /// Char index of the start of each line.
    starts: Vec<usize>,
}

impl CharLines {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.chars()
                .enumerate()
                .filter(|&(_, c)| c == '\n')
                .map(|(i, _)| i + 1),
        );
        CharLines { starts }
    }

    /// The 1-based line and column of a char index.
    pub fn position(&self, index: usize) -> Position {
        let line = self.starts.partition_point(|&start| start <= index).max(1);
        let column = index - self.starts[line - 1];
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_padded_indices_back() {
        let mut padding = Padding::default();
        let text = "a: [\n  x\n]\n";
        assert!(padding.pad(text, 9, 0));
        let padded = padding.apply(text);
        // One right of the entries' indentation.
        assert_eq!(padded, "a: [\n  x\n   ]\n");
        assert_eq!(padding.original(12), 9);
        assert_eq!(padding.original(10), 9);
        assert_eq!(padding.original(13), 10);
        assert_eq!(padding.original(3), 3);
        // Rejected again: twice the spaces.
        assert!(padding.pad(&padded, 12, 3));
        assert_eq!(padding.apply(text), "a: [\n  x\n      ]\n");
        for _ in 0..10 {
            padding.pad(text, 9, 0);
        }
        assert!(!padding.pad(text, 9, 0));
    }

    #[test]
    fn large_texts_get_fewer_repairs() {
        assert_eq!(max_repairs(1000), 64);
        assert_eq!(max_repairs(4 << 20), 16);
        assert_eq!(max_repairs(1 << 30), 4);
    }

    #[test]
    fn positions_count_chars() {
        let lines = CharLines::new("é\nab\n");
        assert_eq!(lines.position(0), Position::new(1, 1));
        assert_eq!(lines.position(1), Position::new(1, 2));
        assert_eq!(lines.position(3), Position::new(2, 2));
    }
}
