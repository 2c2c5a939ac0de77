//! Datacenter & ISP proxies: per-IP removal marks and p0f signatures (`setPerIpDeletion`,
//! `setP0fSignatures`, lists of items). The live proxies of an order (`listActiveProxies`)
//! are data (`spec/overlay.yaml`).
//!
//! Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>

use serde_json::Value;
use tsify::Tsify;

use super::{api, spec, Hints, Validate};
use crate::endpoint::{object_of, Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::models::*;
use crate::proxyshard::rules::{is_ip, P0F_SIGNATURES};
use crate::validate::Problems;

/// `{ ip, value }` of `setPerIpDeletion`.
#[derive(Clone, Debug, PartialEq, Eq, Tsify)]
pub struct DelNpItem {
    /// The proxy IP.
    pub ip: String,
    /// `true` marks the IP for removal, `false` clears the mark.
    pub value: bool,
}

/// Params of `setPerIpDeletion` (`POST /user/api/orders/{order_id}/del-np/set`): mark or
/// unmark IPs of a **Datacenter / ISP** order for removal; the order's `quantity` and
/// `price_paid` are recomputed. At least one IP must remain (the server refuses otherwise).
///
/// Rules: `order_id` positive id; each item has an IP address and a boolean `value`.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct SetPerIpDeletionParams {
    /// The order (path).
    pub order_id: u64,
    /// The IPs and their marks.
    pub items: Vec<DelNpItem>,
}

impl FromJson for SetPerIpDeletionParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = SetPerIpDeletionParams {
            order_id: f.take_uint("order_id"),
            items: f.take_with(|f| {
                f.opt_list("items", |v, field| {
                    let mut i = Fields::item(v, &field)?;
                    let item = DelNpItem {
                        ip: i.take_str("ip"),
                        value: i.take_bool("value"),
                    };
                    i.finish_item(&field)?;
                    Ok(item)
                })?
                .ok_or_else(|| Error::invalid("items", "is required"))
            }),
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for SetPerIpDeletionParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        for (i, item) in self.items.iter().enumerate() {
            if !is_ip(&item.ip) {
                p.add(format!("items[{i}].ip"), "must be an IP address");
            }
        }
        p
    }
}
endpoint!(
    SetPerIpDeletionParams,
    "setPerIpDeletion",
    Auth::Required,
    ApiMessage,
    &crate::proxyshard::shapes::API_MESSAGE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "del-np", "set"]));
        let items: Vec<Value> = s
            .items
            .iter()
            .map(|i| {
                object_of(vec![
                    ("ip", Some(i.ip.as_str().into())),
                    ("value", Some(i.value.into())),
                ])
            })
            .collect();
        r.body = Some(object_of(vec![("items", Some(Value::Array(items)))]));
        r
    }
);

/// `{ ip, signature }` of `setP0fSignatures`.
#[derive(Clone, Debug, PartialEq, Eq, Tsify)]
pub struct SignatureItem {
    /// The proxy IP.
    pub ip: String,
    /// OS fingerprint: `ios`, `macos`, `android`, `linux`, `win10` or `win11`.
    #[tsify(type = "P0fSignature")]
    pub signature: String,
}

/// Params of `setP0fSignatures` (`POST /user/api/orders/{order_id}/signature/set`): the OS
/// TCP/IP fingerprint (p0f) of IPs of a **Datacenter / ISP** order. Needs a `p0f_slots`
/// add-on: the first signature on an IP uses one slot for good; changing it later is free.
/// Close open connections first and allow 2–3 minutes for the change.
///
/// Rules: `order_id` positive id; each item a valid IP and a signature in
/// ios / macos / android / linux / win10 / win11.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct SetP0fSignaturesParams {
    /// The order (path).
    pub order_id: u64,
    /// The IPs and their signatures.
    pub items: Vec<SignatureItem>,
}

impl FromJson for SetP0fSignaturesParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = SetP0fSignaturesParams {
            order_id: f.take_uint("order_id"),
            items: f.take_with(|f| {
                f.opt_list("items", |v, field| {
                    let mut i = Fields::item(v, &field)?;
                    let item = SignatureItem {
                        ip: i.take_str("ip"),
                        signature: i.take_str("signature"),
                    };
                    i.finish_item(&field)?;
                    Ok(item)
                })?
                .ok_or_else(|| Error::invalid("items", "is required"))
            }),
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for SetP0fSignaturesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        // An empty list: `items` is required but the docs give no minimum length (hint).
        for (i, item) in self.items.iter().enumerate() {
            if !is_ip(&item.ip) {
                p.add(format!("items[{i}].ip"), "must be an IP address");
            }
            p.one_of(
                &format!("items[{i}].signature"),
                &item.signature,
                P0F_SIGNATURES,
            );
        }
        p
    }
}
impl Hints for SetP0fSignaturesParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        if self.items.is_empty() {
            p.add(
                "items",
                "hint: empty, nothing to set (the docs state no minimum)",
            );
        }
        p
    }
}
endpoint!(
    SetP0fSignaturesParams,
    "setP0fSignatures",
    Auth::Required,
    SignatureSetResponse,
    &crate::proxyshard::shapes::SIGNATURE_SET_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "signature", "set"]));
        let items: Vec<Value> = s
            .items
            .iter()
            .map(|i| {
                object_of(vec![
                    ("ip", Some(i.ip.as_str().into())),
                    ("signature", Some(i.signature.as_str().into())),
                ])
            })
            .collect();
        r.body = Some(object_of(vec![("items", Some(Value::Array(items)))]));
        r
    }
);
