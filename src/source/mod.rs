//! Scanned files and the spanned trees loaded from them.

pub mod base64;
pub mod emit;
mod flow_padding;
pub mod hcl;
mod span;
pub mod yaml;

pub use span::{FileId, Position, Span};

use std::path::PathBuf;
use std::sync::OnceLock;

/// One file the scan read.
#[derive(Debug)]
pub struct SourceFile {
    /// Where the file is on disk.
    pub path: PathBuf,
    /// The path shown to users and written to reports: relative to the working
    /// directory when possible, with `/` separators.
    pub display: String,
    /// The file's text; empty when the file could not be read.
    pub text: String,
    /// Lowercase hex SHA-256 of the bytes read; when those bytes are `text`,
    /// computed on first use (most rendered chart files are never reported).
    sha256: OnceLock<String>,
    /// Byte offset of the start of each line, computed on first use.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// A file read as `text`, whose bytes on disk hash to `sha256`.
    pub fn new(path: PathBuf, display: String, text: String, sha256: String) -> Self {
        SourceFile {
            path,
            display,
            text,
            sha256: OnceLock::from(sha256),
            line_starts: OnceLock::new(),
        }
    }

    /// A file whose bytes are exactly `text`; it is hashed when first asked.
    pub fn from_text(path: PathBuf, display: String, text: String) -> Self {
        SourceFile {
            path,
            display,
            text,
            sha256: OnceLock::new(),
            line_starts: OnceLock::new(),
        }
    }

    /// Lowercase hex SHA-256 of the bytes read.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| sha256_hex(self.text.as_bytes()))
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: u32) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        });
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *starts.get(index)?;
        if start > self.text.len() || (start == self.text.len() && index > 0) {
            return None;
        }
        let end = starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// The span with its end column kept within its line (block scalars end
    /// "at the end of the line", which the loader cannot measure).
    pub fn clamp(&self, span: Span) -> Span {
        let Some(line) = self.line(span.end.line) else {
            return span;
        };
        let limit = line.chars().count() as u32 + 1;
        Span {
            end: Position::new(span.end.line, span.end.column.min(limit)),
            ..span
        }
    }
}

/// Every file of a scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    by_path: std::collections::HashMap<PathBuf, FileId>,
}

impl SourceMap {
    pub fn new(files: Vec<SourceFile>) -> Self {
        let mut map = SourceMap::default();
        map.extend(files);
        map
    }

    /// Adds a file; its id is the next one.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.by_path.insert(file.path.clone(), id);
        self.files.push(file);
        id
    }

    /// The id of the same file (path, display and text) added before, else
    /// adds it: a values file shared by several renders of a chart is one
    /// file of the scan.
    pub fn reuse_or_push(&mut self, file: SourceFile) -> FileId {
        match self.find(&file.path) {
            Some(id) if self.get(id).display == file.display && self.get(id).text == file.text => {
                id
            }
            _ => self.push(file),
        }
    }

    /// Adds files; their ids follow the existing ones.
    pub fn extend(&mut self, files: Vec<SourceFile>) {
        for file in files {
            self.push(file);
        }
    }

    /// The file read from this path, if any.
    pub fn find(&self, path: &std::path::Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Lowercase hex encoding of a SHA-256 digest of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex encoding of bytes.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    out
}
