//! Proxy-Solutions v3 operations, one params value per operation (it is also the endpoint).
//!
//! Each params type lists the vendor's wire fields; `problems()` checks them against the
//! vendor's rules ([`super::rules`]) and `spec()` refuses to build a request while any
//! problem remains. Defaults the vendor applies (period 30, quantity 1, multiport true) are
//! not sent: leaving a field out means the vendor default.

use std::fmt;

use serde_json::Value;
use tsify::Tsify;

use super::models::{
    BalanceChargeReply, MerchantList, OrderEnvelope, OrdersEnvelope, PaymentEnvelope,
    PerformResponse, PriceResponse, BALANCE_CHARGE_REPLY, MERCHANT_LIST, ORDERS_ENVELOPE,
    ORDER_ENVELOPE, PAYMENT_ENVELOPE, PERFORM_RESPONSE, PRICE_RESPONSE,
};
use super::rules::{
    allowed_periods, quantity_cap, RuleContext, Subject, CURRENCIES, LANGS, MIN_AUTORESET_INTERVAL,
    MIN_TOP_UP, OPERATIONS,
};
use crate::endpoint::{object_of, Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::validate::Problems;

/// Operations whose rules depend on the service: they say which service or order they
/// concern and accept the [`RuleContext`] the client resolved for it.
pub trait Contextual {
    /// The service or order the operation concerns.
    fn subject(&self) -> Subject {
        Subject::None
    }
    /// Sets the context the rules use.
    fn set_context(&mut self, _context: RuleContext) {}
}

pub use crate::validate::Validate;

/// Proxy-Solutions' hints come from our reference (`shared/api/proxy-solutions.md`, the
/// OpenAPI file) or from how the vendor behaves (see [`Hints`]).
pub use crate::validate::Hints;

/// Whether `s` is an IPv4 or IPv6 address (the docs type `remove_proxies` and `ip_auth` as
/// `string · ip[]`, without a version). `std::net`, no regex: the wasm stays small.
pub fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// Hint when a quantity is 0: the docs give the default (1) but no minimum (the catalogue
/// marks "minimum 1 assumed" as inferred), so the server decides.
fn hint_quantity(p: &mut Problems, quantity: Option<u64>) {
    if quantity == Some(0) {
        p.add(
            "quantity",
            "hint: 0 is probably refused by the server (the docs give no minimum; 1 is the default)",
        );
    }
}

fn hint_non_empty(p: &mut Problems, field: &str, v: &Option<String>) {
    if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
        p.add(field, "hint: empty; leave the field out instead");
    }
}

fn lang_currency(p: &mut Problems, lang: &Option<String>, currency: &Option<String>) {
    if let Some(l) = lang {
        if !LANGS.contains(&l.as_str()) {
            p.add("lang", format!("must be one of {}", LANGS.join(", ")));
        }
    }
    if let Some(c) = currency {
        if !CURRENCIES.contains(&c.as_str()) {
            p.add(
                "currency",
                format!("must be one of {}", CURRENCIES.join(", ")),
            );
        }
    }
}

fn query(lang: &Option<String>, currency: &Option<String>) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if let Some(l) = lang {
        q.push(("lang", l.clone()));
    }
    if let Some(c) = currency {
        q.push(("currency", c.clone()));
    }
    q
}

fn check_period(p: &mut Problems, period: Option<u64>, ctx: &RuleContext) {
    if let Some(period) = period {
        let allowed = allowed_periods(ctx.kind);
        if !allowed.contains(&period) {
            let list: Vec<String> = allowed.iter().map(u64::to_string).collect();
            let whose = match ctx.kind {
                Some(k) => format!(" for {} proxies", k.as_str().replace('_', " ")),
                None => String::new(),
            };
            p.add(
                "period",
                format!("must be one of {} days{whose}", list.join(", ")),
            );
        }
    }
}

fn check_quantity(p: &mut Problems, quantity: Option<u64>, ctx: &RuleContext) {
    // 0 is a hint only (see `hint_quantity`): the docs state no minimum.
    let Some(q) = quantity.filter(|q| *q > 0) else {
        return;
    };
    if let Some(packets) = &ctx.packets {
        if !packets.contains(&q) {
            let list: Vec<String> = packets.iter().map(u64::to_string).collect();
            p.add(
                "quantity",
                format!(
                    "must be one of this service's batch sizes: {}",
                    list.join(", ")
                ),
            );
        }
        return;
    }
    if let Some(cap) = ctx.kind.and_then(quantity_cap) {
        if q > cap {
            let kind = ctx.kind.map(|k| k.as_str()).unwrap_or_default();
            p.add(
                "quantity",
                format!("must be at most {cap} for {kind} proxies"),
            );
        }
    }
}

