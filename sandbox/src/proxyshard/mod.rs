//! ProxyShard User API v1.1.0, emulated.
//!
//! Follows `shared/api/proxyshard.md`: wallet in cents, per-product purchase variants,
//! DC/ISP-only operations, add-ons with p0f slot accounting, the active → on-hold (3 days)
//! → cancelled lifecycle, residential packages with sub-users, geo lists and health probes.
//! Errors are `{success: false, message}` with 400/401/403. Guesses are listed in the crate
//! README ("What the sandbox had to guess").
//!
//! One handler per operation, in files that follow the vendor's doc groups: [`dc_isp`]
//! (Datacenter & ISP Proxies), [`general`] (account, catalogue, purchase and orders),
//! [`residential`] (traffic and sub-users) with [`geo`] (its geo reference lists), and
//! [`service`] (health probes). [`ROUTES`] maps each documented method and path to its
//! operationId and handler; this module keeps the state they share and the dispatcher that
//! checks the key and reads the request before a handler runs.

mod catalogue;
mod dc_isp;
mod general;
mod geo;
mod residential;
mod service;

use serde_json::{json, Value};

use crate::input::{Body, Style};
use crate::rng::Rng;
use crate::routes;
use crate::time::{iso, DAY};
use crate::{Cx, Reply};

use catalogue::{
    cycle_days, cycle_id, p0f_cents, product_by_id, promo_discount, unit_cents, Kind, Product,
};
use general::{Price, PurchaseRequest};

// ------------------------------------------------------------------------- routes

/// A handler of an operation that needs the account's key.
type Handler = fn(&mut State, &mut Call<'_>) -> Result<Reply, Fail>;

/// Who may call an operation, and its handler.
#[derive(Clone, Copy)]
enum Access {
    /// Anyone; no key is read (the health probes).
    Public(fn() -> Reply),
    /// The holder of an account's bearer key.
    Account(Handler),
}

/// One row of [`ROUTES`].
struct RouteSpec {
    method: &'static str,
    /// The documented path; `{id}`/`{order_id}` is a numeric order id, `{user_id}` a
    /// non-empty sub-user id.
    path: &'static str,
    operation: &'static str,
    access: Access,
}

const fn account(
    method: &'static str,
    path: &'static str,
    operation: &'static str,
    h: Handler,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        operation,
        access: Access::Account(h),
    }
}

mod table;
use table::ROUTES;

/// Every handler by name, for the route table [`ROUTES`] that `cargo xtask gen` writes from
/// the spec (`table.rs`): the handler of `operationId` is its snake_case name.
mod handlers {
    pub(super) use super::dc_isp::*;
    pub(super) use super::general::*;
    pub(super) use super::geo::*;
    pub(super) use super::residential::*;
    pub(super) use super::service::*;
}

/// A request matched to its operation, with its path parameters.
pub struct Route {
    /// The operationId.
    pub operation: &'static str,
    access: Access,
    id: u64,
    user: String,
}

/// The operation of `method path` (segments are percent-decoded first).
pub fn route(method: &str, path: &str) -> Option<Route> {
    let segs: Vec<String> = routes::segments(path)
        .map(|s| crate::decode(s, false))
        .collect();
    let spec = ROUTES
        .iter()
        .find(|r| r.method == method && routes::shape_matches(r.path, &segs))?;
    let mut route = Route {
        operation: spec.operation,
        access: spec.access,
        id: 0,
        user: String::new(),
    };
    for (name, seg) in routes::params(spec.path, &segs) {
        if name == "{user_id}" {
            if seg.is_empty() {
                return None;
            }
            route.user = seg.to_string();
        } else {
            route.id = seg.parse().ok()?;
        }
    }
    Some(route)
}

/// One authorised request, as a handler reads it.
struct Call<'r> {
    /// The caller's account (an index into `State::accounts`).
    a: usize,
    /// The JSON body of a POST or PATCH (empty for other methods).
    b: Body,
    /// The query parameters.
    q: Body,
    /// The order id of `{id}` / `{order_id}` (0 when the path has none).
    id: u64,
    /// The sub-user id of `{user_id}` (empty when the path has none).
    user: String,
    /// The sandbox clock.
    now: i64,
    /// Scheme, host and port of the request, for links in replies.
    origin: &'r str,
}

