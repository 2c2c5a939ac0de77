//! ProxyShard User API (spec v1.1.0).
//!
//! Vendor docs: <https://docs.proxyshard.com/user-api/general>. The SDK reference this module
//! follows is `shared/api/proxyshard.md`; operation names are the `operationId`s of
//! `shared/api/proxyshard.openapi.yaml`.

pub mod endpoints;
pub mod forms;
pub mod models;
pub mod rules;
pub mod shapes;
pub mod walk;

use crate::config::Defaults;

/// Default base URL, the only server the vendor lists.
pub const DEFAULT_BASE_URL: &str = "https://user-api.proxyshard.com";

/// Provider defaults: the vendor documents `Authorization: Bearer <key>`, so it is fixed.
pub const DEFAULTS: Defaults = Defaults {
    base_url: DEFAULT_BASE_URL,
    auth_header: "Authorization",
    auth_prefix: "Bearer",
    auth_configurable: false,
};
