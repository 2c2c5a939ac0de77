//! One storefront vocabulary over both vendors: offer kinds, order statuses, and the
//! normalised [`Offer`], [`Quote`] and [`MarketOrder`] built by pure functions from the
//! vendors' own replies.
//!
//! Every normalised value keeps the vendor's value beside it (`vendor_kind`, `raw_status`,
//! [`Amount::raw`], and each record's `raw`), so nothing is lost. The mappings are tables
//! ([`PS_KIND_TABLE`], [`SHARD_KIND_TABLE`], [`PS_STATUS_TABLE`], [`SHARD_STATUS_TABLE`]), each
//! row citing the vendor field and doc section it rests on; `docs/market.md` prints the
//! same tables and a test keeps the two in agreement.
//!
//! Offer ids (stable across sessions; the vendors' catalogue keys never change, and
//! Proxy-Solutions' legacy docs say its ids are only ever added, `proxy-solutions.md` §7
//! rule 12):
//! - `ps:<service_id>:<location_id>`, or `ps:<service_id>` for a tariff without locations;
//! - `shard:<product>:<location>`, or `shard:<product>` for a product without a location,
//!   with `%`, `:` percent-encoded in the product and location (`%25`, `%3A`), so
//!   `shard:Datacenter Proxy:DE`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::money::{self, Amount, AmountError, Currency, Rounding};
use crate::error::Error;
use crate::proxy_solutions::models as ps;
use crate::proxy_solutions::rules::{self as ps_rules, ServiceKind};
use crate::proxyshard::models as shard;
use crate::proxyshard::rules as shard_rules;

// ------------------------------------------------------------------------- vocabulary

/// The seller behind an offer or order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// Proxy-Solutions v3 client API.
    ProxySolutions,
    /// ProxyShard User API v1.1.0.
    Proxyshard,
}

/// What kind of proxy an offer sells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// IPs of a hosting network (Proxy-Solutions individual/prime/city/batch server proxies;
    /// ProxyShard `Datacenter Proxy`).
    Datacenter,
    /// Static IPs announced by a consumer ISP (ProxyShard `ISP Proxy`).
    Isp,
    /// Rotating residential traffic (ProxyShard residential packages).
    Residential,
    /// Mobile carrier IPs (Proxy-Solutions mobile / mobile plus; ProxyShard mobile plans).
    Mobile,
    /// Not recognised: `vendor_kind` holds the vendor's label.
    Other,
}

/// What `quantity` counts for an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityUnit {
    /// IP addresses.
    Ip,
    /// Mobile channels (Proxy-Solutions mobile: "addresses/channels", §3.2).
    Channel,
    /// Gigabytes of traffic (ProxyShard Standard/Premium residential, §3: presumably GB).
    Gb,
    /// The whole plan; no quantity is sent (ProxyShard `Unmetered Residential proxy`).
    Plan,
    /// The vendor does not say.
    Unknown,
}

/// One order-status vocabulary over both vendors. Every documented vendor status maps to
/// one of these ([`PS_STATUS_TABLE`], [`SHARD_STATUS_TABLE`]); anything else is `unknown`
/// and the order keeps the vendor's value in `raw_status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Exists but its current period is not paid: a new unpaid order, or an expired one
    /// waiting for renewal. Paying (Proxy-Solutions `chargeOrder`, ProxyShard `renewOrder`)
    /// makes it active again.
    AwaitingPayment,
    /// Paid; resources are being set up (from the vendor's name `waiting.activation`).
    Activating,
    /// Paid and working.
    Active,
    /// Paid period running but the service is stopped by the vendor.
    Suspended,
    /// Over for good: cannot be paid or reactivated.
    Closed,
    /// A status the vendor does not document; see `raw_status`.
    Unknown,
}

/// A mapping row: the vendor's value, the normalised one, and where the vendor says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row<T: 'static> {
    /// The vendor's value, exactly as on the wire.
    pub vendor: &'static str,
    /// The normalised value.
    pub value: T,
    /// The vendor field and doc section the row rests on (`[inferred]` where the vendor
    /// does not spell the meaning out).
    pub source: &'static str,
}

