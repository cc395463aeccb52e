//! Terraform plans as `terraform show -json plan.out` prints them: the planned
//! values of every resource instance, with the values known only after apply
//! (`resource_changes[].change.after_unknown`) marked unknown, and the
//! resources each attribute's expression refers to (from `configuration`).
//!
//! The plan JSON carries no provider schema, so nested blocks are recognised
//! by shape: a non-empty array of objects is a list of blocks, an object is a
//! map attribute. Attributes whose planned value is `null` are not set, as in
//! HCL. Spans point at the keys and values of the plan file itself.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::model::terraform::without_instance_keys;
use crate::model::{TfAttribute, TfBlock, TfInput, TfResource, TfValue};
use crate::source::Span;
use crate::source::yaml::{Node, Value};

/// Whether a JSON document is a plan (or a state) in Terraform's JSON output
/// format: an object with `format_version` and `planned_values` or
/// `resource_changes`.
pub fn is_plan(root: &Node) -> bool {
    root.as_map().is_some()
        && root.get("format_version").is_some()
        && (root.get("planned_values").is_some() || root.get("resource_changes").is_some())
}

/// The resource instances of a plan, and the problems with its shape.
#[derive(Debug, Default)]
pub struct PlanResources {
    pub resources: Vec<TfResource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the planned resource instances of a plan document (see [`is_plan`]);
/// `display` names the file in diagnostics.
pub fn resources_from_plan(display: &str, root: &Node) -> PlanResources {
    let mut out = PlanResources::default();
    let problem = |node: &Node, message: String| {
        Diagnostic::new(
            DiagnosticLevel::Warning,
            DiagnosticCode::TerraformPlan,
            display,
            message,
        )
        .at(node.span.start)
    };
    if let Some(version) = root.get("format_version") {
        let major = version.as_str().and_then(|v| v.split('.').next());
        if major != Some("1") {
            // Terraform's promise: a new major version is incompatible.
            out.diagnostics.push(problem(
                version,
                format!(
                    "plan not read: format_version {} is not a version 1.x of Terraform's JSON format",
                    version.display_scalar()
                ),
            ));
            return out;
        }
    }
    let unknowns = after_unknown_by_address(root);
    let mut references = HashMap::new();
    if let Some(module) = root.get_path(&["configuration", "root_module"]) {
        collect_references(module, "", &mut references);
    }
    let Some(module) = root.get_path(&["planned_values", "root_module"]) else {
        if root.get("planned_values").is_some() {
            out.diagnostics.push(problem(
                root,
                "plan has planned_values without a root_module: no resource read".to_string(),
            ));
        }
        return out;
    };
    let reader = PlanReader {
        unknowns: &unknowns,
        references: &references,
    };
    reader.module(module, 0, &mut out, &problem);
    out
}

/// Nesting of `child_modules` accepted (Terraform itself has no limit, but
/// real configurations stay far below it).
const MAX_MODULE_DEPTH: usize = 64;

struct PlanReader<'a> {
    /// `after_unknown` of each resource instance, by address.
    unknowns: &'a HashMap<&'a str, &'a Node>,
    /// References of each attribute expression, by resource address without
    /// instance keys, then attribute name.
    references: &'a HashMap<String, HashMap<String, Vec<String>>>,
}

impl PlanReader<'_> {
    fn module(
        &self,
        module: &Node,
        depth: usize,
        out: &mut PlanResources,
        problem: &dyn Fn(&Node, String) -> Diagnostic,
    ) {
        if depth > MAX_MODULE_DEPTH {
            out.diagnostics.push(problem(
                module,
                format!("child modules nest deeper than {MAX_MODULE_DEPTH}: not read"),
            ));
            return;
        }
        for resource in module.get("resources").map_or(&[][..], Node::items) {
            match self.resource(resource) {
                Some(resource) => out.resources.push(resource),
                None => out.diagnostics.push(problem(
                    resource,
                    "plan resource without address, type, name or values: skipped".to_string(),
                )),
            }
        }
        for child in module.get("child_modules").map_or(&[][..], Node::items) {
            self.module(child, depth + 1, out, problem);
        }
    }

    fn resource(&self, node: &Node) -> Option<TfResource> {
        let address_entry = node.entry("address")?;
        let address = address_entry.value.as_str()?;
        let resource_type = node.get("type")?.as_str()?;
        let name = node.get("name")?.as_str()?;
        let data = node.get("mode").and_then(Node::as_str) == Some("data");
        let values = node.get("values");
        let empty = Node::mapping(node.span);
        let values = values.filter(|v| v.as_map().is_some()).unwrap_or(&empty);
        let unknown = self.unknowns.get(address).copied();
        let references = self.references.get(&without_instance_keys(address));
        let mut body = block(
            "resource",
            vec![resource_type.to_string(), name.to_string()],
            address_entry.span(),
            values,
            unknown,
        );
        if let Some(references) = references {
            for attribute in &mut body.attributes {
                if let Some(found) = references.get(&attribute.name) {
                    attribute.references = found.clone();
                }
            }
        }
        Some(TfResource {
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            address: address.to_string(),
            data,
            body,
            module_calls: Vec::new(),
            input: TfInput::Plan,
        })
    }
}