/// One account's settings.
#[derive(Clone, Debug)]
pub struct AccountSettings {
    /// Its API key (sent as `Authorization: Bearer <key>`).
    pub api_key: String,
    /// Wallet in US cents.
    pub wallet: i64,
    /// Cancelled orders in its history (to page through).
    pub history: u64,
}

/// ProxyShard settings: `{accounts: [{apiKey, wallet, history}]}` (wallet in cents).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The accounts (default: one, key `sandbox-shard-key`, $100.00, 24 cancelled orders).
    pub accounts: Vec<AccountSettings>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            accounts: vec![AccountSettings {
                api_key: "sandbox-shard-key".into(),
                wallet: 10_000,
                history: 24,
            }],
        }
    }
}

impl Settings {
    pub(crate) fn from_json(v: &Value) -> Result<Settings, String> {
        let blank = AccountSettings {
            api_key: String::new(),
            wallet: 10_000,
            history: 24,
        };
        let accounts = crate::input::accounts(
            v,
            "proxyShard",
            blank,
            |a, k| a.api_key = k,
            |a, key, v| {
                match key {
                    "wallet" => {
                        a.wallet = v
                            .as_i64()
                            .filter(|w| (0..=100_000_000_000).contains(w))
                            .ok_or("expected cents 0..=1e11")?
                    }
                    "history" => {
                        a.history = v
                            .as_u64()
                            .filter(|h| *h <= 10_000)
                            .ok_or("expected 0..=10000")?
                    }
                    _ => return Ok(false),
                }
                Ok(true)
            },
        )?;
        Ok(Settings {
            accounts: accounts.unwrap_or_else(|| Settings::default().accounts),
        })
    }
}

// ------------------------------------------------------------------------- state

#[derive(Clone, Debug)]
struct Proxy {
    ip: String,
    signature: Option<String>,
    signed_ever: bool,
    drop_at_renewal: bool,
}

#[derive(Clone, Debug)]
struct Addon {
    key: String,
    qty: i64,
    price_per_unit: i64,
    pending: Option<i64>,
}

#[derive(Clone, Debug)]
struct Order {
    id: u64,
    product_id: u64,
    cycle: String,
    quantity: i64,
    price_paid: i64,
    addons: Vec<Addon>,
    addons_price_paid: i64,
    status: &'static str,
    created_at: i64,
    expires_at: i64,
    hold_until: i64,
    promo: Option<String>,
    auto_renewal: bool,
    tag: Option<String>,
    proxies: Vec<Proxy>,
    username: String,
    password: String,
}

impl Order {
    fn product(&self) -> &'static Product {
        product_by_id(self.product_id)
    }
    fn dc_isp(&self) -> bool {
        matches!(self.product().kind, Kind::Dc | Kind::Isp)
    }
    fn p0f(&self) -> Option<&Addon> {
        self.addons.iter().find(|a| a.key == "p0f_slots")
    }
    fn slots_used(&self) -> i64 {
        self.proxies.iter().filter(|p| p.signed_ever).count() as i64
    }
    fn renewal_cost(&self) -> i64 {
        self.price_paid
            + self
                .addons
                .iter()
                .map(|a| a.pending.unwrap_or(a.qty) * a.price_per_unit)
                .sum::<i64>()
    }
}

#[derive(Clone, Debug)]
struct SubUser {
    id: String,
    name: String,
    password: String,
    data: i64,
    spent: i64,
}

#[derive(Clone, Debug)]
struct Package {
    proxy_type: &'static str,
    password: String,
    purchased: i64,
    owner_spent: i64,
    subs: Vec<SubUser>,
}

impl Package {
    fn owner_data(&self) -> i64 {
        self.purchased - self.subs.iter().map(|s| s.data).sum::<i64>()
    }
    fn owner_remain(&self) -> i64 {
        (self.owner_data() - self.owner_spent).max(0)
    }
}

struct Account {
    key: String,
    email: String,
    wallet: i64,
    orders: Vec<Order>,
    packages: Vec<Package>,
}

