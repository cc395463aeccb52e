//! Output formats: snapshots of the demo scan, and validation of SARIF against
//! the OASIS SARIF 2.1.0 schema and of JSON against our documented schema.

use std::path::PathBuf;

use vigie::filter::FilterOptions;
use vigie::filter::date::Date;
use vigie::report::{json, sarif, text};
use vigie::{Scan, ScanOptions};

fn demo_scan(frameworks: &[&str]) -> Scan {
    let config = vigie::config::locate(&[PathBuf::from("testdata/demo")])
        .expect("the demo has a configuration");
    let options = ScanOptions {
        paths: vec![PathBuf::from("testdata/demo")],
        frameworks: frameworks.iter().map(|f| f.to_string()).collect(),
        config: vigie::config::load(&config, "testdata/demo/.vigie.yaml")
            .expect("valid configuration"),
        // The demo's exception expires; the snapshots must not.
        filter: FilterOptions {
            today: Date::parse("2026-11-25").expect("a date"),
            ..FilterOptions::default()
        },
        ..ScanOptions::default()
    };
    vigie::scan(&options).expect("demo scan")
}

fn schema(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(path).expect("schema file");
    let mut schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    // The OASIS schema's pattern for `language` properties has a stray `]` and is
    // not a valid regular expression, which the validator refuses. Vigie never
    // sets these fields; they get the pattern the SARIF text describes.
    fix_language_patterns(&mut schema);
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn fix_language_patterns(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                    *child = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                } else {
                    fix_language_patterns(child);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
        _ => {}
    }
}

fn assert_valid(validator: &jsonschema::Validator, document: &str) {
    let instance: serde_json::Value = serde_json::from_str(document).expect("output is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn text_snapshot() {
    let scan = demo_scan(&[]);
    insta::assert_snapshot!(text::render(&scan, &text::TextOptions::default()));
}

#[test]
fn json_snapshot_and_schema() {
    let scan = demo_scan(&[]);
    let output = json::render(&scan);
    assert_valid(&schema("docs/scan-output.schema.json"), &output);
    insta::assert_snapshot!(output);
}

#[test]
fn sarif_snapshot_and_schema() {
    let scan = demo_scan(&["pss-restricted"]);
    let output = sarif::render(&scan);
    let validator = schema("testdata/schemas/sarif-schema-2.1.0.json");
    assert_valid(&validator, &output);
    // The validation can fail: a level SARIF does not define is rejected.
    let mut broken: serde_json::Value = serde_json::from_str(&output).unwrap();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("critical");
    assert!(!validator.is_valid(&broken));
    insta::assert_snapshot!(output);
}

#[test]
fn sarif_meets_github_limits() {
    let scan = demo_scan(&[]);
    let log: serde_json::Value = serde_json::from_str(&sarif::render(&scan)).unwrap();
    let run = &log["runs"][0];
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.len() <= 10, "GitHub shows at most 10 tags");
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity));
        assert!(!rule["help"]["markdown"].as_str().unwrap().is_empty());
    }
    for result in run["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"]["vigieFinding/v1"].is_string());
    }
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notifications.len(), 1, "the demo's malformed draft");
    assert_eq!(notifications[0]["descriptor"]["id"], "yaml-syntax");
}

#[test]
fn sarif_taxonomies_describe_the_selected_catalogs() {
    let scan = demo_scan(&["cis-k8s", "iso27001"]);
    let output = sarif::render(&scan);
    assert_valid(&schema("testdata/schemas/sarif-schema-2.1.0.json"), &output);
    let log: serde_json::Value = serde_json::from_str(&output).unwrap();
    let run = &log["runs"][0];
    let taxonomies = run["taxonomies"].as_array().unwrap();
    let names: Vec<&str> = taxonomies
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cis-k8s", "iso27001"]);
    assert_eq!(taxonomies[1]["taxa"].as_array().unwrap().len(), 93);
    assert_eq!(taxonomies[0]["version"], "v1.12.0");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        let relationships = rule["relationships"].as_array().unwrap();
        assert!(!relationships.is_empty(), "{}", rule["id"]);
        for relationship in relationships {
            let target = &relationship["target"];
            let component = target["toolComponent"]["index"].as_u64().unwrap() as usize;
            assert_eq!(target["toolComponent"]["name"], names[component]);
            let taxon = &taxonomies[component]["taxa"][target["index"].as_u64().unwrap() as usize];
            assert_eq!(taxon["id"], target["id"]);
            assert!(taxon["properties"]["status"].is_string());
            assert_eq!(relationship["kinds"], serde_json::json!(["relevant"]));
        }
    }
    let privileged = rules.iter().find(|r| r["id"] == "PSS001").unwrap();
    let tags = privileged["properties"]["tags"].as_array().unwrap();
    assert!(tags.contains(&serde_json::json!("cis-k8s:5.2.2")));
    assert!(tags.contains(&serde_json::json!("iso27001:8.2")));
}

#[test]
fn sarif_without_framework_describes_every_catalog_its_rules_evidence() {
    let log: serde_json::Value = serde_json::from_str(&sarif::render(&demo_scan(&[]))).unwrap();
    let names: Vec<&str> = log["runs"][0]["taxonomies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cis-k8s", "cis-aks", "iso27001", "hds", "rgpd"]);
}
