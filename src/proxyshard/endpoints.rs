//! ProxyShard User API operations, one params value per operation (it is also the endpoint).
//!
//! Field names are the vendor's wire names, path parameters included (the vendor names the
//! order id `order_id` on some paths and `id` on others; both are kept as documented).
//! POSTs that take no body send `{}`: the server rejects a POST without a Content-Length.

use serde_json::{json, Value};
use tsify::Tsify;

use super::models::*;
use super::rules::{
    is_ip, one_of, purchase_problems, AddonRequest, PurchaseShape, Variant, MAX_ORDERS_LIMIT,
    ORDER_STATUSES, P0F_SIGNATURES, PROXY_TYPES,
};
use crate::endpoint::{object_of, Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
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

fn user_id(p: &mut Problems, v: &str) {
    p.path_segment("user_id", v);
}

fn proxy_type(p: &mut Problems, v: &str) {
    one_of(p, "proxy_type", v, PROXY_TYPES);
}

fn addons_from(f: &mut Fields, name: &'static str) -> Result<Option<Vec<AddonRequest>>, Error> {
    f.opt_list(name, |v, field| {
        let mut item =
            Fields::new(v).map_err(|_| Error::invalid(field.clone(), "must be an object"))?;
        let addon_key = item.str("addon_key").map_err(|e| e.under(&field))?;
        let qty = item.uint("qty").map_err(|e| e.under(&field))?;
        item.finish().map_err(|e| e.under(&field))?;
        Ok(AddonRequest { addon_key, qty })
    })
}

fn addons_json(addons: &[AddonRequest]) -> Value {
    Value::Array(
        addons
            .iter()
            .map(|a| json!({"addon_key": a.addon_key, "qty": a.qty}))
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

// ------------------------------------------------------------ Datacenter & ISP proxies

/// Params of `listActiveProxies` (`GET /user/api/proxies/active`): the live proxies of a
/// **Datacenter / ISP** order, with credentials and ports (403 for other orders).
///
/// Rules: `order_id` positive id.
/// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListActiveProxiesParams {
    /// The order (query).
    pub order_id: u64,
}

impl FromJson for ListActiveProxiesParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ListActiveProxiesParams {
            order_id: f.uint("order_id")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for ListActiveProxiesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p
    }
}
endpoint!(
    ListActiveProxiesParams,
    "listActiveProxies",
    Auth::Required,
    ActiveProxiesResponse,
    &ACTIVE_PROXIES_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["proxies", "active"]));
        r.query.push(("order_id", s.order_id.to_string()));
        r
    }
);

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
        let order_id = f.uint("order_id")?;
        let items = f
            .opt_list("items", |v, field| {
                let mut i = Fields::new(v)
                    .map_err(|_| Error::invalid(field.clone(), "must be an object"))?;
                let item = DelNpItem {
                    ip: i.str("ip").map_err(|e| e.under(&field))?,
                    value: i.bool("value").map_err(|e| e.under(&field))?,
                };
                i.finish().map_err(|e| e.under(&field))?;
                Ok(item)
            })?
            .ok_or_else(|| Error::invalid("items", "is required"))?;
        f.finish()?;
        Ok(SetPerIpDeletionParams { order_id, items })
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
    &API_MESSAGE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "del-np", "set"]));
        let items: Vec<Value> = s
            .items
            .iter()
            .map(|i| json!({"ip": i.ip, "value": i.value}))
            .collect();
        r.body = Some(json!({ "items": items }));
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
        let order_id = f.uint("order_id")?;
        let items = f
            .opt_list("items", |v, field| {
                let mut i = Fields::new(v)
                    .map_err(|_| Error::invalid(field.clone(), "must be an object"))?;
                let item = SignatureItem {
                    ip: i.str("ip").map_err(|e| e.under(&field))?,
                    signature: i.str("signature").map_err(|e| e.under(&field))?,
                };
                i.finish().map_err(|e| e.under(&field))?;
                Ok(item)
            })?
            .ok_or_else(|| Error::invalid("items", "is required"))?;
        f.finish()?;
        Ok(SetP0fSignaturesParams { order_id, items })
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
            one_of(
                &mut p,
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
    &SIGNATURE_SET_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "signature", "set"]));
        let items: Vec<Value> = s
            .items
            .iter()
            .map(|i| json!({"ip": i.ip, "signature": i.signature}))
            .collect();
        r.body = Some(json!({ "items": items }));
        r
    }
);

/// Params of `quoteAddon` (`GET /user/api/orders/{order_id}/addons/calculate`): the price of
/// extra add-on units for an active **Datacenter / ISP** order. Nothing is charged.
///
/// Rules: `order_id` positive id; `addon_key` non-empty (`p0f_slots` is the only documented
/// key; others are passed through); `add_qty` ≥ 1.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct QuoteAddonParams {
    /// The order (path).
    pub order_id: u64,
    /// Add-on key (query), e.g. `p0f_slots`.
    #[tsify(type = "AddonKey")]
    pub addon_key: String,
    /// Units to add (query), ≥ 1.
    pub add_qty: u64,
}