/// Every ProxyShard account, order, residential package and the stock.
pub struct State {
    accounts: Vec<Account>,
    next_order: u64,
    stock: Vec<(&'static str, &'static str, i64)>,
    rng: Rng,
}

type Fail = (u16, String);

fn fail(status: u16, msg: impl Into<String>) -> Fail {
    (status, msg.into())
}

fn bad(msg: impl Into<String>) -> Fail {
    fail(400, msg)
}

fn ok(extra: Value) -> Reply {
    let mut v = json!({"success": true});
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    Reply::json(200, &v)
}

fn msg(text: &str) -> Reply {
    ok(json!({"message": text}))
}

impl State {
    pub(crate) fn new(settings: &Settings, rng: &mut Rng, now: i64) -> State {
        let mut st = State {
            accounts: Vec::new(),
            next_order: 1000,
            stock: vec![
                ("DE", "dc", 500),
                ("US", "dc", 300),
                ("US", "isp", 100),
                ("GB", "isp", 40),
                ("US", "mobile", 20),
            ],
            rng: Rng::new(rng.next_u64()),
        };
        for (i, s) in settings.accounts.iter().enumerate() {
            st.accounts.push(Account {
                key: s.api_key.clone(),
                email: format!("reseller{}@sandbox.invalid", i + 1),
                wallet: s.wallet,
                orders: Vec::new(),
                packages: Vec::new(),
            });
            // A history of cancelled orders, then one active Datacenter order with two p0f
            // slots (one used), so paging, proxies and signatures have something to show.
            for h in 0..s.history {
                let start = now - (s.history - h + 1) as i64 * 30 * DAY;
                let id = st.create(
                    i,
                    1 + (h % 4),
                    if h % 3 == 0 { "weekly" } else { "monthly" },
                    1 + (h % 5) as i64,
                    None,
                    false,
                    start,
                );
                if let Some(o) = st.accounts[i].orders.iter_mut().find(|o| o.id == id) {
                    o.status = "cancelled";
                    o.expires_at = start + 30 * DAY;
                }
            }
            let id = st.create(i, 1, "monthly", 3, None, false, now - 10 * DAY);
            if let Some(o) = st.accounts[i].orders.iter_mut().find(|o| o.id == id) {
                o.addons.push(Addon {
                    key: "p0f_slots".into(),
                    qty: 2,
                    price_per_unit: 30,
                    pending: None,
                });
                o.addons_price_paid = 60;
                o.tag = Some("main".into());
                if let Some(p) = o.proxies.first_mut() {
                    p.signature = Some("win10".into());
                    p.signed_ever = true;
                }
            }
        }
        st
    }

    /// The objects the spec's examples name ([`crate::Options::examples`]), in the first
    /// account, so each operation's canonical call (`call` in spec/overlay.yaml) succeeds on
    /// a fresh sandbox: the Datacenter order 123456 (proxies 203.0.113.10 and .11, five p0f
    /// slots), the Standart Residential order 123457 with its package and the sub-user
    /// `u_7f3a`, the on-hold order 123458 and the Premium Residential order 123459 with its
    /// package.
    pub(crate) fn seed_examples(&mut self, now: i64) {
        if self.accounts.is_empty() {
            return;
        }
        let order = |st: &mut State, id: u64, product: u64, cycle: &str, qty: i64| {
            let made = st.create(0, product, cycle, qty, None, false, now - 10 * DAY);
            let i = st.accounts[0].orders.iter().position(|o| o.id == made)?;
            st.accounts[0].orders[i].id = id;
            Some(i)
        };
        if let Some(i) = order(self, 123_456, 1, "monthly", 2) {
            let o = &mut self.accounts[0].orders[i];
            for (p, ip) in o.proxies.iter_mut().zip(["203.0.113.10", "203.0.113.11"]) {
                p.ip = ip.to_string();
            }
            o.addons.push(Addon {
                key: "p0f_slots".into(),
                qty: 5,
                price_per_unit: p0f_cents(Kind::Dc),
                pending: None,
            });
        }
        if let Some(i) = order(self, 123_458, 1, "weekly", 1) {
            let o = &mut self.accounts[0].orders[i];
            o.status = "on-hold";
            o.expires_at = now - DAY;
            o.hold_until = now + 2 * DAY;
        }
        for (id, product, t) in [(123_457, 5, "standart"), (123_459, 6, "premium")] {
            order(self, id, product, "lifetime", 10);
            let password = self.rng.token(16);
            let mut package = Package {
                proxy_type: t,
                password,
                purchased: 10 * catalogue::GB,
                owner_spent: 0,
                subs: Vec::new(),
            };
            if t == "standart" {
                package.subs.push(SubUser {
                    id: "u_7f3a".into(),
                    name: "team-a".into(),
                    password: self.rng.token(16),
                    data: 5 * catalogue::GB,
                    spent: 0,
                });
            }
            self.accounts[0].packages.push(package);
        }
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.accounts.iter().map(|a| a.key.clone()).collect()
    }

