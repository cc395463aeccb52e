//! The framework catalogs in `benchmarks/`: they parse, their controls are
//! complete and consistent, and every rule is accounted for.

use std::collections::BTreeSet;

use vigie::frameworks::{self, ControlStatus, Framework};

/// CIS AKS Benchmark v1.8.0 control IDs, as kube-bench's cfg/aks-1.8 lists them.
const CIS_AKS_1_8_0: &[&str] = &[
    "2.1.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5",
    "3.2.6", "3.2.7", "3.2.8", "3.2.9", "4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.1.6",
    "4.1.7", "4.1.8", "4.1.9", "4.1.10", "4.1.11", "4.1.12", "4.2.1", "4.2.2", "4.2.3", "4.2.4",
    "4.2.5", "4.4.1", "4.4.2", "4.5.1", "4.5.2", "4.6.1", "4.6.2", "4.6.3", "5.1.1", "5.1.2",
    "5.1.3", "5.1.4", "5.2.1", "5.3.1", "5.4.1", "5.4.2", "5.4.3", "5.4.4", "5.4.5", "5.5.1",
    "5.5.2",
];

/// CIS Kubernetes Benchmark v1.12.0 section 5 control IDs (kube-bench cfg/cis-1.12).
const CIS_K8S_1_12_0_SECTION_5: &[&str] = &[
    "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6", "5.1.7", "5.1.8", "5.1.9", "5.1.10",
    "5.1.11", "5.1.12", "5.1.13", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.2.6", "5.2.7",
    "5.2.8", "5.2.9", "5.2.10", "5.2.11", "5.2.12", "5.3.1", "5.3.2", "5.4.1", "5.4.2", "5.5.1",
    "5.6.1", "5.6.2", "5.6.3", "5.6.4",
];

/// How many controls CIS Kubernetes v1.12.0 has in sections 1 to 4 (kube-bench
/// cfg/cis-1.12: 1.1.x 21, 1.2.x 30, 1.3.x 7, 1.4.x 2, 2.x 7, 3.x 5, 4.1.x 10,
/// 4.2.x 14, 4.3.x 1).
const CIS_K8S_1_12_0_SECTIONS_1_TO_4: usize = 97;

fn framework(id: &str) -> &'static Framework {
    frameworks::find(id).unwrap_or_else(|| panic!("framework {id} is missing"))
}

fn control_ids(framework: &Framework) -> Vec<&str> {
    framework.controls.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn frameworks_are_the_documented_ones() {
    assert_eq!(
        frameworks::known_ids(),
        [
            "pss-baseline",
            "pss-restricted",
            "cis-k8s",
            "cis-aks",
            "iso27001",
            "hds",
            "rgpd"
        ]
    );
    for framework in frameworks::all() {
        assert!(!framework.title.is_empty(), "{}", framework.id);
        assert!(!framework.version.is_empty(), "{}", framework.id);
        assert!(!framework.source.is_empty(), "{}", framework.id);
    }
}

#[test]
fn control_ids_are_unique_within_a_catalog() {
    for framework in frameworks::all() {
        let mut seen = BTreeSet::new();
        for id in control_ids(framework) {
            assert!(seen.insert(id), "{}: duplicate control {id}", framework.id);
        }
    }
}

#[test]
fn every_referenced_rule_exists() {
    let mut missing = BTreeSet::new();
    for framework in frameworks::all() {
        for control in &framework.controls {
            for rule in &control.rules {
                if vigie::rules::find(rule).is_none() {
                    missing.insert(rule.as_str());
                }
            }
        }
    }
    for practice in frameworks::best_practices() {
        if vigie::rules::find(&practice.rule).is_none() {
            missing.insert(practice.rule.as_str());
        }
    }
    assert!(missing.is_empty(), "unknown rules: {missing:?}");
}

#[test]
fn statuses_agree_with_rules_and_notes() {
    for framework in frameworks::all() {
        for control in &framework.controls {
            let at = format!("{} {}", framework.id, control.id);
            match control.status {
                ControlStatus::Automated | ControlStatus::Partial => {
                    assert!(!control.rules.is_empty(), "{at}: evidenced by no rule");
                }
                ControlStatus::Manual | ControlStatus::NotApplicable => {
                    assert!(control.rules.is_empty(), "{at}: has rules but says no");
                    assert!(
                        control.note.as_deref().is_some_and(|n| !n.is_empty()),
                        "{at}: needs a note saying where the evidence is"
                    );
                }
            }
            assert!(!control.title.is_empty(), "{at}: no title");
        }
    }
}

#[test]
fn via_names_an_existing_control_with_the_same_evidence() {
    for framework in frameworks::all() {
        for control in &framework.controls {
            for via in &control.via {
                let (target, id) = via
                    .split_once(':')
                    .unwrap_or_else(|| panic!("{}: bad via {via}", control.id));
                let original = framework_control(target, id).unwrap_or_else(|| {
                    panic!("{} {}: via {via} is unknown", framework.id, control.id)
                });
                assert_eq!(original.rules, control.rules, "{via}");
                assert_eq!(original.status, control.status, "{via}");
            }
        }
    }
}

fn framework_control(framework: &str, id: &str) -> Option<&'static frameworks::Control> {
    frameworks::find(framework)?
        .controls
        .iter()
        .find(|c| c.id == id)
}

