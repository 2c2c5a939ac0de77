//! Wire types of the ProxyShard User API (field names as on the wire).
//!
//! Units: money is integer US **cents**; traffic is GB in requests but **bytes** in the
//! owner's profile. Older reply shapes from earlier doc revisions still decode: `success`
//! and `message` are optional everywhere, and fields a revision added are optional.

use std::fmt;

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Reply of `getMe`: the account summary. No `success` flag is documented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct MeResponse {
    /// Account e-mail.
    pub email: String,
    /// Number of active orders.
    pub active_orders: u32,
    /// Wallet balance in US **cents** (`1250` = $12.50).
    pub wallet_balance: i64,
}

/// `{ success, message }`, the reply of most state-changing calls (older revisions sent only
/// `success`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ApiMessage {
    /// `true` on success (decide by the HTTP status, not by this flag).
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Human-readable result, e.g. `Order renewed successfully`.
    #[tsify(optional, type = "string | null")]
    pub message: Option<String>,
}

/// One live proxy of a Datacenter / ISP order. `password` is a secret: `Debug` hides it.
#[derive(Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ActiveProxyItem {
    /// Proxy IP.
    pub ip: String,
    /// Proxy username.
    pub username: String,
    /// Proxy password.
    pub password: String,
    /// HTTP port.
    pub http_port: u32,
    /// SOCKS5 port.
    pub socks_port: u32,
    /// End of the paid period (ISO 8601).
    pub until: String,
    /// Proxy state, e.g. `active`.
    pub status: String,
    /// p0f OS signature set on this IP, if any.
    #[tsify(optional, type = "P0fSignature | null")]
    pub signature: Option<String>,
}

impl fmt::Debug for ActiveProxyItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActiveProxyItem")
            .field("ip", &self.ip)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("http_port", &self.http_port)
            .field("socks_port", &self.socks_port)
            .field("until", &self.until)
            .field("status", &self.status)
            .field("signature", &self.signature)
            .finish()
    }
}

/// Reply of `listActiveProxies`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ActiveProxiesResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// The live proxies.
    pub data: Vec<ActiveProxyItem>,
    /// The order's tag (`"none"` is used by some clients to mean "no tag").
    #[tsify(optional, type = "string | null")]
    pub order_tag: Option<String>,
}

/// Reply of `setP0fSignatures`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct SignatureSetResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Result text.
    #[tsify(optional, type = "string | null")]
    pub message: Option<String>,
    /// Number of IPs changed.
    #[tsify(optional, type = "number | null")]
    pub updated: Option<u64>,
}

/// Reply of `quoteAddon` (prices in **cents**).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AddonCalculateResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Add-on key.
    #[tsify(optional, type = "AddonKey | null")]
    pub addon_key: Option<String>,
    /// Catalogue id of the add-on.
    #[tsify(optional, type = "number | null")]
    pub catalog_id: Option<i64>,
    /// Price of one unit, cents.
    #[tsify(optional, type = "number | null")]
    pub price_per_unit: Option<i64>,
    /// Units held now.
    #[tsify(optional, type = "number | null")]
    pub current_qty: Option<i64>,
    /// Units to add.
    #[tsify(optional, type = "number | null")]
    pub add_qty: Option<i64>,
    /// Units after the purchase.
    #[tsify(optional, type = "number | null")]
    pub new_qty: Option<i64>,
    /// Total charge of this purchase, cents.
    #[tsify(optional, type = "number | null")]
    pub add_total: Option<i64>,
}

/// A scheduled change of an add-on, applied at the next renewal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AddonPending {
    /// `downgrade` (settable with `scheduleAddonDowngrade`) or `cancel`.
    #[tsify(optional, type = "\"cancel\" | \"downgrade\" | null")]
    pub action: Option<String>,
    /// Units after a downgrade.
    #[tsify(optional, type = "number | null")]
    pub next_qty: Option<i64>,
}

/// One add-on of an order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AddonLine {
    /// Add-on key, e.g. `p0f_slots`.
    #[tsify(optional, type = "AddonKey | null")]
    pub addon_key: Option<String>,
    /// Catalogue id.
    #[tsify(optional, type = "number | null")]
    pub catalog_id: Option<i64>,
    /// Units active this period.
    #[tsify(optional, type = "number | null")]
    pub qty: Option<i64>,
    /// Price of one unit, cents, frozen at purchase.
    #[tsify(optional, type = "number | null")]
    pub price_per_unit: Option<i64>,
    /// Scheduled change, if any.
    #[tsify(optional, type = "AddonPending | null")]
    pub pending: Option<AddonPending>,
}

/// Reply of `purchaseAddon`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AddonPurchaseResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Result text.
    #[tsify(optional, type = "string | null")]
    pub message: Option<String>,
    /// Running total of add-on cost for the order, cents.
    #[tsify(optional, type = "number | null")]
    pub addons_price_paid: Option<i64>,
    /// The order's add-ons after the purchase (absent in older revisions).
    #[tsify(optional, type = "AddonLine[] | null")]
    pub addons: Option<Vec<AddonLine>>,
}

