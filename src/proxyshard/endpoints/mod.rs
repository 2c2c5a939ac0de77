//! ProxyShard User API operations, one params value per operation (it is also the endpoint).
//!
//! Field names are the vendor's wire names, path parameters included (the vendor names the
//! order id `order_id` on some paths and `id` on others; both are kept as documented).
//! POSTs that take no body send `{}`: the server rejects a POST without a Content-Length.
//!
//! Most operations are data: their overlay entry in `spec/overlay.yaml` says `checks: data`
//! and gives each field's rule, and `cargo xtask gen` writes their params, reader, rules and
//! request ([`wire`], run by [`crate::wire`]). What is code is here, one file per group of
//! the vendor's docs (User API v1.1.0) that has any: Datacenter & ISP proxies (`proxies.rs`,
//! `addons.rs`), General (`orders.rs`) and Residential Proxies (`sub_users.rs`: the page
//! walk's rules and the hints). The files are private and every type is re-exported here,
//! so the public paths (`proxyshard::endpoints::PurchaseOrderParams`) do not depend on the
//! file layout.

use serde_json::{json, Value};

use super::rules::{AddonRequest, PROXY_TYPES};
use crate::endpoint::{object_of, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::Fields;
use crate::validate::Problems;

pub use crate::validate::Validate;

/// ProxyShard's hints are minimums the vendor does not state (see [`Hints`]).
pub use crate::validate::Hints;

fn hint_zero(p: &mut Problems, field: &str, v: Option<u64>, what: &str) {
    if v == Some(0) {
        p.add(field, format!("hint: 0 {what} (the docs state no minimum)"));
    }
}

fn api(parts: &[&str]) -> Vec<String> {
    let mut v = vec!["user".to_owned(), "api".to_owned()];
    v.extend(parts.iter().map(|s| (*s).to_owned()));
    v
}

fn spec(method: Method, segments: Vec<String>) -> RequestSpec {
    RequestSpec {
        method,
        segments,
        query: Vec::new(),
        // The server (actix-web) refuses a POST/PATCH without a body length: always send one.
        body: matches!(method, Method::Post | Method::Patch).then(|| json!({})),
    }
}

fn body(fields: Vec<(&str, Option<Value>)>) -> Option<Value> {
    Some(object_of(fields))
}

fn proxy_type(p: &mut Problems, v: &str) {
    p.one_of("proxy_type", v, PROXY_TYPES);
}

fn addons_from(f: &mut Fields, name: &'static str) -> Result<Option<Vec<AddonRequest>>, Error> {
    f.opt_list(name, |v, field| {
        let mut item = Fields::item(v, &field)?;
        let addon = AddonRequest {
            addon_key: item.take_str("addon_key"),
            qty: item.take_uint("qty"),
        };
        item.finish_item(&field)?;
        Ok(addon)
    })
}

fn addons_json(addons: &[AddonRequest]) -> Value {
    Value::Array(
        addons
            .iter()
            .map(|a| {
                object_of(vec![
                    ("addon_key", Some(a.addon_key.as_str().into())),
                    ("qty", Some(a.qty.into())),
                ])
            })
            .collect(),
    )
}

/// Declares a params type's endpoint: operation name, auth, output and reply shape.
macro_rules! endpoint {
    ($params:ty, $op:literal, $auth:expr, $out:ty, $reply:expr, |$s:ident| $spec:expr) => {
        impl Endpoint for $params {
            const OPERATION: &'static str = $op;
            const AUTH: Auth = $auth;
            type Output = $out;
            const REPLY: &'static Ty = $reply;
            fn spec(&self) -> Result<RequestSpec, Error> {
                self.problems().into_result()?;
                let $s = self;
                Ok($spec)
            }
        }
    };
}

mod addons;
mod orders;
mod proxies;
mod sub_users;
// The readers and `Endpoint` impls `cargo xtask gen` derives from the spec.
mod params;
/// The operations that are data (`checks: data` in `spec/overlay.yaml`), as
/// [`crate::wire::Wire`]s, and the readers and `Endpoint` impls `cargo xtask gen` derives
/// from the spec.
pub mod wire;

pub use addons::*;
pub use orders::*;
pub use params::*;
pub use proxies::*;
