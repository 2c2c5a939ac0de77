//! The market's calls over the provider clients: offers, quotes, orders, snapshots and the
//! exactly-once buy flow. Generic over the [`Transport`], so the whole flow (snapshot →
//! money call → settle → snapshot → [`reconcile`] → retry once) runs natively over the mock
//! transport in `tests/market.rs`; the `#[wasm_bindgen]` `ProxyMarket` only converts and
//! queues.
//!
//! Every decision is made by the pure parts of the core: [`calls`](super::calls) turns an
//! order into the provider's own calls and checks them with the client's rules,
//! [`mapping`] normalises replies, [`reconcile`] decides after an uncertain
//! failure. This module only sequences the calls.
//!
//! The money lane (one buy at a time per provider client) is the caller's: a buy holds no
//! lock here, so two overlapping buys on one client would make each other's snapshots
//! ambiguous (reconcile would then answer `unknown`, never a wrong answer). The wasm class
//! chains them.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::calls::{buy_plan, ps_offer_context, quote_call, BuyPlan, OrderRequest, PaymentChoice};
use super::mapping::{self, MarketOrder, Offer, OfferId, OfferKind, OrderStatus, Provider, Quote};
use super::reconcile::{
    reconcile, Evidence, Intent, Outcome, PsIntent, PsSnapshot, Settle, ShardIntent, ShardSnapshot,
    Snapshot, RECOMMENDED_SETTLE_DELAY_MS,
};
use crate::client::{CallOptions, Client};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::json::FromJson;
use crate::paging::{page_stop, Stop, DEFAULT_MAX_PAGES};
use crate::proxy_solutions::endpoints as ps_ep;
use crate::proxy_solutions::models as ps;
use crate::proxyshard::endpoints as shard_ep;
use crate::transport::Transport;

/// Largest ProxyShard `listOrders` page (the snapshot reads the first one).
const SHARD_PAGE: u64 = 100;

/// Which offers to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferFilter {
    /// Only this seller's offers.
    #[serde(default)]
    pub provider: Option<Provider>,
    /// Only offers of this kind.
    #[serde(default)]
    pub kind: Option<OfferKind>,
}

/// Which orders to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderFilter {
    /// Only this seller's orders.
    #[serde(default)]
    pub provider: Option<Provider>,
    /// Only orders with this market status.
    #[serde(default)]
    pub status: Option<OrderStatus>,
}

/// Where an order walk is (see [`Market::orders_page`]); start from the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderCursor {
    /// Which list (Proxy-Solutions, then each ProxyShard status).
    list: usize,
    /// Offset in a ProxyShard list.
    offset: u64,
    /// Pages read of this list.
    pages: u64,
    /// First order id of the previous page (a repeated page ends the list).
    first_id: Option<u64>,
}

/// Options of a buy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BuyOptions {
    /// Send the call once more when reconcile says it was **not** applied (never on
    /// `unknown`, never more than once per call of the buy).
    #[serde(default)]
    pub retry_if_not_applied: bool,
    /// Wait between an uncertain failure and the snapshot that decides it
    /// ([`RECOMMENDED_SETTLE_DELAY_MS`] by default).
    #[serde(default = "default_settle")]
    pub settle_delay_ms: u64,
}

fn default_settle() -> u64 {
    RECOMMENDED_SETTLE_DELAY_MS
}

impl Default for BuyOptions {
    fn default() -> Self {
        BuyOptions {
            retry_if_not_applied: false,
            settle_delay_ms: RECOMMENDED_SETTLE_DELAY_MS,
        }
    }
}

/// A finished purchase: the normalised order and, for a Proxy-Solutions payment through a
/// merchant other than `balance`, the vendor's `payment` (its `url` is where the payer pays;
/// the order stays `awaiting_payment` until then).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bought {
    /// The order.
    #[serde(flatten)]
    pub order: MarketOrder,
    /// The payment link reply, when the buyer pays outside the API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<Value>,
}

