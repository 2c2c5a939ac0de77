//! Exactly-once money calls without idempotency keys: decide, from the vendor's own state,
//! whether a money call that failed uncertainly (network error, timeout, 5xx, unreadable
//! 2xx: [`Error::may_have_been_applied`](crate::Error::may_have_been_applied)) took effect.
//!
//! Protocol (pure here; the I/O belongs to the market that calls it):
//! 1. **One money lane per client.** Money calls of one client run one at a time, so no
//!    other call of *this* client can explain a change between two snapshots.
//! 2. **Snapshot before** every money call ([`ShardSnapshot`], [`PsSnapshot`]).
//! 3. After an uncertain failure, wait the **settle delay** ([`RECOMMENDED_SETTLE_DELAY_MS`]),
//!    take the same snapshot again (plus `getOrder` details of any new ProxyShard order ids),
//!    and call [`reconcile`]. It answers [`Outcome::Applied`], [`Outcome::NotApplied`] or
//!    [`Outcome::Unknown`], always with the evidence, and **never guesses**: `NotApplied`
//!    needs every witness to say "unchanged" and the settle delay to have passed; `Applied`
//!    needs the change the call makes, exactly once, and a wallet drop equal to the quote
//!    where a wallet exists; anything else is `Unknown`.
//!
//! Why a settle delay: a request the client gave up on (timeout, dropped connection) may
//! still be running on the server, which does not stop work because the client went
//! away. Reading "nothing changed" too soon would let a retry buy twice. Neither vendor
//! publishes how long a call may run; the only figure is a public ProxyShard client's 20 s
//! timeout (`proxyshard.md` §1), so the default waits 20 s after the failure ended: by then
//! the server has had at least that long since it could have received the request (longer
//! after a client timeout, which itself waited up to 30 s). It is a default, not a vendor
//! rule: raise it for a slow vendor. The sandbox applies requests synchronously, so any
//! delay suffices there.
//!
//! What other actors can do: the money lane covers only this client. A dashboard purchase,
//! a second client or an auto-renewal on the same account between the snapshots makes the
//! wallet or order list disagree with the intent, which gives `Unknown` (never a wrong
//! `Applied`/`NotApplied`), except in one corner: another actor making exactly the same
//! purchase at exactly the same price in the same window, which no vendor state can tell
//! apart.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::mapping::{ps_status, OrderStatus, Provider};
use crate::proxy_solutions::models as ps;
use crate::proxy_solutions::rules::{DEFAULT_PERIOD, DEFAULT_QUANTITY};
use crate::proxyshard::models as shard;
use crate::proxyshard::rules as shard_rules;

/// Recommended wait, in milliseconds, between the end of a failed money call and the
/// snapshot [`reconcile`] compares (see the module docs for why 20 s).
pub const RECOMMENDED_SETTLE_DELAY_MS: u64 = 20_000;

/// When the failed call ended and how long to let it settle, in the caller's clock
/// (milliseconds, e.g. `Date.now()`). `NotApplied` is only answered for an `after` snapshot
/// taken at or after `call_ended_at_ms + delay_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settle {
    /// When the failed money call returned its error.
    pub call_ended_at_ms: u64,
    /// The settle delay.
    pub delay_ms: u64,
}

impl Settle {
    /// The recommended delay after a call that ended at `call_ended_at_ms`.
    pub fn recommended(call_ended_at_ms: u64) -> Settle {
        Settle {
            call_ended_at_ms,
            delay_ms: RECOMMENDED_SETTLE_DELAY_MS,
        }
    }

    /// The window of a `reconcile()` whose caller may give either end: the call ended at
    /// `call_ended_at_ms` (default `now_ms`), and the delay is `delay_ms` (default
    /// [`RECOMMENDED_SETTLE_DELAY_MS`]).
    pub fn given(call_ended_at_ms: Option<u64>, delay_ms: Option<u64>, now_ms: u64) -> Settle {
        Settle {
            call_ended_at_ms: call_ended_at_ms.unwrap_or(now_ms),
            delay_ms: delay_ms.unwrap_or(RECOMMENDED_SETTLE_DELAY_MS),
        }
    }

