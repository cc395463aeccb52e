//! Framework catalogs as SARIF taxonomies: one `toolComponent` per catalog, one
//! taxon per control, and rules related to the controls they evidence. Tags can
//! only carry a few controls (GitHub shows ten tags); the relationships carry
//! them all.

use serde::Serialize;

use crate::frameworks::{self, Framework};
use crate::rules::{ActiveRule, Rule};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Taxonomy {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    short_description: super::Text,
    /// Every control is listed, whether a rule evidences it or not.
    is_comprehensive: bool,
    taxa: Vec<Taxon>,
}

#[derive(Serialize)]
struct Taxon {
    id: &'static str,
    name: &'static str,
    properties: TaxonProperties,
}

#[derive(Serialize)]
struct TaxonProperties {
    status: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Relationship {
    target: Target,
    kinds: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    id: &'static str,
    index: usize,
    tool_component: ComponentReference,
}

#[derive(Serialize)]
struct ComponentReference {
    name: &'static str,
    index: usize,
}

/// The catalogs a run describes: those it was limited to (`--framework`), or,
/// when it was not, every catalog a rule of the run evidences a control of.
/// The Pod Security profiles have no control list and only appear as tags.
pub(super) fn catalogs(limited_to: &[String], rules: &[ActiveRule]) -> Vec<&'static Framework> {
    frameworks::all()
        .iter()
        .filter(|f| !f.controls.is_empty())
        .filter(|f| {
            if limited_to.is_empty() {
                rules.iter().any(|r| evidences(f, r.rule))
            } else {
                limited_to.contains(&f.id)
            }
        })
        .collect()
}

fn evidences(framework: &Framework, rule: &Rule) -> bool {
    framework
        .controls
        .iter()
        .any(|c| c.rules.iter().any(|r| r == rule.id))
}

/// The taxonomy of each catalog, in the same order.
pub(super) fn taxonomies(catalogs: &[&'static Framework]) -> Vec<Taxonomy> {
    catalogs
        .iter()
        .map(|f| Taxonomy {
            name: &f.id,
            full_name: &f.title,
            version: &f.version,
            information_uri: f.url.as_deref(),
            short_description: super::Text {
                text: f.source.clone(),
            },
            is_comprehensive: true,
            taxa: f
                .controls
                .iter()
                .map(|c| Taxon {
                    id: &c.id,
                    name: &c.title,
                    properties: TaxonProperties {
                        status: c.status.as_str(),
                    },
                })
                .collect(),
        })
        .collect()
}

/// A rule's relationships to the controls it evidences in the run's catalogs.
pub(super) fn relationships(rule: &Rule, catalogs: &[&'static Framework]) -> Vec<Relationship> {
    let mut out = Vec::new();
    for (component, framework) in catalogs.iter().enumerate() {
        for (index, control) in framework.controls.iter().enumerate() {
            if control.rules.iter().any(|r| r == rule.id) {
                out.push(Relationship {
                    target: Target {
                        id: &control.id,
                        index,
                        tool_component: ComponentReference {
                            name: &framework.id,
                            index: component,
                        },
                    },
                    kinds: ["relevant"],
                });
            }
        }
    }
    out
}

/// Readable control tags for a rule: the first control of each catalog
/// (`cis-aks:4.2.1`), at most `limit`. Inherited controls (HDS through ISO
/// 27001) are left out: their ISO tag already says it.
pub(super) fn control_tags(rule: &Rule, limit: usize) -> Vec<String> {
    frameworks::all()
        .iter()
        .filter_map(|f| {
            f.controls
                .iter()
                .find(|c| c.via.is_empty() && c.rules.iter().any(|r| r == rule.id))
                .map(|c| format!("{}:{}", f.id, c.id))
        })
        .take(limit)
        .collect()
}
