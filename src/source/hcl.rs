//! HCL files parsed into hcl-edit's syntax tree, whose byte ranges are turned
//! into the scan's line/column spans.

use std::ops::Range;

use hcl_edit::structure::Body;

use super::{FileId, Position, Span};
use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};

/// One parsed `.tf` (or `.tfvars`) file.
#[derive(Debug)]
pub struct HclFile {
    pub file: FileId,
    pub display: String,
    pub body: Body,
    lines: LineIndex,
}

impl HclFile {
    /// The span of a byte range of this file.
    pub fn span(&self, range: Range<usize>) -> Span {
        Span::new(
            self.file,
            self.lines.position(range.start),
            self.lines.position(range.end),
        )
    }

    /// The span of the line holding `offset`, from `offset` to the end of the
    /// line without trailing blanks: a block's header (`resource "a" "b" {`).
    pub fn header_span(&self, offset: usize) -> Span {
        let text = self.lines.text.as_str();
        let start = offset.min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = start + text[start..end].trim_end().len();
        self.span(start..end)
    }

    /// The 1-based position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(offset)
    }
}

/// Byte offset → line and column (columns count code points).
#[derive(Debug)]
struct LineIndex {
    text: String,
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text: text.to_string(),
            starts,
        }
    }

    fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Position::new(line as u32, column as u32 + 1)
    }
}

/// Parses a file; a syntax error becomes an error diagnostic at its position.
pub fn parse(file: FileId, display: &str, text: &str) -> Result<HclFile, Diagnostic> {
    let lines = LineIndex::new(text);
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(HclFile {
            file,
            display: display.to_string(),
            body,
            lines,
        }),
        Err(error) => {
            let offset = error.location().offset();
            Err(Diagnostic::new(
                DiagnosticLevel::Error,
                DiagnosticCode::HclSyntax,
                display,
                format!("invalid HCL: {}", error.message()),
            )
            .at(lines.position(offset)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcl_edit::Span as _;
    use hcl_edit::structure::Structure;

    #[test]
    fn attribute_spans_cover_name_to_value() {
        let text = "resource \"a\" \"b\" {\n  é = \"x\" # c\n  n = [1,\n   2]\n}\n";
        let parsed = parse(FileId(0), "t.tf", text).unwrap();
        let Some(Structure::Block(block)) = parsed.body.iter().next() else {
            panic!("no block");
        };
        let header = parsed.header_span(block.span().unwrap().start);
        assert_eq!(
            (header.start, header.end),
            (Position::new(1, 1), Position::new(1, 19))
        );
        let spans: Vec<Span> = block
            .body
            .attributes()
            .map(|a| parsed.span(a.span().unwrap()))
            .collect();
        assert_eq!(
            (spans[0].start, spans[0].end),
            (Position::new(2, 3), Position::new(2, 10))
        );
        assert_eq!(
            (spans[1].start, spans[1].end),
            (Position::new(3, 3), Position::new(4, 6))
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let error = parse(FileId(0), "t.tf", "a = 1\nb = = 2\n").unwrap_err();
        assert_eq!(error.code, DiagnosticCode::HclSyntax);
        assert_eq!(error.position.map(|p| p.line), Some(2));
    }
}
