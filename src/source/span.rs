//! Positions in scanned files.

use serde::Serialize;

/// Index of a file in the scan's [`SourceMap`](super::SourceMap).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A 1-based line and column; columns count Unicode code points, as SARIF's
/// `unicodeCodePoints` column kind does.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub fn new(line: u32, column: u32) -> Self {
        Position { line, column }
    }
}

/// A range of text in one file: `start` inclusive, `end` exclusive.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: Position,
    pub end: Position,
}

impl Span {
    pub fn new(file: FileId, start: Position, end: Position) -> Self {
        Span { file, start, end }
    }

    /// The smallest span covering `self` and `other`, when both are in the same
    /// file and `other` does not start before `self`; otherwise `self`.
    pub fn to(self, other: Span) -> Span {
        if other.file == self.file && other.start >= self.start && other.end >= self.end {
            Span {
                end: other.end,
                ..self
            }
        } else {
            self
        }
    }
}