fn some<T: Into<Value>>(v: Option<T>) -> Option<Value> {
    v.map(Into::into)
}

// ---------------------------------------------------------------------------------- orders

/// Params of `listOrders` (`GET /user/orders`): every order of the account, in one reply
/// (no paging is documented). Needs the API key.
///
/// Rules: `lang` ∈ EN/RU/UA, `currency` ∈ USD/EUR/RUB/UAH/KZT.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-list-reception>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListOrdersParams {
    /// Reply language. Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Currency of `converted_amount`. Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
}

impl Validate for ListOrdersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p
    }
}
impl Contextual for ListOrdersParams {}
impl Hints for ListOrdersParams {}

impl Endpoint for ListOrdersParams {
    const OPERATION: &'static str = "listOrders";
    const AUTH: Auth = Auth::Required;
    type Output = OrdersEnvelope;
    const REPLY: &'static Ty = &ORDERS_ENVELOPE;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let mut s = RequestSpec::new(Method::Get, &["user", "orders"]);
        s.query = query(&self.lang, &self.currency);
        Ok(s)
    }
}

/// Params of `createOrder` (`POST /user/orders`): places an order, which is then paid with
/// `chargeOrder`. Needs the API key.
///
/// Rules: `service_id` and `location_id` are positive ids (`location_id` is required by the
/// docs; pass `allowMissingLocation: true` in the call options for a tariff without
/// locations); `quantity` at most the service's cap when its kind is known
/// (personal 500, prime 100, city 50; batch: one of the service's `packets`); `period` one of
/// 30/60/90/180/365 days (individual, prime, city, batch) or 1/7/30/90/365 (mobile), the union
/// when the kind is unknown; `lang`, `currency` from their lists.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/placing-an-order>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderParams {
    /// Reply language (query). Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Reply currency (query). Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
    /// Service (tariff) id, from `listServices`.
    pub service_id: u64,
    /// Location id, from `listServiceLocations`.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub location_id: Option<u64>,
    /// Number of addresses (or mobile channels). Default **1**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// Period in days. Default **30**.
    #[serde(default)]
    #[tsify(optional, type = "Period")]
    pub period: Option<u64>,
    /// Mobile only: let the client change equipment (needed to relocate). Default **true**.
    #[serde(default)]
    #[tsify(optional, type = "boolean")]
    pub multiport: Option<bool>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl Validate for CreateOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p.id("service_id", self.service_id);
        match self.location_id {
            Some(l) => p.id("location_id", l),
            None if self.context.allow_missing_location => {}
            None => p.add(
                "location_id",
                "is required (pass allowMissingLocation: true in the call options for a tariff without locations)",
            ),
        }
        check_quantity(&mut p, self.quantity, &self.context);
        check_period(&mut p, self.period, &self.context);
        p
    }
}

impl Hints for CreateOrderParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_quantity(&mut p, self.quantity);
        p
    }
}

