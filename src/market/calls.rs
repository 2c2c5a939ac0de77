//! From a market order to the vendor calls that quote and buy it, as data.
//!
//! The market does not re-implement the vendors' rules: it turns an [`Offer`] and a
//! [`OrderRequest`] into the wire params of the provider client's own operation
//! (`calculatePrice` / `createOrder` + `chargeOrder`, `quoteOrder` / `purchaseOrder`) and
//! checks them with that operation's own validation (the same `FromJson` + `Validate` the
//! clients run, with the offer's service kind as rule context), so the market applies
//! exactly the provider clients' local rules. Errors name the market's field
//! (`order.quantity`, `payment.merchant`).
//!
//! A buy also yields the [`Intent`](super::reconcile::Intent) to reconcile it with, so the
//! caller cannot describe the call one way and reconcile it another.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::mapping::{Offer, OfferId, Provider, Quote};
use super::money::Currency;
use super::reconcile::{PsIntent, ShardIntent};
use crate::error::Error;
use crate::json::FromJson;
use crate::proxy_solutions::endpoints as ps_ep;
use crate::proxy_solutions::rules as ps_rules;
use crate::proxyshard::endpoints as shard_ep;
use crate::validate::Validate;

/// An add-on in a market order (ProxyShard `addons[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAddon {
    /// Add-on key, e.g. `p0f_slots`.
    pub addon_key: String,
    /// Units, ≥ 1.
    pub qty: u64,
}

/// What the buyer wants. Fields that one vendor has and the other does not are refused for
/// the other (`period` is Proxy-Solutions days, `cycle` a ProxyShard cycle name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// Units (IPs, channels, GB); vendor default 1. Not for ProxyShard unmetered plans.
    #[serde(default)]
    pub quantity: Option<u64>,
    /// Proxy-Solutions only: days (vendor default 30).
    #[serde(default)]
    pub period: Option<u64>,
    /// ProxyShard only: a cycle name from the offer's terms.
    #[serde(default)]
    pub cycle: Option<String>,
    /// Promo code (Proxy-Solutions `promocode`, ProxyShard `promo_code`).
    #[serde(default)]
    pub promocode: Option<String>,
    /// ProxyShard only: auto-renewal (Proxy-Solutions has no API switch, PS §7 rule 8).
    #[serde(default)]
    pub auto_renewal: Option<bool>,
    /// Proxy-Solutions mobile only: allow equipment change (vendor default true).
    #[serde(default)]
    pub multiport: Option<bool>,
    /// ProxyShard only: add-ons bought with the order.
    #[serde(default)]
    pub addons: Option<Vec<OrderAddon>>,
}

/// How to pay (Proxy-Solutions only; ProxyShard always pays from the wallet in USD).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentChoice {
    /// Merchant code from `listMerchants`; default `balance` (pays at once from the API
    /// balance). Any other merchant returns a payment link for the payer.
    #[serde(default)]
    pub merchant: Option<String>,
    /// Payer currency; default `USD`.
    #[serde(default)]
    pub currency: Option<String>,
}

/// One call of a provider client, as data: the method (`operationId`) and its params
/// object with wire field names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorCall {
    /// The seller.
    pub provider: Provider,
    /// The provider client's method, e.g. `purchaseOrder`.
    pub operation: String,
    /// Its params (wire names).
    pub params: Value,
}

/// The calls of a `buy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "snake_case")]
pub enum BuyPlan {
    /// ProxyShard: one money call.
    Proxyshard {
        /// `purchaseOrder`.
        purchase: VendorCall,
        /// What to reconcile it with (`expected_cents` from the quote, when given).
        intent: ShardIntent,
    },
    /// Proxy-Solutions: `createOrder` (a write), then `chargeOrder` on the new order.
    ProxySolutions {
        /// `createOrder`.
        create: VendorCall,
        /// What to reconcile the create with.
        create_intent: PsIntent,
        /// The charge, to send with the new order's id ([`ChargeTemplate::call`]).
        charge: ChargeTemplate,
    },
}

