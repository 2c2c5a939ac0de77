//! The operation tables derived from `spec/` (the two OpenAPI files and `spec/overlay.yaml`)
//! by `cargo xtask gen`: one row per operation with its method, path, retry class, key use
//! and scope. The files under this module except this one are generated; `make test` fails
//! when they differ from what `spec/` gives (`cargo xtask gen --check`).

use crate::config::ClientConfig;
use crate::endpoint::{check_reply, decode_value, reply_value, Endpoint};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::json::{FromJson, Ty};
use crate::policy::Class;

#[cfg(feature = "proxy-solutions")]
pub mod proxy_solutions;
#[cfg(feature = "proxyshard")]
pub mod proxyshard;

/// Whether an operation sends the API key (from the spec's `security` and the overlay).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Needed: without a key the call is refused before sending.
    Required,
    /// Sent when configured (public catalogue calls).
    Optional,
    /// Never sent, even when configured (health probes: `security: []`).
    Never,
    /// Needed only to pay from the account balance (Proxy-Solutions `chargeOrder`).
    BalanceOnly,
}

/// One operation of a provider's OpenAPI file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`, also the JS method name.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL (`/user/api/orders/{id}`).
    pub path: &'static str,
    /// Whether proxykit may retry it ([`Class`]).
    pub class: Class,
    /// Whether it sends the key.
    pub key: Key,
    /// Whether it works only on Datacenter and ISP orders (ProxyShard's group of the call).
    pub dc_isp: bool,
}

/// Every operation of the providers compiled in (Proxy-Solutions first).
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    let ps: &[Operation] = {
        #[cfg(feature = "proxy-solutions")]
        {
            proxy_solutions::OPERATIONS
        }
        #[cfg(not(feature = "proxy-solutions"))]
        {
            &[]
        }
    };
    let shard: &[Operation] = {
        #[cfg(feature = "proxyshard")]
        {
            proxyshard::OPERATIONS
        }
        #[cfg(not(feature = "proxyshard"))]
        {
            &[]
        }
    };
    ps.iter().chain(shard)
}

/// An operation's reply as the SDK reads it: the documented shape every reply is checked
/// against, and whether the reply model (the typed view and the TypeScript declarations)
/// decodes a value. The schema tests mutate example replies and require both to agree.
#[derive(Clone, Copy)]
pub struct Reply {
    /// The operationId.
    pub operation: &'static str,
    /// The shape ([`Endpoint::REPLY`]).
    pub shape: &'static Ty,
    /// Whether [`Endpoint::Output`] decodes the value.
    pub decodes: fn(&serde_json::Value) -> bool,
}

/// [`Reply`] of operation `E`; what each provider's generated `reply` dispatches to.
pub fn reply<E: Endpoint>() -> Reply {
    Reply {
        operation: E::OPERATION,
        shape: E::REPLY,
        decodes: |v| serde_json::from_value::<E::Output>(v.clone()).is_ok(),
    }
}

/// One operation end to end without I/O: reads `params` as `E`'s params (checking the
/// rules, with no rule context), builds the request, and with `reply` decodes it into the
/// reply model and checks its documented shape. What each provider's generated `exercise`
/// dispatches to by operationId, for tests and tools that go over every operation.
pub fn exercise<E: Endpoint + FromJson>(
    params: &serde_json::Value,
    config: &ClientConfig,
    reply: Option<&HttpResponse>,
) -> Result<HttpRequest, Error> {
    let endpoint = E::from_json(params)?;
    let request = endpoint.build(config)?;
    if let Some(response) = reply {
        let value = reply_value(E::OPERATION, E::ANY_BODY, response)?;
        check_reply(E::OPERATION, response.status, E::REPLY, &value)?;
        decode_value::<E::Output>(E::OPERATION, response.status, &value)?;
    }
    Ok(request)
}