    fn settled_by(&self, at_ms: u64) -> bool {
        at_ms >= self.call_ended_at_ms.saturating_add(self.delay_ms)
    }
}

// ------------------------------------------------------------------------- evidence

/// One fact behind an outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Stable code: `new_orders`, `matching_order`, `mismatch`, `detail_missing`, `wallet`,
    /// `expected_charge`, `order_state`, `order_missing`, `location_unchecked`,
    /// `no_witness`, `payment_link`, `too_early`, `snapshot_order`, `provider_mismatch`.
    pub code: String,
    /// What was seen, in plain words.
    pub detail: String,
}

fn ev(code: &str, detail: impl Into<String>) -> Evidence {
    Evidence {
        code: code.to_owned(),
        detail: detail.into(),
    }
}

/// The answer of [`reconcile`]. Serialised for JS as `{ applied: true, order_id, evidence }`,
/// `{ applied: false, evidence }` or `{ applied: "unknown", evidence }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The call took effect, once.
    Applied {
        /// The order it created or changed.
        order_id: Option<u64>,
        /// Why this is certain.
        evidence: Vec<Evidence>,
    },
    /// The call did not take effect; sending it again cannot double it.
    NotApplied {
        /// Why this is certain.
        evidence: Vec<Evidence>,
    },
    /// The vendor's state does not tell; a person must look (the evidence says what).
    Unknown {
        /// What was seen.
        evidence: Vec<Evidence>,
    },
}

impl Outcome {
    /// The evidence, whatever the outcome.
    pub fn evidence(&self) -> &[Evidence] {
        match self {
            Outcome::Applied { evidence, .. }
            | Outcome::NotApplied { evidence }
            | Outcome::Unknown { evidence } => evidence,
        }
    }

    /// `"applied"`, `"not_applied"` or `"unknown"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Applied { .. } => "applied",
            Outcome::NotApplied { .. } => "not_applied",
            Outcome::Unknown { .. } => "unknown",
        }
    }

    /// Whether the evidence carries `code`.
    pub fn has(&self, code: &str) -> bool {
        self.evidence().iter().any(|e| e.code == code)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind())?;
        for e in self.evidence() {
            write!(f, "; {}: {}", e.code, e.detail)?;
        }
        Ok(())
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Outcome::Applied { order_id, evidence } => {
                m.serialize_entry("applied", &true)?;
                m.serialize_entry("order_id", order_id)?;
                m.serialize_entry("evidence", evidence)?;
            }
            Outcome::NotApplied { evidence } => {
                m.serialize_entry("applied", &false)?;
                m.serialize_entry("evidence", evidence)?;
            }
            Outcome::Unknown { evidence } => {
                m.serialize_entry("applied", "unknown")?;
                m.serialize_entry("evidence", evidence)?;
            }
        }
        m.end()
    }
}

// ------------------------------------------------------------------------- snapshots

/// Units of one add-on on a ProxyShard order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddonQty {
    /// Add-on key, e.g. `p0f_slots`.
    pub addon_key: String,
    /// Units active this period.
    pub qty: i64,
}

/// What a ProxyShard `getOrder` detail says that a money call can change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardOrderFacts {
    /// Order id.
    pub order_id: u64,
    /// `product_name`.
    pub product_name: Option<String>,
    /// `cycle_name`.
    pub cycle_name: Option<String>,
    /// `quantity` (IPs, or GB for residential traffic).
    pub quantity: Option<i64>,
    /// `status` (`active`, `on-hold`, `cancelled`).
    pub status: Option<String>,
    /// `expires_at`.
    pub expires_at: Option<String>,
    /// `price_paid`, cents.
    pub price_paid: Option<i64>,
    /// `addons_price_paid`, cents.
    pub addons_price_paid: Option<i64>,
    /// `addons` (`None` when the reply had none, an older revision).
    pub addons: Option<Vec<AddonQty>>,
    /// `p0f_slots_available`.
    pub p0f_slots_available: Option<i64>,
}