/// Proxy-Solutions service kinds (the SDK's [`ServiceKind`], learned from
/// `listServices[].type`/`name`, `proxy-solutions.md` §6.9 and §7 rules 1–2) → offer kinds.
pub static PS_KIND_TABLE: &[Row<OfferKind>] = &[
    Row {
        vendor: "personal",
        value: OfferKind::Datacenter,
        source: "listServices services[].type (`individual`); order `service.provider: server-proxies` (§5.2) [inferred]",
    },
    Row {
        vendor: "prime",
        value: OfferKind::Datacenter,
        source: "listServices services[].type; `service.provider: server-proxies` (§5.2) [inferred]",
    },
    Row {
        vendor: "city",
        value: OfferKind::Datacenter,
        source: "listServices services[].type; order example `service: {provider: server-proxies, name: City proxies}` (§5.2) [inferred]",
    },
    Row {
        vendor: "batch",
        value: OfferKind::Datacenter,
        source: "listServices services[].type / `packets` (§6.9, §7 rule 2) [inferred]",
    },
    Row {
        vendor: "mobile",
        value: OfferKind::Mobile,
        source: "listServices services[].type; §7 rule 1 \"mobile\" periods, §3.2 quantity = channels",
    },
    Row {
        vendor: "mobile_plus",
        value: OfferKind::Mobile,
        source: "listServices services[].type; §7 rule 9 \"Mobile proxies plus\"",
    },
];

/// ProxyShard product names (`listProducts products[].name`, `proxyshard.md` §5 `product`,
/// §6.2 purchase variants) → offer kinds. Names outside the table are classified by the
/// words `Residential`/`Mobile` in them (§5: "others from the catalogue (e.g. `Residential
/// Proxy NEW`, mobile plan names)"), else `other`.
pub static SHARD_KIND_TABLE: &[Row<OfferKind>] = &[
    Row {
        vendor: shard_rules::DATACENTER,
        value: OfferKind::Datacenter,
        source: "listProducts products[].name; §5 product, §6.2 variant Datacenter / ISP",
    },
    Row {
        vendor: shard_rules::ISP,
        value: OfferKind::Isp,
        source: "listProducts products[].name; §5 product, §6.2 variant Datacenter / ISP",
    },
    Row {
        vendor: shard_rules::STANDARD_RESIDENTIAL,
        value: OfferKind::Residential,
        source: "listProducts products[].name; §6.2 variant Standard residential, §5 proxy_type `standart`",
    },
    Row {
        vendor: shard_rules::PREMIUM_RESIDENTIAL,
        value: OfferKind::Residential,
        source: "listProducts products[].name; §6.2 variant Premium residential, §5 proxy_type `premium`",
    },
    Row {
        vendor: shard_rules::UNMETERED_RESIDENTIAL,
        value: OfferKind::Residential,
        source: "listProducts products[].name; §6.2 variant Unmetered residential, §5 proxy_type `unlimited`",
    },
];

/// Proxy-Solutions `Order.status` (`proxy-solutions.md` §5.1; OpenAPI `OrderStatus` enum) →
/// market status. Only `waiting` is explained by the vendor; the others are read from
/// their names.
pub static PS_STATUS_TABLE: &[Row<OrderStatus>] = &[
    Row {
        vendor: "waiting",
        value: OrderStatus::AwaitingPayment,
        source: "Order.status (§5.1): \"an expired order without auto-renewal drops into it\"; §6.2: payment is a separate call after createOrder",
    },
    Row {
        vendor: "waiting.activation",
        value: OrderStatus::Activating,
        source: "Order.status (§5.1) enum value; meaning not described [inferred from the name]",
    },
    Row {
        vendor: "active",
        value: OrderStatus::Active,
        source: "Order.status (§5.1); §7 rule 3 \"active orders\"",
    },
    Row {
        vendor: "active.suspended",
        value: OrderStatus::Suspended,
        source: "Order.status (§5.1) enum value; meaning not described [inferred from the name]",
    },
    Row {
        vendor: "archived",
        value: OrderStatus::Closed,
        source: "Order.status (§5.1) enum value; meaning not described [inferred from the name]",
    },
];