    /// Creates an active order (no money moves here).
    #[allow(clippy::too_many_arguments)]
    fn create(
        &mut self,
        account: usize,
        product_id: u64,
        cycle: &str,
        quantity: i64,
        promo: Option<(String, i64)>,
        auto_renewal: bool,
        now: i64,
    ) -> u64 {
        let p = product_by_id(product_id);
        let id = self.next_order;
        self.next_order += 1;
        let discount = promo.as_ref().map_or(0, |x| x.1);
        let units = if p.kind == Kind::Unmetered {
            1
        } else {
            quantity
        };
        let price = unit_cents(p.kind, cycle) * units * (100 - discount) / 100;
        let proxies = if matches!(p.kind, Kind::Dc | Kind::Isp | Kind::Mobile) {
            (0..quantity)
                .map(|_| Proxy {
                    ip: self.rng.ip(),
                    signature: None,
                    signed_ever: false,
                    drop_at_renewal: false,
                })
                .collect()
        } else {
            Vec::new()
        };
        let order = Order {
            id,
            product_id,
            cycle: cycle.to_string(),
            quantity,
            price_paid: price,
            addons: Vec::new(),
            addons_price_paid: 0,
            status: "active",
            created_at: now,
            expires_at: now + cycle_days(cycle) * DAY,
            hold_until: 0,
            promo: promo.map(|x| x.0),
            auto_renewal,
            tag: None,
            proxies,
            username: format!("u{}{}", id, self.rng.token(4).to_lowercase()),
            password: self.rng.token(14),
        };
        self.accounts[account].orders.push(order);
        id
    }

    /// Runs the clock to `target`: auto-renewal charges the wallet at the end of a period;
    /// without it (or without money) the order goes on hold for 3 days, then is cancelled.
    /// Residential traffic is spent at 50 MB a day per holder with traffic left.
    fn advance(&mut self, target: i64) {
        for a in &mut self.accounts {
            for o in &mut a.orders {
                loop {
                    if o.status == "active" && o.expires_at <= target {
                        let cost = o.renewal_cost();
                        if o.auto_renewal && o.dc_isp() && a.wallet >= cost {
                            a.wallet -= cost;
                            apply_renewal(o);
                            o.expires_at += cycle_days(&o.cycle) * DAY;
                            continue;
                        }
                        o.status = "on-hold";
                        o.hold_until = o.expires_at + 3 * DAY;
                    }
                    if o.status == "on-hold" && o.hold_until <= target {
                        o.status = "cancelled";
                    }
                    break;
                }
            }
        }
    }

    fn spend(&mut self, seconds: i64) {
        let per = seconds / DAY * 50 * (1 << 20);
        for a in &mut self.accounts {
            for p in &mut a.packages {
                p.owner_spent += per.min(p.owner_remain());
                for s in &mut p.subs {
                    s.spent += per.min((s.data - s.spent).max(0));
                }
            }
        }
    }

    pub(crate) fn advance_with_spend(&mut self, from: i64, target: i64) {
        self.advance(target);
        self.spend(target - from);
    }