impl ShardOrderFacts {
    /// The facts of a `getOrder` detail; `None` without an `order_id`.
    pub fn from_detail(d: &shard::OrderDetail) -> Option<ShardOrderFacts> {
        Some(ShardOrderFacts {
            order_id: d.order_id?,
            product_name: d.product_name.clone(),
            cycle_name: d.cycle_name.clone(),
            quantity: d.quantity,
            status: d.status.clone(),
            expires_at: d.expires_at.clone(),
            price_paid: d.price_paid,
            addons_price_paid: d.addons_price_paid,
            addons: d.addons.as_ref().map(|lines| {
                lines
                    .iter()
                    .filter_map(|l| {
                        Some(AddonQty {
                            addon_key: l.addon_key.clone()?,
                            qty: l.qty?,
                        })
                    })
                    .collect()
            }),
            p0f_slots_available: d.p0f_slots_available,
        })
    }

    /// Units of an add-on: from `addons` (0 when the list has no such line), else, for
    /// `p0f_slots`, from `p0f_slots_available`.
    pub fn addon_qty(&self, key: &str) -> Option<i64> {
        match &self.addons {
            Some(lines) => Some(
                lines
                    .iter()
                    .filter(|l| l.addon_key == key)
                    .map(|l| l.qty)
                    .sum(),
            ),
            None if key == shard_rules::P0F_SLOTS => self.p0f_slots_available,
            None => None,
        }
    }
}

/// ProxyShard state before or after a money call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSnapshot {
    /// When it was taken (caller's clock, ms).
    pub taken_at_ms: u64,
    /// `getMe` `wallet_balance`, cents.
    pub wallet_cents: i64,
    /// Order ids of `listOrders?status=all` (the first page of up to 100 is enough: a new
    /// order that is not on it shows as a wallet change without an order, i.e. `Unknown`).
    pub order_ids: Vec<u64>,
    /// `getOrder` facts: before a call on an order, that order; after a purchase, every id
    /// in `order_ids` that was not there before.
    pub orders: Vec<ShardOrderFacts>,
}

impl ShardSnapshot {
    /// A snapshot from the replies that make it.
    pub fn new(
        taken_at_ms: u64,
        me: &shard::MeResponse,
        pages: &[shard::OrderListResponse],
        details: &[shard::OrderDetail],
    ) -> ShardSnapshot {
        ShardSnapshot {
            taken_at_ms,
            wallet_cents: me.wallet_balance,
            order_ids: pages
                .iter()
                .flat_map(|p| p.orders.iter().map(|o| o.order_id))
                .collect(),
            orders: details
                .iter()
                .filter_map(ShardOrderFacts::from_detail)
                .collect(),
        }
    }

    fn order(&self, id: u64) -> Option<&ShardOrderFacts> {
        self.orders.iter().find(|o| o.order_id == id)
    }
}

/// What a Proxy-Solutions `Order` says that a money call can change (it has no expiry
/// field, and the API has no balance read: `proxy-solutions.md` §5.1, §1 item 10).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PsOrderFacts {
    /// `id`.
    pub id: u64,
    /// `status`.
    pub status: String,
    /// `service.id`.
    pub service_id: Option<u64>,
    /// `location.id`.
    pub location_id: Option<u64>,
    /// `quantity`.
    pub quantity: u64,
    /// `period`, days.
    pub period: u64,
    /// `resources_allocated`.
    pub resources_allocated: bool,
}

impl PsOrderFacts {
    /// The facts of an order.
    pub fn from_order(o: &ps::Order) -> PsOrderFacts {
        PsOrderFacts {
            id: o.id,
            status: o.status.clone(),
            service_id: o.service.id,
            location_id: o.location.as_ref().and_then(|l| l.id),
            quantity: o.quantity,
            period: o.period,
            resources_allocated: o.resources_allocated,
        }
    }
}