/// `chargeOrder` without its order id (known only once the order exists).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeTemplate {
    /// `merchant`.
    pub merchant: String,
    /// `currency`.
    pub currency: String,
    /// `period` (the one quoted; the order's own when absent).
    pub period: Option<u64>,
    /// `promocode`.
    pub promocode: Option<String>,
}

impl ChargeTemplate {
    /// The `chargeOrder` call for `order_id` and the intent to reconcile it with.
    pub fn call(&self, order_id: u64) -> Result<(VendorCall, PsIntent), Error> {
        let mut p = Map::new();
        p.insert("order_id".into(), json!(order_id));
        p.insert("merchant".into(), json!(self.merchant));
        p.insert("currency".into(), json!(self.currency));
        put(&mut p, "period", self.period.map(Value::from));
        put(&mut p, "promocode", self.promocode.clone().map(Value::from));
        let params = Value::Object(p);
        ps_ep::ChargeOrderParams::from_json(&params)
            .and_then(|c| c.problems().into_result())
            .map_err(ps_field)?;
        Ok((
            VendorCall {
                provider: Provider::ProxySolutions,
                operation: "chargeOrder".into(),
                params,
            },
            PsIntent::ChargeOrder {
                order_id,
                merchant: self.merchant.clone(),
                period: self.period,
            },
        ))
    }
}

fn put(map: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        map.insert(key.into(), v);
    }
}

/// The first field given that this vendor does not take, as `invalid_input`: each entry is
/// (given?, field, why).
fn refuse_given(fields: &[(bool, &str, &str)]) -> Result<(), Error> {
    match fields.iter().find(|(given, _, _)| *given) {
        Some((_, field, why)) => Err(Error::invalid(*field, *why)),
        None => Ok(()),
    }
}

/// The rule context (service kind, batch sizes) of a Proxy-Solutions offer, read from its
/// catalogue record the way the client learns it.
fn ps_context(offer: &Offer, service_id: u64) -> ps_rules::RuleContext {
    let mut c = ps_rules::Catalogue::default();
    c.learn("listServices", &Value::Array(vec![offer.raw.clone()]));
    c.context(ps_rules::Subject::Service(service_id), Default::default())
}

struct PsShape {
    service_id: u64,
    location_id: Option<u64>,
    ctx: ps_rules::RuleContext,
}

fn ps_shape(offer: &Offer, order: &OrderRequest) -> Result<PsShape, Error> {
    let OfferId::ProxySolutions {
        service_id,
        location_id,
    } = OfferId::parse(&offer.id)?
    else {
        return Err(Error::invalid("offerId", "is not a Proxy-Solutions offer"));
    };
    refuse_given(&[
        (
            order.cycle.is_some(),
            "order.cycle",
            "is ProxyShard's; Proxy-Solutions offers take `period` in days",
        ),
        (
            order.auto_renewal.is_some(),
            "order.auto_renewal",
            "cannot be set through the Proxy-Solutions API (proxy-solutions.md §7 rule 8)",
        ),
        (
            order.addons.is_some(),
            "order.addons",
            "are ProxyShard's; Proxy-Solutions has no add-ons",
        ),
    ])?;
    let mut ctx = ps_context(offer, service_id);
    ctx.allow_missing_location = location_id.is_none();
    Ok(PsShape {
        service_id,
        location_id,
        ctx,
    })
}

struct ShardShape {
    product: String,
    location: Option<String>,
}