impl FromJson for QuoteAddonParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = QuoteAddonParams {
            order_id: f.uint("order_id")?,
            addon_key: f.str("addon_key")?,
            add_qty: f.uint("add_qty")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for QuoteAddonParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("addon_key", &self.addon_key);
        if self.add_qty == 0 {
            p.add("add_qty", "must be at least 1");
        }
        p
    }
}
endpoint!(
    QuoteAddonParams,
    "quoteAddon",
    Auth::Required,
    AddonCalculateResponse,
    &ADDON_CALCULATE_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Get, api(&["orders", &id, "addons", "calculate"]));
        r.query.push(("addon_key", s.addon_key.clone()));
        r.query.push(("add_qty", s.add_qty.to_string()));
        r
    }
);

/// Params of `purchaseAddon` (`POST /user/api/orders/{order_id}/addons/purchase`): buy
/// extra add-on units. **Moves money**: charges the wallet at once; the order must be
/// **active** and **Datacenter / ISP**.
///
/// Rules: `order_id` positive id; `addon_key` non-empty; `add_qty` ≥ 1.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct PurchaseAddonParams {
    /// The order (path).
    pub order_id: u64,
    /// Add-on key, e.g. `p0f_slots`.
    #[tsify(type = "AddonKey")]
    pub addon_key: String,
    /// Units to add, ≥ 1.
    pub add_qty: u64,
}

impl FromJson for PurchaseAddonParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let q = QuoteAddonParams::from_json(v)?;
        Ok(PurchaseAddonParams {
            order_id: q.order_id,
            addon_key: q.addon_key,
            add_qty: q.add_qty,
        })
    }
}
impl Validate for PurchaseAddonParams {
    fn problems(&self) -> Problems {
        QuoteAddonParams {
            order_id: self.order_id,
            addon_key: self.addon_key.clone(),
            add_qty: self.add_qty,
        }
        .problems()
    }
}
endpoint!(
    PurchaseAddonParams,
    "purchaseAddon",
    Auth::Required,
    AddonPurchaseResponse,
    &ADDON_PURCHASE_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "addons", "purchase"]));
        r.body = body(vec![
            ("addon_key", Some(s.addon_key.clone().into())),
            ("add_qty", Some(s.add_qty.into())),
        ]);
        r
    }
);

/// Params of `scheduleAddonDowngrade` (`POST /user/api/orders/{order_id}/addons/schedule`):
/// lower an add-on's units at the next renewal (**Datacenter / ISP**). Cancel with
/// `cancelAddonDowngrade`.
///
/// Rules: `order_id` positive id; `addon_key` non-empty; `action` is `downgrade` (the only
/// value; the default); `next_qty` ≥ 1, and below the add-on's current units when the call
/// options carry the order (`{ order }` from `getOrder`).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ScheduleAddonDowngradeParams {
    /// The order (path).
    pub order_id: u64,
    /// Add-on key, e.g. `p0f_slots`.
    #[tsify(type = "AddonKey")]
    pub addon_key: String,
    /// `downgrade`. Default **`downgrade`**.
    #[serde(default)]
    #[tsify(optional, type = "\"downgrade\"")]
    pub action: Option<String>,
    /// Units after the next renewal, ≥ 1 and below the current units.
    pub next_qty: u64,
    /// Current units of this add-on, when known (from the order in the call options).
    #[serde(skip)]
    pub current_qty: Option<i64>,
}

impl FromJson for ScheduleAddonDowngradeParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ScheduleAddonDowngradeParams {
            order_id: f.uint("order_id")?,
            addon_key: f.str("addon_key")?,
            action: f.opt_str("action")?,
            next_qty: f.uint("next_qty")?,
            current_qty: None,
        };
        f.finish()?;
        Ok(p)
    }
}
impl ScheduleAddonDowngradeParams {
    /// Takes the add-on's current units from an order detail (`getOrder`'s `order`, or the
    /// whole reply), so `next_qty` can be checked against them.
    pub fn with_order(mut self, order: &Value) -> Self {
        let order = order.get("order").unwrap_or(order);
        self.current_qty = order
            .get("addons")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|a| a.get("addon_key").and_then(Value::as_str) == Some(self.addon_key.as_str()))
            .and_then(|a| a.get("qty"))
            .and_then(Value::as_i64);
        self
    }
}
impl Validate for ScheduleAddonDowngradeParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("addon_key", &self.addon_key);
        if let Some(a) = &self.action {
            one_of(&mut p, "action", a, &["downgrade"]);
        }
        if self.next_qty == 0 {
            p.add("next_qty", "must be at least 1");
        } else if let Some(cur) = self.current_qty {
            if self.next_qty as i64 >= cur {
                p.add(
                    "next_qty",
                    format!("must be below the current quantity ({cur})"),
                );
            }
        }
        p
    }
}
endpoint!(
    ScheduleAddonDowngradeParams,
    "scheduleAddonDowngrade",
    Auth::Required,
    AddonsResponse,
    &ADDONS_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "addons", "schedule"]));
        r.body = body(vec![
            ("addon_key", Some(s.addon_key.clone().into())),
            ("action", Some("downgrade".into())),
            ("next_qty", Some(s.next_qty.into())),
        ]);
        r
    }
);

