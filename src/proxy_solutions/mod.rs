//! Proxy-Solutions v3 client API.
//!
//! Vendor docs: <https://proxy-solutions.gitbook.io/api-en/>. The SDK reference this module
//! follows is `shared/api/proxy-solutions.md`; operation names are the `operationId`s of
//! `shared/api/proxy-solutions.openapi.yaml`.

pub mod endpoints;
pub mod forms;
pub mod models;
pub mod rules;
pub mod shapes;

use crate::config::Defaults;

/// Default base URL: the host of the v3 docs' request samples. Newer samples use
/// `https://proxy-solutions.net/api`; pass it as `baseUrl` to use that host.
pub const DEFAULT_BASE_URL: &str = "https://v3.proxy-solutions.net/api";

/// Provider defaults. The vendor names its auth scheme `api-key` but does not publish how
/// the key is sent, so the header name and prefix are configurable; `X-API-KEY: <key>` is a
/// placeholder default to confirm against the live API.
pub const DEFAULTS: Defaults = Defaults {
    base_url: DEFAULT_BASE_URL,
    auth_header: "X-API-KEY",
    auth_prefix: "",
    auth_configurable: true,
};
