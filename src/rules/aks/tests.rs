//! The AKS checks on resources built by hand, the way the HCL engine and the
//! plan loader build them.

use std::sync::Arc;

use crate::model::{Repo, TfAttribute, TfBlock, TfInput, TfResource, TfValue};
use crate::rules::{
    ActiveRule, Context, Finding, Findings, Params, Related, ResourceIdentity, Rule, Subject,
};
use crate::source::{FileId, Position, Span};

fn span(line: u32) -> Span {
    Span::new(FileId(0), Position::new(line, 3), Position::new(line, 40))
}

fn attr(line: u32, name: &str, value: TfValue) -> TfAttribute {
    TfAttribute {
        name: name.to_string(),
        value,
        span: span(line),
        trace: Vec::new(),
        references: Vec::new(),
    }
}

fn block(line: u32, kind: &str, attributes: Vec<TfAttribute>, blocks: Vec<TfBlock>) -> TfBlock {
    TfBlock {
        kind: kind.to_string(),
        labels: Vec::new(),
        span: span(line),
        attributes,
        blocks,
    }
}

/// A resource whose header is on line 1.
fn resource(resource_type: &str, attributes: Vec<TfAttribute>, blocks: Vec<TfBlock>) -> TfResource {
    TfResource {
        resource_type: resource_type.to_string(),
        name: "main".to_string(),
        address: format!("{resource_type}.main"),
        data: false,
        body: TfBlock {
            labels: vec![resource_type.to_string(), "main".to_string()],
            ..block(1, "resource", attributes, blocks)
        },
        module_calls: Vec::new(),
        input: TfInput::Hcl,
    }
}

fn cluster(attributes: Vec<TfAttribute>, blocks: Vec<TfBlock>) -> TfResource {
    resource("azurerm_kubernetes_cluster", attributes, blocks)
}

fn bool(b: bool) -> TfValue {
    TfValue::Bool(b)
}

fn string(s: &str) -> TfValue {
    TfValue::String(s.to_string())
}

fn list(items: &[&str]) -> TfValue {
    TfValue::List(items.iter().map(|s| string(s)).collect())
}

/// Everything the rule reports on the resource, notes included.
fn run(rule: &'static Rule, resource: &TfResource) -> Vec<Finding> {
    let active = ActiveRule::new(rule);
    let identity = Arc::new(ResourceIdentity::of_terraform(resource));
    let resources = [];
    let repo = Repo::terraform(&resources);
    let params = Params::default();
    let context = Context {
        repo: &repo,
        params: &params,
        pss_restricted: false,
    };
    let crate::rules::Check::Terraform(check) = rule.check else {
        panic!("{} is not a Terraform rule", rule.id);
    };
    let mut found = Vec::new();
    check(
        &context,
        resource,
        &mut Findings::new(&active, &identity, Subject::Terraform(0), &mut found),
    );
    found
}

/// The lines of the findings (not the notes).
fn lines(rule: &'static Rule, resource: &TfResource) -> Vec<u32> {
    run(rule, resource)
        .iter()
        .filter(|f| !f.undetermined)
        .map(|f| f.span.start.line)
        .collect()
}

/// The lines of the notes about unknown values.
fn notes(rule: &'static Rule, resource: &TfResource) -> Vec<u32> {
    run(rule, resource)
        .iter()
        .filter(|f| f.undetermined)
        .map(|f| f.span.start.line)
        .collect()
}

fn messages(rule: &'static Rule, resource: &TfResource) -> Vec<String> {
    run(rule, resource).into_iter().map(|f| f.message).collect()
}

fn default_pool(attributes: Vec<TfAttribute>) -> TfBlock {
    block(5, "default_node_pool", attributes, Vec::new())
}