#[test]
fn every_rule_is_mapped_or_a_best_practice() {
    let mapped = frameworks::mapped_rules();
    let practices: BTreeSet<&str> = frameworks::best_practices()
        .iter()
        .map(|p| p.rule.as_str())
        .collect();
    for practice in frameworks::best_practices() {
        assert!(!practice.reason.trim().is_empty(), "{}", practice.rule);
        assert!(
            !mapped.contains(practice.rule.as_str()),
            "{} is mapped to a control; drop it from the best practices",
            practice.rule
        );
    }
    let unaccounted: Vec<&str> = vigie::rules::all()
        .iter()
        .map(|r| r.id)
        .filter(|id| !mapped.contains(id) && !practices.contains(id))
        .collect();
    assert!(
        unaccounted.is_empty(),
        "rules in no catalog: {unaccounted:?}"
    );
}

#[test]
fn cis_aks_lists_every_v1_8_0_control() {
    assert_eq!(control_ids(framework("cis-aks")), CIS_AKS_1_8_0);
}

#[test]
fn cis_kubernetes_lists_sections_1_to_5() {
    let catalog = framework("cis-k8s");
    let (section_5, others): (Vec<_>, Vec<_>) = catalog
        .controls
        .iter()
        .partition(|c| c.id.starts_with("5."));
    assert_eq!(
        section_5.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        CIS_K8S_1_12_0_SECTION_5
    );
    assert_eq!(others.len(), CIS_K8S_1_12_0_SECTIONS_1_TO_4);
    // A control-plane or node control is at best a proxy for a repository scan.
    for control in others {
        assert_ne!(control.status, ControlStatus::Automated, "{}", control.id);
    }
}

#[test]
fn iso27001_has_the_93_annex_a_controls() {
    let expected: Vec<String> = [(5, 37), (6, 8), (7, 14), (8, 34)]
        .iter()
        .flat_map(|&(theme, count)| (1..=count).map(move |n| format!("{theme}.{n}")))
        .collect();
    assert_eq!(expected.len(), 93);
    assert_eq!(control_ids(framework("iso27001")), expected);
}

#[test]
fn hds_inherits_iso27001() {
    let iso = framework("iso27001");
    let hds = framework("hds");
    assert_eq!(hds.controls.len(), iso.controls.len());
    for (h, i) in hds.controls.iter().zip(&iso.controls) {
        assert_eq!(h.id, format!("iso27001-{}", i.id));
        assert_eq!(h.via, [format!("iso27001:{}", i.id)]);
    }
    assert!(hds.note.is_some(), "HDS says how it maps");
}

#[test]
fn coverage_counts_every_control() {
    for framework in frameworks::all() {
        assert_eq!(framework.coverage().total(), framework.controls.len());
    }
    let aks = framework("cis-aks").coverage();
    assert_eq!(aks.not_applicable, 13, "sections 3.1 and 3.2");
}