    fn order_detail(o: &Order) -> Value {
        let p = o.product();
        let p0f = o.p0f();
        json!({
            "order_id": o.id,
            "product_id": p.id,
            "product_name": p.name,
            "cycle_id": cycle_id(&o.cycle),
            "cycle_name": o.cycle,
            "quantity": o.quantity,
            "price_paid": o.price_paid,
            "addons_price_paid": o.addons_price_paid,
            "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>(),
            "p0f_slots_available": p0f.map_or(0, |a| a.qty),
            "p0f_slots_used": o.slots_used(),
            "p0f_slots_next": p0f.map_or(0, |a| a.pending.unwrap_or(a.qty)),
            "status": o.status,
            "created_at": iso(o.created_at),
            "expires_at": iso(o.expires_at),
            "promo_code": o.promo,
            "auto_renewal": o.auto_renewal,
            "tag": o.tag,
        })
    }

    // --------------------------------------------------------------------- handlers

    // --------------------------------------------------------------------- dispatch

    /// Answers a routed request: health probes at once; every other operation needs an
    /// account's bearer key (401 otherwise) and, for POST and PATCH, a JSON object body
    /// (400 otherwise), then runs its handler.
    pub(crate) fn handle(&mut self, route: Route, cx: &mut Cx<'_>) -> Reply {
        let handler = match route.access {
            Access::Public(reply) => return reply(),
            Access::Account(handler) => handler,
        };
        let key = cx
            .request
            .header_value("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(a) = key.and_then(|k| self.accounts.iter().position(|acc| acc.key == k)) else {
            return Reply::json(401, &json!({"success": false, "message": "Unauthorized"}));
        };
        let result = Self::read_call(a, route, cx).and_then(|mut call| handler(self, &mut call));
        match result {
            Ok(r) => r,
            Err((status, message)) => {
                Reply::json(status, &json!({"success": false, "message": message}))
            }
        }
    }

    fn read_call<'r>(a: usize, route: Route, cx: &Cx<'r>) -> Result<Call<'r>, Fail> {
        let is_write = matches!(cx.method, "POST" | "PATCH");
        let b = if is_write {
            Body::parse(cx.body, Style::Serde).map_err(bad)?
        } else {
            Body::parse("", Style::Serde).map_err(bad)?
        };
        Ok(Call {
            a,
            b,
            q: Body::from_query(&cx.query),
            id: route.id,
            user: route.user,
            now: cx.now,
            origin: cx.origin,
        })
    }

    fn order_index(&self, a: usize, id: u64) -> Result<usize, Fail> {
        self.accounts[a]
            .orders
            .iter()
            .position(|o| o.id == id)
            .ok_or_else(|| bad(format!("Order {id} not found")))
    }

    fn dc_isp_order(&self, a: usize, id: u64) -> Result<usize, Fail> {
        let i = self.order_index(a, id)?;
        if !self.accounts[a].orders[i].dc_isp() {
            return Err(bad(
                "Invalid product type: this operation is for Datacenter and ISP orders only",
            ));
        }
        Ok(i)
    }

    fn package(&self, a: usize, t: &str) -> Result<&Package, Fail> {
        self.accounts[a]
            .packages
            .iter()
            .find(|p| p.proxy_type == t)
            .ok_or_else(|| {
                bad(format!(
                    "Residential account is not set up for the {t} package"
                ))
            })
    }

    fn package_mut(&mut self, a: usize, t: &str) -> Result<&mut Package, Fail> {
        self.accounts[a]
            .packages
            .iter_mut()
            .find(|p| p.proxy_type == t)
            .ok_or_else(|| {
                bad(format!(
                    "Residential account is not set up for the {t} package"
                ))
            })
    }

    fn sub_user(&self, a: usize, id: &str, t: Option<&str>) -> Result<(usize, usize), Fail> {
        for (pi, p) in self.accounts[a].packages.iter().enumerate() {
            if t.is_some_and(|t| t != p.proxy_type) {
                continue;
            }
            if let Some(si) = p.subs.iter().position(|s| s.id == id) {
                return Ok((pi, si));
            }
        }
        Err(bad(format!("Sub user {id} not found")))
    }

    fn price(&self, req: &PurchaseRequest) -> Result<Price, Fail> {
        let discount = match &req.promo {
            Some(code) => promo_discount(code, &req.cycle)?,
            None => 0,
        };
        let units = if req.product.kind == Kind::Unmetered {
            1
        } else {
            req.quantity
        };
        let original = unit_cents(req.product.kind, &req.cycle) * units;
        let addons = req
            .addons
            .iter()
            .map(|(_, q)| q * p0f_cents(req.product.kind))
            .sum();
        Ok(Price {
            original,
            final_: original * (100 - discount) / 100,
            discount,
            addons,
        })
    }
}