/// A buy that did not end in a paid order.
#[derive(Clone, Debug, PartialEq)]
pub struct BuyError {
    /// The error of the failed call (the first attempt's when a retry also failed
    /// certainly; the last uncertain one otherwise).
    pub error: Error,
    /// What reconcile decided, when the failure was uncertain.
    pub reconcile: Option<Outcome>,
    /// A Proxy-Solutions order that exists but was not paid (created, then the charge
    /// failed), so the caller can pay or leave it.
    pub unpaid_order_id: Option<u64>,
}

impl From<Error> for BuyError {
    fn from(error: Error) -> Self {
        BuyError {
            error,
            reconcile: None,
            unpaid_order_id: None,
        }
    }
}

/// How one money call of a buy ended.
enum Attempt<R> {
    /// It succeeded, or reconcile proved it applied.
    Done(Option<R>, Option<u64>),
    /// It failed; the buy fails.
    Failed(BuyError),
}

/// One storefront over one or both provider clients.
#[derive(Debug)]
pub struct Market<T: Transport> {
    ps: Option<Rc<Client<T>>>,
    shard: Option<Rc<Client<T>>>,
    /// Offers seen by `offers()` / looked up for a quote or buy, by id.
    offers: RefCell<Vec<Offer>>,
}

fn opts<'a, S>() -> CallOptions<'a, S> {
    CallOptions::default()
}

/// A call whose reply is wanted as its typed model: checked against the documented shape
/// on the same path the provider clients use, then read with serde. Why not
/// [`Client::call`]: its per-endpoint decode with `serde_path_to_error` added about 70 kB
/// to the wasm, and the shape check has already named any bad field.
async fn typed<T: Transport, E: Endpoint>(c: &Client<T>, ep: &E) -> Result<E::Output, Error> {
    let v = c.call_json(ep, opts()).await?;
    serde_json::from_value(v).map_err(|e| Error::Decode {
        operation: E::OPERATION,
        status: 200,
        path: ".".into(),
        message: e.to_string(),
        snippet: String::new(),
    })
}

fn missing(provider: Provider) -> Error {
    let (name, option) = match provider {
        Provider::ProxySolutions => ("Proxy-Solutions", "proxySolutions"),
        Provider::Proxyshard => ("ProxyShard", "proxyshard"),
    };
    Error::invalid(
        option,
        format!("this market has no {name} client: pass `{option}` when creating it"),
    )
}

/// Whether an error says for certain that nothing was applied **and** sending again is
/// reasonable: a 429 (rate limited) reply. Other certain failures (4xx refusals, bad input)
/// would fail again.
fn retryable_certain(e: &Error) -> bool {
    matches!(e, Error::Api { status: 429, .. })
}

impl<T: Transport> Market<T> {
    /// A market over the given clients (at least one).
    pub fn new(ps: Option<Rc<Client<T>>>, shard: Option<Rc<Client<T>>>) -> Result<Self, Error> {
        if ps.is_none() && shard.is_none() {
            return Err(Error::invalid(
                "options",
                "needs `proxySolutions`, `proxyshard` or both",
            ));
        }
        Ok(Market {
            ps,
            shard,
            offers: RefCell::new(Vec::new()),
        })
    }

    /// Whether this market has a client for `provider`.
    pub fn has(&self, provider: Provider) -> bool {
        self.client(provider).is_ok()
    }

    /// Checks what `snapshot` is asked for: `intent` must be a money call of `provider`, and
    /// this market must have that provider's client.
    pub fn check_intent(&self, provider: Provider, intent: &Intent) -> Result<(), Error> {
        if intent.provider() != provider {
            return Err(Error::invalid("intent.provider", "differs from `provider`"));
        }
        if !self.has(provider) {
            return Err(Error::invalid("provider", "has no client in this market"));
        }
        Ok(())
    }

    fn client(&self, provider: Provider) -> Result<&Rc<Client<T>>, Error> {
        match provider {
            Provider::ProxySolutions => self.ps.as_ref(),
            Provider::Proxyshard => self.shard.as_ref(),
        }
        .ok_or_else(|| missing(provider))
    }

    fn now(&self, provider: Provider) -> u64 {
        self.client(provider)
            .map(|c| c.transport().now_ms().max(0.0) as u64)
            .unwrap_or(0)
    }

