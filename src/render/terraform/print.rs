//! Evaluated resources written back as HCL, for `vigie render`: what the
//! rules see, with unknown values shown as `(known after apply)`.

use std::fmt::Write as _;

use crate::model::{TfBlock, TfResource, TfValue};
use crate::source::SourceMap;

/// One resource instance as an HCL block, preceded by a comment with its
/// address and location.
pub fn to_hcl(resource: &TfResource, sources: &SourceMap) -> String {
    let mut out = String::new();
    let span = resource.body.span;
    let _ = write!(
        out,
        "# {} ({}:{})",
        resource.address,
        sources.get(span.file).display,
        span.start.line
    );
    // A module shared by several roots: the outermost call says which root.
    if let Some(call) = resource.module_calls.first() {
        let _ = write!(
            out,
            " called from {}:{}",
            sources.get(call.span.file).display,
            call.span.start.line
        );
    }
    out.push('\n');
    write_block(&mut out, &resource.body, 0);
    out
}

fn write_block(out: &mut String, block: &TfBlock, depth: usize) {
    let indent = "  ".repeat(depth);
    out.push_str(&indent);
    out.push_str(&block.kind);
    for label in &block.labels {
        let _ = write!(out, " {}", quote(label));
    }
    out.push_str(" {\n");
    let width = block
        .attributes
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(0);
    for attribute in &block.attributes {
        let _ = writeln!(
            out,
            "{indent}  {:width$} = {}",
            attribute.name,
            value(&attribute.value)
        );
    }
    for nested in &block.blocks {
        write_block(out, nested, depth + 1);
    }
    out.push_str(&indent);
    out.push_str("}\n");
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

fn value(value: &TfValue) -> String {
    match value {
        TfValue::String(s) => quote(s),
        TfValue::List(items) => {
            let items: Vec<String> = items.iter().map(self::value).collect();
            format!("[{}]", items.join(", "))
        }
        TfValue::Map(entries) if entries.is_empty() => "{}".to_string(),
        TfValue::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{} = {}", quote(k), self::value(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        other => other.to_string(),
    }
}