/// Proxy-Solutions state: the whole order list (`listOrders` is not paged, §6.1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PsSnapshot {
    /// When it was taken (caller's clock, ms).
    pub taken_at_ms: u64,
    /// Every order.
    pub orders: Vec<PsOrderFacts>,
}

impl PsSnapshot {
    /// A snapshot from a `listOrders` reply.
    pub fn new(taken_at_ms: u64, list: &ps::OrdersEnvelope) -> PsSnapshot {
        PsSnapshot {
            taken_at_ms,
            orders: list.orders.iter().map(PsOrderFacts::from_order).collect(),
        }
    }

    fn order(&self, id: u64) -> Option<&PsOrderFacts> {
        self.orders.iter().find(|o| o.id == id)
    }
}

/// A snapshot of either provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "snake_case")]
pub enum Snapshot {
    /// Proxy-Solutions.
    ProxySolutions(PsSnapshot),
    /// ProxyShard.
    Proxyshard(ShardSnapshot),
}

// ------------------------------------------------------------------------- intents

/// A ProxyShard money call, as sent (fields as on the wire) plus the price it was quoted.
/// `expected_cents` is the wallet drop the call should cause (`quoteOrder`
/// `total_with_addons`, `quoteAddon` `add_total`, the renewal or bandwidth price); without it
/// any drop is accepted and the evidence says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "camelCase")]
pub enum ShardIntent {
    /// `purchaseOrder`.
    PurchaseOrder {
        /// `product`.
        product: String,
        /// `location` (not checkable afterwards: orders do not report it).
        location: Option<String>,
        /// `cycle`.
        cycle: Option<String>,
        /// `quantity` (vendor default 1; not sent for unmetered residential).
        quantity: Option<u64>,
        /// The quoted total, cents.
        expected_cents: Option<i64>,
    },
    /// `renewOrder`.
    RenewOrder {
        /// `id`.
        order_id: u64,
        /// The renewal price, cents.
        expected_cents: Option<i64>,
    },
    /// `addBandwidth`.
    AddBandwidth {
        /// `id`.
        order_id: u64,
        /// `amount`, GB.
        gb: u64,
        /// The price, cents.
        expected_cents: Option<i64>,
    },
    /// `purchaseAddon`.
    PurchaseAddon {
        /// `order_id`.
        order_id: u64,
        /// `addon_key`.
        addon_key: String,
        /// `add_qty`.
        add_qty: u64,
        /// `quoteAddon` `add_total`, cents.
        expected_cents: Option<i64>,
    },
}

/// A Proxy-Solutions call of the buy flow (`createOrder` then `chargeOrder`) or a top-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "camelCase")]
pub enum PsIntent {
    /// `createOrder` (a write, not money: it makes an unpaid order).
    CreateOrder {
        /// `service_id`.
        service_id: u64,
        /// `location_id`.
        location_id: Option<u64>,
        /// `quantity` (vendor default 1).
        quantity: Option<u64>,
        /// `period` (vendor default 30).
        period: Option<u64>,
    },
    /// `chargeOrder`.
    ChargeOrder {
        /// `order_id`.
        order_id: u64,
        /// `merchant` (`balance` pays at once; others return a payment link).
        merchant: String,
        /// `period`.
        period: Option<u64>,
    },
    /// `chargeUserBalance` (returns a payment link; nothing to observe).
    ChargeUserBalance {
        /// `merchant`.
        merchant: String,
        /// `currency`.
        currency: String,
    },
}

/// A money call of either provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "snake_case")]
pub enum Intent {
    /// Proxy-Solutions.
    ProxySolutions(PsIntent),
    /// ProxyShard.
    Proxyshard(ShardIntent),
}

impl Intent {
    /// The provider the money call goes to.
    pub fn provider(&self) -> Provider {
        match self {
            Intent::ProxySolutions(_) => Provider::ProxySolutions,
            Intent::Proxyshard(_) => Provider::Proxyshard,
        }
    }
}

// ------------------------------------------------------------------------- reconcile