/// ProxyShard order `status` (`OrderDetail.status`, the `listOrders` `status` filter;
/// `proxyshard.md` §5 and §7 rule 5) → market status.
pub static SHARD_STATUS_TABLE: &[Row<OrderStatus>] = &[
    Row {
        vendor: "active",
        value: OrderStatus::Active,
        source: "OrderDetail.status / listOrders ?status= (§5, §7 rule 5)",
    },
    Row {
        vendor: "on-hold",
        value: OrderStatus::AwaitingPayment,
        source: "OrderDetail.status (§7 rule 5): period over, proxies stopped, held 3 days for payment; renewOrder only for on-hold (§6.2 #17)",
    },
    Row {
        vendor: "cancelled",
        value: OrderStatus::Closed,
        source: "OrderDetail.status (§7 rule 5): \"after 3 unpaid days it becomes cancelled and cannot be reactivated\"",
    },
];

fn lookup<T: Copy>(table: &[Row<T>], vendor: &str) -> Option<T> {
    table.iter().find(|r| r.vendor == vendor).map(|r| r.value)
}

/// The market status of a Proxy-Solutions `Order.status`; `Unknown` when undocumented.
pub fn ps_status(raw: &str) -> OrderStatus {
    lookup(PS_STATUS_TABLE, raw).unwrap_or(OrderStatus::Unknown)
}

/// The market status of a ProxyShard order `status`; `Unknown` when undocumented.
pub fn shard_status(raw: &str) -> OrderStatus {
    lookup(SHARD_STATUS_TABLE, raw).unwrap_or(OrderStatus::Unknown)
}

/// The Proxy-Solutions `Order.status` values that map to `status`, for filtering orders
/// by market status (empty for `unknown`: undocumented values cannot be listed).
pub fn ps_statuses_for(status: OrderStatus) -> Vec<&'static str> {
    reverse(PS_STATUS_TABLE, status)
}

/// The ProxyShard `listOrders` `status` filters whose orders map to `status` (empty when
/// none does, e.g. `suspended`).
pub fn shard_statuses_for(status: OrderStatus) -> Vec<&'static str> {
    reverse(SHARD_STATUS_TABLE, status)
}

fn reverse(table: &[Row<OrderStatus>], status: OrderStatus) -> Vec<&'static str> {
    table
        .iter()
        .filter(|r| r.value == status)
        .map(|r| r.vendor)
        .collect()
}

/// The offer kind of a Proxy-Solutions service kind.
pub fn ps_kind(kind: ServiceKind) -> OfferKind {
    lookup(PS_KIND_TABLE, kind.as_str()).unwrap_or(OfferKind::Other)
}

/// The offer kind of a ProxyShard product name: the table for the documented names, then
/// the words `Residential` / `Mobile` (ASCII case-insensitive; both or neither → `other`).
pub fn shard_kind(product: &str) -> OfferKind {
    if let Some(k) = lookup(SHARD_KIND_TABLE, product) {
        return k;
    }
    // ASCII words: no Unicode case tables in the wasm for them (see `kind_from_name` in
    // proxy_solutions::rules).
    let n = product.to_ascii_lowercase();
    match (n.contains("residential"), n.contains("mobile")) {
        (true, false) => OfferKind::Residential,
        (false, true) => OfferKind::Mobile,
        _ => OfferKind::Other,
    }
}

// ------------------------------------------------------------------------- offer ids

/// A parsed offer id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OfferId {
    /// `ps:<service_id>[:<location_id>]`.
    ProxySolutions {
        /// `service_id`.
        service_id: u64,
        /// `location_id`, absent for a tariff without locations.
        location_id: Option<u64>,
    },
    /// `shard:<product>[:<location>]`.
    Proxyshard {
        /// Exact product name.
        product: String,
        /// Location code, absent for products without one.
        location: Option<String>,
    },
}

fn encode_part(s: &str) -> String {
    s.replace('%', "%25").replace(':', "%3A")
}

fn decode_part(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(crate::json::cut(rest, 0, i));
        let code = rest.get(i + 1..i + 3)?;
        out.push(match code {
            "25" => '%',
            "3A" | "3a" => ':',
            _ => return None,
        });
        rest = crate::json::cut_from(rest, i + 3);
    }
    out.push_str(rest);
    Some(out)
}