impl Contextual for CreateOrderParams {
    fn subject(&self) -> Subject {
        Subject::Service(self.service_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for CreateOrderParams {
    const OPERATION: &'static str = "createOrder";
    const AUTH: Auth = Auth::Required;
    type Output = OrdersEnvelope;
    const REPLY: &'static Ty = &ORDERS_ENVELOPE;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let mut s = RequestSpec::new(Method::Post, &["user", "orders"]);
        s.query = query(&self.lang, &self.currency);
        s.body = Some(object_of(vec![
            ("service_id", Some(self.service_id.into())),
            ("location_id", some(self.location_id)),
            ("quantity", some(self.quantity)),
            ("period", some(self.period)),
            ("multiport", some(self.multiport)),
        ]));
        Ok(s)
    }
}

/// `ip_auth` of `changeOrder`: a list of IP addresses (v4 or v6), or `"clear"`.
#[derive(Clone, Debug, PartialEq, Tsify)]
#[serde(untagged)]
#[tsify(type = "string[] | \"clear\"")]
pub enum IpAuth {
    /// The allowed IPs (an empty list clears them).
    List(Vec<String>),
    /// `"clear"`: remove every allowed IP (sent as `[]`, the documented form).
    Word(String),
}

/// Params of `changeOrder` (`POST /user/orders/{order_id}`): change access data, or resize
/// an expired order. Needs the API key. Send only what changes.
///
/// - An **active** order accepts only access-data changes: `port`, `login`, `password`,
///   `gen_password`, `ip_auth`.
/// - An **expired** order (before paying the extension) also accepts a new `quantity`:
///   mobile orders take only `quantity`; other orders take `remove_proxies` (IPs to drop) plus
///   the final `quantity` — the server removes those IPs and adds new ones until the order
///   has `quantity` addresses (4 IPs, remove 2, `quantity: 6` → 4 new IPs).
///
/// Rules (each from the order-changes page): `order_id` positive id; `quantity` within the
/// kind's cap when the kind is known; `remove_proxies` IP addresses (`string · ip[]`: IPv4 or
/// IPv6), only with the final `quantity`; `ip_auth` IP addresses (`[]` clears; `"clear"` is
/// accepted and sent as `[]`). Hints only (see [`Hints`]): `quantity: 0`, a duplicated
/// `remove_proxies` IP, `remove_proxies` on a mobile order (the docs say mobile orders send
/// only `quantity`, but do not forbid it), a port outside 1–65535, and a `password` sent with
/// `gen_password: true` (the docs: the password "is then ignored").
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-changes>
#[derive(Clone, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ChangeOrderParams {
    /// The order (path).
    pub order_id: u64,
    /// Reply language (query). Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Reply currency (query). Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
    /// Final number of addresses/channels (expired orders only).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// IP addresses (v4 or v6) to drop (expired orders; needs `quantity`).
    #[serde(default)]
    #[tsify(optional, type = "string[]")]
    pub remove_proxies: Option<Vec<String>>,
    /// Proxy port.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub port: Option<u64>,
    /// Proxy login.
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub login: Option<String>,
    /// New proxy password (ignored by the server with `gen_password: true`).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub password: Option<String>,
    /// `true`: the server generates a new password. Default `false`.
    #[serde(default)]
    #[tsify(optional, type = "boolean")]
    pub gen_password: Option<bool>,
    /// IP addresses (v4 or v6) allowed without login/password; `[]` or `"clear"` removes
    /// them all.
    #[serde(default)]
    #[tsify(optional, type = "string[] | \"clear\"")]
    pub ip_auth: Option<IpAuth>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl fmt::Debug for ChangeOrderParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangeOrderParams")
            .field("order_id", &self.order_id)
            .field("quantity", &self.quantity)
            .field("remove_proxies", &self.remove_proxies)
            .field("port", &self.port)
            .field("login", &self.login)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("gen_password", &self.gen_password)
            .field("ip_auth", &self.ip_auth)
            .finish_non_exhaustive()
    }
}

impl Validate for ChangeOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        lang_currency(&mut p, &self.lang, &self.currency);
        check_quantity(&mut p, self.quantity, &self.context);
        if let Some(ips) = &self.remove_proxies {
            // Order changes: "send remove_proxies … and, in quantity, the final number".
            if self.quantity.is_none() {
                p.add(
                    "quantity",
                    "is required with remove_proxies: the final number of proxies after removing them",
                );
            }
            // Order changes: `remove_proxies` is `string · ip[]` (IPv4 or IPv6).
            for (i, ip) in ips.iter().enumerate() {
                if !is_ip(ip) {
                    p.add(format!("remove_proxies[{i}]"), "must be an IP address");
                }
            }
        }
        match &self.ip_auth {
            // Order changes: `ip_auth` is `string · ip[]`; "an empty list or 'clear'" wipes it.
            Some(IpAuth::List(ips)) => {
                for (i, ip) in ips.iter().enumerate() {
                    if !is_ip(ip) {
                        p.add(format!("ip_auth[{i}]"), "must be an IP address");
                    }
                }
            }
            Some(IpAuth::Word(w)) if w != "clear" => {
                p.add("ip_auth", "must be a list of IP addresses or \"clear\"")
            }
            _ => {}
        }
        p
    }
}