#[test]
fn rules_are_in_id_order_and_check_terraform() {
    let ids: Vec<_> = super::RULES.iter().map(|r| r.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    for id in [
        "AKS001", "AKS002", "AKS003", "AKS004", "AKS005", "AKS006", "AKS007", "AKS008", "AKS009",
        "AKS010", "AKS011", "AKS012", "AKS013", "AKS014", "AKS015", "AKS016", "AKS018", "AKS019",
        "AKS020", "AKS021",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    for rule in super::RULES {
        assert!(matches!(rule.check, crate::rules::Check::Terraform(_)));
    }
}

#[test]
fn flags_use_the_provider_default_when_absent() {
    let bare = cluster(Vec::new(), vec![default_pool(Vec::new())]);
    // Insecure defaults are reported at the resource header.
    for rule in [
        &super::azure_policy::RULE,
        &super::local_accounts::RULE,
        &super::workload_identity::RULE,
        &super::run_command::RULE,
        &super::image_cleaner::RULE,
    ] {
        assert_eq!(lines(rule, &bare), [1], "{}", rule.id);
    }
    // Secure defaults are not.
    for rule in [
        &super::kubernetes_rbac::RULE,
        &super::http_application_routing::RULE,
        &super::node_os_upgrade_channel::RULE,
        &super::node_public_ip::RULE,
    ] {
        assert_eq!(run(rule, &bare).len(), 0, "{}", rule.id);
    }
    assert_eq!(
        messages(&super::run_command::RULE, &bare),
        [
            "run_command_enabled is true (provider default): Azure principals can run kubectl in the cluster, around its network restrictions"
        ]
    );
}

#[test]
fn flags_point_at_the_written_attribute() {
    let insecure = cluster(
        vec![
            attr(2, "azure_policy_enabled", bool(false)),
            attr(3, "role_based_access_control_enabled", bool(false)),
            attr(4, "local_account_disabled", string("false")),
            attr(6, "http_application_routing_enabled", bool(true)),
            attr(7, "run_command_enabled", bool(true)),
            attr(8, "image_cleaner_enabled", bool(false)),
        ],
        Vec::new(),
    );
    for (rule, line) in [
        (&super::azure_policy::RULE, 2),
        (&super::kubernetes_rbac::RULE, 3),
        (&super::local_accounts::RULE, 4),
        (&super::http_application_routing::RULE, 6),
        (&super::run_command::RULE, 7),
        (&super::image_cleaner::RULE, 8),
    ] {
        assert_eq!(lines(rule, &insecure), [line], "{}", rule.id);
    }
    assert_eq!(
        messages(&super::kubernetes_rbac::RULE, &insecure),
        [
            "role_based_access_control_enabled is false: every authenticated user and service account is authorized for everything"
        ]
    );
    let hardened = cluster(
        vec![
            attr(2, "azure_policy_enabled", bool(true)),
            attr(3, "role_based_access_control_enabled", bool(true)),
            attr(4, "local_account_disabled", string("true")),
            attr(6, "http_application_routing_enabled", bool(false)),
            attr(7, "run_command_enabled", bool(false)),
            attr(8, "image_cleaner_enabled", bool(true)),
        ],
        Vec::new(),
    );
    for rule in super::RULES {
        let found = run(rule, &hardened);
        for id in ["AKS001", "AKS007", "AKS009", "AKS018", "AKS019", "AKS020"] {
            if rule.id == id {
                assert!(found.is_empty(), "{id}: {found:?}");
            }
        }
    }
}

#[test]
fn unknown_values_are_notes_not_findings() {
    let unknown = cluster(
        vec![
            attr(2, "azure_policy_enabled", TfValue::Unknown),
            attr(3, "run_command_enabled", TfValue::Unknown),
            attr(4, "automatic_channel_upgrade", TfValue::Unknown),
            attr(6, "node_os_upgrade_channel", TfValue::Unknown),
        ],
        vec![block(
            10,
            "default_node_pool",
            vec![attr(11, "enable_host_encryption", TfValue::Unknown)],
            Vec::new(),
        )],
    );
    for (rule, line) in [
        (&super::azure_policy::RULE, 2),
        (&super::run_command::RULE, 3),
        (&super::cluster_upgrade_channel::RULE, 4),
        (&super::node_os_upgrade_channel::RULE, 6),
        (&super::host_encryption::RULE, 11),
    ] {
        assert_eq!(lines(rule, &unknown), Vec::<u32>::new(), "{}", rule.id);
        assert_eq!(notes(rule, &unknown), [line], "{}", rule.id);
    }
    assert_eq!(
        messages(&super::host_encryption::RULE, &unknown),
        ["enable_host_encryption is known only after apply"]
    );
}

#[test]
fn a_value_of_the_wrong_type_is_a_note() {
    let odd = cluster(
        vec![attr(2, "azure_policy_enabled", string("yes"))],
        Vec::new(),
    );
    assert_eq!(notes(&super::azure_policy::RULE, &odd), [2]);
    assert_eq!(
        messages(&super::azure_policy::RULE, &odd),
        ["azure_policy_enabled is \"yes\", not a boolean"]
    );
}

#[test]
fn null_is_absent() {
    let nulls = cluster(
        vec![
            attr(2, "run_command_enabled", TfValue::Null),
            attr(3, "role_based_access_control_enabled", TfValue::Null),
        ],
        Vec::new(),
    );
    assert_eq!(lines(&super::run_command::RULE, &nulls), [1]);
    assert!(run(&super::kubernetes_rbac::RULE, &nulls).is_empty());
    // A null current spelling falls back to the older one.
    let renamed = cluster(
        Vec::new(),
        vec![default_pool(vec![
            attr(6, "host_encryption_enabled", TfValue::Null),
            attr(7, "enable_host_encryption", bool(false)),
        ])],
    );
    assert_eq!(lines(&super::host_encryption::RULE, &renamed), [7]);
}

#[test]
fn data_sources_and_other_resources_are_skipped() {
    let mut data = cluster(Vec::new(), vec![default_pool(Vec::new())]);
    data.data = true;
    let other = resource("azurerm_key_vault", Vec::new(), Vec::new());
    let mut data_pool = resource(
        "azurerm_kubernetes_cluster_node_pool",
        Vec::new(),
        Vec::new(),
    );
    data_pool.data = true;
    for rule in super::RULES {
        for subject in [&data, &other, &data_pool] {
            assert!(
                run(rule, subject).is_empty(),
                "{} on {}",
                rule.id,
                subject.address
            );
        }
    }
}

#[test]
fn findings_explain_where_values_came_from() {
    let mut policy = attr(2, "azure_policy_enabled", bool(false));
    policy.trace = vec![Related {
        span: Span::new(FileId(1), Position::new(4, 1), Position::new(4, 20)),
        message: "var.azure_policy from terraform.tfvars".to_string(),
    }];
    let mut resource = cluster(vec![policy], Vec::new());
    let call = Related {
        span: Span::new(FileId(2), Position::new(1, 1), Position::new(1, 16)),
        message: "module.aks".to_string(),
    };
    resource.module_calls = vec![call.clone()];
    let found = run(&super::azure_policy::RULE, &resource);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].field, "azure_policy_enabled");
    let related: Vec<_> = found[0]
        .related
        .iter()
        .map(|r| r.message.as_str())
        .collect();
    assert_eq!(
        related,
        ["var.azure_policy from terraform.tfvars", "module.aks"]
    );
    // A missing setting has no trace, but still the module call.
    let missing = run(&super::etcd_encryption::RULE, &resource);
    assert_eq!(missing[0].related, [call]);
}