impl OfferId {
    /// The id as text.
    pub fn render(&self) -> String {
        match self {
            OfferId::ProxySolutions {
                service_id,
                location_id: Some(l),
            } => format!("ps:{service_id}:{l}"),
            OfferId::ProxySolutions {
                service_id,
                location_id: None,
            } => format!("ps:{service_id}"),
            OfferId::Proxyshard {
                product,
                location: Some(l),
            } => format!("shard:{}:{}", encode_part(product), encode_part(l)),
            OfferId::Proxyshard {
                product,
                location: None,
            } => format!("shard:{}", encode_part(product)),
        }
    }

    /// Parses an offer id; an `invalid_input` error naming `offerId` otherwise.
    pub fn parse(text: &str) -> Result<OfferId, Error> {
        let bad = || {
            Error::invalid(
                "offerId",
                "must be ps:<service_id>[:<location_id>] or shard:<product>[:<location>]",
            )
        };
        let id = |s: &str| {
            s.parse::<u64>()
                .ok()
                .filter(|n| *n > 0 && *n <= crate::validate::MAX_SAFE_INTEGER)
                .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
        };
        let parts: Vec<&str> = text.split(':').collect();
        match parts.as_slice() {
            ["ps", s] => Ok(OfferId::ProxySolutions {
                service_id: id(s).ok_or_else(bad)?,
                location_id: None,
            }),
            ["ps", s, l] => Ok(OfferId::ProxySolutions {
                service_id: id(s).ok_or_else(bad)?,
                location_id: Some(id(l).ok_or_else(bad)?),
            }),
            ["shard", p] if !p.is_empty() => Ok(OfferId::Proxyshard {
                product: decode_part(p).ok_or_else(bad)?,
                location: None,
            }),
            ["shard", p, l] if !p.is_empty() && !l.is_empty() => Ok(OfferId::Proxyshard {
                product: decode_part(p).ok_or_else(bad)?,
                location: Some(decode_part(l).ok_or_else(bad)?),
            }),
            _ => Err(bad()),
        }
    }
}

// ------------------------------------------------------------------------- data model

/// Terms an offer is sold for, as each vendor has them (not converted: a ProxyShard cycle
/// name has no documented length in days).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "values", rename_all = "snake_case")]
pub enum Terms {
    /// Proxy-Solutions `period`, in days (§7 rule 1).
    Days(Vec<u64>),
    /// ProxyShard `cycle` names from `listProducts` (§7 rule 3).
    Cycles(Vec<String>),
}

/// How many units an order may have.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantityRule {
    /// What is counted.
    pub unit: QuantityUnit,
    /// Smallest quantity (0 for [`QuantityUnit::Plan`]: no quantity is sent).
    pub min: u64,
    /// Largest quantity per order, when the vendor states one.
    pub max: Option<u64>,
    /// The only allowed sizes, when the vendor lists them (Proxy-Solutions batch `packets`).
    pub steps: Option<Vec<u64>>,
}

/// Where an offer's proxies are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferLocation {
    /// The vendor's key: Proxy-Solutions `location_id` as text, ProxyShard location code.
    pub code: String,
    /// Display name, when the vendor gives one.
    pub name: Option<String>,
    /// Country name, when the vendor gives one.
    pub country: Option<String>,
    /// The vendor's location record (Proxy-Solutions) or code (ProxyShard).
    pub raw: Value,
}

/// A normalised offer: one thing a storefront can sell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// The seller.
    pub provider: Provider,
    /// Stable offer id (see the module docs).
    pub id: String,
    /// Normalised kind.
    pub kind: OfferKind,
    /// The vendor's own label for the kind: Proxy-Solutions `type` (or the SDK kind when
    /// only the name told it), ProxyShard product name.
    pub vendor_kind: Option<String>,
    /// Display name (the vendor's).
    pub name: String,
    /// The location, when the offer has one.
    pub location: Option<OfferLocation>,
    /// Terms to choose from.
    pub terms: Terms,
    /// Quantity limits and unit.
    pub quantity: QuantityRule,
    /// The vendor's catalogue record (service or product) the offer came from.
    pub raw: Value,
}