/// Whether `intent` took effect between `before` and `after` (see the module docs).
pub fn reconcile(before: &Snapshot, after: &Snapshot, intent: &Intent, settle: Settle) -> Outcome {
    match (before, after, intent) {
        (Snapshot::Proxyshard(b), Snapshot::Proxyshard(a), Intent::Proxyshard(i)) => {
            reconcile_shard(b, a, i, settle)
        }
        (Snapshot::ProxySolutions(b), Snapshot::ProxySolutions(a), Intent::ProxySolutions(i)) => {
            reconcile_ps(b, a, i, settle)
        }
        _ => Outcome::Unknown {
            evidence: vec![ev(
                "provider_mismatch",
                "the snapshots and the intent are not all of one provider",
            )],
        },
    }
}

/// Finishes a verdict: `NotApplied` only after the settle delay.
fn not_applied(mut evidence: Vec<Evidence>, after_ms: u64, settle: Settle) -> Outcome {
    if settle.settled_by(after_ms) {
        Outcome::NotApplied { evidence }
    } else {
        evidence.push(ev(
            "too_early",
            format!(
                "the snapshot was taken {} ms after the call ended, before the settle delay of {} ms; take it again later",
                after_ms.saturating_sub(settle.call_ended_at_ms),
                settle.delay_ms
            ),
        ));
        Outcome::Unknown { evidence }
    }
}

fn out_of_order(before_ms: u64, after_ms: u64) -> Option<Outcome> {
    (after_ms < before_ms).then(|| Outcome::Unknown {
        evidence: vec![ev(
            "snapshot_order",
            format!(
                "the after snapshot ({after_ms}) is older than the before snapshot ({before_ms})"
            ),
        )],
    })
}

/// How the wallet moved against the expected charge. Both can hold at once: a purchase
/// quoted at 0 (a 100 % promo code) leaves the wallet unchanged and is still "charged".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wallet {
    /// No change.
    unchanged: bool,
    /// Dropped by exactly the expected charge (or, with no expectation, by something).
    charged: bool,
}

fn wallet(before: i64, after: i64, expected: Option<i64>, evidence: &mut Vec<Evidence>) -> Wallet {
    let off = Wallet {
        unchanged: false,
        charged: false,
    };
    let Some(drop) = before.checked_sub(after) else {
        evidence.push(ev("wallet", "the wallet values are out of range"));
        return off;
    };
    evidence.push(ev(
        "wallet",
        format!("wallet {before} → {after} cents (drop {drop})"),
    ));
    let unchanged = drop == 0;
    let charged = match expected {
        Some(q) if q < 0 => {
            evidence.push(ev(
                "expected_charge",
                format!("the expected charge {q} is negative; nothing can match it"),
            ));
            false
        }
        Some(q) if drop == q => true,
        Some(q) => {
            if !unchanged {
                evidence.push(ev(
                    "expected_charge",
                    format!("expected a drop of {q} cents, saw {drop}"),
                ));
            }
            false
        }
        None if drop > 0 => {
            evidence.push(ev(
                "expected_charge",
                "no quoted price to compare; any drop is accepted",
            ));
            true
        }
        None => false,
    };
    Wallet { unchanged, charged }
}

