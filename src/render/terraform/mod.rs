//! Terraform: the resources of HCL modules and of plans in JSON.

pub mod plan;