/// A normalised price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The seller.
    pub provider: Provider,
    /// The offer priced, when known.
    pub offer_id: Option<String>,
    /// What the buyer pays, discounts applied (Proxy-Solutions `payer_amount` in
    /// `payer_currency`, else `amount` in USD; ProxyShard `total_with_addons`, else
    /// `final_price` + `addons_price`, else `final_price`, in US cents).
    pub total: Amount,
    /// The price before the discount (Proxy-Solutions `converted_amount` in the payer
    /// currency, else `amount`; ProxyShard `original_price`).
    pub list: Option<Amount>,
    /// The order's price in USD as the vendor states it (Proxy-Solutions `amount`), which
    /// may differ from `total` in currency.
    pub usd: Option<Amount>,
    /// Discount in percent, as the vendor sent it (`discount` / `discount_percent`).
    pub discount_percent: Option<f64>,
    /// The vendor's reply.
    pub raw: Value,
}

/// A normalised order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketOrder {
    /// The seller.
    pub provider: Provider,
    /// The vendor's order id.
    pub order_id: u64,
    /// The offer it was bought from, when the order says (ProxyShard orders carry no
    /// location, so only a location-less product's id can be rebuilt).
    pub offer_id: Option<String>,
    /// Normalised status.
    pub status: OrderStatus,
    /// The vendor's status; `None` when the reply had none (a ProxyShard `listOrders` item
    /// read without its page's `status` filter).
    pub raw_status: Option<String>,
    /// Kind, when the order names its service or product.
    pub kind: Option<OfferKind>,
    /// Display name of the service or product.
    pub name: Option<String>,
    /// Units ordered, when given.
    pub quantity: Option<u64>,
    /// End of the paid period (ISO 8601), when the vendor gives it (ProxyShard only).
    pub expires_at: Option<String>,
    /// The vendor's order record.
    pub raw: Value,
}

// ------------------------------------------------------------------------- Proxy-Solutions

/// One service of a Proxy-Solutions `listServices` reply, read tolerantly (the vendor
/// publishes no schema, §6.9).
struct PsService<'a> {
    id: u64,
    name: String,
    label: Option<String>,
    kind: Option<ServiceKind>,
    periods: Option<Vec<u64>>,
    max: Option<u64>,
    packets: Option<Vec<u64>>,
    raw: &'a Value,
}

fn uint_list(v: Option<&Value>) -> Option<Vec<u64>> {
    v?.as_array()?
        .iter()
        .map(|x| x.as_u64().filter(|n| *n > 0))
        .collect()
}

fn read_ps_service(v: &Value) -> Option<PsService<'_>> {
    let id = v.get("id")?.as_u64().filter(|n| *n > 0)?;
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| format!("Service {id}"), str::to_owned);
    let label = ["type", "kind", "category"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .map(str::to_owned);
    // The SDK's own classifier (rules.rs): one catalogue, learned the same way the client
    // learns kinds for its rules.
    let mut catalogue = ps_rules::Catalogue::default();
    catalogue.learn("listServices", &Value::Array(vec![v.clone()]));
    let ctx = catalogue.context(ps_rules::Subject::Service(id), Default::default());
    Some(PsService {
        id,
        name,
        label,
        kind: ctx.kind,
        periods: uint_list(v.get("periods")),
        max: v
            .get("max_quantity")
            .and_then(Value::as_u64)
            .filter(|n| *n > 0),
        packets: ctx.packets,
        raw: v,
    })
}