/// [`reconcile`] for ProxyShard.
pub fn reconcile_shard(
    before: &ShardSnapshot,
    after: &ShardSnapshot,
    intent: &ShardIntent,
    settle: Settle,
) -> Outcome {
    if let Some(o) = out_of_order(before.taken_at_ms, after.taken_at_ms) {
        return o;
    }
    let mut evidence = Vec::new();
    match intent {
        ShardIntent::PurchaseOrder {
            product,
            location,
            cycle,
            quantity,
            expected_cents,
        } => {
            let new: Vec<u64> = after
                .order_ids
                .iter()
                .copied()
                .filter(|id| !before.order_ids.contains(id))
                .collect();
            evidence.push(ev("new_orders", format!("new order ids: {new:?}")));
            let w = wallet(
                before.wallet_cents,
                after.wallet_cents,
                *expected_cents,
                &mut evidence,
            );
            if location.is_some() {
                evidence.push(ev(
                    "location_unchecked",
                    "ProxyShard orders do not report their location (OrderDetail has no such field); matched on product, cycle and quantity",
                ));
            }
            if new.is_empty() {
                return if w.unchanged {
                    not_applied(evidence, after.taken_at_ms, settle)
                } else {
                    Outcome::Unknown { evidence }
                };
            }
            let mut matching = Vec::new();
            let mut missing = false;
            for id in &new {
                match after.order(*id) {
                    None => {
                        missing = true;
                        evidence.push(ev(
                            "detail_missing",
                            format!("no getOrder detail of new order {id} in the after snapshot"),
                        ));
                    }
                    Some(o) => match purchase_mismatch(o, product, cycle.as_deref(), *quantity) {
                        None => {
                            evidence.push(ev(
                                "matching_order",
                                format!("order {id} matches the purchase"),
                            ));
                            matching.push(*id);
                        }
                        Some(why) => {
                            evidence.push(ev("mismatch", format!("order {id}: {why}")));
                        }
                    },
                }
            }
            match (matching.as_slice(), new.len(), missing, w.charged) {
                ([id], 1, false, true) => Outcome::Applied {
                    order_id: Some(*id),
                    evidence,
                },
                _ => Outcome::Unknown { evidence },
            }
        }
        ShardIntent::RenewOrder {
            order_id,
            expected_cents,
        } => {
            let Some((b, a)) = target(before, after, *order_id, &mut evidence) else {
                return Outcome::Unknown { evidence };
            };
            let changed = b.status != a.status || b.expires_at != a.expires_at;
            let w = wallet(
                before.wallet_cents,
                after.wallet_cents,
                *expected_cents,
                &mut evidence,
            );
            let active = a.status.as_deref() == Some("active");
            match (changed, active, w.charged, w.unchanged) {
                (true, true, true, _) => Outcome::Applied {
                    order_id: Some(*order_id),
                    evidence,
                },
                (false, _, _, true) => not_applied(evidence, after.taken_at_ms, settle),
                _ => Outcome::Unknown { evidence },
            }
        }
        ShardIntent::AddBandwidth {
            order_id,
            gb,
            expected_cents,
        } => {
            let Some((b, a)) = target(before, after, *order_id, &mut evidence) else {
                return Outcome::Unknown { evidence };
            };
            let w = wallet(
                before.wallet_cents,
                after.wallet_cents,
                *expected_cents,
                &mut evidence,
            );
            let grew = match (b.quantity, a.quantity) {
                (Some(q0), Some(q1)) => q1.checked_sub(q0),
                _ => None,
            };
            let unchanged = b.quantity == a.quantity && b.price_paid == a.price_paid;
            let gb = i64::try_from(*gb).ok();
            match (grew, w.charged, w.unchanged) {
                (Some(g), true, _) if Some(g) == gb => Outcome::Applied {
                    order_id: Some(*order_id),
                    evidence,
                },
                (_, _, true) if unchanged => not_applied(evidence, after.taken_at_ms, settle),
                _ => Outcome::Unknown { evidence },
            }
        }
        ShardIntent::PurchaseAddon {
            order_id,
            addon_key,
            add_qty,
            expected_cents,
        } => {
            let Some((b, a)) = target(before, after, *order_id, &mut evidence) else {
                return Outcome::Unknown { evidence };
            };
            let w = wallet(
                before.wallet_cents,
                after.wallet_cents,
                *expected_cents,
                &mut evidence,
            );
            let (q0, q1) = (b.addon_qty(addon_key), a.addon_qty(addon_key));
            let added = match (q0, q1) {
                (Some(x), Some(y)) => y.checked_sub(x),
                _ => None,
            };
            let unchanged = q0 == q1 && b.addons_price_paid == a.addons_price_paid;
            let add = i64::try_from(*add_qty).ok();
            match (added, w.charged, w.unchanged) {
                (Some(n), true, _) if Some(n) == add => Outcome::Applied {
                    order_id: Some(*order_id),
                    evidence,
                },
                (_, _, true) if unchanged => not_applied(evidence, after.taken_at_ms, settle),
                _ => Outcome::Unknown { evidence },
            }
        }
    }
}