impl Hints for ChangeOrderParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_quantity(&mut p, self.quantity);
        if let Some(ips) = &self.remove_proxies {
            if self.context.kind.is_some_and(|k| k.is_mobile()) {
                p.add(
                    "remove_proxies",
                    "hint: for mobile orders the docs say to send only the final quantity",
                );
            }
            for (i, ip) in ips.iter().enumerate() {
                if ips[..i].contains(ip) {
                    p.add(format!("remove_proxies[{i}]"), "hint: listed twice");
                }
            }
        }
        if let Some(port) = self.port {
            if !(1..=65535).contains(&port) {
                p.add("port", "hint: a TCP port is 1–65535");
            }
        }
        if self.gen_password == Some(true) && self.password.is_some() {
            p.add(
                "password",
                "hint: ignored with gen_password: true (the server generates the password)",
            );
        }
        p
    }
}

impl Contextual for ChangeOrderParams {
    fn subject(&self) -> Subject {
        Subject::Order(self.order_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for ChangeOrderParams {
    const OPERATION: &'static str = "changeOrder";
    const AUTH: Auth = Auth::Required;
    type Output = OrderEnvelope;
    const REPLY: &'static Ty = &ORDER_ENVELOPE;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.order_id.to_string();
        let mut s = RequestSpec::new(Method::Post, &["user", "orders", &id]);
        s.query = query(&self.lang, &self.currency);
        let ip_auth = self.ip_auth.as_ref().map(|a| match a {
            IpAuth::List(l) => Value::from(l.clone()),
            IpAuth::Word(_) => Value::Array(Vec::new()),
        });
        s.body = Some(object_of(vec![
            ("quantity", some(self.quantity)),
            ("remove_proxies", some(self.remove_proxies.clone())),
            ("port", some(self.port)),
            ("login", some(self.login.clone())),
            ("password", some(self.password.clone())),
            ("gen_password", some(self.gen_password)),
            ("ip_auth", ip_auth),
        ]));
        Ok(s)
    }
}

/// Params of `chargeOrder` (`POST /user/orders/{order_id}/charge`): pay for a new order or
/// extend one. With a payment system it returns a payment link (`payment.url`) to send the
/// payer to; with `merchant: "balance"` it pays at once from the API balance (this needs the
/// API key; other merchants work without one).
///
/// Rules (payment page): `order_id` positive id; `merchant` and `currency` required and
/// non-empty (`currency` should be one the merchant lists in `listMerchants`; not checked:
/// merchants change at run time); `period` a whole number of days ≥ 1 — the page lists no
/// values for it, only that the order's own period is used when it is left out. Hints only:
/// a `period` outside the tariff's periods, an empty `promocode`.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ChargeOrderParams {
    /// The order (path).
    pub order_id: u64,
    /// Payment-system code from `listMerchants`, or `balance` for the API balance.
    pub merchant: String,
    /// Currency of the chosen payment system (e.g. `RUB`).
    pub currency: String,
    /// Days to pay for (any whole number ≥ 1). Default: **the order's own period**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub period: Option<u64>,
    /// Discount code.
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub promocode: Option<String>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl Validate for ChargeOrderParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("merchant", &self.merchant);
        p.non_empty("currency", &self.currency);
        // Order payment: `period` is "the period to pay, in days; if not sent, the order's
        // period is used". No list of values is given for it (unlike creation), so any whole
        // number of days ≥ 1 is sent; the tariff's periods are only a hint.
        if self.period == Some(0) {
            p.add("period", "must be a whole number of days ≥ 1");
        }
        p
    }
}

impl Hints for ChargeOrderParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        let mut periods = Problems::default();
        check_period(&mut periods, self.period.filter(|d| *d > 0), &self.context);
        for x in periods.0 {
            p.add(
                x.field,
                format!(
                    "hint: {} (the tariff's periods; the payment docs accept any period)",
                    x.rule
                ),
            );
        }
        hint_non_empty(&mut p, "promocode", &self.promocode);
        p
    }
}