/// The service objects of a `listServices` reply: a bare array, or an array under
/// `services`/`data`/`items`/`tariffs`.
fn ps_service_values(reply: &Value) -> Vec<&Value> {
    match reply {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => ["services", "data", "items", "tariffs"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_array))
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// The location objects of a `listServiceLocations` reply (same tolerance).
fn ps_location_values(reply: &Value) -> Vec<&Value> {
    match reply {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => ["locations", "data", "items"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_array))
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// Proxy-Solutions offers from a `listServices` reply and, per service id, its
/// `listServiceLocations` reply: one offer per (service, location); a service whose
/// locations were not given (or has none) becomes one location-less offer `ps:<id>`.
/// Entries without a positive integer `id` are skipped (nothing could be ordered from
/// them).
pub fn ps_offers(services: &Value, locations: &[(u64, Value)]) -> Vec<Offer> {
    let mut out = Vec::new();
    for svc in ps_service_values(services)
        .into_iter()
        .filter_map(read_ps_service)
    {
        let kind = svc.kind.map_or(OfferKind::Other, ps_kind);
        let vendor_kind = svc
            .label
            .clone()
            .or_else(|| svc.kind.map(|k| k.as_str().to_owned()));
        let periods = svc
            .periods
            .clone()
            .unwrap_or_else(|| ps_rules::allowed_periods(svc.kind).to_vec());
        let unit = match svc.kind {
            Some(k) if k.is_mobile() => QuantityUnit::Channel,
            Some(_) => QuantityUnit::Ip,
            // §3.2: "IP addresses, or channels for mobile proxies".
            None => QuantityUnit::Unknown,
        };
        let quantity = QuantityRule {
            unit,
            min: svc
                .packets
                .as_ref()
                .and_then(|p| p.iter().min().copied())
                .unwrap_or(1),
            max: svc
                .max
                .or_else(|| svc.kind.and_then(ps_rules::quantity_cap))
                .or_else(|| svc.packets.as_ref().and_then(|p| p.iter().max().copied())),
            steps: svc.packets.clone(),
        };
        let locs: Vec<&Value> = locations
            .iter()
            .filter(|(id, _)| *id == svc.id)
            .flat_map(|(_, reply)| ps_location_values(reply))
            .filter(|l| l.get("id").and_then(Value::as_u64).is_some_and(|n| n > 0))
            .collect();
        let base = |location: Option<OfferLocation>, location_id: Option<u64>| Offer {
            provider: Provider::ProxySolutions,
            id: OfferId::ProxySolutions {
                service_id: svc.id,
                location_id,
            }
            .render(),
            kind,
            vendor_kind: vendor_kind.clone(),
            name: svc.name.clone(),
            location,
            terms: Terms::Days(periods.clone()),
            quantity: quantity.clone(),
            raw: svc.raw.clone(),
        };
        if locs.is_empty() {
            out.push(base(None, None));
        }
        for l in locs {
            let id = l.get("id").and_then(Value::as_u64).unwrap_or(0);
            let text = |k: &str| l.get(k).and_then(Value::as_str).map(str::to_owned);
            out.push(base(
                Some(OfferLocation {
                    code: id.to_string(),
                    name: text("name"),
                    country: text("country_name"),
                    raw: l.clone(),
                }),
                Some(id),
            ));
        }
    }
    out
}

fn ps_currency(operation: &'static str, path: &str, v: Option<&str>) -> Result<Currency, Error> {
    match v {
        None => Ok(Currency::Usd),
        Some(code) => Currency::parse(code).ok_or_else(|| Error::Decode {
            operation,
            status: 200,
            path: path.to_owned(),
            message: format!("unknown currency `{code}` (expected one of USD, EUR, RUB, UAH, KZT)"),
            snippet: String::new(),
        }),
    }
}

fn ps_price(
    operation: &'static str,
    path: &str,
    v: Option<f64>,
    currency: Currency,
) -> Result<Option<Amount>, Error> {
    let Some(x) = v else {
        return Ok(None);
    };
    let raw = serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null);
    money::price(&raw, currency, Rounding::HalfEven)
        .map(Some)
        .map_err(|e| e.decode(operation, path, &raw))
}

/// A quote from a Proxy-Solutions `calculatePrice` reply, given as the JSON the vendor
/// sent (so decimal strings and the exact number text are seen). `amount` is USD,
/// `converted_amount`/`payer_amount` are in `payer_currency` (USD when absent), §6.7.
/// A reply with neither `payer_amount` nor `amount` is a `decode` error.
pub fn ps_quote(offer_id: Option<&str>, reply: &Value) -> Result<Quote, Error> {
    const OP: &str = "calculatePrice";
    let payer_currency = ps_currency(
        OP,
        "payer_currency",
        reply.get("payer_currency").and_then(Value::as_str),
    )?;
    let field = |name: &str, currency: Currency| -> Result<Option<Amount>, Error> {
        match reply.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => money::price(v, currency, Rounding::HalfEven)
                .map(Some)
                .map_err(|e: AmountError| e.decode(OP, name, v)),
        }
    };
    let usd = field("amount", Currency::Usd)?;
    let converted = field("converted_amount", payer_currency)?;
    let payer = field("payer_amount", payer_currency)?;
    let total = match (payer, &usd) {
        (Some(p), _) => p,
        (None, Some(u)) => u.clone(),
        (None, None) => {
            return Err(Error::Decode {
                operation: OP,
                status: 200,
                path: ".".into(),
                message: "the reply has neither payer_amount nor amount".into(),
                snippet: String::new(),
            })
        }
    };
    let list = converted.or_else(|| usd.clone());
    Ok(Quote {
        provider: Provider::ProxySolutions,
        offer_id: offer_id.map(str::to_owned),
        total,
        list,
        usd,
        discount_percent: reply.get("discount").and_then(Value::as_f64),
        raw: reply.clone(),
    })
}