fn shard_shape(
    offer: &Offer,
    order: &OrderRequest,
    payment: &PaymentChoice,
) -> Result<ShardShape, Error> {
    let OfferId::Proxyshard { product, location } = OfferId::parse(&offer.id)? else {
        return Err(Error::invalid("offerId", "is not a ProxyShard offer"));
    };
    refuse_given(&[
        (
            order.period.is_some(),
            "order.period",
            "is Proxy-Solutions'; ProxyShard offers take a `cycle` name",
        ),
        (
            order.multiport.is_some(),
            "order.multiport",
            "is a Proxy-Solutions mobile option",
        ),
        (
            payment.merchant.is_some(),
            "payment.merchant",
            "is not used: ProxyShard pays from the wallet (proxyshard.md §6.2 #8)",
        ),
        (
            payment
                .currency
                .as_deref()
                .is_some_and(|c| c != Currency::Usd.code()),
            "payment.currency",
            "must be USD or left out: ProxyShard's wallet is in US cents",
        ),
    ])?;
    Ok(ShardShape { product, location })
}

fn shard_params(s: &ShardShape, order: &OrderRequest, with_auto_renewal: bool) -> Value {
    let mut p = Map::new();
    p.insert("product".into(), json!(s.product));
    put(&mut p, "location", s.location.clone().map(Value::from));
    put(&mut p, "cycle", order.cycle.clone().map(Value::from));
    put(&mut p, "quantity", order.quantity.map(Value::from));
    put(
        &mut p,
        "promo_code",
        order.promocode.clone().map(Value::from),
    );
    if with_auto_renewal {
        put(&mut p, "auto_renewal", order.auto_renewal.map(Value::from));
    }
    put(
        &mut p,
        "addons",
        order
            .addons
            .as_ref()
            .map(|a| serde_json::to_value(a).unwrap_or(Value::Null)),
    );
    Value::Object(p)
}

/// Maps an `invalid_input` on a wire field to the market's name for it.
fn market_field(e: Error) -> Error {
    match e {
        Error::InvalidInput { field, rule } => {
            let field = match field.as_str() {
                "promo_code" => "promocode".to_owned(),
                "product" | "location" | "service_id" | "location_id" => {
                    return Error::invalid("offerId", format!("`{field}` {rule}"))
                }
                _ => field,
            };
            Error::invalid(format!("order.{field}"), rule)
        }
        other => other,
    }
}

/// [`market_field`], with Proxy-Solutions' payment fields under `payment`.
fn ps_field(e: Error) -> Error {
    match e.field() {
        Some("merchant" | "currency") => e.under("payment"),
        _ => market_field(e),
    }
}

/// The call that quotes `order` of `offer`: `calculatePrice` or `quoteOrder`.
pub fn quote_call(
    offer: &Offer,
    order: &OrderRequest,
    payment: &PaymentChoice,
) -> Result<VendorCall, Error> {
    match offer.provider {
        Provider::ProxySolutions => {
            let s = ps_shape(offer, order)?;
            let mut p = Map::new();
            p.insert("service_id".into(), json!(s.service_id));
            put(&mut p, "location_id", s.location_id.map(Value::from));
            put(&mut p, "quantity", order.quantity.map(Value::from));
            put(&mut p, "period", order.period.map(Value::from));
            put(&mut p, "multiport", order.multiport.map(Value::from));
            put(
                &mut p,
                "promocode",
                order.promocode.clone().map(Value::from),
            );
            put(
                &mut p,
                "merchant",
                payment.merchant.clone().map(Value::from),
            );
            put(
                &mut p,
                "currency",
                payment.currency.clone().map(Value::from),
            );
            let params = Value::Object(p);
            let mut c = ps_ep::CalculatePriceParams::from_json(&params).map_err(market_field)?;
            c.context = s.ctx;
            c.problems().into_result().map_err(|e| match e.field() {
                Some("merchant" | "currency") => e.under("payment"),
                _ => market_field(e),
            })?;
            Ok(VendorCall {
                provider: Provider::ProxySolutions,
                operation: "calculatePrice".into(),
                params,
            })
        }
        Provider::Proxyshard => {
            let s = shard_shape(offer, order, payment)?;
            // `auto_renewal` is not a quote field (calculate takes none): the same order
            // request quotes and buys, so it is left out here and checked by the purchase.
            let params = shard_params(&s, order, false);
            let q = shard_ep::QuoteOrderParams::from_json(&params).map_err(market_field)?;
            q.problems().into_result().map_err(market_field)?;
            Ok(VendorCall {
                provider: Provider::Proxyshard,
                operation: "quoteOrder".into(),
                params,
            })
        }
    }
}