impl Contextual for ChargeOrderParams {
    fn subject(&self) -> Subject {
        Subject::Order(self.order_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for ChargeOrderParams {
    const OPERATION: &'static str = "chargeOrder";
    const AUTH: Auth = Auth::Optional;
    type Output = PaymentEnvelope;
    const REPLY: &'static Ty = &PAYMENT_ENVELOPE;
    fn auth(&self) -> Auth {
        // Paying from the API balance acts on the account: the vendor requires a signed-in
        // caller for it, while invoices through a payment system work without a key.
        if self.merchant == "balance" {
            Auth::Required
        } else {
            Auth::Optional
        }
    }
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.order_id.to_string();
        let mut s = RequestSpec::new(Method::Post, &["user", "orders", &id, "charge"]);
        s.body = Some(object_of(vec![
            ("merchant", Some(self.merchant.clone().into())),
            ("currency", Some(self.currency.clone().into())),
            ("period", some(self.period)),
            ("promocode", some(self.promocode.clone())),
        ]));
        Ok(s)
    }
}

/// Params of `performOrderOperation` (`POST /user/orders/{order_id}/perform`): run a mobile
/// channel operation. Needs the API key. The operation must be in the order's
/// `allowed_operations`.
///
/// Operations: `channels-change-ip` (new dynamic IP), `channels-reset` (reboot the modem),
/// `channels-set-autoreset` (auto-reboot every `interval` seconds; 0 turns it off),
/// `channels-relocate` (move channels to another modem in `location_id` / `operator_id`).
///
/// Rules (order-operations page): `order_id`, channel, `location_id`, `operator_id` positive
/// ids; `operation` one of the four codes; `interval` 0 or ≥ 60; `location_id` not for a
/// known plain "mobile proxies" order (only "mobile proxies plus"). Hint only: `location_id`
/// / `operator_id` with another operation than `channels-relocate` (the docs describe them
/// for relocation without forbidding them elsewhere).
/// The server checks that the operation is in the order's `allowed_operations`.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-operations>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PerformOrderOperationParams {
    /// The order (path).
    pub order_id: u64,
    /// The operation code.
    #[tsify(type = "OrderOperation")]
    pub operation: String,
    /// Channel ids. Default: **every channel of the order**.
    #[serde(default)]
    #[tsify(optional, type = "number[]")]
    pub channels: Option<Vec<u64>>,
    /// Target location of `channels-relocate` ("mobile proxies plus" with multiport).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub location_id: Option<u64>,
    /// Target carrier of `channels-relocate` (multiport orders).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub operator_id: Option<u64>,
    /// Auto-reset period in seconds for `channels-set-autoreset`: ≥ 60, or 0 (off).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub interval: Option<u64>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl Validate for PerformOrderOperationParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        if !OPERATIONS.contains(&self.operation.as_str()) {
            p.add(
                "operation",
                format!("must be one of {}", OPERATIONS.join(", ")),
            );
        }
        for (i, c) in self.channels.iter().flatten().enumerate() {
            p.id(&format!("channels[{i}]"), *c);
        }
        if let Some(i) = self.interval {
            if i != 0 && i < MIN_AUTORESET_INTERVAL {
                p.add("interval", "must be 0 (off) or at least 60 seconds");
            }
        }
        let relocate = self.operation == "channels-relocate";
        p.opt_id("location_id", self.location_id);
        p.opt_id("operator_id", self.operator_id);
        // Not checked locally: that the order is mobile and that the operation is in its
        // `allowed_operations`. The vendor's own perform example runs mobile operations on a
        // "City proxies" order, and a remembered `allowed_operations` goes stale as soon as
        // the order is paid; the server enforces both.
        if relocate
            && self.location_id.is_some()
            && self.context.kind == Some(super::rules::ServiceKind::Mobile)
        {
            p.add(
                "location_id",
                "can only be changed for \"mobile proxies plus\" orders",
            );
        }
        p
    }
}

impl Hints for PerformOrderOperationParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        if self.operation != "channels-relocate" {
            for (field, v) in [
                ("location_id", self.location_id),
                ("operator_id", self.operator_id),
            ] {
                if v.is_some() {
                    p.add(field, "hint: the docs use it only with channels-relocate");
                }
            }
        }
        p
    }
}