/// A market order from a Proxy-Solutions `Order` (typed model; amounts are not part of a
/// market order). `raw` is the order re-serialised.
pub fn ps_order(o: &ps::Order) -> MarketOrder {
    let offer_id = o.service.id.filter(|n| *n > 0).map(|service_id| {
        OfferId::ProxySolutions {
            service_id,
            location_id: o.location.as_ref().and_then(|l| l.id).filter(|n| *n > 0),
        }
        .render()
    });
    let mut catalogue = ps_rules::Catalogue::default();
    catalogue.learn(
        "listOrders",
        &serde_json::json!({"orders": [{"id": o.id, "service": o.service}]}),
    );
    let kind = catalogue
        .context(ps_rules::Subject::Order(o.id), Default::default())
        .kind
        .map(ps_kind);
    MarketOrder {
        provider: Provider::ProxySolutions,
        order_id: o.id,
        offer_id,
        status: ps_status(&o.status),
        raw_status: Some(o.status.clone()),
        kind,
        name: o.service.name.clone(),
        quantity: Some(o.quantity),
        expires_at: None,
        raw: serde_json::to_value(o).unwrap_or(Value::Null),
    }
}

/// The amount of a Proxy-Solutions order in USD (`Order.amount`, §5.1), exact where the
/// vendor's number is.
pub fn ps_order_amount(o: &ps::Order) -> Result<Amount, Error> {
    ps_price(
        "listOrders",
        "orders[].amount",
        Some(o.amount),
        Currency::Usd,
    )?
    .ok_or_else(|| Error::Decode {
        operation: "listOrders",
        status: 200,
        path: "orders[].amount".into(),
        message: "missing".into(),
        snippet: String::new(),
    })
}

// ------------------------------------------------------------------------- ProxyShard

/// ProxyShard offers from a `listProducts` reply: one per catalogue entry (a product name
/// and location; the vendor lists a product once per location).
pub fn shard_offers(products: &shard::ProductsResponse) -> Vec<Offer> {
    products
        .products
        .iter()
        .filter(|p| !p.name.is_empty())
        .map(|p| {
            let kind = shard_kind(&p.name);
            let quantity = match shard_rules::Variant::of(&p.name) {
                shard_rules::Variant::DcIsp => QuantityRule {
                    unit: QuantityUnit::Ip,
                    min: 1,
                    max: None,
                    steps: None,
                },
                shard_rules::Variant::Residential => QuantityRule {
                    unit: QuantityUnit::Gb,
                    min: 1,
                    max: None,
                    steps: None,
                },
                shard_rules::Variant::Unmetered => QuantityRule {
                    unit: QuantityUnit::Plan,
                    min: 0,
                    max: None,
                    steps: None,
                },
                // Mobile plans and new products: the vendor does not say what
                // `quantity` counts for them (§3, §11 question 7).
                shard_rules::Variant::Other => QuantityRule {
                    unit: QuantityUnit::Unknown,
                    min: 1,
                    max: None,
                    steps: None,
                },
            };
            let location = p.location.as_ref().filter(|l| !l.is_empty());
            Offer {
                provider: Provider::Proxyshard,
                id: OfferId::Proxyshard {
                    product: p.name.clone(),
                    location: location.cloned(),
                }
                .render(),
                kind,
                vendor_kind: Some(p.name.clone()),
                name: p.name.clone(),
                location: location.map(|l| OfferLocation {
                    code: l.clone(),
                    name: None,
                    country: None,
                    raw: Value::String(l.clone()),
                }),
                terms: Terms::Cycles(p.cycles.clone()),
                quantity,
                raw: serde_json::to_value(p).unwrap_or(Value::Null),
            }
        })
        .collect()
}