    async fn sleep(&self, provider: Provider, ms: u64) -> Result<(), Error> {
        let c = self.client(provider)?;
        let mut left = ms;
        while left > 0 {
            let step = left.min(u64::from(u32::MAX));
            c.transport().sleep(step as u32, None).await?;
            left -= step;
        }
        Ok(())
    }

    // ------------------------------------------------------------------ catalogue

    async fn provider_offers(&self, provider: Provider) -> Result<Vec<Offer>, Error> {
        let c = self.client(provider)?;
        let offers = match provider {
            Provider::ProxySolutions => {
                let services = c
                    .call_json(&ps_ep::ListServicesParams::default(), opts())
                    .await?;
                let ids: Vec<u64> = mapping::ps_offers(&services, &[])
                    .iter()
                    .filter_map(|o| match OfferId::parse(&o.id) {
                        Ok(OfferId::ProxySolutions { service_id, .. }) => Some(service_id),
                        _ => None,
                    })
                    .collect();
                let mut locations = Vec::new();
                for service_id in ids {
                    let p = ps_ep::ListServiceLocationsParams {
                        service_id,
                        lang: None,
                    };
                    locations.push((service_id, c.call_json(&p, opts()).await?));
                }
                mapping::ps_offers(&services, &locations)
            }
            Provider::Proxyshard => {
                let products = typed(c, &shard_ep::ListProductsParams {}).await?;
                mapping::shard_offers(&products)
            }
        };
        let mut cache = self.offers.borrow_mut();
        cache.retain(|o| o.provider != provider);
        cache.extend(offers.iter().cloned());
        Ok(offers)
    }

    /// Every offer of the configured sellers (Proxy-Solutions `listServices` +
    /// `listServiceLocations` per service; ProxyShard `listProducts`), filtered.
    pub async fn offers(&self, filter: &OfferFilter) -> Result<Vec<Offer>, Error> {
        let mut out = Vec::new();
        for provider in [Provider::ProxySolutions, Provider::Proxyshard] {
            if filter.provider.is_some_and(|p| p != provider) || !self.has(provider) {
                continue;
            }
            out.extend(self.provider_offers(provider).await?);
        }
        if let Some(k) = filter.kind {
            out.retain(|o| o.kind == k);
        }
        Ok(out)
    }

    /// The offer with this id, from the offers seen, else from the catalogue.
    pub async fn offer(&self, offer_id: &str) -> Result<Offer, Error> {
        let provider = match OfferId::parse(offer_id)? {
            OfferId::ProxySolutions { .. } => Provider::ProxySolutions,
            OfferId::Proxyshard { .. } => Provider::Proxyshard,
        };
        self.client(provider)?;
        let cached = self
            .offers
            .borrow()
            .iter()
            .find(|o| o.id == offer_id)
            .cloned();
        if let Some(o) = cached {
            return Ok(o);
        }
        self.provider_offers(provider)
            .await?
            .into_iter()
            .find(|o| o.id == offer_id)
            .ok_or_else(|| Error::invalid("offerId", "is not in the seller's catalogue"))
    }

    /// The price of `order` of an offer.
    pub async fn quote(
        &self,
        offer_id: &str,
        order: &OrderRequest,
        payment: &PaymentChoice,
    ) -> Result<Quote, Error> {
        let offer = self.offer(offer_id).await?;
        self.quote_offer(&offer, order, payment).await
    }

    async fn quote_offer(
        &self,
        offer: &Offer,
        order: &OrderRequest,
        payment: &PaymentChoice,
    ) -> Result<Quote, Error> {
        let call = quote_call(offer, order, payment)?;
        let c = self.client(offer.provider)?;
        match offer.provider {
            Provider::ProxySolutions => {
                let mut ep = ps_ep::CalculatePriceParams::from_json(&call.params)?;
                ep.context = ps_offer_context(offer);
                let reply = c.call_json(&ep, opts()).await?;
                mapping::ps_quote(Some(&offer.id), &reply)
            }
            Provider::Proxyshard => {
                let ep = shard_ep::QuoteOrderParams::from_json(&call.params)?;
                let reply = c.call_json(&ep, opts()).await?;
                mapping::shard_quote(Some(&offer.id), &reply)
            }
        }
    }