impl Contextual for PerformOrderOperationParams {
    fn subject(&self) -> Subject {
        Subject::Order(self.order_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for PerformOrderOperationParams {
    const OPERATION: &'static str = "performOrderOperation";
    const AUTH: Auth = Auth::Required;
    type Output = PerformResponse;
    const REPLY: &'static Ty = &PERFORM_RESPONSE;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.order_id.to_string();
        let mut s = RequestSpec::new(Method::Post, &["user", "orders", &id, "perform"]);
        s.body = Some(object_of(vec![
            ("operation", Some(self.operation.clone().into())),
            ("channels", some(self.channels.clone())),
            ("location_id", some(self.location_id)),
            ("operator_id", some(self.operator_id)),
            ("interval", some(self.interval)),
        ]));
        Ok(s)
    }
}

// ------------------------------------------------------------------------- balance, payment

/// Params of `chargeUserBalance` (`POST /user/balance/charge`): top up the API balance
/// through a payment system (newer docs only). Needs the API key.
///
/// Rules: `merchant`, `currency` non-empty; `amount` (USD) ≥ 0.1; `payer_amount` (in
/// `currency`) ≥ 0.1; at least one of the two (the docs mark `amount` required yet describe
/// `payer_amount` as the alternative; the vendor ignores `payer_amount` when `amount` is given).
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/user/charge-user-profile>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ChargeUserBalanceParams {
    /// Payment-system code (e.g. `freekassa`).
    pub merchant: String,
    /// Payment currency (e.g. `RUB`).
    pub currency: String,
    /// Top-up in USD, ≥ 0.1.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub amount: Option<f64>,
    /// Top-up in `currency`, ≥ 0.1 (ignored by the vendor when `amount` is given).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub payer_amount: Option<f64>,
}

impl Validate for ChargeUserBalanceParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.non_empty("merchant", &self.merchant);
        p.non_empty("currency", &self.currency);
        for (field, v) in [("amount", self.amount), ("payer_amount", self.payer_amount)] {
            if let Some(v) = v {
                if !v.is_finite() || v < MIN_TOP_UP {
                    p.add(field, "must be at least 0.1");
                }
            }
        }
        if self.amount.is_none() && self.payer_amount.is_none() {
            p.add("amount", "is required (or give payer_amount instead)");
        }
        p
    }
}
impl Contextual for ChargeUserBalanceParams {}
impl Hints for ChargeUserBalanceParams {}

impl Endpoint for ChargeUserBalanceParams {
    const OPERATION: &'static str = "chargeUserBalance";
    const AUTH: Auth = Auth::Required;
    type Output = BalanceChargeReply;
    const REPLY: &'static Ty = &BALANCE_CHARGE_REPLY;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let mut s = RequestSpec::new(Method::Post, &["user", "balance", "charge"]);
        s.body = Some(object_of(vec![
            ("merchant", Some(self.merchant.clone().into())),
            ("currency", Some(self.currency.clone().into())),
            ("amount", some(self.amount)),
            ("payer_amount", some(self.payer_amount)),
        ]));
        Ok(s)
    }
}

/// Parameters of `listMerchants` (`GET /merchants`). The call takes none.
///
/// Lists the payment methods usable right now and their currencies. Public: no API key is
/// documented for it; a configured key is sent anyway.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
// `Record<string, never>` rather than `{}`: TypeScript lets any non-null value (even `5`)
// pass as `{}`, while this type rejects any property.
#[tsify(type = "Record<string, never>")]
pub struct ListMerchantsParams {}

impl Validate for ListMerchantsParams {
    fn problems(&self) -> Problems {
        Problems::default()
    }
}
impl Contextual for ListMerchantsParams {}
impl Hints for ListMerchantsParams {}

impl Endpoint for ListMerchantsParams {
    const OPERATION: &'static str = "listMerchants";
    const AUTH: Auth = Auth::Optional;
    type Output = MerchantList;
    const REPLY: &'static Ty = &MERCHANT_LIST;

    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(RequestSpec::new(Method::Get, &["merchants"]))
    }
}