/// Params of `cancelAddonDowngrade`
/// (`POST /user/api/orders/{order_id}/addons/schedule/cancel`): drop a scheduled downgrade.
///
/// Rules: `order_id` positive id; `addon_key` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct CancelAddonDowngradeParams {
    /// The order (path).
    pub order_id: u64,
    /// Add-on key, e.g. `p0f_slots`.
    #[tsify(type = "AddonKey")]
    pub addon_key: String,
}

impl FromJson for CancelAddonDowngradeParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = CancelAddonDowngradeParams {
            order_id: f.uint("order_id")?,
            addon_key: f.str("addon_key")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for CancelAddonDowngradeParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("addon_key", &self.addon_key);
        p
    }
}
endpoint!(
    CancelAddonDowngradeParams,
    "cancelAddonDowngrade",
    Auth::Required,
    AddonsResponse,
    &ADDONS_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(
            Method::Post,
            api(&["orders", &id, "addons", "schedule", "cancel"]),
        );
        r.body = body(vec![("addon_key", Some(s.addon_key.clone().into()))]);
        r
    }
);

// ---------------------------------------------------------------------------- general

/// Params of `purchaseOrder` (`POST /user/api/orders/purchase`): create **and pay** for an
/// order from the wallet. **Moves money.** The fields depend on `product` (exact names from
/// `listProducts`):
///
/// - `Datacenter Proxy`, `ISP Proxy`: `location` and `cycle` required; `quantity` (IPs,
///   default 1), `auto_renewal` (default false), `promo_code`, `addons`.
/// - `Standart Residential Proxy`, `Premium Residential Proxy`: `product` only (fixed
///   lifetime, no location); `quantity` (default 1), `promo_code`, `addons`.
/// - `Unmetered Residential proxy`: `cycle` required; no `quantity`, no `location`.
/// - any other product (mobile plans, new products): `cycle` required; `location` optional.
///
/// Rules: the variant above; `quantity` ≥ 1; `addons` items `{ addon_key, qty ≥ 1 }`.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
// A union discriminated by `product` (declared in src/wasm/proxyshard.rs), not one
// interface: which fields are required depends on the product.
#[tsify(type = "PurchaseOrderFor<ProductName>")]
pub struct PurchaseOrderParams {
    /// Exact product name, e.g. `Datacenter Proxy`.
    #[tsify(type = "ProductName")]
    pub product: String,
    /// Location code (DC/ISP: required), e.g. `DE`.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub location: Option<String>,
    /// Cycle name, e.g. `monthly`.
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub cycle: Option<String>,
    /// Number of IPs (DC/ISP) or units. Default **1**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// Promo code.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub promo_code: Option<String>,
    /// Renew automatically from the wallet. Default **false**.
    #[serde(default)]
    #[tsify(optional, type = "boolean")]
    pub auto_renewal: Option<bool>,
    /// Add-ons to buy with the order.
    #[serde(default)]
    #[tsify(optional, type = "AddonRequest[] | null")]
    pub addons: Option<Vec<AddonRequest>>,
}

impl FromJson for PurchaseOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = PurchaseOrderParams {
            product: f.str("product")?,
            location: f.opt_str("location")?,
            cycle: f.opt_str("cycle")?,
            quantity: f.opt_uint("quantity")?,
            promo_code: f.opt_str("promo_code")?,
            auto_renewal: f.opt_bool("auto_renewal")?,
            addons: addons_from(&mut f, "addons")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for PurchaseOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        purchase_problems(
            &mut p,
            &PurchaseShape {
                product: &self.product,
                location: self.location.as_deref(),
                cycle: self.cycle.as_deref(),
                quantity: self.quantity,
                auto_renewal: self.auto_renewal,
                addons: self.addons.as_deref(),
            },
        );
        p
    }
}
endpoint!(
    PurchaseOrderParams,
    "purchaseOrder",
    Auth::Required,
    PurchaseResponse,
    &PURCHASE_RESPONSE,
    |s| {
        let mut r = spec(Method::Post, api(&["orders", "purchase"]));
        // Standard/Premium residential: the vendor's variant has no `cycle` and no
        // `auto_renewal`; the accepted `"lifetime"` / `false` are what it is anyway.
        let residential = Variant::of(&s.product) == Variant::Residential;
        r.body = body(vec![
            ("product", Some(s.product.clone().into())),
            ("location", s.location.clone().map(Into::into)),
            (
                "cycle",
                s.cycle.clone().filter(|_| !residential).map(Into::into),
            ),
            ("quantity", s.quantity.map(Into::into)),
            ("promo_code", s.promo_code.clone().map(Into::into)),
            (
                "auto_renewal",
                s.auto_renewal.filter(|_| !residential).map(Into::into),
            ),
            ("addons", s.addons.as_deref().map(addons_json)),
        ]);
        r
    }
);