/// The calls that buy `order` of `offer`, and what to reconcile them with. `quote` (from
/// [`quote_call`]'s reply) sets ProxyShard's `expected_cents`; pass the quote of the same
/// order, or `None` to accept any wallet drop in reconcile.
pub fn buy_plan(
    offer: &Offer,
    order: &OrderRequest,
    payment: &PaymentChoice,
    quote: Option<&Quote>,
) -> Result<BuyPlan, Error> {
    match offer.provider {
        Provider::ProxySolutions => {
            let s = ps_shape(offer, order)?;
            let mut p = Map::new();
            p.insert("service_id".into(), json!(s.service_id));
            put(&mut p, "location_id", s.location_id.map(Value::from));
            put(&mut p, "quantity", order.quantity.map(Value::from));
            put(&mut p, "period", order.period.map(Value::from));
            put(&mut p, "multiport", order.multiport.map(Value::from));
            let params = Value::Object(p);
            let mut c = ps_ep::CreateOrderParams::from_json(&params).map_err(market_field)?;
            c.context = s.ctx;
            c.problems().into_result().map_err(market_field)?;
            let charge = ChargeTemplate {
                merchant: payment.merchant.clone().unwrap_or_else(|| "balance".into()),
                currency: payment
                    .currency
                    .clone()
                    .unwrap_or_else(|| Currency::Usd.code().into()),
                period: order.period,
                promocode: order.promocode.clone(),
            };
            // Check the charge's own fields now (with a placeholder id), not after the order
            // exists.
            charge.call(1)?;
            Ok(BuyPlan::ProxySolutions {
                create: VendorCall {
                    provider: Provider::ProxySolutions,
                    operation: "createOrder".into(),
                    params,
                },
                create_intent: PsIntent::CreateOrder {
                    service_id: s.service_id,
                    location_id: s.location_id,
                    quantity: order.quantity,
                    period: order.period,
                },
                charge,
            })
        }
        Provider::Proxyshard => {
            let s = shard_shape(offer, order, payment)?;
            let params = shard_params(&s, order, true);
            let p = shard_ep::PurchaseOrderParams::from_json(&params).map_err(market_field)?;
            p.problems().into_result().map_err(market_field)?;
            let expected_cents = match quote {
                None => None,
                Some(q)
                    if q.provider == Provider::Proxyshard && q.total.currency == Currency::Usd =>
                {
                    Some(q.total.minor)
                }
                Some(_) => {
                    return Err(Error::invalid(
                        "quote",
                        "is not a ProxyShard quote in USD cents",
                    ))
                }
            };
            Ok(BuyPlan::Proxyshard {
                purchase: VendorCall {
                    provider: Provider::Proxyshard,
                    operation: "purchaseOrder".into(),
                    params,
                },
                intent: ShardIntent::PurchaseOrder {
                    product: s.product,
                    location: s.location,
                    cycle: order.cycle.clone(),
                    quantity: order.quantity,
                    expected_cents,
                },
            })
        }
    }
}

/// The rule context a Proxy-Solutions offer's calls are sent with (service kind and batch
/// sizes from its catalogue record; a missing `location_id` allowed when the offer has no
/// location), so the client's own check at send time sees what [`quote_call`] and
/// [`buy_plan`] saw.
pub fn ps_offer_context(offer: &Offer) -> ps_rules::RuleContext {
    match OfferId::parse(&offer.id) {
        Ok(OfferId::ProxySolutions {
            service_id,
            location_id,
        }) => {
            let mut c = ps_context(offer, service_id);
            c.allow_missing_location = location_id.is_none();
            c
        }
        _ => ps_rules::RuleContext::default(),
    }
}
