//! `evidence.json`: the [`Evidence`] value as JSON. The format is documented in
//! `docs/evidence-json.md`, its schema is `testdata/schemas/evidence.schema.json`.

use super::Evidence;

/// Pretty-printed, with a final newline; field order is fixed by the types, so
/// the same evidence gives the same bytes.
pub fn render(evidence: &Evidence) -> String {
    // Serializing plain structs, strings and numbers to a string cannot fail.
    let mut text = serde_json::to_string_pretty(evidence).unwrap_or_default();
    text.push('\n');
    text
}