/// Reply of `scheduleAddonDowngrade` and `cancelAddonDowngrade`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AddonsResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Result text.
    #[tsify(optional, type = "string | null")]
    pub message: Option<String>,
    /// The order's add-ons (absent in older revisions).
    #[tsify(optional, type = "AddonLine[] | null")]
    pub addons: Option<Vec<AddonLine>>,
}

/// Reply of `purchaseOrder`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct PurchaseResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// `Order paid successfully`.
    #[tsify(optional, type = "string | null")]
    pub message: Option<String>,
    /// The new order's id.
    pub order_id: u64,
}

/// Reply of `quoteOrder`. Prices in **cents** (`original_price`/`final_price` are not
/// labelled by the vendor but are added to `addons_price`, which is cents).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrderCalculateResponse {
    /// Price before discount.
    #[tsify(optional, type = "number | null")]
    pub original_price: Option<i64>,
    /// Price after the promo discount.
    #[tsify(optional, type = "number | null")]
    pub final_price: Option<i64>,
    /// Discount, whole percent.
    #[tsify(optional, type = "number | null")]
    pub discount_percent: Option<i64>,
    /// Add-ons price, cents.
    #[tsify(optional, type = "number | null")]
    pub addons_price: Option<i64>,
    /// `final_price + addons_price`.
    #[tsify(optional, type = "number | null")]
    pub total_with_addons: Option<i64>,
}

/// Reply of `changeBillingCycle`: flat price fields (v1.1.0), or `order` (older revision).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ChangeBillingCycleResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Result text.
    #[tsify(optional, type = "string | null")]
    pub message: Option<String>,
    /// The order.
    #[tsify(optional, type = "number | null")]
    pub order_id: Option<u64>,
    /// Price before discount for the new cycle.
    #[tsify(optional, type = "number | null")]
    pub original_price: Option<i64>,
    /// Price after discount.
    #[tsify(optional, type = "number | null")]
    pub final_price: Option<i64>,
    /// Discount, whole percent.
    #[tsify(optional, type = "number | null")]
    pub discount_percent: Option<i64>,
    /// The order object of the older reply shape.
    #[tsify(optional, type = "Record<string, unknown> | null")]
    pub order: Option<serde_json::Value>,
}

/// A product with its cycles: the only source of product, location and cycle names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ProductWithCycles {
    /// Exact product name to pass as `product`, e.g. `Datacenter Proxy`.
    pub name: String,
    /// Description.
    #[tsify(optional, type = "string | null")]
    pub description: Option<String>,
    /// Location code, when the product has one.
    #[tsify(optional, type = "string | null")]
    pub location: Option<String>,
    /// Cycle names to pass as `cycle`, e.g. `monthly`.
    pub cycles: Vec<String>,
}

/// Reply of `listProducts`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ProductsResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// The catalogue.
    pub products: Vec<ProductWithCycles>,
}

/// Stock of a product in a country (`getAvailableCounts` returns a bare list of these).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct AvailableCount {
    /// Country code.
    pub country: String,
    /// Product short code, e.g. `dc`.
    pub product: String,
    /// Units available.
    pub amount: i64,
}

/// An order in `listOrders`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrderSummary {
    /// Order id.
    pub order_id: u64,
    /// Product id.
    pub product_id: u64,
    /// Product name.
    pub product_name: String,
    /// Cycle id.
    pub cycle_id: u64,
    /// Cycle name.
    pub cycle_name: String,
    /// End of the paid period (ISO 8601).
    #[tsify(optional, type = "string | null")]
    pub expires_at: Option<String>,
    /// Auto-renewal on/off.
    #[tsify(optional, type = "boolean | null")]
    pub auto_renewal: Option<bool>,
    /// The order's tag.
    #[tsify(optional, type = "string | null")]
    pub tag: Option<String>,
}

/// Reply of `listOrders`: one page. `count` is the size of **this page**.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrderListResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// The orders of this page.
    pub orders: Vec<OrderSummary>,
    /// Orders in this page.
    #[tsify(optional, type = "number | null")]
    pub count: Option<u64>,
    /// Link to the previous page, `null` on the first.
    #[tsify(optional, type = "string | null")]
    pub prev: Option<String>,
    /// Link to the next page, `null` on the last.
    #[tsify(optional, type = "string | null")]
    pub next: Option<String>,
}