/// Params of `quoteOrder` (`GET /user/api/orders/calculate`): the price of a purchase, with
/// the same per-product rules as `purchaseOrder`. Nothing is charged. `addons` is a typed
/// list; proxykit sends it as the vendor's `addons_json` query parameter.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
// Discriminated by `product`, like `PurchaseOrderParams`.
#[tsify(type = "QuoteOrderFor<ProductName>")]
pub struct QuoteOrderParams {
    /// Exact product name.
    #[tsify(type = "ProductName")]
    pub product: String,
    /// Location code (DC/ISP: required).
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub location: Option<String>,
    /// Cycle name.
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub cycle: Option<String>,
    /// Quantity. Default **1**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// Promo code.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub promo_code: Option<String>,
    /// Add-ons to price with the order (sent as `addons_json`).
    #[serde(default)]
    #[tsify(optional, type = "AddonRequest[] | null")]
    pub addons: Option<Vec<AddonRequest>>,
}

impl FromJson for QuoteOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = QuoteOrderParams {
            product: f.str("product")?,
            location: f.opt_str("location")?,
            cycle: f.opt_str("cycle")?,
            quantity: f.opt_uint("quantity")?,
            promo_code: f.opt_str("promo_code")?,
            addons: addons_from(&mut f, "addons")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for QuoteOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        purchase_problems(
            &mut p,
            &PurchaseShape {
                product: &self.product,
                location: self.location.as_deref(),
                cycle: self.cycle.as_deref(),
                quantity: self.quantity,
                auto_renewal: None,
                addons: self.addons.as_deref(),
            },
        );
        p
    }
}
endpoint!(
    QuoteOrderParams,
    "quoteOrder",
    Auth::Required,
    OrderCalculateResponse,
    &ORDER_CALCULATE_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["orders", "calculate"]));
        r.query.push(("product", s.product.clone()));
        if let Some(l) = &s.location {
            r.query.push(("location", l.clone()));
        }
        // As in `purchaseOrder`: no `cycle` for Standard/Premium residential.
        let residential = Variant::of(&s.product) == Variant::Residential;
        if let Some(c) = s.cycle.as_ref().filter(|_| !residential) {
            r.query.push(("cycle", c.clone()));
        }
        if let Some(q) = s.quantity {
            r.query.push(("quantity", q.to_string()));
        }
        if let Some(p) = &s.promo_code {
            r.query.push(("promo_code", p.clone()));
        }
        if let Some(a) = &s.addons {
            r.query.push(("addons_json", addons_json(a).to_string()));
        }
        r
    }
);

/// Params of `changeBillingCycle` (`POST /user/api/orders/change-billing-cycle/{order_id}`):
/// switch a **Datacenter / ISP** order's cycle (a promo code not valid for the new cycle is
/// dropped by the vendor; 403 = cycle not offered to you).
///
/// Rules: `order_id` positive id; `cycle` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ChangeBillingCycleParams {
    /// The order (path).
    pub order_id: u64,
    /// New cycle name, e.g. `monthly`.
    pub cycle: String,
}

impl FromJson for ChangeBillingCycleParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ChangeBillingCycleParams {
            order_id: f.uint("order_id")?,
            cycle: f.str("cycle")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for ChangeBillingCycleParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("cycle", &self.cycle);
        p
    }
}
endpoint!(
    ChangeBillingCycleParams,
    "changeBillingCycle",
    Auth::Required,
    ChangeBillingCycleResponse,
    &CHANGE_BILLING_CYCLE_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", "change-billing-cycle", &id]));
        r.body = body(vec![("cycle", Some(s.cycle.clone().into()))]);
        r
    }
);

/// Params of `setAutoRenewal` (`POST /user/api/orders/edit-auto-renewal/{order_id}`): turn
/// auto-renewal of a **Datacenter / ISP** order on or off.
///
/// Rules: `order_id` positive id; `auto_renewal` a boolean (required).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct SetAutoRenewalParams {
    /// The order (path).
    pub order_id: u64,
    /// On or off (query).
    pub auto_renewal: bool,
}

impl FromJson for SetAutoRenewalParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = SetAutoRenewalParams {
            order_id: f.uint("order_id")?,
            auto_renewal: f.bool("auto_renewal")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for SetAutoRenewalParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p
    }
}
endpoint!(
    SetAutoRenewalParams,
    "setAutoRenewal",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", "edit-auto-renewal", &id]));
        r.query.push(("auto_renewal", s.auto_renewal.to_string()));
        r
    }
);

macro_rules! no_params {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Tsify)]
        // `Record<string, never>` rather than `{}`: TypeScript lets any non-null value pass
        // as `{}`, while this type rejects any property.
        #[tsify(type = "Record<string, never>")]
        pub struct $name {}

        impl FromJson for $name {
            fn from_json(v: &Value) -> Result<Self, Error> {
                Fields::new(v)?.finish()?;
                Ok($name {})
            }
        }
        impl Validate for $name {
            fn problems(&self) -> Problems {
                Problems::default()
            }
        }
    };
}

