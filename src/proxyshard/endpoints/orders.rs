//! Orders (User API → General): buy and price an order (`purchaseOrder`, `quoteOrder`: the
//! per-product variants) and list orders (`listOrders`, whose params the page walk reads).
//! Changing the cycle and auto-renewal, reading, renewing and tagging an order
//! (`changeBillingCycle`, `setAutoRenewal`, `getOrder`, `renewOrder`, `setOrderTag`) are
//! data (`spec/overlay.yaml`).
//!
//! Docs: <https://docs.proxyshard.com/user-api/general>

use serde_json::Value;
use tsify::Tsify;

use super::params::*;
use super::{addons_from, addons_json, api, body, spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::models::*;
use crate::proxyshard::rules::{
    purchase_fields, purchase_problems, AddonRequest, PurchaseShape, MAX_ORDERS_LIMIT,
    ORDER_STATUSES,
};
use crate::validate::Problems;

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
// A union discriminated by `product` (declared in src/wasm/proxyshard/typings.rs), not one
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
            product: f.take_str("product"),
            location: f.take_opt_str("location"),
            cycle: f.take_opt_str("cycle"),
            quantity: f.take_opt_uint_in("quantity", "1 or more"),
            promo_code: f.take_opt_str("promo_code"),
            auto_renewal: f.take_opt_bool("auto_renewal"),
            addons: f.take_with(|f| addons_from(f, "addons")),
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
    &crate::proxyshard::shapes::PURCHASE_RESPONSE,
    |s| {
        let mut r = spec(Method::Post, api(&["orders", "purchase"]));
        // Standard/Premium residential: the vendor's variant has no `cycle` and no
        // `auto_renewal`; the accepted `"lifetime"` / `false` (the table's fixed values) are
        // what it is anyway, so they are not sent.
        let fixed = purchase_fields(&s.product);
        r.body = body(vec![
            ("product", Some(s.product.clone().into())),
            ("location", s.location.clone().map(Into::into)),
            (
                "cycle",
                s.cycle
                    .clone()
                    .filter(|_| fixed.fixed_cycle.is_none())
                    .map(Into::into),
            ),
            ("quantity", s.quantity.map(Into::into)),
            ("promo_code", s.promo_code.clone().map(Into::into)),
            (
                "auto_renewal",
                s.auto_renewal
                    .filter(|_| fixed.fixed_auto_renewal.is_none())
                    .map(Into::into),
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
            product: f.take_str("product"),
            location: f.take_opt_str("location"),
            cycle: f.take_opt_str("cycle"),
            quantity: f.take_opt_uint_in("quantity", "1 or more"),
            promo_code: f.take_opt_str("promo_code"),
            addons: f.take_with(|f| addons_from(f, "addons")),
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
    &crate::proxyshard::shapes::ORDER_CALCULATE_RESPONSE,
    |s| {
        let mut r = spec(Method::Get, api(&["orders", "calculate"]));
        r.query.push(("product", s.product.clone()));
        if let Some(l) = &s.location {
            r.query.push(("location", l.clone()));
        }
        // As in `purchaseOrder`: a fixed cycle (Standard/Premium residential) is not sent.
        let fixed = purchase_fields(&s.product);
        if let Some(c) = s.cycle.as_ref().filter(|_| fixed.fixed_cycle.is_none()) {
            r.query.push(("cycle", c.clone()));
        }
        if let Some(q) = s.quantity {
            r.query.push(("quantity", q.to_string()));
        }
        if let Some(p) = &s.promo_code {
            r.query.push(("promo_code", p.clone()));
        }
        if let Some(a) = &s.addons {
            // Our writer, not serde_json's `to_string` (which links its serializer and float
            // formatter into the wasm); the text is the same (tests/json_text.rs).
            r.query
                .push(("addons_json", crate::json::to_text(&addons_json(a))));
        }
        r
    }
);

impl Validate for ListOrdersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.one_of("status", &self.status, ORDER_STATUSES);
        if let Some(l) = self.limit {
            if !(1..=MAX_ORDERS_LIMIT).contains(&l) {
                p.add("limit", "must be from 1 to 100");
            }
        }
        p
    }
}

// `getOrder` and `renewOrder` take the order id under the vendor's name `id`.
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn residential_lifetime_and_no_auto_renewal_are_accepted_and_not_sent() {
        // What the catalogue (`cycles: ["lifetime"]`) and the orders (`auto_renewal: false`)
        // show for Standard / Premium residential must not be refused.
        for product in ["Standart Residential Proxy", "Premium Residential Proxy"] {
            let buy = PurchaseOrderParams::from_json(&json!({
                "product": product, "cycle": "lifetime", "auto_renewal": false, "quantity": 3
            }))
            .unwrap();
            assert!(buy.problems().0.is_empty(), "{product}");
            let body = buy.spec().unwrap().body.unwrap();
            assert_eq!(body, json!({"product": product, "quantity": 3}));

            let quote = QuoteOrderParams::from_json(&json!({
                "product": product, "cycle": "lifetime", "quantity": 3
            }))
            .unwrap();
            assert!(quote.problems().0.is_empty(), "{product}");
            let query = quote.spec().unwrap().query;
            assert!(query.iter().all(|(k, _)| *k != "cycle"), "{query:?}");

            // Another cycle, or auto-renewal on, contradicts the fixed lifetime.
            let fields = |v: Value| -> Vec<String> {
                let p = PurchaseOrderParams::from_json(&v).unwrap();
                p.problems().0.into_iter().map(|p| p.field).collect()
            };
            assert_eq!(
                fields(json!({"product": product, "cycle": "monthly"})),
                ["cycle"]
            );
            assert_eq!(
                fields(json!({"product": product, "auto_renewal": true})),
                ["auto_renewal"]
            );
        }
        // Other products send their cycle and auto-renewal as given.
        let dc = PurchaseOrderParams::from_json(&json!({
            "product": "Datacenter Proxy", "location": "DE", "cycle": "monthly", "auto_renewal": false
        }))
        .unwrap();
        let body = dc.spec().unwrap().body.unwrap();
        assert_eq!(body["cycle"], "monthly");
        assert_eq!(body["auto_renewal"], false);
    }
}