/// Params of `calculatePrice` (`POST /services/{service_id}/price`): the cost of an order and
/// the sum payable through a payment system, with a promocode's discount. Public.
///
/// Rules (payment page → price calculation): `service_id` (and `location_id` when given)
/// positive ids; `quantity` cap and `period` as for `createOrder` (defaults 1 and 30); `lang`
/// ∈ EN/RU/UA. Hints only: `quantity: 0`, empty `promocode`, `merchant`, `currency`.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct CalculatePriceParams {
    /// The service (path).
    pub service_id: u64,
    /// Reply language (query). Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Location id, when the tariff has locations.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub location_id: Option<u64>,
    /// Number of addresses/channels. Default **1**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub quantity: Option<u64>,
    /// Period in days. Default **30**.
    #[serde(default)]
    #[tsify(optional, type = "Period")]
    pub period: Option<u64>,
    /// Mobile only: allow equipment change. Default **true**.
    #[serde(default)]
    #[tsify(optional, type = "boolean")]
    pub multiport: Option<bool>,
    /// Discount code.
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub promocode: Option<String>,
    /// Payment system to price for (e.g. `freekassa`).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub merchant: Option<String>,
    /// Payer currency (e.g. `RUB`).
    #[serde(default)]
    #[tsify(optional, type = "string")]
    pub currency: Option<String>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl Validate for CalculatePriceParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("service_id", self.service_id);
        lang_currency(&mut p, &self.lang, &None);
        p.opt_id("location_id", self.location_id);
        check_quantity(&mut p, self.quantity, &self.context);
        check_period(&mut p, self.period, &self.context);
        p
    }
}

impl Hints for CalculatePriceParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_quantity(&mut p, self.quantity);
        hint_non_empty(&mut p, "promocode", &self.promocode);
        hint_non_empty(&mut p, "merchant", &self.merchant);
        hint_non_empty(&mut p, "currency", &self.currency);
        p
    }
}

impl Contextual for CalculatePriceParams {
    fn subject(&self) -> Subject {
        Subject::Service(self.service_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}

impl Endpoint for CalculatePriceParams {
    const OPERATION: &'static str = "calculatePrice";
    const AUTH: Auth = Auth::Optional;
    type Output = PriceResponse;
    const REPLY: &'static Ty = &PRICE_RESPONSE;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.service_id.to_string();
        let mut s = RequestSpec::new(Method::Post, &["services", &id, "price"]);
        s.query = query(&self.lang, &None);
        s.body = Some(object_of(vec![
            ("location_id", some(self.location_id)),
            ("quantity", some(self.quantity)),
            ("period", some(self.period)),
            ("multiport", some(self.multiport)),
            ("promocode", some(self.promocode.clone())),
            ("merchant", some(self.merchant.clone())),
            ("currency", some(self.currency.clone())),
        ]));
        Ok(s)
    }
}

// -------------------------------------------------------------------------------- services

/// Params of `listServices` (`GET /services`): the tariff catalogue, source of `service_id`.
/// The vendor references this call but does not publish it: the reply is returned as any
/// JSON. When it lists services with an `id` and a recognisable name or kind (or batch
/// `packets`), this client remembers their kinds to apply the period and quantity rules.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListServicesParams {
    /// Reply language. Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
    /// Currency of prices. Default `USD`.
    #[serde(default)]
    #[tsify(optional, type = "Currency")]
    pub currency: Option<String>,
}

impl Validate for ListServicesParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        lang_currency(&mut p, &self.lang, &self.currency);
        p
    }
}
impl Contextual for ListServicesParams {}
impl Hints for ListServicesParams {}

impl Endpoint for ListServicesParams {
    const OPERATION: &'static str = "listServices";
    const AUTH: Auth = Auth::Optional;
    type Output = Value;
    const REPLY: &'static Ty = &Ty::Any;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let mut s = RequestSpec::new(Method::Get, &["services"]);
        s.query = query(&self.lang, &self.currency);
        Ok(s)
    }
}

/// Params of `listServiceLocations` (`GET /services/{service_id}/locations`): the locations
/// of a tariff, source of `location_id`. Referenced but not published by the vendor: the
/// reply is returned as any JSON.
///
/// Rules: `service_id` positive id; `lang` ∈ EN/RU/UA.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListServiceLocationsParams {
    /// The service (path).
    pub service_id: u64,
    /// Reply language. Default `EN`.
    #[serde(default)]
    #[tsify(optional, type = "Lang")]
    pub lang: Option<String>,
}

impl Validate for ListServiceLocationsParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("service_id", self.service_id);
        lang_currency(&mut p, &self.lang, &None);
        p
    }
}
impl Contextual for ListServiceLocationsParams {}
impl Hints for ListServiceLocationsParams {}