/// The target order in both snapshots, with its before/after state as evidence.
fn target<'a>(
    before: &'a ShardSnapshot,
    after: &'a ShardSnapshot,
    id: u64,
    evidence: &mut Vec<Evidence>,
) -> Option<(&'a ShardOrderFacts, &'a ShardOrderFacts)> {
    match (before.order(id), after.order(id)) {
        (Some(b), Some(a)) => {
            evidence.push(ev(
                "order_state",
                format!(
                    "order {id}: status {:?} → {:?}, expires {:?} → {:?}, quantity {:?} → {:?}, add-ons {:?} → {:?}",
                    b.status, a.status, b.expires_at, a.expires_at, b.quantity, a.quantity, b.addons, a.addons
                ),
            ));
            Some((b, a))
        }
        (b, a) => {
            evidence.push(ev(
                "order_missing",
                format!(
                    "order {id} is missing from the {} snapshot",
                    match (b.is_some(), a.is_some()) {
                        (false, false) => "before and after",
                        (false, true) => "before",
                        _ => "after",
                    }
                ),
            ));
            None
        }
    }
}

/// Why a new order is not the purchase, or `None` when it is.
fn purchase_mismatch(
    o: &ShardOrderFacts,
    product: &str,
    cycle: Option<&str>,
    quantity: Option<u64>,
) -> Option<String> {
    if o.product_name.as_deref() != Some(product) {
        return Some(format!("product {:?}, not {product:?}", o.product_name));
    }
    let variant = shard_rules::Variant::of(product);
    // Standard/Premium residential take no cycle: their orders carry `lifetime`.
    let want_cycle = match (cycle, variant) {
        (Some(c), _) => Some(c),
        (None, shard_rules::Variant::Residential) => Some(shard_rules::RESIDENTIAL_CYCLE),
        (None, _) => None,
    };
    if let Some(c) = want_cycle {
        if o.cycle_name.as_deref() != Some(c) {
            return Some(format!("cycle {:?}, not {c:?}", o.cycle_name));
        }
    }
    // Unmetered takes no quantity; the others default to 1 (§6.2).
    if variant != shard_rules::Variant::Unmetered {
        let want = i64::try_from(quantity.unwrap_or(1)).ok();
        if o.quantity != want {
            return Some(format!("quantity {:?}, not {want:?}", o.quantity));
        }
    }
    None
}