/// Order details (`getOrder`). Money in **cents**. No field is marked required by the vendor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrderDetail {
    /// Order id.
    #[tsify(optional, type = "number | null")]
    pub order_id: Option<u64>,
    /// Product name.
    #[tsify(optional, type = "string | null")]
    pub product_name: Option<String>,
    /// Cycle name.
    #[tsify(optional, type = "string | null")]
    pub cycle_name: Option<String>,
    /// Number of IPs (or GB for residential).
    #[tsify(optional, type = "number | null")]
    pub quantity: Option<i64>,
    /// Base price paid, cents (without add-ons).
    #[tsify(optional, type = "number | null")]
    pub price_paid: Option<i64>,
    /// Add-ons paid, cents.
    #[tsify(optional, type = "number | null")]
    pub addons_price_paid: Option<i64>,
    /// Add-ons of the order.
    #[tsify(optional, type = "AddonLine[] | null")]
    pub addons: Option<Vec<AddonLine>>,
    /// p0f slots bought.
    #[tsify(optional, type = "number | null")]
    pub p0f_slots_available: Option<i64>,
    /// p0f slots used (one per IP ever signed).
    #[tsify(optional, type = "number | null")]
    pub p0f_slots_used: Option<i64>,
    /// p0f slots after the next renewal.
    #[tsify(optional, type = "number | null")]
    pub p0f_slots_next: Option<i64>,
    /// `active`, `on-hold` or `cancelled`.
    #[tsify(optional, type = "OrderStatusName | null")]
    pub status: Option<String>,
    /// Creation time (ISO 8601).
    #[tsify(optional, type = "string | null")]
    pub created_at: Option<String>,
    /// End of the paid period (ISO 8601).
    #[tsify(optional, type = "string | null")]
    pub expires_at: Option<String>,
    /// Promo code in use.
    #[tsify(optional, type = "string | null")]
    pub promo_code: Option<String>,
    /// Auto-renewal on/off.
    #[tsify(optional, type = "boolean | null")]
    pub auto_renewal: Option<bool>,
    /// The order's tag.
    #[tsify(optional, type = "string | null")]
    pub tag: Option<String>,
}

/// Reply of `getOrder`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct OrderDetailResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// The order.
    pub order: OrderDetail,
}

/// Reply of `getResidentialProfile`: the owner's traffic in **bytes** and gateway password.
#[derive(Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct ResidentialProfileResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Traffic bought, bytes.
    pub data: i64,
    /// Traffic left, bytes.
    pub data_remain: i64,
    /// Traffic used, bytes.
    pub data_spent: i64,
    /// Gateway password of the owner.
    pub proxy_password: String,
}

impl fmt::Debug for ResidentialProfileResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResidentialProfileResponse")
            .field("data", &self.data)
            .field("data_remain", &self.data_remain)
            .field("data_spent", &self.data_spent)
            .field("proxy_password", &"<redacted>")
            .finish()
    }
}

/// A residential sub-user (traffic unit not stated by the vendor; bytes likely).
#[derive(Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct SubUser {
    /// Sub-user id (absent in `getSubUser` replies of v1.1.0).
    #[tsify(optional, type = "string | null")]
    pub user_id: Option<String>,
    /// Name.
    pub first_name: String,
    /// Gateway password.
    pub proxy_password: String,
    /// Traffic given.
    pub data: i64,
    /// Traffic used.
    pub data_spent: i64,
    /// Traffic left (absent in older revisions).
    #[tsify(optional, type = "number | null")]
    pub data_remain: Option<i64>,
}

impl fmt::Debug for SubUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubUser")
            .field("user_id", &self.user_id)
            .field("first_name", &self.first_name)
            .field("proxy_password", &"<redacted>")
            .field("data", &self.data)
            .field("data_spent", &self.data_spent)
            .field("data_remain", &self.data_remain)
            .finish()
    }
}

/// Reply of `listSubUsers` (one page; `count` is the **total** before paging), of
/// `getSubUser` and of `createSubUser` (`data` holds one sub-user).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct SubUsersResponse {
    /// `true` on success.
    #[tsify(optional, type = "boolean | null")]
    pub success: Option<bool>,
    /// Total number of sub-users (`listSubUsers`).
    #[tsify(optional, type = "number | null")]
    pub count: Option<u64>,
    /// The sub-users.
    #[tsify(optional, type = "SubUser[] | null")]
    pub data: Option<Vec<SubUser>>,
}

/// A `{ code, name }` pair (country, region reference).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct CodeName {
    /// Code (ISO for countries; a slug for cities and ISPs).
    pub code: String,
    /// Display name.
    pub name: String,
}

/// A geo entry of `listRegions` / `listCities` / `listIsps` (`listCountries` returns
/// entries with only `code` and `name`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct GeoEntry {
    /// Code to pass on to the next list (`country_code`, `region_code`, `city_code`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// The country (regions, cities, ISPs).
    #[tsify(optional, type = "CodeName | null")]
    pub country: Option<CodeName>,
    /// The region (cities, ISPs).
    #[tsify(optional, type = "CodeName | null")]
    pub region: Option<CodeName>,
}

/// Reply of the geo lists: `{ count, results }` (unpaged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct GeoList {
    /// Number of results.
    pub count: u64,
    /// The entries.
    pub results: Vec<GeoEntry>,
}

// The reply shapes these models agree with are derived from the spec: `super::shapes`
// (`cargo xtask gen`); `tests/schemas.rs` keeps the two in agreement.