no_params!(
    /// Params of `listProducts` (`GET /user/api/proxies/products`): the catalogue, the only
    /// source of product names, location codes and cycle names. Takes none.
    ListProductsParams
);
endpoint!(
    ListProductsParams,
    "listProducts",
    Auth::Required,
    ProductsResponse,
    &PRODUCTS_RESPONSE,
    |_s| spec(Method::Get, api(&["proxies", "products"]))
);

no_params!(
    /// Params of `getAvailableCounts` (`GET /user/api/proxies/available-count`): stock per
    /// country and product (a bare list). Takes none.
    GetAvailableCountsParams
);
endpoint!(
    GetAvailableCountsParams,
    "getAvailableCounts",
    Auth::Required,
    Vec<AvailableCount>,
    &AVAILABLE_COUNTS,
    |_s| spec(Method::Get, api(&["proxies", "available-count"]))
);

no_params!(
    /// Params of `getMe` (`GET /user/api/me`). The call takes none.
    ///
    /// The account summary: e-mail, active order count and wallet balance in cents. Handy as
    /// a key check. Needs the API key.
    /// Docs: <https://docs.proxyshard.com/user-api/general>.
    GetMeParams
);
endpoint!(
    GetMeParams,
    "getMe",
    Auth::Required,
    MeResponse,
    &ME_RESPONSE,
    |_s| spec(Method::Get, api(&["me"]))
);

/// Params of `listOrders` (`GET /user/api/orders`): one page of orders by status. To walk
/// every page use `iterateOrders`.
///
/// Rules: `status` required, one of active / on-hold / cancelled / all; `offset` ≥ 0
/// (default 0); `limit` 1–100 (default 20).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
// Named apart from Proxy-Solutions' `ListOrdersParams`: one .d.ts declares both.
#[tsify(rename = "ProxyShardListOrdersParams")]
pub struct ListOrdersParams {
    /// `active`, `on-hold`, `cancelled` or `all`.
    #[tsify(type = "OrderStatusFilter")]
    pub status: String,
    /// Orders to skip. Default **0**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub offset: Option<u64>,
    /// Page size, 1–100. Default **20**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub limit: Option<u64>,
}

impl FromJson for ListOrdersParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ListOrdersParams {
            status: f.str("status")?,
            offset: f.opt_uint("offset")?,
            limit: f.opt_uint("limit")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for ListOrdersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        one_of(&mut p, "status", &self.status, ORDER_STATUSES);
        if let Some(l) = self.limit {
            if !(1..=MAX_ORDERS_LIMIT).contains(&l) {
                p.add("limit", "must be from 1 to 100");
            }
        }
        p
    }
}
endpoint!(
    ListOrdersParams,
    "listOrders",
    Auth::Required,
    OrderListResponse,
    &ORDER_LIST_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["orders"]));
        r.query.push(("status", s.status.clone()));
        if let Some(o) = s.offset {
            r.query.push(("offset", o.to_string()));
        }
        if let Some(l) = s.limit {
            r.query.push(("limit", l.to_string()));
        }
        r
    }
);

macro_rules! id_params {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Tsify)]
        pub struct $name {
            /// The order id (path; the vendor names it `id` here).
            pub id: u64,
        }

        impl FromJson for $name {
            fn from_json(v: &Value) -> Result<Self, Error> {
                let mut f = Fields::new(v)?;
                let p = $name { id: f.uint("id")? };
                f.finish()?;
                Ok(p)
            }
        }
        impl Validate for $name {
            fn problems(&self) -> Problems {
                let mut p = Problems::default();
                p.id("id", self.id);
                p
            }
        }
    };
}

id_params!(
    /// Params of `getOrder` (`GET /user/api/orders/{id}`): an order's details, money in
    /// cents, add-ons and p0f slot counts. Rules: `id` positive id.
    GetOrderParams
);
endpoint!(
    GetOrderParams,
    "getOrder",
    Auth::Required,
    OrderDetailResponse,
    &ORDER_DETAIL_RESPONSE,
    |s| spec(Method::Get, api(&["orders", &s.id.to_string()]))
);

id_params!(
    /// Params of `renewOrder` (`POST /user/api/orders/{id}/renew`): pay the next period from
    /// the wallet. **Moves money.** Works only on orders in status **on-hold**.
    /// Rules: `id` positive id.
    RenewOrderParams
);
endpoint!(
    RenewOrderParams,
    "renewOrder",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| spec(Method::Post, api(&["orders", &s.id.to_string(), "renew"]))
);

/// Params of `setOrderTag` (`POST /user/api/orders/{id}/tag`): label an order.
///
/// Rules: `id` positive id; `tag` required (a string).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct SetOrderTagParams {
    /// The order (path; the vendor names it `id` here).
    pub id: u64,
    /// The label (the docs' example is `none`).
    pub tag: String,
}

impl FromJson for SetOrderTagParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = SetOrderTagParams {
            id: f.uint("id")?,
            tag: f.str("tag")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for SetOrderTagParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("id", self.id);
        p
    }
}
endpoint!(
    SetOrderTagParams,
    "setOrderTag",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| {
        let mut r = spec(Method::Post, api(&["orders", &s.id.to_string(), "tag"]));
        r.body = body(vec![("tag", Some(s.tag.clone().into()))]);
        r
    }
);