/// The `after_unknown` object of each planned change, by instance address.
fn after_unknown_by_address(root: &Node) -> HashMap<&str, &Node> {
    root.get("resource_changes")
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(|change| {
            let address = change.get("address")?.as_str()?;
            let unknown = change.get_path(&["change", "after_unknown"])?;
            Some((address, unknown))
        })
        .collect()
}

/// Whether `after_unknown` marks a value unknown.
fn is_unknown(marker: Option<&Node>) -> bool {
    marker.and_then(Node::as_bool) == Some(true)
}

/// A block from the object of its planned values; `unknown` is the matching
/// part of `after_unknown`.
fn block(
    kind: &str,
    labels: Vec<String>,
    span: Span,
    values: &Node,
    unknown: Option<&Node>,
) -> TfBlock {
    let mut out = TfBlock {
        kind: kind.to_string(),
        labels,
        span,
        attributes: Vec::new(),
        blocks: Vec::new(),
    };
    let entries = values.as_map().unwrap_or(&[]);
    for entry in entries {
        let name = entry.key.text.as_str();
        let marker = unknown.and_then(|u| u.get(name));
        if is_unknown(marker) {
            out.attributes
                .push(attribute(name, TfValue::Unknown, entry.span()));
            continue;
        }
        match &entry.value.value {
            Value::Null => {}
            Value::Seq(items)
                if !items.is_empty() && items.iter().all(|i| i.as_map().is_some()) =>
            {
                let single = items.len() == 1;
                for (index, item) in items.iter().enumerate() {
                    // One block: its key is its header; several: each opening brace.
                    let header = if single {
                        entry.key.span
                    } else {
                        Span::new(item.span.file, item.span.start, item.span.start)
                    };
                    let item_unknown = marker.and_then(|m| m.items().get(index));
                    out.blocks
                        .push(block(name, Vec::new(), header, item, item_unknown));
                }
            }
            _ => out
                .attributes
                .push(attribute(name, value(&entry.value, marker), entry.span())),
        }
    }
    // Planned values leave out what is unknown; after_unknown still names it.
    for marker in unknown.and_then(Node::as_map).unwrap_or(&[]) {
        let name = marker.key.text.as_str();
        if is_unknown(Some(&marker.value)) && !entries.iter().any(|e| e.key.text == name) {
            out.attributes
                .push(attribute(name, TfValue::Unknown, marker.span()));
        }
    }
    out
}

fn attribute(name: &str, value: TfValue, span: Span) -> TfAttribute {
    TfAttribute {
        name: name.to_string(),
        value,
        span,
        trace: Vec::new(),
        references: Vec::new(),
    }
}

