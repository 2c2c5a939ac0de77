//! Wire types of the Proxy-Solutions v3 API (field names as on the wire).
//!
//! Replies are checked against these types and then handed to JS as received, so fields the
//! vendor adds later are kept. Optional fields are typed `T | null` where the vendor's
//! examples omit them, because the docs do not say whether they are absent or `null`.

use std::fmt;

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A payment method usable right now, with the currencies it accepts.
///
/// See <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Merchant {
    /// Payment-system code to pass as `merchant` when paying, e.g. `interkassa`.
    pub code: String,
    /// Display name, e.g. `Interkassa`.
    pub name: String,
    /// Currency codes this merchant accepts, e.g. `["UAH", "USD", "EUR"]`.
    pub currencies: Vec<String>,
}

/// Reply of `listMerchants`: `{ merchants: Merchant[] }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct MerchantList {
    /// The payment methods.
    pub merchants: Vec<Merchant>,
}

/// Tariff summary inside an order (the vendor publishes no schema; fields from examples).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Service {
    /// Service id (e.g. `4`).
    #[tsify(optional, type = "number | null")]
    pub id: Option<u64>,
    /// Backend provider key (e.g. `server-proxies`).
    #[tsify(optional, type = "string | null")]
    pub provider: Option<String>,
    /// Display name (e.g. `City proxies`).
    #[tsify(optional, type = "string | null")]
    pub name: Option<String>,
}

/// Location summary (fields from examples).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Location {
    /// Location id (e.g. `24`).
    #[tsify(optional, type = "number | null")]
    pub id: Option<u64>,
    /// Location kind, e.g. `city` (probably `country` or `city`).
    #[serde(rename = "type")]
    #[tsify(optional, type = "string | null")]
    pub kind: Option<String>,
    /// Display name (e.g. `New York`).
    #[tsify(optional, type = "string | null")]
    pub name: Option<String>,
    /// Country name (e.g. `USA`).
    #[tsify(optional, type = "string | null")]
    pub country_name: Option<String>,
}

/// Mobile carrier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Operator {
    /// Operator id (e.g. `37`).
    #[tsify(optional, type = "number | null")]
    pub id: Option<u64>,
    /// Display name (e.g. `Orange`).
    #[tsify(optional, type = "string | null")]
    pub name: Option<String>,
}

/// How to connect to an order's proxies. `password` is a secret: `Debug` hides it.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Access {
    /// Proxy port (e.g. `8000`).
    #[tsify(optional, type = "number | null")]
    pub port: Option<u32>,
    /// Proxy login.
    #[tsify(optional, type = "string | null")]
    pub login: Option<String>,
    /// Proxy password. Shown to you; never logged by proxykit.
    #[tsify(optional, type = "string | null")]
    pub password: Option<String>,
    /// IPs allowed to use the proxies without login/password (set with `ip_auth`).
    #[tsify(optional, type = "string[] | null")]
    pub ip_list: Option<Vec<String>>,
}

impl fmt::Debug for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Access")
            .field("port", &self.port)
            .field("login", &self.login)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("ip_list", &self.ip_list)
            .finish()
    }
}

/// One proxy address of an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ProxyAddress {
    /// The IP address.
    pub ip: String,
}

/// An order. `status` is one of `waiting`, `waiting.activation`, `active`,
/// `active.suspended`, `archived` (only `waiting` is explained: an expired order without
/// auto-renewal drops into it); unknown future values are passed through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Order {
    /// Order id.
    pub id: u64,
    /// Order state.
    #[tsify(type = "OrderStatus")]
    pub status: String,
    /// The tariff.
    pub service: Service,
    /// The location, when the tariff has one.
    #[tsify(optional, type = "Location | null")]
    pub location: Option<Location>,
    /// The mobile carrier, for mobile orders.
    #[tsify(optional, type = "Operator | null")]
    pub operator: Option<Operator>,
    /// Period in days.
    pub period: u64,
    /// Number of addresses (or mobile channels).
    pub quantity: u64,
    /// Smallest amount that may be paid.
    #[tsify(optional, type = "number | null")]
    pub minimal_payment: Option<f64>,
    /// Cost in USD.
    pub amount: f64,
    /// Cost in the requested `currency`.
    #[tsify(optional, type = "number | null")]
    pub converted_amount: Option<f64>,
    /// `true`: billing renews the order while the API balance covers it; `false`: the
    /// order goes to `waiting` when its period ends. No API call changes it.
    #[tsify(optional, type = "boolean | null")]
    pub auto_continuation: Option<bool>,
    /// Operations `performOrderOperation` accepts right now.
    pub allowed_operations: Vec<String>,
    /// Whether IPs/channels have been assigned (not described by the vendor).
    pub resources_allocated: bool,
    /// Connection data (shown in `changeOrder` replies; maybe elsewhere).
    #[tsify(optional, type = "Access | null")]
    pub access: Option<Access>,
    /// The order's proxy addresses (shown in `changeOrder` replies; maybe elsewhere).
    #[tsify(optional, type = "ProxyAddress[] | null")]
    pub proxies: Option<Vec<ProxyAddress>>,
}