// ------------------------------------------------------------------------ residential

/// Params of `addBandwidth` (`POST /user/api/orders/{id}/add-bandwidth`): buy more traffic
/// for a **residential** order, paid from the wallet. **Moves money.**
///
/// Rules: `id` positive id; `amount` a whole number of **GB** (no minimum is documented).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct AddBandwidthParams {
    /// The order (path; the vendor names it `id` here).
    pub id: u64,
    /// Traffic to add, whole **GB**.
    pub amount: u64,
    /// Promo code.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub promo_code: Option<String>,
}

impl FromJson for AddBandwidthParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = AddBandwidthParams {
            id: f.uint("id")?,
            amount: f.uint("amount")?,
            promo_code: f.opt_str("promo_code")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for AddBandwidthParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("id", self.id);
        p
    }
}
endpoint!(
    AddBandwidthParams,
    "addBandwidth",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| {
        let mut r = spec(
            Method::Post,
            api(&["orders", &s.id.to_string(), "add-bandwidth"]),
        );
        r.body = body(vec![
            ("amount", Some(s.amount.into())),
            ("promo_code", s.promo_code.clone().map(Into::into)),
        ]);
        r
    }
);

/// Params of `getResidentialProfile` (`GET /user/api/proxies/profile`): the owner's traffic
/// for a package, in **bytes**, and the gateway password.
///
/// Rules: `proxy_type` one of standart / premium / unlimited.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct GetResidentialProfileParams {
    /// `standart` (vendor spelling), `premium` or `unlimited`.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
}

impl FromJson for GetResidentialProfileParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = GetResidentialProfileParams {
            proxy_type: f.str("proxy_type")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for GetResidentialProfileParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
endpoint!(
    GetResidentialProfileParams,
    "getResidentialProfile",
    Auth::Required,
    ResidentialProfileResponse,
    &RESIDENTIAL_PROFILE_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["proxies", "profile"]));
        r.query.push(("proxy_type", s.proxy_type.clone()));
        r
    }
);

/// Params of `listSubUsers` (`GET /user/api/proxies/sub-users`): one page of residential
/// sub-users (`count` is the total). To walk every page use `iterateSubUsers`.
///
/// Rules: `proxy_type` from the list; `offset` ≥ 0 (default 0); `limit` default 20 (no
/// minimum or maximum is documented; 0 is a hint).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListSubUsersParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Sub-users to skip. Default **0**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub offset: Option<u64>,
    /// Page size, ≥ 1. Default **20**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub limit: Option<u64>,
}

impl FromJson for ListSubUsersParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ListSubUsersParams {
            proxy_type: f.str("proxy_type")?,
            offset: f.opt_uint("offset")?,
            limit: f.opt_uint("limit")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for ListSubUsersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
impl Hints for ListSubUsersParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "limit", self.limit, "sub-users per page");
        p
    }
}
endpoint!(
    ListSubUsersParams,
    "listSubUsers",
    Auth::Required,
    SubUsersResponse,
    &SUB_USERS_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["proxies", "sub-users"]));
        r.query.push(("proxy_type", s.proxy_type.clone()));
        if let Some(o) = s.offset {
            r.query.push(("offset", o.to_string()));
        }
        if let Some(l) = s.limit {
            r.query.push(("limit", l.to_string()));
        }
        r
    }
);

/// Params of `createSubUser` (`POST /user/api/proxies/sub-user`): a residential sub-user
/// with traffic carved out of the owner's balance.
///
/// Rules: `proxy_type` from the list; `name` non-empty; `data` whole **GB** (0 is a hint:
/// the docs state no minimum).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct CreateSubUserParams {
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Sub-user name.
    pub name: String,
    /// Traffic to give, whole **GB**, ≥ 1.
    pub data: u64,
}

impl FromJson for CreateSubUserParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = CreateSubUserParams {
            proxy_type: f.str("proxy_type")?,
            name: f.str("name")?,
            data: f.uint("data")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for CreateSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p.non_empty("name", &self.name);
        p
    }
}
impl Hints for CreateSubUserParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "data", Some(self.data), "GB of traffic");
        p
    }
}
endpoint!(
    CreateSubUserParams,
    "createSubUser",
    Auth::Required,
    SubUsersResponse,
    &SUB_USERS_RESPONSE,
    |s| {
        let mut r = spec(Method::Post, api(&["proxies", "sub-user"]));
        r.query.push(("proxy_type", s.proxy_type.clone()));
        r.body = body(vec![
            ("name", Some(s.name.clone().into())),
            ("data", Some(s.data.into())),
        ]);
        r
    }
);

/// `{ user_id, proxy_type }` readers shared by the sub-user calls.
fn sub_user_fields(f: &mut Fields) -> Result<(String, String), Error> {
    Ok((f.str("user_id")?, f.str("proxy_type")?))
}