    // ------------------------------------------------------------------ orders

    /// Every order of the configured sellers with one status vocabulary, all pages read
    /// (see [`Market::orders_page`]).
    pub async fn orders(&self, filter: &OrderFilter) -> Result<Vec<MarketOrder>, Error> {
        let mut out = Vec::new();
        let mut cursor = Some(OrderCursor::default());
        while let Some(c) = cursor {
            let (page, next) = self.orders_page(filter, c).await?;
            out.extend(page);
            cursor = next;
        }
        Ok(out)
    }

    /// The lists an order walk reads, in order: Proxy-Solutions' one `listOrders`, then
    /// ProxyShard's `listOrders` per status (`active`, `on-hold`, `cancelled`: its list items
    /// carry no status, so the filter gives it).
    fn order_lists(&self, filter: &OrderFilter) -> Vec<(Provider, Option<&'static str>)> {
        let wants = |p: Provider| filter.provider.is_none_or(|f| f == p) && self.has(p);
        let mut lists = Vec::new();
        if wants(Provider::ProxySolutions) {
            lists.push((Provider::ProxySolutions, None));
        }
        if wants(Provider::Proxyshard) {
            let statuses: Vec<&'static str> = match filter.status {
                Some(s) => mapping::shard_statuses_for(s),
                None => vec!["active", "on-hold", "cancelled"],
            };
            lists.extend(
                statuses
                    .into_iter()
                    .map(|s| (Provider::Proxyshard, Some(s))),
            );
        }
        lists
    }

    /// One page of an order walk and where the next starts (`None`: done). Bounded: a
    /// ProxyShard status stops on its last page (`next` null or a short page), an empty page,
    /// a page starting with the same order as the previous one, or after 1000 pages.
    pub async fn orders_page(
        &self,
        filter: &OrderFilter,
        cursor: OrderCursor,
    ) -> Result<(Vec<MarketOrder>, Option<OrderCursor>), Error> {
        let lists = self.order_lists(filter);
        let Some(&(provider, status)) = lists.get(cursor.list) else {
            return Ok((Vec::new(), None));
        };
        let next_list = OrderCursor {
            list: cursor.list + 1,
            ..OrderCursor::default()
        };
        let next_list = (next_list.list < lists.len()).then_some(next_list);
        match (provider, status) {
            (Provider::Proxyshard, Some(status)) => {
                let c = self.client(Provider::Proxyshard)?;
                let p = shard_ep::ListOrdersParams {
                    status: status.to_owned(),
                    offset: Some(cursor.offset),
                    limit: Some(SHARD_PAGE),
                };
                let page = typed(c, &p).await?;
                let n = page.orders.len() as u64;
                let first = page.orders.first().map(|o| o.order_id);
                // The client iterators' stop rule and bound (crate::paging).
                let stop = page_stop(
                    n,
                    SHARD_PAGE,
                    page.next.is_none(),
                    cursor.pages > 0 && first == cursor.first_id,
                    cursor.pages + 1,
                    DEFAULT_MAX_PAGES,
                );
                // A repeated page (a server ignoring `offset`) holds orders already yielded:
                // yield none of it, as the client iterators do (proxyshard::walk).
                let orders = if stop == Stop::Repeated {
                    Vec::new()
                } else {
                    page.orders
                        .iter()
                        .map(|o| mapping::shard_order_summary(o, Some(status)))
                        .collect()
                };
                let last = stop != Stop::No;
                let next = if last {
                    next_list
                } else {
                    Some(OrderCursor {
                        list: cursor.list,
                        offset: cursor.offset + n,
                        pages: cursor.pages + 1,
                        first_id: first,
                    })
                };
                Ok((orders, next))
            }
            _ => {
                let list = self.ps_list().await?;
                let orders = list
                    .orders
                    .iter()
                    .map(mapping::ps_order)
                    .filter(|o| filter.status.is_none_or(|s| s == o.status))
                    .collect();
                Ok((orders, next_list))
            }
        }
    }

    async fn ps_list(&self) -> Result<ps::OrdersEnvelope, Error> {
        let c = self.client(Provider::ProxySolutions)?;
        typed(c, &ps_ep::ListOrdersParams::default()).await
    }

    // ------------------------------------------------------------------ snapshots

    /// The state before a money call described by `intent` (see `docs/market.md`).
    pub async fn snapshot(&self, intent: &Intent) -> Result<Snapshot, Error> {
        match intent {
            Intent::ProxySolutions(_) => {
                let list = self.ps_list().await?;
                Ok(Snapshot::ProxySolutions(PsSnapshot::new(
                    self.now(Provider::ProxySolutions),
                    &list,
                )))
            }
            Intent::Proxyshard(i) => {
                let target = match i {
                    ShardIntent::PurchaseOrder { .. } => None,
                    ShardIntent::RenewOrder { order_id, .. }
                    | ShardIntent::AddBandwidth { order_id, .. }
                    | ShardIntent::PurchaseAddon { order_id, .. } => Some(*order_id),
                };
                self.shard_snapshot(target.into_iter().collect(), None)
                    .await
                    .map(Snapshot::Proxyshard)
            }
        }
    }

    /// getMe + the first `listOrders?status=all` page + `getOrder` of `ids` and, when
    /// `new_since` is given, of every order id that snapshot did not have.
    async fn shard_snapshot(
        &self,
        ids: Vec<u64>,
        new_since: Option<&ShardSnapshot>,
    ) -> Result<ShardSnapshot, Error> {
        let c = self.client(Provider::Proxyshard)?;
        let me = typed(c, &shard_ep::GetMeParams {}).await?;
        let page = c
            .call(
                &shard_ep::ListOrdersParams {
                    status: "all".into(),
                    offset: Some(0),
                    limit: Some(SHARD_PAGE),
                },
                opts(),
            )
            .await?;
        let mut wanted = ids;
        if let Some(before) = new_since {
            wanted.extend(
                page.orders
                    .iter()
                    .map(|o| o.order_id)
                    .filter(|id| !before.order_ids.contains(id)),
            );
        }
        let mut details = Vec::new();
        for id in wanted {
            // A detail that cannot be read is left out: reconcile reports it as
            // `detail_missing`, never guesses.
            if let Ok(d) = typed(c, &shard_ep::GetOrderParams { id }).await {
                details.push(d.order);
            }
        }
        Ok(ShardSnapshot::new(
            self.now(Provider::Proxyshard),
            &me,
            std::slice::from_ref(&page),
            &details,
        ))
    }

    /// After an uncertain failure of the money call described by `intent` (which ended at
    /// `settle.call_ended_at_ms`): waits out the settle delay, takes the same snapshot again
    /// and decides. A snapshot that cannot be read is `unknown` with the read error as
    /// evidence.
    pub async fn reconcile(&self, before: &Snapshot, intent: &Intent, settle: Settle) -> Outcome {
        let provider = match intent {
            Intent::ProxySolutions(_) => Provider::ProxySolutions,
            Intent::Proxyshard(_) => Provider::Proxyshard,
        };
        let due = settle.call_ended_at_ms.saturating_add(settle.delay_ms);
        // Timers may fire a little early (Node's by a millisecond against Date.now()): wait
        // again for what is left, so the snapshot is never taken before the settle delay
        // (it would be `unknown`, "too early"). Bounded, and a clock that does not move on a
        // sleep (a test double) is not waited on twice.
        let mut now = self.now(provider);
        for _ in 0..4 {
            if now >= due {
                break;
            }
            if let Err(e) = self.sleep(provider, due - now).await {
                return unreadable(e);
            }
            let later = self.now(provider);
            if later <= now {
                break;
            }
            now = later;
        }
        let after = match (before, intent) {
            (Snapshot::Proxyshard(b), Intent::Proxyshard(i)) => {
                let ids = b.orders.iter().map(|o| o.order_id).collect();
                let since = matches!(i, ShardIntent::PurchaseOrder { .. }).then_some(b);
                self.shard_snapshot(ids, since)
                    .await
                    .map(Snapshot::Proxyshard)
            }
            _ => self.snapshot(intent).await,
        };
        match after {
            Ok(after) => reconcile(before, &after, intent, settle),
            Err(e) => unreadable(e),
        }
    }

    // ------------------------------------------------------------------ buy

    /// Buys `order` of an offer exactly once (see `docs/market.md`, "Purchases exactly
    /// once"): snapshot, the money call, and after an uncertain failure settle, snapshot
    /// again and reconcile; with `retry_if_not_applied`, a call proved not applied (or
    /// refused with 429) is sent once more.
    pub async fn buy(
        &self,
        offer_id: &str,
        order: &OrderRequest,
        payment: &PaymentChoice,
        options: BuyOptions,
    ) -> Result<Bought, BuyError> {
        let offer = self.offer(offer_id).await?;
        match offer.provider {
            Provider::Proxyshard => self.buy_shard(&offer, order, payment, options).await,
            Provider::ProxySolutions => self.buy_ps(&offer, order, payment, options).await,
        }
    }

    async fn buy_shard(
        &self,
        offer: &Offer,
        order: &OrderRequest,
        payment: &PaymentChoice,
        options: BuyOptions,
    ) -> Result<Bought, BuyError> {
        // Check the purchase locally before anything is read.
        buy_plan(offer, order, payment, None)?;
        let quote = self.quote_offer(offer, order, payment).await?;
        let BuyPlan::Proxyshard { purchase, intent } =
            buy_plan(offer, order, payment, Some(&quote))?
        else {
            return Err(Error::invalid("offerId", "is not a ProxyShard offer").into());
        };
        let ep = shard_ep::PurchaseOrderParams::from_json(&purchase.params)?;
        let c = self.client(Provider::Proxyshard)?;
        let intent = Intent::Proxyshard(intent);
        let ep = &ep;
        let attempt = self
            .money_call(Provider::Proxyshard, &intent, options, move || async move {
                typed(c, ep).await.map(|r| (Some(r.order_id), Some(())))
            })
            .await;
        let order_id = match attempt {
            Attempt::Done(_, Some(id)) => id,
            Attempt::Done(_, None) => {
                return Err(Error::network("reconcile said applied without an order id").into())
            }
            Attempt::Failed(e) => return Err(e),
        };
        // The order as the vendor has it now; its reply is the market order.
        let detail = typed(c, &shard_ep::GetOrderParams { id: order_id }).await;
        let order = detail
            .ok()
            .and_then(|d| mapping::shard_order_detail(&d.order))
            .unwrap_or_else(|| MarketOrder {
                provider: Provider::Proxyshard,
                order_id,
                offer_id: None,
                status: OrderStatus::Unknown,
                raw_status: None,
                kind: Some(offer.kind),
                name: Some(offer.name.clone()),
                quantity: order.quantity,
                expires_at: None,
                raw: Value::Null,
            });
        Ok(Bought {
            order: MarketOrder {
                offer_id: Some(offer.id.clone()),
                ..order
            },
            payment: None,
        })
    }

    async fn buy_ps(
        &self,
        offer: &Offer,
        order: &OrderRequest,
        payment: &PaymentChoice,
        options: BuyOptions,
    ) -> Result<Bought, BuyError> {
        let BuyPlan::ProxySolutions {
            create,
            create_intent,
            charge,
        } = buy_plan(offer, order, payment, None)?
        else {
            return Err(Error::invalid("offerId", "is not a Proxy-Solutions offer").into());
        };
        let c = self.client(Provider::ProxySolutions)?;
        let mut ep = ps_ep::CreateOrderParams::from_json(&create.params)?;
        ep.context = ps_offer_context(offer);
        let intent = Intent::ProxySolutions(create_intent);
        // createOrder is a write, not money, but a repeat makes a second order: the same
        // exactly-once path.
        let ep = &ep;
        let attempt = self
            .money_call(
                Provider::ProxySolutions,
                &intent,
                options,
                move || async move {
                    let env = typed(c, ep).await?;
                    // The reply lists the new order (the sandbox and the docs' example).
                    let id = env.orders.iter().map(|o| o.id).max();
                    Ok((id, None::<()>))
                },
            )
            .await;
        let order_id = match attempt {
            Attempt::Done(_, Some(id)) => id,
            Attempt::Done(_, None) => {
                return Err(
                    Error::network("createOrder answered without the new order's id").into(),
                )
            }
            Attempt::Failed(e) => return Err(e),
        };
        let (call, charge_intent) = charge.call(order_id).map_err(BuyError::from)?;
        let mut ep = ps_ep::ChargeOrderParams::from_json(&call.params)?;
        ep.context = ps_offer_context(offer);
        let intent = Intent::ProxySolutions(charge_intent);
        let by_link = !matches!(&intent, Intent::ProxySolutions(PsIntent::ChargeOrder { merchant, .. }) if merchant == "balance");
        let ep = &ep;
        let attempt = self
            .money_call(
                Provider::ProxySolutions,
                &intent,
                options,
                move || async move {
                    c.call_json(ep, opts())
                        .await
                        .map(|reply| (Some(order_id), Some(reply)))
                },
            )
            .await;
        let link = match attempt {
            Attempt::Done(reply, _) => reply.filter(|_| by_link),
            Attempt::Failed(mut e) => {
                e.unpaid_order_id = Some(order_id);
                return Err(e);
            }
        };
        let list = self.ps_list().await?;
        let found = list
            .orders
            .iter()
            .find(|o| o.id == order_id)
            .map(mapping::ps_order)
            .ok_or_else(|| Error::network("the paid order is missing from listOrders"))?;
        Ok(Bought {
            order: found,
            payment: link.and_then(|r| r.get("payment").cloned()),
        })
    }

    /// One money call of a buy: snapshot, send, and after an uncertain failure settle,
    /// snapshot again and reconcile; once more on `NotApplied` (or 429) when allowed.
    /// `send` returns the new or changed order's id and the reply.
    async fn money_call<R, F, Fut>(
        &self,
        provider: Provider,
        intent: &Intent,
        options: BuyOptions,
        send: F,
    ) -> Attempt<R>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<(Option<u64>, Option<R>), Error>>,
    {
        let mut tries_left = if options.retry_if_not_applied { 2 } else { 1 };
        let mut first_error: Option<BuyError> = None;
        loop {
            tries_left -= 1;
            let before = match self.snapshot(intent).await {
                Ok(s) => s,
                Err(e) => return Attempt::Failed(first_error.unwrap_or_else(|| e.into())),
            };
            let error = match send().await {
                Ok((id, reply)) => return Attempt::Done(reply, id),
                Err(e) => e,
            };
            if !error.may_have_been_applied() {
                let failed = BuyError::from(error.clone());
                if tries_left > 0 && retryable_certain(&error) {
                    first_error.get_or_insert(failed);
                    continue;
                }
                return Attempt::Failed(first_error.unwrap_or(failed));
            }
            let settle = Settle {
                call_ended_at_ms: self.now(provider),
                delay_ms: options.settle_delay_ms,
            };
            let outcome = self.reconcile(&before, intent, settle).await;
            match outcome {
                Outcome::Applied { order_id, .. } => {
                    let id = order_id.or(match intent {
                        Intent::ProxySolutions(PsIntent::ChargeOrder { order_id, .. }) => {
                            Some(*order_id)
                        }
                        _ => None,
                    });
                    return Attempt::Done(None, id);
                }
                Outcome::NotApplied { .. } if tries_left > 0 => {
                    first_error.get_or_insert(BuyError {
                        error,
                        reconcile: Some(outcome),
                        unpaid_order_id: None,
                    });
                }
                outcome => {
                    return Attempt::Failed(BuyError {
                        error,
                        reconcile: Some(outcome),
                        unpaid_order_id: None,
                    })
                }
            }
        }
    }
}

fn unreadable(e: Error) -> Outcome {
    Outcome::Unknown {
        evidence: vec![Evidence {
            code: "snapshot_failed".into(),
            detail: format!("the state after the call could not be read: {e}"),
        }],
    }
}