fn apply_renewal(o: &mut Order) {
    for line in &mut o.addons {
        if let Some(n) = line.pending.take() {
            line.qty = n;
        }
    }
    o.proxies.retain(|p| !p.drop_at_renewal);
    o.quantity = o.proxies.len().max(1) as i64;
}

fn addon_json(a: &Addon) -> Value {
    json!({
        "addon_key": a.key,
        "catalog_id": 7,
        "qty": a.qty,
        "price_per_unit": a.price_per_unit,
        "pending": a.pending.map(|n| json!({"action": "downgrade", "next_qty": n})),
    })
}

/// The first problem a body or query has collected, as the vendor's 400.
fn check(b: &Body) -> Result<(), Fail> {
    match b.first_error() {
        Some(m) => Err(bad(m)),
        None => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `(method, path, operationId)` of every operation in an OpenAPI file.
    pub(crate) fn spec_operations(yaml: &str) -> Vec<(String, String, String)> {
        let (mut path, mut method) = (String::new(), String::new());
        let mut ops = Vec::new();
        for line in yaml.lines() {
            if let Some(p) = line.strip_prefix("  /").and_then(|l| l.strip_suffix(':')) {
                path = format!("/{p}");
            } else if let Some(m) = ["get", "post", "patch", "delete"]
                .iter()
                .find(|m| line == format!("    {m}:"))
            {
                method = m.to_uppercase();
            } else if let Some(id) = line.trim().strip_prefix("operationId: ") {
                ops.push((method.clone(), path.clone(), id.to_string()));
            }
        }
        ops
    }

    #[test]
    fn the_table_is_the_contract() {
        let spec = spec_operations(include_str!("../../../spec/proxyshard.openapi.yaml"));
        let table: Vec<(String, String, String)> = ROUTES
            .iter()
            .map(|r| (r.method.into(), r.path.into(), r.operation.into()))
            .collect();
        assert_eq!(table, spec, "the vendor's operations, in its order");
    }

    #[test]
    fn routes_take_the_first_row_of_their_shape() {
        let op = |m: &str, p: &str| route(m, p).map(|r| (r.operation, r.id, r.user));
        assert_eq!(
            op("GET", "/user/api/orders/calculate"),
            Some(("quoteOrder", 0, String::new()))
        );
        assert_eq!(
            op("GET", "/user/api/orders/42/"),
            Some(("getOrder", 42, String::new()))
        );
        assert_eq!(
            op("POST", "/user/api/orders/edit-auto-renewal/7"),
            Some(("setAutoRenewal", 7, String::new()))
        );
        // A literal row of that shape wins, and its parameter must parse.
        assert_eq!(
            op("POST", "/user/api/orders/change-billing-cycle/renew"),
            None
        );
        assert_eq!(op("GET", "/user/api/orders/x"), None);
        // Segments are percent-decoded; a sub-user id is any non-empty segment.
        assert_eq!(
            op("GET", "/user/api/orders/calc%75late"),
            Some(("quoteOrder", 0, String::new()))
        );
        assert_eq!(
            op("PATCH", "/user/api/proxies/sub-user/a%2Fb"),
            Some(("renameSubUser", 0, "a/b".to_string()))
        );
        assert_eq!(op("POST", "/user/api/proxies/sub-user//password"), None);
        assert_eq!(op("GET", "/user/api/proxies/sub-user"), None);
        assert_eq!(
            op("GET", "/health/live"),
            Some(("healthLive", 0, String::new()))
        );
        assert_eq!(op("PUT", "/user/api/me"), None);
    }
}