/// A planned value, with the parts `after_unknown` marks unknown.
fn value(node: &Node, unknown: Option<&Node>) -> TfValue {
    if is_unknown(unknown) {
        return TfValue::Unknown;
    }
    match &node.value {
        Value::Null => TfValue::Null,
        Value::Bool(b) => TfValue::Bool(*b),
        Value::Int(i) => TfValue::Number(*i as f64),
        Value::Float(f) => TfValue::Number(*f),
        Value::Str(s) => TfValue::String(s.to_string()),
        Value::Seq(items) => {
            let markers = unknown.map_or(&[][..], Node::items);
            let mut list: Vec<TfValue> = items
                .iter()
                .enumerate()
                .map(|(i, item)| value(item, markers.get(i)))
                .collect();
            // An unknown element past the planned ones (planned values drop it).
            for marker in markers.iter().skip(items.len()) {
                if is_unknown(Some(marker)) {
                    list.push(TfValue::Unknown);
                }
            }
            TfValue::List(list)
        }
        Value::Map(entries) => {
            let mut map: BTreeMap<String, TfValue> = entries
                .iter()
                .map(|e| {
                    let marker = unknown.and_then(|u| u.get(&e.key.text));
                    (e.key.text.to_string(), value(&e.value, marker))
                })
                .collect();
            for marker in unknown.and_then(Node::as_map).unwrap_or(&[]) {
                if is_unknown(Some(&marker.value)) {
                    map.insert(marker.key.text.to_string(), TfValue::Unknown);
                }
            }
            TfValue::Map(map)
        }
    }
}

/// Reads the `references` of each resource's attribute expressions in the
/// plan's `configuration`, with addresses made absolute (`prefix` is the
/// module path, `module.aks.`).
fn collect_references(
    module: &Node,
    prefix: &str,
    out: &mut HashMap<String, HashMap<String, Vec<String>>>,
) {
    if prefix.matches("module.").count() > MAX_MODULE_DEPTH {
        return;
    }
    for resource in module.get("resources").map_or(&[][..], Node::items) {
        let Some(address) = resource.get("address").and_then(Node::as_str) else {
            continue;
        };
        let mut attributes = HashMap::new();
        for expression in resource
            .get("expressions")
            .and_then(Node::as_map)
            .unwrap_or(&[])
        {
            let referenced: Vec<String> = expression
                .value
                .get("references")
                .map_or(&[][..], Node::items)
                .iter()
                .filter_map(Node::as_str)
                .filter_map(|reference| resource_address(reference, prefix))
                .fold(Vec::new(), |mut all, address| {
                    if !all.contains(&address) {
                        all.push(address);
                    }
                    all
                });
            if !referenced.is_empty() {
                attributes.insert(expression.key.text.to_string(), referenced);
            }
        }
        out.insert(format!("{prefix}{address}"), attributes);
    }
    for call in module
        .get("module_calls")
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        if let Some(child) = call.value.get("module") {
            let prefix = format!("{prefix}module.{}.", call.key.text);
            collect_references(child, &prefix, out);
        }
    }
}