#[test]
fn missing_blocks_are_reported_at_the_resource_header() {
    let bare = cluster(Vec::new(), vec![default_pool(Vec::new())]);
    for (rule, field) in [
        (&super::etcd_encryption::RULE, "key_management_service"),
        (
            &super::secrets_store_driver::RULE,
            "key_vault_secrets_provider",
        ),
        (&super::defender::RULE, "microsoft_defender"),
        (&super::container_insights::RULE, "oms_agent"),
        (
            &super::entra_integration::RULE,
            "azure_active_directory_role_based_access_control",
        ),
    ] {
        let found = run(rule, &bare);
        assert_eq!(found.len(), 1, "{}", rule.id);
        assert_eq!(found[0].span.start.line, 1);
        assert_eq!(found[0].field, field);
        assert!(found[0].message.starts_with(&format!("no {field} block: ")));
    }
    let equipped = cluster(
        Vec::new(),
        vec![
            block(
                3,
                "key_management_service",
                vec![attr(4, "key_vault_key_id", string("https://kv/keys/k/1"))],
                Vec::new(),
            ),
            block(6, "key_vault_secrets_provider", Vec::new(), Vec::new()),
            block(8, "microsoft_defender", Vec::new(), Vec::new()),
            block(10, "oms_agent", Vec::new(), Vec::new()),
            block(
                12,
                "azure_active_directory_role_based_access_control",
                Vec::new(),
                Vec::new(),
            ),
        ],
    );
    for rule in [
        &super::etcd_encryption::RULE,
        &super::secrets_store_driver::RULE,
        &super::defender::RULE,
        &super::container_insights::RULE,
        &super::entra_integration::RULE,
    ] {
        assert!(run(rule, &equipped).is_empty(), "{}", rule.id);
    }
}