/// Params of `getSubUser` (`GET /user/api/proxies/sub-user/{user_id}`): one sub-user (read
/// its new password here after `regenerateSubUserPassword`).
///
/// Rules: `user_id` non-empty; `proxy_type` from the list.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct GetSubUserParams {
    /// Sub-user id (path).
    pub user_id: String,
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
}

impl FromJson for GetSubUserParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let (user_id, proxy_type) = sub_user_fields(&mut f)?;
        f.finish()?;
        Ok(GetSubUserParams {
            user_id,
            proxy_type,
        })
    }
}
impl Validate for GetSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
endpoint!(
    GetSubUserParams,
    "getSubUser",
    Auth::Required,
    SubUsersResponse,
    &SUB_USERS_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["proxies", "sub-user", &s.user_id]));
        r.query.push(("proxy_type", s.proxy_type.clone()));
        r
    }
);

/// Params of `renameSubUser` (`PATCH /user/api/proxies/sub-user/{user_id}`).
///
/// Rules: `user_id` non-empty; `proxy_type` from the list; `name` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct RenameSubUserParams {
    /// Sub-user id (path).
    pub user_id: String,
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// New name.
    pub name: String,
}

impl FromJson for RenameSubUserParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let (user_id, proxy_type) = sub_user_fields(&mut f)?;
        let name = f.str("name")?;
        f.finish()?;
        Ok(RenameSubUserParams {
            user_id,
            proxy_type,
            name,
        })
    }
}
impl Validate for RenameSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        proxy_type(&mut p, &self.proxy_type);
        p.non_empty("name", &self.name);
        p
    }
}
endpoint!(
    RenameSubUserParams,
    "renameSubUser",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| {
        let mut r = spec(Method::Patch, api(&["proxies", "sub-user", &s.user_id]));
        r.query.push(("proxy_type", s.proxy_type.clone()));
        r.body = body(vec![("name", Some(s.name.clone().into()))]);
        r
    }
);

/// Params of `deleteSubUser` (`DELETE /user/api/proxies/sub-user/{user_id}`). The vendor
/// documents no `proxy_type` here, unlike the other sub-user calls.
///
/// Rules: `user_id` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct DeleteSubUserParams {
    /// Sub-user id (path).
    pub user_id: String,
}

impl FromJson for DeleteSubUserParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = DeleteSubUserParams {
            user_id: f.str("user_id")?,
        };
        f.finish()?;
        Ok(p)
    }
}
impl Validate for DeleteSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        p
    }
}
endpoint!(
    DeleteSubUserParams,
    "deleteSubUser",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| spec(Method::Delete, api(&["proxies", "sub-user", &s.user_id]))
);

/// Params of `addSubUserTraffic` / `subtractSubUserTraffic`
/// (`POST /user/api/proxies/sub-user/{user_id}/data/add|subtract`): move traffic between
/// the owner and a sub-user.
///
/// Rules: `user_id` non-empty; `proxy_type` from the list; `data` whole **GB** (0 is a
/// hint: the docs state no minimum).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct SubUserTrafficParams {
    /// Sub-user id (path).
    pub user_id: String,
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Traffic, whole **GB**, ≥ 1.
    pub data: u64,
}

impl FromJson for SubUserTrafficParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let (user_id, proxy_type) = sub_user_fields(&mut f)?;
        let data = f.uint("data")?;
        f.finish()?;
        Ok(SubUserTrafficParams {
            user_id,
            proxy_type,
            data,
        })
    }
}
impl Validate for SubUserTrafficParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
impl Hints for SubUserTrafficParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "data", Some(self.data), "GB of traffic");
        p
    }
}

/// `addSubUserTraffic`: give a sub-user more traffic from the owner's balance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AddSubUserTraffic(pub SubUserTrafficParams);
/// `subtractSubUserTraffic`: take traffic back from a sub-user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubtractSubUserTraffic(pub SubUserTrafficParams);

macro_rules! traffic {
    ($name:ident, $op:literal, $last:literal) => {
        impl FromJson for $name {
            fn from_json(v: &Value) -> Result<Self, Error> {
                SubUserTrafficParams::from_json(v).map($name)
            }
        }
        impl Validate for $name {
            fn problems(&self) -> Problems {
                self.0.problems()
            }
        }
        endpoint!($name, $op, Auth::Required, ApiMessage, &API_MESSAGE, |s| {
            let mut r = spec(
                Method::Post,
                api(&["proxies", "sub-user", &s.0.user_id, "data", $last]),
            );
            r.query.push(("proxy_type", s.0.proxy_type.clone()));
            r.body = body(vec![("data", Some(s.0.data.into()))]);
            r
        });
    };
}
traffic!(AddSubUserTraffic, "addSubUserTraffic", "add");
traffic!(SubtractSubUserTraffic, "subtractSubUserTraffic", "subtract");

/// Params of `regenerateSubUserPassword`
/// (`POST /user/api/proxies/sub-user/{user_id}/password`): a new gateway password (not
/// returned: read it with `getSubUser`).
///
/// Rules: `user_id` non-empty; `proxy_type` from the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegenerateSubUserPassword(pub GetSubUserParams);