/// [`reconcile`] for Proxy-Solutions.
pub fn reconcile_ps(
    before: &PsSnapshot,
    after: &PsSnapshot,
    intent: &PsIntent,
    settle: Settle,
) -> Outcome {
    if let Some(o) = out_of_order(before.taken_at_ms, after.taken_at_ms) {
        return o;
    }
    let mut evidence = Vec::new();
    match intent {
        PsIntent::CreateOrder {
            service_id,
            location_id,
            quantity,
            period,
        } => {
            let new: Vec<&PsOrderFacts> = after
                .orders
                .iter()
                .filter(|o| before.order(o.id).is_none())
                .collect();
            evidence.push(ev(
                "new_orders",
                format!(
                    "new order ids: {:?}",
                    new.iter().map(|o| o.id).collect::<Vec<_>>()
                ),
            ));
            if new.is_empty() {
                return not_applied(evidence, after.taken_at_ms, settle);
            }
            let want_q = quantity.unwrap_or(DEFAULT_QUANTITY);
            let want_p = period.unwrap_or(DEFAULT_PERIOD);
            let mut matching = Vec::new();
            for o in &new {
                let mut why = Vec::new();
                if o.service_id != Some(*service_id) {
                    why.push(format!("service {:?}, not {service_id}", o.service_id));
                }
                if location_id.is_some() && o.location_id != *location_id {
                    why.push(format!("location {:?}, not {location_id:?}", o.location_id));
                }
                if o.quantity != want_q {
                    why.push(format!("quantity {}, not {want_q}", o.quantity));
                }
                if o.period != want_p {
                    why.push(format!("period {}, not {want_p}", o.period));
                }
                if why.is_empty() {
                    evidence.push(ev(
                        "matching_order",
                        format!("order {} matches the order created", o.id),
                    ));
                    matching.push(o.id);
                } else {
                    evidence.push(ev(
                        "mismatch",
                        format!("order {}: {}", o.id, why.join(", ")),
                    ));
                }
            }
            match (matching.as_slice(), new.len()) {
                ([id], 1) => Outcome::Applied {
                    order_id: Some(*id),
                    evidence,
                },
                _ => Outcome::Unknown { evidence },
            }
        }
        PsIntent::ChargeOrder {
            order_id,
            merchant,
            period: _,
        } => {
            let (b, a) = match (before.order(*order_id), after.order(*order_id)) {
                (Some(b), Some(a)) => (b, a),
                _ => {
                    evidence.push(ev(
                        "order_missing",
                        format!("order {order_id} is missing from a snapshot"),
                    ));
                    return Outcome::Unknown { evidence };
                }
            };
            evidence.push(ev(
                "order_state",
                format!(
                    "order {order_id}: status {:?} → {:?}, resources_allocated {} → {}",
                    b.status, a.status, b.resources_allocated, a.resources_allocated
                ),
            ));
            if merchant != "balance" {
                evidence.push(ev(
                    "payment_link",
                    format!(
                        "merchant {merchant:?} answers with a payment link and moves no money until the payer pays (§6.4, §7 rule 6); the API lists no invoices, so whether a link was issued cannot be read back"
                    ),
                ));
                return Outcome::Unknown { evidence };
            }
            let (s0, s1) = (ps_status(&b.status), ps_status(&a.status));
            match s0 {
                OrderStatus::AwaitingPayment => match s1 {
                    OrderStatus::Activating | OrderStatus::Active => Outcome::Applied {
                        order_id: Some(*order_id),
                        evidence,
                    },
                    _ if a == b => not_applied(evidence, after.taken_at_ms, settle),
                    _ => Outcome::Unknown { evidence },
                },
                _ => {
                    evidence.push(ev(
                        "no_witness",
                        "paying an order that is not waiting (an extension) changes no field of the order (it has no expiry) and the API has no balance read (§5.1, §1 item 10)",
                    ));
                    Outcome::Unknown { evidence }
                }
            }
        }
        PsIntent::ChargeUserBalance { merchant, currency } => {
            evidence.push(ev(
                "no_witness",
                format!(
                    "a top-up via {merchant:?} in {currency} returns a payment link; the API has no balance read and lists no invoices (§1 item 10, §6.8)"
                ),
            ));
            Outcome::Unknown { evidence }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settle_window_defaults() {
        let s = Settle::given(None, None, 5_000);
        assert_eq!(
            (s.call_ended_at_ms, s.delay_ms),
            (5_000, RECOMMENDED_SETTLE_DELAY_MS)
        );
        assert_eq!(RECOMMENDED_SETTLE_DELAY_MS, 20_000);
        let s = Settle::given(Some(1_000), Some(0), 5_000);
        assert_eq!((s.call_ended_at_ms, s.delay_ms), (1_000, 0));
    }

    #[test]
    fn intents_name_their_provider() {
        let shard = Intent::Proxyshard(ShardIntent::RenewOrder {
            order_id: 1,
            expected_cents: None,
        });
        assert_eq!(shard.provider(), Provider::Proxyshard);
        let ps = Intent::ProxySolutions(PsIntent::ChargeOrder {
            order_id: 1,
            merchant: "balance".into(),
            period: None,
        });
        assert_eq!(ps.provider(), Provider::ProxySolutions);
    }
}