/// The resource a reference names (`azurerm_kubernetes_cluster.main.id` →
/// `azurerm_kubernetes_cluster.main`), absolute; `None` for variables, locals,
/// module outputs and the other symbols that are not managed resources.
fn resource_address(reference: &str, prefix: &str) -> Option<String> {
    let reference = without_instance_keys(reference);
    let mut parts = reference.split('.');
    let first = parts.next()?;
    if matches!(
        first,
        "var" | "local" | "module" | "data" | "each" | "count" | "path" | "self" | "terraform"
    ) {
        return None;
    }
    let name = parts.next()?;
    Some(format!("{prefix}{first}.{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::source::yaml::{Limits, load};

    fn plan(text: &str) -> PlanResources {
        let loaded = load(FileId(0), "plan.json", text, Limits::default());
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let root = &loaded.documents[0].root;
        assert!(is_plan(root));
        resources_from_plan("plan.json", root)
    }

    const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.9.8",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "azurerm_key_vault.main",
          "mode": "managed",
          "type": "azurerm_key_vault",
          "name": "main",
          "provider_name": "registry.terraform.io/hashicorp/azurerm",
          "schema_version": 2,
          "values": {
            "name": "kv-main",
            "purge_protection_enabled": false,
            "soft_delete_retention_days": 90,
            "contact": [],
            "network_acls": [
              {
                "bypass": "AzureServices",
                "default_action": "Deny",
                "ip_rules": ["203.0.113.0/24"],
                "virtual_network_subnet_ids": null
              }
            ],
            "tags": {"env": "prod"},
            "timeouts": null
          },
          "sensitive_values": {"contact": [], "network_acls": [{"ip_rules": [false]}], "tags": {}}
        }
      ],
      "child_modules": [
        {
          "address": "module.logs",
          "resources": [
            {
              "address": "module.logs.azurerm_monitor_diagnostic_setting.aks[0]",
              "mode": "managed",
              "type": "azurerm_monitor_diagnostic_setting",
              "name": "aks",
              "index": 0,
              "provider_name": "registry.terraform.io/hashicorp/azurerm",
              "schema_version": 0,
              "values": {
                "enabled_log": [
                  {"category": "kube-audit", "category_group": ""},
                  {"category": "guard", "category_group": ""}
                ],
                "name": "aks-audit"
              },
              "sensitive_values": {}
            },
            {
              "address": "data.azurerm_client_config.current",
              "mode": "data",
              "type": "azurerm_client_config",
              "name": "current",
              "values": {"tenant_id": "00000000-0000-0000-0000-000000000000"}
            }
          ]
        }
      ]
    }
  },
  "resource_changes": [
    {
      "address": "module.logs.azurerm_monitor_diagnostic_setting.aks[0]",
      "module_address": "module.logs",
      "mode": "managed",
      "type": "azurerm_monitor_diagnostic_setting",
      "name": "aks",
      "index": 0,
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {},
        "after_unknown": {
          "enabled_log": [{}, {}],
          "id": true,
          "target_resource_id": true,
          "log_analytics_workspace_id": true
        }
      }
    }
  ],
  "configuration": {
    "root_module": {
      "module_calls": {
        "logs": {
          "source": "./modules/logs",
          "module": {
            "resources": [
              {
                "address": "azurerm_monitor_diagnostic_setting.aks",
                "mode": "managed",
                "type": "azurerm_monitor_diagnostic_setting",
                "name": "aks",
                "expressions": {
                  "target_resource_id": {
                    "references": ["azurerm_kubernetes_cluster.main[0].id", "azurerm_kubernetes_cluster.main[0]", "azurerm_kubernetes_cluster.main", "var.cluster_id"]
                  }
                }
              }
            ]
          }
        }
      }
    }
  }
}
"#;

    #[test]
    fn reads_planned_resources_blocks_and_attributes() {
        let read = plan(PLAN);
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        let addresses: Vec<&str> = read.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "azurerm_key_vault.main",
                "module.logs.azurerm_monitor_diagnostic_setting.aks[0]",
                "data.azurerm_client_config.current"
            ]
        );
        let vault = &read.resources[0];
        assert_eq!(vault.input, TfInput::Plan);
        assert!(!vault.data && read.resources[2].data);
        assert_eq!(vault.body.labels, ["azurerm_key_vault", "main"]);
        // The header is the `"address"` line.
        assert_eq!(vault.body.span.start.line, 8);
        let purge = vault.body.attribute("purge_protection_enabled").unwrap();
        assert_eq!(purge.value, TfValue::Bool(false));
        assert_eq!(purge.span.start.line, 16);
        assert_eq!(purge.span.start.column, 13);
        assert_eq!(
            vault
                .body
                .attribute("soft_delete_retention_days")
                .unwrap()
                .value,
            TfValue::Number(90.0)
        );
        // null is not set; an empty list of blocks is an empty list.
        assert!(vault.body.attribute("timeouts").is_none());
        assert_eq!(
            vault.body.attribute("contact").unwrap().value,
            TfValue::List(Vec::new())
        );
        let acls = vault.body.block("network_acls").unwrap();
        assert_eq!(acls.span.start.line, 19);
        assert_eq!(
            acls.attribute("default_action").unwrap().value,
            TfValue::String("Deny".to_string())
        );
        assert!(acls.attribute("virtual_network_subnet_ids").is_none());
        assert_eq!(
            acls.attribute("ip_rules").unwrap().value,
            TfValue::List(vec![TfValue::String("203.0.113.0/24".to_string())])
        );
        let tags = vault.body.attribute("tags").unwrap();
        assert!(matches!(&tags.value, TfValue::Map(m) if m.len() == 1));
    }

    #[test]
    fn marks_unknown_values_and_keeps_references() {
        let read = plan(PLAN);
        let setting = &read.resources[1];
        let logs: Vec<_> = setting.body.blocks_of("enabled_log").collect();
        assert_eq!(logs.len(), 2);
        // Several blocks: each points at its own opening brace.
        assert_eq!(logs[0].span.start.line, 47);
        assert_eq!(logs[1].span.start.line, 48);
        let target = setting.body.attribute("target_resource_id").unwrap();
        assert_eq!(target.value, TfValue::Unknown);
        // Unknown values are absent from planned values: the span is the
        // after_unknown entry.
        assert_eq!(target.span.start.line, 81);
        assert_eq!(
            target.references,
            ["module.logs.azurerm_kubernetes_cluster.main"]
        );
        assert!(setting.body.attribute("id").unwrap().value.is_unknown());
    }

    #[test]
    fn partly_unknown_values_keep_their_known_parts() {
        let planned = load(
            FileId(0),
            "p.json",
            r#"{"ips": ["a", "b"], "tags": {"x": "1"}}"#,
            Limits::default(),
        );
        let unknown = load(
            FileId(0),
            "u.json",
            r#"{"ips": [false, true], "tags": {"y": true}}"#,
            Limits::default(),
        );
        let body = block(
            "resource",
            Vec::new(),
            planned.documents[0].root.span,
            &planned.documents[0].root,
            Some(&unknown.documents[0].root),
        );
        assert_eq!(
            body.attribute("ips").unwrap().value,
            TfValue::List(vec![TfValue::String("a".into()), TfValue::Unknown])
        );
        let TfValue::Map(tags) = &body.attribute("tags").unwrap().value else {
            panic!("tags is a map");
        };
        assert_eq!(tags.get("y"), Some(&TfValue::Unknown));
        assert!(body.attribute("tags").unwrap().value.contains_unknown());
    }

    #[test]
    fn refuses_other_major_versions_and_odd_shapes() {
        let read = plan(r#"{"format_version": "2.0", "planned_values": {}}"#);
        assert!(read.resources.is_empty());
        assert_eq!(read.diagnostics.len(), 1);
        let read = plan(
            r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"type": 3}]}}}"#,
        );
        assert!(read.resources.is_empty());
        assert_eq!(read.diagnostics[0].position.map(|p| p.line), Some(1));
        let loaded = load(
            FileId(0),
            "k.json",
            r#"{"apiVersion": "v1", "kind": "Pod"}"#,
            Limits::default(),
        );
        assert!(!is_plan(&loaded.documents[0].root));
    }

    #[test]
    fn odd_shapes_never_panic() {
        for text in [
            r#"{"format_version": 1, "planned_values": []}"#,
            r#"{"format_version": "1.0", "planned_values": {"root_module": []}}"#,
            r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": {}, "child_modules": "x"}}}"#,
            r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": [{"address": "a.b", "type": "a", "name": "b", "values": [1, 2]}]}}}"#,
            r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": [{"address": "a.b", "type": "a", "name": "b", "values": {"x": [{"y": 1}, 2], "z": [[{}]]}}]}},
                "resource_changes": [{"address": "a.b", "change": {"after_unknown": "yes"}}, {"address": 3}, "x"],
                "configuration": {"root_module": {"resources": [{"address": "a.b", "expressions": {"x": {"references": [1, "var.x", "a"]}}}], "module_calls": {"m": {"module": []}}}}}"#,
        ] {
            let loaded = load(FileId(0), "plan.json", text, Limits::default());
            let root = &loaded.documents[0].root;
            let _ = resources_from_plan("plan.json", root);
        }
        let read = plan(
            r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": [{"address": "a.b", "type": "a", "name": "b", "values": {"x": [{"y": 1}, 2]}}]}},
                "resource_changes": [{"address": "a.b", "change": {"after_unknown": {"x": true, "w": [true]}}}]}"#,
        );
        let body = &read.resources[0].body;
        // A list mixing objects and scalars is a value, not blocks.
        assert!(body.blocks.is_empty());
        assert!(body.attribute("x").unwrap().value.is_unknown());
        assert!(body.attribute("w").is_none());
    }

    #[test]
    fn strips_instance_keys() {
        assert_eq!(
            without_instance_keys(r#"module.a["x]"].azurerm_key_vault.kv[0]"#),
            "module.a.azurerm_key_vault.kv"
        );
        assert_eq!(
            resource_address("azurerm_kubernetes_cluster.main[0].id", "module.m."),
            Some("module.m.azurerm_kubernetes_cluster.main".to_string())
        );
        assert_eq!(resource_address("var.cluster_id", ""), None);
        assert_eq!(
            resource_address("data.azurerm_client_config.c.id", ""),
            None
        );
    }
}