/// Reply of `listOrders` and `createOrder`: `{ lang, currency, orders }` (`createOrder`
/// returns the new order as a one-element list).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrdersEnvelope {
    /// Reply language.
    #[tsify(optional, type = "Lang | null")]
    pub lang: Option<String>,
    /// Currency of `converted_amount`.
    #[tsify(optional, type = "Currency | null")]
    pub currency: Option<String>,
    /// The orders.
    pub orders: Vec<Order>,
}

/// Reply of `changeOrder`: `{ currency, order }` (singular `order`, no `lang`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrderEnvelope {
    /// Currency of `converted_amount`.
    #[tsify(optional, type = "Currency | null")]
    pub currency: Option<String>,
    /// The changed order, with `access` and `proxies`.
    pub order: Order,
}

/// A payment: redirect the payer to `url` (for `merchant: "balance"` the order is paid at
/// once and `url` may be absent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Payment {
    /// Promocode discount, percent.
    #[tsify(optional, type = "number | null")]
    pub discount: Option<f64>,
    /// Merchant code.
    #[tsify(optional, type = "string | null")]
    pub merchant: Option<String>,
    /// Currency the payer pays in.
    #[tsify(optional, type = "string | null")]
    pub payer_currency: Option<String>,
    /// Amount the payer pays in `payer_currency`, discount applied.
    #[tsify(optional, type = "number | null")]
    pub payer_amount: Option<f64>,
    /// Payment page to send the payer to.
    #[tsify(optional, type = "string | null")]
    pub url: Option<String>,
}

/// Reply of `chargeOrder`: `{ payment }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct PaymentEnvelope {
    /// The payment (`payment.url` is the page to send the payer to). The payment page of the
    /// docs shows it in its example but publishes no reply schema, and whether a
    /// `merchant: "balance"` payment returns one is not said: it may be missing. Read as an
    /// empty `Payment` (every field absent) when missing or `null`, so such a reply is not a
    /// decode error; JS gets the reply as received.
    #[serde(default, deserialize_with = "null_as_default")]
    #[tsify(optional, type = "Payment | null")]
    pub payment: Payment,
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Reply of `chargeUserBalance`. The vendor does not show it; a `payment` object like
/// `chargeOrder`'s is assumed, and anything else is passed through.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct BalanceChargeReply {
    /// The payment, if the reply has one.
    #[tsify(optional, type = "Payment | null")]
    pub payment: Option<Payment>,
}

/// Reply of `calculatePrice` (every field optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct PriceResponse {
    /// Reply language.
    #[tsify(optional, type = "Lang | null")]
    pub lang: Option<String>,
    /// Promocode discount, percent.
    #[tsify(optional, type = "number | null")]
    pub discount: Option<f64>,
    /// Order price in USD.
    #[tsify(optional, type = "number | null")]
    pub amount: Option<f64>,
    /// Order price in `payer_currency`.
    #[tsify(optional, type = "number | null")]
    pub converted_amount: Option<f64>,
    /// Merchant code.
    #[tsify(optional, type = "string | null")]
    pub merchant: Option<String>,
    /// Amount to pay in `payer_currency` after the discount.
    #[tsify(optional, type = "number | null")]
    pub payer_amount: Option<f64>,
    /// Payer currency.
    #[tsify(optional, type = "string | null")]
    pub payer_currency: Option<String>,
}

/// Reply of `performOrderOperation`: `{ operation_status, order }`. Only `complete` is a
/// documented `operation_status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct PerformResponse {
    /// Result of the operation (`complete`; other values are not documented).
    pub operation_status: String,
    /// The refreshed order.
    #[tsify(optional, type = "Order | null")]
    pub order: Option<Order>,
}

// The reply shapes these models agree with are derived from the spec: `super::shapes`
// (`cargo xtask gen`); `tests/schemas.rs` keeps the two in agreement.