#[test]
fn secret_rotation_needs_the_provider_block() {
    let rule = &super::secret_rotation::RULE;
    assert!(run(rule, &cluster(Vec::new(), Vec::new())).is_empty());
    let absent = cluster(
        Vec::new(),
        vec![block(
            6,
            "key_vault_secrets_provider",
            Vec::new(),
            Vec::new(),
        )],
    );
    assert_eq!(lines(rule, &absent), [6]);
    assert_eq!(
        run(rule, &absent)[0].field,
        "key_vault_secrets_provider.secret_rotation_enabled"
    );
    let off = cluster(
        Vec::new(),
        vec![block(
            6,
            "key_vault_secrets_provider",
            vec![attr(7, "secret_rotation_enabled", bool(false))],
            Vec::new(),
        )],
    );
    assert_eq!(lines(rule, &off), [7]);
    let on = cluster(
        Vec::new(),
        vec![block(
            6,
            "key_vault_secrets_provider",
            vec![attr(7, "secret_rotation_enabled", bool(true))],
            Vec::new(),
        )],
    );
    assert!(run(rule, &on).is_empty());
}

fn api_server(attributes: Vec<TfAttribute>, ranges: Option<TfValue>) -> TfResource {
    let blocks = ranges
        .map(|value| {
            vec![block(
                8,
                "api_server_access_profile",
                vec![attr(9, "authorized_ip_ranges", value)],
                Vec::new(),
            )]
        })
        .unwrap_or_default();
    cluster(attributes, blocks)
}

#[test]
fn api_server_access() {
    let rule = &super::api_server_access::RULE;
    // Public by default, no ranges: the resource header.
    let open = api_server(Vec::new(), None);
    assert_eq!(lines(rule, &open), [1]);
    assert_eq!(
        messages(rule, &open),
        [
            "API server is public (private_cluster_enabled defaults to false) and no authorized IP ranges restrict it"
        ]
    );
    // Private clusters and restrictive ranges pass.
    let private = api_server(vec![attr(2, "private_cluster_enabled", bool(true))], None);
    assert!(run(rule, &private).is_empty());
    let restricted = api_server(Vec::new(), Some(list(&["203.0.113.0/28"])));
    assert!(run(rule, &restricted).is_empty());
    let legacy = api_server(
        vec![attr(
            3,
            "api_server_authorized_ip_ranges",
            list(&["203.0.113.0/28"]),
        )],
        None,
    );
    assert!(run(rule, &legacy).is_empty());
    // Every address, or none.
    let everyone = api_server(
        vec![attr(2, "private_cluster_enabled", bool(false))],
        Some(list(&["203.0.113.0/28", "0.0.0.0/0"])),
    );
    let found = run(rule, &everyone);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span.start.line, 9);
    assert_eq!(
        found[0].field,
        "api_server_access_profile.authorized_ip_ranges"
    );
    assert_eq!(
        found[0].message,
        "API server is public and its authorized IP ranges include \"0.0.0.0/0\""
    );
    assert_eq!(
        found[0].related[0].span.start.line, 2,
        "private_cluster_enabled"
    );
    let legacy_open = api_server(
        vec![attr(3, "api_server_authorized_ip_ranges", list(&["::/0"]))],
        None,
    );
    assert_eq!(lines(rule, &legacy_open), [3]);
    assert_eq!(
        run(rule, &legacy_open)[0].field,
        "api_server_authorized_ip_ranges"
    );
    let empty = api_server(Vec::new(), Some(list(&[])));
    assert_eq!(lines(rule, &empty), [9]);
    // A profile without ranges: its header.
    let profile_only = cluster(
        Vec::new(),
        vec![block(
            8,
            "api_server_access_profile",
            vec![attr(9, "subnet_id", string("/subscriptions/x"))],
            Vec::new(),
        )],
    );
    assert_eq!(lines(rule, &profile_only), [8]);
}