impl FromJson for RegenerateSubUserPassword {
    fn from_json(v: &Value) -> Result<Self, Error> {
        GetSubUserParams::from_json(v).map(RegenerateSubUserPassword)
    }
}
impl Validate for RegenerateSubUserPassword {
    fn problems(&self) -> Problems {
        self.0.problems()
    }
}
endpoint!(
    RegenerateSubUserPassword,
    "regenerateSubUserPassword",
    Auth::Required,
    ApiMessage,
    &API_MESSAGE,
    |s| {
        let mut r = spec(
            Method::Post,
            api(&["proxies", "sub-user", &s.0.user_id, "password"]),
        );
        r.query.push(("proxy_type", s.0.proxy_type.clone()));
        r
    }
);

/// Params of the geo lists: `listCountries` (`proxy_type`), `listRegions` (+
/// `country_code`), `listCities` (+ `region_code`), `listIsps` (+ `city_code`; **premium
/// only**). Codes are sent as given (public clients lower-case them; the vendor is silent).
///
/// Rules: `proxy_type` from the list (`premium` for `listIsps`); each code the call needs is
/// required and non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct GeoParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Country code (regions, cities, ISPs).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub country_code: Option<String>,
    /// Region code (cities, ISPs).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub region_code: Option<String>,
    /// City code (ISPs).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub city_code: Option<String>,
}

/// A geo list call; `LEVEL` is how many codes it needs (0 countries … 3 ISPs).
#[derive(Clone, Debug, PartialEq)]
pub struct GeoList<const LEVEL: u8>(pub GeoParams);

/// `listCountries`
pub type ListCountries = GeoList<0>;
/// `listRegions`
pub type ListRegions = GeoList<1>;
/// `listCities`
pub type ListCities = GeoList<2>;
/// `listIsps`
pub type ListIsps = GeoList<3>;

const GEO_CODES: [&str; 3] = ["country_code", "region_code", "city_code"];

impl<const LEVEL: u8> FromJson for GeoList<LEVEL> {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let mut p = GeoParams {
            proxy_type: f.str("proxy_type")?,
            ..Default::default()
        };
        let slots = [&mut p.country_code, &mut p.region_code, &mut p.city_code];
        for (i, slot) in slots.into_iter().enumerate().take(LEVEL as usize) {
            *slot = Some(f.str(GEO_CODES[i])?);
        }
        f.finish()?;
        Ok(GeoList(p))
    }
}
impl<const LEVEL: u8> Validate for GeoList<LEVEL> {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        if LEVEL == 3 {
            one_of(&mut p, "proxy_type", &self.0.proxy_type, &["premium"]);
        } else {
            proxy_type(&mut p, &self.0.proxy_type);
        }
        let codes = [&self.0.country_code, &self.0.region_code, &self.0.city_code];
        for (i, c) in codes.iter().enumerate().take(LEVEL as usize) {
            match c {
                Some(c) => p.non_empty(GEO_CODES[i], c),
                None => p.add(GEO_CODES[i], "is required"),
            }
        }
        p
    }
}
impl<const LEVEL: u8> Endpoint for GeoList<LEVEL> {
    const OPERATION: &'static str =
        ["listCountries", "listRegions", "listCities", "listIsps"][LEVEL as usize];
    const AUTH: Auth = Auth::Required;
    type Output = super::models::GeoList;
    const REPLY: &'static Ty = &GEO_LIST;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let last = ["countries", "regions", "cities", "isps"][LEVEL as usize];
        let mut r = spec(Method::Get, api(&["proxies", last]));
        r.query.push(("proxy_type", self.0.proxy_type.clone()));
        let codes = [&self.0.country_code, &self.0.region_code, &self.0.city_code];
        for (i, c) in codes.iter().enumerate().take(LEVEL as usize) {
            if let Some(c) = c {
                r.query.push((GEO_CODES[i], c.clone()));
            }
        }
        Ok(r)
    }
}

// -------------------------------------------------------------------------------- service

no_params!(
    /// Params of `health` (`GET /health`): deep health check. Public; the API key is never
    /// sent. The body is not documented: JSON is returned as such, anything else as text.
    HealthParams
);
no_params!(
    /// Params of `healthLive` (`GET /health/live`): liveness probe. Public; the key is never
    /// sent. The body is not documented: JSON is returned as such, anything else as text.
    HealthLiveParams
);
impl Endpoint for HealthParams {
    const OPERATION: &'static str = "health";
    const AUTH: Auth = Auth::Never;
    type Output = Value;
    const REPLY: &'static Ty = &Ty::Any;
    const ANY_BODY: bool = true;
    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(spec(Method::Get, vec!["health".into()]))
    }
}
impl Endpoint for HealthLiveParams {
    const OPERATION: &'static str = "healthLive";
    const AUTH: Auth = Auth::Never;
    type Output = Value;
    const REPLY: &'static Ty = &Ty::Any;
    const ANY_BODY: bool = true;
    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(spec(Method::Get, vec!["health".into(), "live".into()]))
    }
}