impl Endpoint for ListServiceLocationsParams {
    const OPERATION: &'static str = "listServiceLocations";
    const AUTH: Auth = Auth::Optional;
    type Output = Value;
    const REPLY: &'static Ty = &Ty::Any;
    fn spec(&self) -> Result<RequestSpec, Error> {
        self.problems().into_result()?;
        let id = self.service_id.to_string();
        let mut s = RequestSpec::new(Method::Get, &["services", &id, "locations"]);
        s.query = query(&self.lang, &None);
        Ok(s)
    }
}

// ------------------------------------------------------------------ reading params from JS

fn lang_currency_fields(f: &mut Fields) -> Result<(Option<String>, Option<String>), Error> {
    Ok((f.opt_str("lang")?, f.opt_str("currency")?))
}

impl FromJson for ListOrdersParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let (lang, currency) = lang_currency_fields(&mut f)?;
        f.finish()?;
        Ok(ListOrdersParams { lang, currency })
    }
}

impl FromJson for CreateOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let (lang, currency) = lang_currency_fields(&mut f)?;
        let p = CreateOrderParams {
            lang,
            currency,
            service_id: f.uint("service_id")?,
            location_id: f.opt_uint("location_id")?,
            quantity: f.opt_uint("quantity")?,
            period: f.opt_uint("period")?,
            multiport: f.opt_bool("multiport")?,
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}

impl FromJson for ChangeOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let order_id = f.uint("order_id")?;
        let (lang, currency) = lang_currency_fields(&mut f)?;
        let ip_auth = match f.opt_value("ip_auth") {
            None => None,
            Some(Value::String(s)) => Some(IpAuth::Word(s.clone())),
            Some(Value::Array(items)) => Some(IpAuth::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        x.as_str().map(str::to_owned).ok_or_else(|| {
                            Error::invalid(format!("ip_auth[{i}]"), "must be a string")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            )),
            Some(_) => {
                return Err(Error::invalid(
                    "ip_auth",
                    "must be a list of IPv4 addresses or \"clear\"",
                ))
            }
        };
        let p = ChangeOrderParams {
            order_id,
            lang,
            currency,
            quantity: f.opt_uint("quantity")?,
            remove_proxies: f.opt_str_list("remove_proxies")?,
            port: f.opt_uint("port")?,
            login: f.opt_str("login")?,
            password: f.opt_str("password")?,
            gen_password: f.opt_bool("gen_password")?,
            ip_auth,
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}

impl FromJson for ChargeOrderParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ChargeOrderParams {
            order_id: f.uint("order_id")?,
            merchant: f.str("merchant")?,
            currency: f.str("currency")?,
            period: f.opt_uint("period")?,
            promocode: f.opt_str("promocode")?,
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}

impl FromJson for PerformOrderOperationParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = PerformOrderOperationParams {
            order_id: f.uint("order_id")?,
            operation: f.str("operation")?,
            channels: f.opt_uint_list("channels")?,
            location_id: f.opt_uint("location_id")?,
            operator_id: f.opt_uint("operator_id")?,
            interval: f.opt_uint("interval")?,
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}

impl FromJson for ChargeUserBalanceParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ChargeUserBalanceParams {
            merchant: f.str("merchant")?,
            currency: f.str("currency")?,
            amount: f.opt_num("amount")?,
            payer_amount: f.opt_num("payer_amount")?,
        };
        f.finish()?;
        Ok(p)
    }
}

impl FromJson for ListMerchantsParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        Fields::new(v)?.finish()?;
        Ok(ListMerchantsParams {})
    }
}

impl FromJson for CalculatePriceParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = CalculatePriceParams {
            service_id: f.uint("service_id")?,
            lang: f.opt_str("lang")?,
            location_id: f.opt_uint("location_id")?,
            quantity: f.opt_uint("quantity")?,
            period: f.opt_uint("period")?,
            multiport: f.opt_bool("multiport")?,
            promocode: f.opt_str("promocode")?,
            merchant: f.opt_str("merchant")?,
            currency: f.opt_str("currency")?,
            context: RuleContext::default(),
        };
        f.finish()?;
        Ok(p)
    }
}

impl FromJson for ListServicesParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let (lang, currency) = lang_currency_fields(&mut f)?;
        f.finish()?;
        Ok(ListServicesParams { lang, currency })
    }
}

impl FromJson for ListServiceLocationsParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ListServiceLocationsParams {
            service_id: f.uint("service_id")?,
            lang: f.opt_str("lang")?,
        };
        f.finish()?;
        Ok(p)
    }
}