/// A quote from a ProxyShard `quoteOrder` reply (JSON as sent). US cents (§3; the vendor
/// does not label `original_price`/`final_price`, which are added to `addons_price`, cents).
/// A reply with no price at all is a `decode` error.
pub fn shard_quote(offer_id: Option<&str>, reply: &Value) -> Result<Quote, Error> {
    const OP: &str = "quoteOrder";
    let cents = |name: &str| -> Result<Option<Amount>, Error> {
        match reply.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => money::shard_cents(v)
                .and_then(|a| {
                    if a.minor < 0 {
                        Err(AmountError::Negative)
                    } else {
                        Ok(a)
                    }
                })
                .map(Some)
                .map_err(|e| e.decode(OP, name, v)),
        }
    };
    let original = cents("original_price")?;
    let final_ = cents("final_price")?;
    let addons = cents("addons_price")?;
    let total = match (cents("total_with_addons")?, &final_, &addons) {
        (Some(t), _, _) => t,
        (None, Some(f), Some(a)) => {
            let sum = f
                .minor
                .checked_add(a.minor)
                .ok_or_else(|| AmountError::OutOfRange.decode(OP, "addons_price", &a.raw))?;
            let m =
                money::Money::usd_cents(sum).map_err(|e| e.decode(OP, "addons_price", &a.raw))?;
            Amount {
                minor: m.minor,
                currency: Currency::Usd,
                exact: true,
                raw: Value::Null,
            }
        }
        (None, Some(f), None) => f.clone(),
        (None, None, _) => {
            return Err(Error::Decode {
                operation: OP,
                status: 200,
                path: ".".into(),
                message: "the reply has neither total_with_addons nor final_price".into(),
                snippet: String::new(),
            })
        }
    };
    Ok(Quote {
        provider: Provider::Proxyshard,
        offer_id: offer_id.map(str::to_owned),
        total,
        list: original,
        usd: None,
        discount_percent: reply.get("discount_percent").and_then(Value::as_f64),
        raw: reply.clone(),
    })
}

/// A market order from a ProxyShard `listOrders` item. The item has no status: pass the
/// page's `status` filter (`active`, `on-hold`, `cancelled`) as `listed_as`, or `None` for
/// `all`, which gives `unknown` (read `getOrder` for the status).
pub fn shard_order_summary(o: &shard::OrderSummary, listed_as: Option<&str>) -> MarketOrder {
    let listed_as = listed_as.filter(|s| *s != "all");
    MarketOrder {
        provider: Provider::Proxyshard,
        order_id: o.order_id,
        offer_id: shard_offer_id_without_location(&o.product_name),
        status: listed_as.map_or(OrderStatus::Unknown, shard_status),
        raw_status: listed_as.map(str::to_owned),
        kind: Some(shard_kind(&o.product_name)),
        name: Some(o.product_name.clone()),
        quantity: None,
        expires_at: o.expires_at.clone(),
        raw: serde_json::to_value(o).unwrap_or(Value::Null),
    }
}

/// A market order from a ProxyShard `getOrder` detail. `None` when the detail has no
/// `order_id` (every field of it is optional in the vendor's schema).
pub fn shard_order_detail(o: &shard::OrderDetail) -> Option<MarketOrder> {
    let order_id = o.order_id?;
    Some(MarketOrder {
        provider: Provider::Proxyshard,
        order_id,
        offer_id: o
            .product_name
            .as_deref()
            .and_then(shard_offer_id_without_location),
        status: o
            .status
            .as_deref()
            .map_or(OrderStatus::Unknown, shard_status),
        raw_status: o.status.clone(),
        kind: o.product_name.as_deref().map(shard_kind),
        name: o.product_name.clone(),
        quantity: o.quantity.and_then(|q| u64::try_from(q).ok()),
        expires_at: o.expires_at.clone(),
        raw: serde_json::to_value(o).unwrap_or(Value::Null),
    })
}

/// Only residential products have no location (§7 rule 2), so only their offer id can be
/// rebuilt from an order; a Datacenter/ISP order does not say where it is.
fn shard_offer_id_without_location(product: &str) -> Option<String> {
    matches!(
        shard_rules::Variant::of(product),
        shard_rules::Variant::Residential | shard_rules::Variant::Unmetered
    )
    .then(|| {
        OfferId::Proxyshard {
            product: product.to_owned(),
            location: None,
        }
        .render()
    })
}