#[test]
fn api_server_access_with_unknown_values() {
    let rule = &super::api_server_access::RULE;
    let unknown_private = api_server(
        vec![attr(2, "private_cluster_enabled", TfValue::Unknown)],
        None,
    );
    assert_eq!(
        (lines(rule, &unknown_private), notes(rule, &unknown_private)),
        (vec![], vec![2])
    );
    // Restrictive ranges decide even when privacy is unknown.
    let unknown_but_restricted = api_server(
        vec![attr(2, "private_cluster_enabled", TfValue::Unknown)],
        Some(list(&["203.0.113.0/28"])),
    );
    assert!(run(rule, &unknown_but_restricted).is_empty());
    let unknown_ranges = api_server(Vec::new(), Some(TfValue::Unknown));
    assert_eq!(
        (lines(rule, &unknown_ranges), notes(rule, &unknown_ranges)),
        (vec![], vec![9])
    );
    // An unknown item could be anything, unless a known item opens the list.
    let partly = TfValue::List(vec![string("203.0.113.0/28"), TfValue::Unknown]);
    let partly_unknown = api_server(Vec::new(), Some(partly));
    assert_eq!(
        (lines(rule, &partly_unknown), notes(rule, &partly_unknown)),
        (vec![], vec![9])
    );
    let open = TfValue::List(vec![TfValue::Unknown, string("0.0.0.0/0")]);
    assert_eq!(lines(rule, &api_server(Vec::new(), Some(open))), [9]);
    // A private cluster needs no ranges, known or not.
    let private = api_server(
        vec![attr(2, "private_cluster_enabled", bool(true))],
        Some(TfValue::Unknown),
    );
    assert!(run(rule, &private).is_empty());
}

#[test]
fn network_policy() {
    let rule = &super::network_policy::RULE;
    assert_eq!(lines(rule, &cluster(Vec::new(), Vec::new())), [1]);
    let profile = |attributes| {
        cluster(
            Vec::new(),
            vec![block(8, "network_profile", attributes, Vec::new())],
        )
    };
    let no_policy = profile(vec![attr(9, "network_plugin", string("azure"))]);
    assert_eq!(lines(rule, &no_policy), [8]);
    assert_eq!(
        run(rule, &no_policy)[0].field,
        "network_profile.network_policy"
    );
    assert_eq!(
        lines(
            rule,
            &profile(vec![attr(10, "network_policy", string("none"))])
        ),
        [10]
    );
    assert!(
        run(
            rule,
            &profile(vec![attr(10, "network_policy", string("calico"))])
        )
        .is_empty()
    );
    assert_eq!(
        notes(
            rule,
            &profile(vec![attr(10, "network_policy", TfValue::Unknown)])
        ),
        [10]
    );
}

#[test]
fn workload_identity() {
    let rule = &super::workload_identity::RULE;
    let on = |oidc: Option<bool>| {
        let mut attributes = vec![attr(2, "workload_identity_enabled", bool(true))];
        attributes.extend(oidc.map(|b| attr(3, "oidc_issuer_enabled", bool(b))));
        cluster(attributes, Vec::new())
    };
    assert!(
        run(rule, &on(None)).is_empty(),
        "the issuer's default depends on the provider"
    );
    assert!(run(rule, &on(Some(true))).is_empty());
    assert_eq!(lines(rule, &on(Some(false))), [3]);
    let both_off = cluster(
        vec![
            attr(2, "workload_identity_enabled", bool(false)),
            attr(3, "oidc_issuer_enabled", bool(false)),
        ],
        Vec::new(),
    );
    assert_eq!(lines(rule, &both_off), [2, 3]);
}

