//! The plain-Rust core of `ProxyMarket`: one storefront vocabulary over both sellers and
//! the exactly-once decision for money calls. No I/O and no JS here; the market that
//! calls the provider clients and the `#[wasm_bindgen]` binding build on it. Design,
//! mapping tables and limits: `docs/market.md`.
//!
//! - [`money`]: vendor amounts as exact integer minor units plus a currency.
//! - [`calls`]: a market order as the provider clients' own calls, checked by their rules.
//! - [`flow`]: the market's calls over the provider clients, and the exactly-once buy.
//! - [`mapping`]: offer kinds, order statuses, and normalised offers, quotes and orders.
//! - [`reconcile`](mod@reconcile): snapshots before money calls and the applied / not applied / unknown
//!   decision after an uncertain failure.

pub mod calls;
pub mod flow;
pub mod mapping;
pub mod money;
pub mod reconcile;

pub use mapping::{MarketOrder, Offer, OfferId, OfferKind, OrderStatus, Provider, Quote};
pub use money::{Amount, AmountError, Currency, Money, Rounding};
pub use reconcile::{reconcile, Intent, Outcome, Settle, Snapshot};
