//! The compliance frameworks rules can be selected by.

/// A framework a rule can belong to.
#[derive(Debug)]
pub struct Framework {
    /// Stable identifier used by `--framework` and in reports.
    pub id: &'static str,
    pub title: &'static str,
}

/// Every framework Vigie knows.
pub const FRAMEWORKS: &[Framework] = &[
    Framework {
        id: "pss-baseline",
        title: "Kubernetes Pod Security Standards, Baseline profile",
    },
    Framework {
        id: "pss-restricted",
        title: "Kubernetes Pod Security Standards, Restricted profile (includes Baseline)",
    },
];

/// The framework with this ID.
pub fn find(id: &str) -> Option<&'static Framework> {
    FRAMEWORKS.iter().find(|f| f.id == id)
}