#[test]
fn upgrade_channels_in_both_spellings() {
    let cluster_channel = &super::cluster_upgrade_channel::RULE;
    let node_channel = &super::node_os_upgrade_channel::RULE;
    let bare = cluster(Vec::new(), Vec::new());
    assert_eq!(lines(cluster_channel, &bare), [1]);
    assert_eq!(
        messages(cluster_channel, &bare),
        [
            "automatic_upgrade_channel (automatic_channel_upgrade before azurerm 4.0) is not set (provider default: none): Kubernetes is upgraded only by hand"
        ]
    );
    let with = |name: &str, value: &str| cluster(vec![attr(4, name, string(value))], Vec::new());
    assert_eq!(
        lines(cluster_channel, &with("automatic_channel_upgrade", "none")),
        [4]
    );
    assert_eq!(
        lines(cluster_channel, &with("automatic_upgrade_channel", "none")),
        [4]
    );
    assert!(run(cluster_channel, &with("automatic_upgrade_channel", "patch")).is_empty());
    assert!(
        run(
            cluster_channel,
            &with("automatic_channel_upgrade", "stable")
        )
        .is_empty()
    );

    assert!(run(node_channel, &bare).is_empty());
    assert_eq!(
        lines(node_channel, &with("node_os_upgrade_channel", "None")),
        [4]
    );
    assert_eq!(
        lines(node_channel, &with("node_os_channel_upgrade", "Unmanaged")),
        [4]
    );
    assert!(
        run(
            node_channel,
            &with("node_os_upgrade_channel", "SecurityPatch")
        )
        .is_empty()
    );
    assert!(run(node_channel, &with("node_os_channel_upgrade", "NodeImage")).is_empty());
}

#[test]
fn node_pools_in_both_spellings() {
    let encryption = &super::host_encryption::RULE;
    let public_ip = &super::node_public_ip::RULE;
    let bare = cluster(Vec::new(), vec![default_pool(Vec::new())]);
    assert_eq!(lines(encryption, &bare), [5]);
    assert_eq!(
        run(encryption, &bare)[0].field,
        "default_node_pool.host_encryption_enabled"
    );
    let v3 = cluster(
        Vec::new(),
        vec![default_pool(vec![
            attr(6, "enable_host_encryption", bool(true)),
            attr(7, "enable_node_public_ip", bool(true)),
        ])],
    );
    assert!(run(encryption, &v3).is_empty());
    assert_eq!(lines(public_ip, &v3), [7]);
    assert_eq!(
        run(public_ip, &v3)[0].field,
        "default_node_pool.enable_node_public_ip"
    );

    let pool = |attributes| {
        resource(
            "azurerm_kubernetes_cluster_node_pool",
            attributes,
            Vec::new(),
        )
    };
    assert_eq!(lines(encryption, &pool(Vec::new())), [1]);
    assert!(run(public_ip, &pool(Vec::new())).is_empty());
    let v4 = pool(vec![
        attr(3, "host_encryption_enabled", bool(false)),
        attr(4, "node_public_ip_enabled", bool(true)),
    ]);
    assert_eq!(lines(encryption, &v4), [3]);
    assert_eq!(lines(public_ip, &v4), [4]);
    assert_eq!(run(public_ip, &v4)[0].field, "node_public_ip_enabled");
}

#[test]
fn azure_rbac_is_judged_inside_the_entra_block_only() {
    let rule = &super::azure_rbac::RULE;
    let entra = |attributes| {
        cluster(
            Vec::new(),
            vec![block(
                10,
                "azure_active_directory_role_based_access_control",
                attributes,
                Vec::new(),
            )],
        )
    };
    // No block: AKS008's finding, not this rule's.
    assert!(run(rule, &cluster(Vec::new(), Vec::new())).is_empty());
    assert_eq!(lines(rule, &entra(Vec::new())), [10]);
    assert_eq!(
        lines(
            rule,
            &entra(vec![attr(11, "azure_rbac_enabled", bool(false))])
        ),
        [11]
    );
    assert!(
        run(
            rule,
            &entra(vec![attr(11, "azure_rbac_enabled", bool(true))])
        )
        .is_empty()
    );
    // azurerm 3.x: the legacy integration ignores azure_rbac_enabled.
    let legacy = entra(vec![
        attr(11, "managed", bool(false)),
        attr(12, "azure_rbac_enabled", bool(true)),
    ]);
    assert_eq!(lines(rule, &legacy), [11]);
    let managed = entra(vec![
        attr(11, "managed", bool(true)),
        attr(12, "azure_rbac_enabled", bool(true)),
    ]);
    assert!(run(rule, &managed).is_empty());
    let unknown = entra(vec![attr(12, "azure_rbac_enabled", TfValue::Unknown)]);
    assert_eq!(lines(rule, &unknown), Vec::<u32>::new());
    assert_eq!(notes(rule, &unknown), [12]);
    assert_eq!(
        messages(rule, &entra(Vec::new())),
        [
            "azure_rbac_enabled is false (provider default): Kubernetes RoleBindings, not Azure role assignments, decide what users may do"
        ]
    );
}
