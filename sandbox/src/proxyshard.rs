//! ProxyShard User API v1.1.0, emulated.
//!
//! Follows `shared/api/proxyshard.md`: wallet in cents, per-product purchase variants,
//! DC/ISP-only operations, add-ons with p0f slot accounting, the active → on-hold (3 days)
//! → cancelled lifecycle, residential packages with sub-users, geo lists and health probes.
//! Errors are `{success: false, message}` with 400/401/403. Guesses are listed in the crate
//! README ("What the sandbox had to guess").

use serde_json::{json, Map, Value};

use crate::input::{Body, Style};
use crate::rng::Rng;
use crate::time::{iso, DAY};
use crate::{Cx, Reply};

/// The operations, with their path ids.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    ListActiveProxies,
    SetPerIpDeletion(u64),
    SetP0fSignatures(u64),
    QuoteAddon(u64),
    PurchaseAddon(u64),
    ScheduleAddonDowngrade(u64),
    CancelAddonDowngrade(u64),
    PurchaseOrder,
    QuoteOrder,
    ChangeBillingCycle(u64),
    SetAutoRenewal(u64),
    ListProducts,
    GetAvailableCounts,
    GetMe,
    ListOrders,
    GetOrder(u64),
    RenewOrder(u64),
    SetOrderTag(u64),
    AddBandwidth(u64),
    GetResidentialProfile,
    ListSubUsers,
    CreateSubUser,
    GetSubUser(String),
    RenameSubUser(String),
    DeleteSubUser(String),
    AddSubUserTraffic(String),
    SubtractSubUserTraffic(String),
    RegenerateSubUserPassword(String),
    ListCountries,
    ListRegions,
    ListCities,
    ListIsps,
    Health,
    HealthLive,
}

impl Op {
    /// The operationId.
    pub fn name(&self) -> &'static str {
        match self {
            Op::ListActiveProxies => "listActiveProxies",
            Op::SetPerIpDeletion(_) => "setPerIpDeletion",
            Op::SetP0fSignatures(_) => "setP0fSignatures",
            Op::QuoteAddon(_) => "quoteAddon",
            Op::PurchaseAddon(_) => "purchaseAddon",
            Op::ScheduleAddonDowngrade(_) => "scheduleAddonDowngrade",
            Op::CancelAddonDowngrade(_) => "cancelAddonDowngrade",
            Op::PurchaseOrder => "purchaseOrder",
            Op::QuoteOrder => "quoteOrder",
            Op::ChangeBillingCycle(_) => "changeBillingCycle",
            Op::SetAutoRenewal(_) => "setAutoRenewal",
            Op::ListProducts => "listProducts",
            Op::GetAvailableCounts => "getAvailableCounts",
            Op::GetMe => "getMe",
            Op::ListOrders => "listOrders",
            Op::GetOrder(_) => "getOrder",
            Op::RenewOrder(_) => "renewOrder",
            Op::SetOrderTag(_) => "setOrderTag",
            Op::AddBandwidth(_) => "addBandwidth",
            Op::GetResidentialProfile => "getResidentialProfile",
            Op::ListSubUsers => "listSubUsers",
            Op::CreateSubUser => "createSubUser",
            Op::GetSubUser(_) => "getSubUser",
            Op::RenameSubUser(_) => "renameSubUser",
            Op::DeleteSubUser(_) => "deleteSubUser",
            Op::AddSubUserTraffic(_) => "addSubUserTraffic",
            Op::SubtractSubUserTraffic(_) => "subtractSubUserTraffic",
            Op::RegenerateSubUserPassword(_) => "regenerateSubUserPassword",
            Op::ListCountries => "listCountries",
            Op::ListRegions => "listRegions",
            Op::ListCities => "listCities",
            Op::ListIsps => "listIsps",
            Op::Health => "health",
            Op::HealthLive => "healthLive",
        }
    }
}

/// The operation of `method path`.
pub fn route(method: &str, path: &str) -> Option<Op> {
    let segs: Vec<String> = path
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .map(|s| crate::decode(s, false))
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let id = |s: &str| s.parse::<u64>().ok();
    let user = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    Some(match (method, segs.as_slice()) {
        ("GET", ["health"]) => Op::Health,
        ("GET", ["health", "live"]) => Op::HealthLive,
        (m, ["user", "api", rest @ ..]) => match (m, rest) {
            ("GET", ["proxies", "active"]) => Op::ListActiveProxies,
            ("POST", ["orders", o, "del-np", "set"]) => Op::SetPerIpDeletion(id(o)?),
            ("POST", ["orders", o, "signature", "set"]) => Op::SetP0fSignatures(id(o)?),
            ("GET", ["orders", o, "addons", "calculate"]) => Op::QuoteAddon(id(o)?),
            ("POST", ["orders", o, "addons", "purchase"]) => Op::PurchaseAddon(id(o)?),
            ("POST", ["orders", o, "addons", "schedule"]) => Op::ScheduleAddonDowngrade(id(o)?),
            ("POST", ["orders", o, "addons", "schedule", "cancel"]) => {
                Op::CancelAddonDowngrade(id(o)?)
            }
            ("POST", ["orders", "purchase"]) => Op::PurchaseOrder,
            ("GET", ["orders", "calculate"]) => Op::QuoteOrder,
            ("POST", ["orders", "change-billing-cycle", o]) => Op::ChangeBillingCycle(id(o)?),
            ("POST", ["orders", "edit-auto-renewal", o]) => Op::SetAutoRenewal(id(o)?),
            ("GET", ["proxies", "products"]) => Op::ListProducts,
            ("GET", ["proxies", "available-count"]) => Op::GetAvailableCounts,
            ("GET", ["me"]) => Op::GetMe,
            ("GET", ["orders"]) => Op::ListOrders,
            ("GET", ["orders", o]) => Op::GetOrder(id(o)?),
            ("POST", ["orders", o, "renew"]) => Op::RenewOrder(id(o)?),
            ("POST", ["orders", o, "tag"]) => Op::SetOrderTag(id(o)?),
            ("POST", ["orders", o, "add-bandwidth"]) => Op::AddBandwidth(id(o)?),
            ("GET", ["proxies", "profile"]) => Op::GetResidentialProfile,
            ("GET", ["proxies", "sub-users"]) => Op::ListSubUsers,
            ("POST", ["proxies", "sub-user"]) => Op::CreateSubUser,
            ("GET", ["proxies", "sub-user", u]) => Op::GetSubUser(user(u)?),
            ("PATCH", ["proxies", "sub-user", u]) => Op::RenameSubUser(user(u)?),
            ("DELETE", ["proxies", "sub-user", u]) => Op::DeleteSubUser(user(u)?),
            ("POST", ["proxies", "sub-user", u, "data", "add"]) => Op::AddSubUserTraffic(user(u)?),
            ("POST", ["proxies", "sub-user", u, "data", "subtract"]) => {
                Op::SubtractSubUserTraffic(user(u)?)
            }
            ("POST", ["proxies", "sub-user", u, "password"]) => {
                Op::RegenerateSubUserPassword(user(u)?)
            }
            ("GET", ["proxies", "countries"]) => Op::ListCountries,
            ("GET", ["proxies", "regions"]) => Op::ListRegions,
            ("GET", ["proxies", "cities"]) => Op::ListCities,
            ("GET", ["proxies", "isps"]) => Op::ListIsps,
            _ => return None,
        },
        _ => return None,
    })
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

// ------------------------------------------------------------------------- catalogue

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Dc,
    Isp,
    /// Standard / premium residential (traffic, lifetime cycle); the `proxy_type`.
    Traffic(&'static str),
    Unmetered,
    Mobile,
}

struct Product {
    id: u64,
    name: &'static str,
    description: Option<&'static str>,
    location: Option<&'static str>,
    cycles: &'static [&'static str],
    kind: Kind,
}

const PRODUCTS: &[Product] = &[
    Product {
        id: 1,
        name: "Datacenter Proxy",
        description: Some("Dedicated IPv4 datacenter proxies"),
        location: Some("DE"),
        cycles: &["monthly", "weekly"],
        kind: Kind::Dc,
    },
    Product {
        id: 2,
        name: "Datacenter Proxy",
        description: Some("Dedicated IPv4 datacenter proxies"),
        location: Some("US"),
        cycles: &["monthly", "weekly"],
        kind: Kind::Dc,
    },
    Product {
        id: 3,
        name: "ISP Proxy",
        description: Some("Static residential (ISP) proxies"),
        location: Some("US"),
        cycles: &["monthly", "yearly"],
        kind: Kind::Isp,
    },
    Product {
        id: 4,
        name: "ISP Proxy",
        description: Some("Static residential (ISP) proxies"),
        location: Some("GB"),
        cycles: &["monthly"],
        kind: Kind::Isp,
    },
    Product {
        id: 5,
        name: "Standart Residential Proxy",
        description: None,
        location: None,
        cycles: &["lifetime"],
        kind: Kind::Traffic("standart"),
    },
    Product {
        id: 6,
        name: "Premium Residential Proxy",
        description: None,
        location: None,
        cycles: &["lifetime"],
        kind: Kind::Traffic("premium"),
    },
    Product {
        id: 7,
        name: "Unmetered Residential proxy",
        description: None,
        location: None,
        cycles: &["day", "weekly", "monthly"],
        kind: Kind::Unmetered,
    },
    Product {
        id: 8,
        name: "Mobile Proxy US",
        description: Some("4G/5G mobile proxies"),
        location: Some("US"),
        cycles: &["day", "monthly"],
        kind: Kind::Mobile,
    },
];

/// Cycles listed in the catalogue but not offered to sandbox users (403, as the vendor
/// documents for "cycle not available to this user").
const BLOCKED_CYCLES: &[&str] = &["yearly"];

const PROMOS: &[(&str, i64, Option<&str>)] =
    &[("SAVE10", 10, None), ("MONTHLY15", 15, Some("monthly"))];

const SIGNATURES: &[&str] = &["ios", "macos", "android", "linux", "win10", "win11"];

const GB: i64 = 1 << 30;

fn cycle_days(cycle: &str) -> i64 {
    match cycle {
        "day" => 1,
        "weekly" => 7,
        "monthly" => 30,
        "yearly" => 365,
        _ => 3650,
    }
}

/// Cents per unit (IP, GB, or the whole plan for unmetered) per cycle.
fn unit_cents(kind: Kind, cycle: &str) -> i64 {
    match (kind, cycle) {
        (Kind::Dc, "weekly") => 50,
        (Kind::Dc, _) => 150,
        (Kind::Isp, "yearly") => 3000,
        (Kind::Isp, _) => 300,
        (Kind::Traffic("premium"), _) => 500,
        (Kind::Traffic(_), _) => 350,
        (Kind::Unmetered, "day") => 1500,
        (Kind::Unmetered, "weekly") => 6000,
        (Kind::Unmetered, _) => 9900,
        (Kind::Mobile, "day") => 300,
        (Kind::Mobile, _) => 6000,
    }
}

/// Cents per p0f slot per cycle.
fn p0f_cents(kind: Kind) -> i64 {
    if kind == Kind::Isp {
        60
    } else {
        30
    }
}

fn product_by_id(id: u64) -> &'static Product {
    PRODUCTS.iter().find(|p| p.id == id).unwrap_or(&PRODUCTS[0])
}

const COUNTRIES: &[(&str, &str)] = &[
    ("de", "Germany"),
    ("us", "United States"),
    ("gb", "United Kingdom"),
];
const REGIONS: &[(&str, &str, &str)] = &[
    ("de", "be", "Berlin"),
    ("de", "by", "Bavaria"),
    ("us", "ny", "New York"),
    ("us", "ca", "California"),
    ("gb", "eng", "England"),
];
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("de", "be", "berlin", "Berlin"),
    ("de", "by", "munich", "Munich"),
    ("us", "ny", "new-york", "New York"),
    ("us", "ca", "los-angeles", "Los Angeles"),
    ("us", "ca", "san-francisco", "San Francisco"),
    ("gb", "eng", "london", "London"),
];
const ISPS: &[(&str, &str, &str, &str)] = &[
    ("berlin", "deutsche-telekom", "Deutsche Telekom", "be"),
    ("berlin", "vodafone-de", "Vodafone GmbH", "be"),
    ("new-york", "verizon", "Verizon", "ny"),
    ("new-york", "spectrum", "Charter Spectrum", "ny"),
    ("london", "bt", "British Telecom", "eng"),
];

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

    pub(crate) fn handle(&mut self, op: Op, cx: &mut Cx<'_>) -> Reply {
        match op {
            Op::Health => {
                return Reply::json(
                    200,
                    &json!({"status": "ok", "checks": {"database": "ok", "stock": "ok"}}),
                )
            }
            Op::HealthLive => return Reply::text(200, "text/plain", "OK"),
            _ => {}
        }
        let key = cx
            .request
            .header_value("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(a) = key.and_then(|k| self.accounts.iter().position(|acc| acc.key == k)) else {
            return Reply::json(401, &json!({"success": false, "message": "Unauthorized"}));
        };
        match self.operate(a, op, cx) {
            Ok(r) => r,
            Err((status, message)) => {
                Reply::json(status, &json!({"success": false, "message": message}))
            }
        }
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

    fn operate(&mut self, a: usize, op: Op, cx: &mut Cx<'_>) -> Result<Reply, Fail> {
        let is_write = matches!(cx.method, "POST" | "PATCH");
        let mut b = if is_write {
            Body::parse(cx.body, Style::Serde).map_err(bad)?
        } else {
            Body::parse("", Style::Serde).map_err(bad)?
        };
        let mut q = Body::from_query(&cx.query);
        let now = cx.now;
        let adding = matches!(op, Op::AddSubUserTraffic(_));
        macro_rules! check {
            ($b:expr) => {
                if let Some(m) = $b.first_error() {
                    return Err(bad(m));
                }
            };
        }
        match op {
            Op::GetMe => {
                let acc = &self.accounts[a];
                Ok(Reply::json(
                    200,
                    &json!({
                        "email": acc.email,
                        "active_orders": acc.orders.iter().filter(|o| o.status == "active").count(),
                        "wallet_balance": acc.wallet,
                    }),
                ))
            }
            Op::ListProducts => Ok(ok(json!({"products": PRODUCTS.iter().map(|p| json!({
                "name": p.name, "description": p.description, "location": p.location, "cycles": p.cycles,
            })).collect::<Vec<_>>()}))),
            Op::GetAvailableCounts => Ok(Reply::json(
                200,
                &Value::Array(
                    self.stock
                        .iter()
                        .map(|(c, p, n)| json!({"country": c, "product": p, "amount": n}))
                        .collect(),
                ),
            )),
            Op::QuoteOrder => {
                let addons = match q.str("addons_json") {
                    Some(text) => Some(parse_addons(&text)?),
                    None => None,
                };
                let req = purchase_request(&mut q, addons)?;
                let price = self.price(&req)?;
                Ok(Reply::json(
                    200,
                    &json!({
                        "original_price": price.original,
                        "final_price": price.final_,
                        "discount_percent": price.discount,
                        "addons_price": price.addons,
                        "total_with_addons": price.final_ + price.addons,
                    }),
                ))
            }
            Op::PurchaseOrder => {
                let addons = match b.objects("addons") {
                    Some(list) => Some(addon_items(list)?),
                    None => None,
                };
                check!(b);
                let req = purchase_request(&mut b, addons)?;
                let price = self.price(&req)?;
                let total = price.final_ + price.addons;
                let stock_code = match req.product.kind {
                    Kind::Dc => Some("dc"),
                    Kind::Isp => Some("isp"),
                    Kind::Mobile => Some("mobile"),
                    _ => None,
                };
                if let (Some(code), Some(loc)) = (stock_code, req.product.location) {
                    let left = self
                        .stock
                        .iter()
                        .find(|s| s.0 == loc && s.1 == code)
                        .map_or(0, |s| s.2);
                    if left < req.quantity {
                        return Err(bad(format!("Not enough stock: {left} available")));
                    }
                }
                if self.accounts[a].wallet < total {
                    return Err(bad("Insufficient balance"));
                }
                self.accounts[a].wallet -= total;
                if let (Some(code), Some(loc)) = (stock_code, req.product.location) {
                    if let Some(s) = self.stock.iter_mut().find(|s| s.0 == loc && s.1 == code) {
                        s.2 -= req.quantity;
                    }
                }
                let promo = req.promo.clone().map(|p| (p, price.discount));
                let id = self.create(
                    a,
                    req.product.id,
                    &req.cycle,
                    req.quantity,
                    promo,
                    req.auto_renewal,
                    now,
                );
                let i = self.order_index(a, id)?;
                let o = &mut self.accounts[a].orders[i];
                for (key, qty) in &req.addons {
                    o.addons.push(Addon {
                        key: key.clone(),
                        qty: *qty,
                        price_per_unit: p0f_cents(req.product.kind),
                        pending: None,
                    });
                }
                o.addons_price_paid = price.addons;
                if let Kind::Traffic(t) = req.product.kind {
                    let pw = self.rng.token(16);
                    let acc = &mut self.accounts[a];
                    match acc.packages.iter_mut().find(|p| p.proxy_type == t) {
                        Some(p) => p.purchased += req.quantity * GB,
                        None => acc.packages.push(Package {
                            proxy_type: t,
                            password: pw,
                            purchased: req.quantity * GB,
                            owner_spent: 0,
                            subs: Vec::new(),
                        }),
                    }
                }
                if req.product.kind == Kind::Unmetered {
                    let pw = self.rng.token(16);
                    let acc = &mut self.accounts[a];
                    if !acc.packages.iter().any(|p| p.proxy_type == "unlimited") {
                        acc.packages.push(Package {
                            proxy_type: "unlimited",
                            password: pw,
                            purchased: 0,
                            owner_spent: 0,
                            subs: Vec::new(),
                        });
                    }
                }
                Ok(ok(
                    json!({"message": "Order paid successfully", "order_id": id}),
                ))
            }
            Op::ListOrders => {
                let status = q.req_str("status");
                let offset = q.int("offset").unwrap_or(0);
                let limit = q.int("limit").unwrap_or(20);
                check!(q);
                let status = status.unwrap_or_default();
                if !["active", "on-hold", "cancelled", "all"].contains(&status.as_str()) {
                    return Err(bad("status must be one of active, on-hold, cancelled, all"));
                }
                if offset < 0 {
                    return Err(bad("offset must be >= 0"));
                }
                if !(1..=100).contains(&limit) {
                    return Err(bad("limit must be between 1 and 100"));
                }
                let mut all: Vec<&Order> = self.accounts[a]
                    .orders
                    .iter()
                    .filter(|o| status == "all" || o.status == status)
                    .collect();
                all.sort_by_key(|o| std::cmp::Reverse(o.id));
                let page: Vec<Value> = all
                    .iter()
                    .skip(offset as usize)
                    .take(limit as usize)
                    .map(|o| {
                        json!({
                            "order_id": o.id,
                            "product_id": o.product_id,
                            "product_name": o.product().name,
                            "cycle_id": cycle_id(&o.cycle),
                            "cycle_name": o.cycle,
                            "expires_at": iso(o.expires_at),
                            "auto_renewal": o.auto_renewal,
                            "tag": o.tag,
                        })
                    })
                    .collect();
                let link = |off: i64| {
                    format!(
                        "{}/user/api/orders?status={status}&offset={off}&limit={limit}",
                        cx.origin
                    )
                };
                let total = all.len() as i64;
                Ok(ok(json!({
                    "orders": page,
                    "count": page.len(),
                    "prev": if offset > 0 { Value::String(link((offset - limit).max(0))) } else { Value::Null },
                    "next": if offset + limit < total { Value::String(link(offset + limit)) } else { Value::Null },
                })))
            }
            Op::GetOrder(id) => {
                let i = self.order_index(a, id)?;
                Ok(ok(
                    json!({"order": Self::order_detail(&self.accounts[a].orders[i])}),
                ))
            }
            Op::RenewOrder(id) => {
                let i = self.order_index(a, id)?;
                let acc = &mut self.accounts[a];
                let o = &mut acc.orders[i];
                if o.status != "on-hold" {
                    return Err(bad(format!(
                        "Only on-hold orders can be renewed (order is {})",
                        o.status
                    )));
                }
                let cost = o.renewal_cost();
                if acc.wallet < cost {
                    return Err(bad("Insufficient balance"));
                }
                acc.wallet -= cost;
                apply_renewal(o);
                o.status = "active";
                o.expires_at = now + cycle_days(&o.cycle) * DAY;
                Ok(msg("Order renewed successfully"))
            }
            Op::SetOrderTag(id) => {
                let tag = b.req_str("tag");
                check!(b);
                let i = self.order_index(a, id)?;
                let tag = tag.unwrap_or_default();
                if tag.chars().count() > 255 {
                    return Err(bad("tag must be at most 255 characters"));
                }
                self.accounts[a].orders[i].tag = Some(tag);
                Ok(msg("Order tag updated"))
            }
            Op::SetAutoRenewal(id) => {
                let i = self.dc_isp_order(a, id)?;
                let value = match q.str("auto_renewal").as_deref() {
                    Some("true") => true,
                    Some("false") => false,
                    _ => {
                        return Err(bad(
                            "Query deserialize error: auto_renewal must be true or false",
                        ))
                    }
                };
                self.accounts[a].orders[i].auto_renewal = value;
                Ok(msg("Auto renewal updated"))
            }
            Op::ChangeBillingCycle(id) => {
                let cycle = b.req_str("cycle");
                check!(b);
                let i = self.dc_isp_order(a, id)?;
                let cycle = cycle.unwrap_or_default();
                let o = &mut self.accounts[a].orders[i];
                let p = o.product();
                if !p.cycles.contains(&cycle.as_str()) {
                    return Err(bad(format!(
                        "Invalid cycle `{cycle}` for {} (cycles: {})",
                        p.name,
                        p.cycles.join(", ")
                    )));
                }
                if BLOCKED_CYCLES.contains(&cycle.as_str()) {
                    return Err(fail(
                        403,
                        format!("Cycle `{cycle}` is not available for this user"),
                    ));
                }
                if o.promo
                    .as_deref()
                    .is_some_and(|code| promo_discount(code, &cycle).is_err())
                {
                    o.promo = None;
                }
                let discount = o
                    .promo
                    .as_deref()
                    .and_then(|c| promo_discount(c, &cycle).ok())
                    .unwrap_or(0);
                let original = unit_cents(p.kind, &cycle) * o.quantity;
                let final_ = original * (100 - discount) / 100;
                o.cycle = cycle;
                o.price_paid = final_;
                Ok(ok(
                    json!({"message": "Billing cycle changed", "order_id": id, "original_price": original, "final_price": final_, "discount_percent": discount}),
                ))
            }
            Op::ListActiveProxies => {
                let id = q.req_int("order_id");
                check!(q);
                let i = self.order_index(a, id.unwrap_or(0) as u64)?;
                let o = &self.accounts[a].orders[i];
                if !o.dc_isp() {
                    return Err(fail(403, "Method is unavailable for this order"));
                }
                let data: Vec<Value> =
                    if o.status == "cancelled" {
                        Vec::new()
                    } else {
                        o.proxies.iter().map(|p| json!({
                        "ip": p.ip, "username": o.username, "password": o.password,
                        "http_port": 8080, "socks_port": 1080, "until": iso(o.expires_at),
                        "status": o.status, "signature": p.signature,
                    })).collect()
                    };
                Ok(ok(json!({"data": data, "order_tag": o.tag})))
            }
            Op::SetPerIpDeletion(id) => {
                let items = b.objects("items");
                if !b.has("items") {
                    return Err(bad("Json deserialize error: missing field `items`"));
                }
                check!(b);
                let i = self.dc_isp_order(a, id)?;
                let mut marks = Vec::new();
                for it in items.unwrap_or_default() {
                    match (it.get("ip").and_then(Value::as_str), it.get("value").and_then(Value::as_bool)) {
                        (Some(ip), Some(v)) => marks.push((ip.to_string(), v)),
                        _ => return Err(bad("Json deserialize error: each item needs `ip` (string) and `value` (boolean)")),
                    }
                }
                let acc = &mut self.accounts[a];
                let o = &mut acc.orders[i];
                if let Some((ip, _)) = marks
                    .iter()
                    .find(|(ip, _)| !o.proxies.iter().any(|p| &p.ip == ip))
                {
                    return Err(bad(format!("IP {ip} does not belong to order {id}")));
                }
                let marked = |p: &Proxy| {
                    marks
                        .iter()
                        .rev()
                        .find(|(ip, _)| *ip == p.ip)
                        .map_or(p.drop_at_renewal, |m| m.1)
                };
                let keep = o.proxies.iter().filter(|p| !marked(p)).count() as i64;
                if keep == 0 {
                    return Err(bad("At least one IP must remain (keep=0)"));
                }
                let flags: Vec<bool> = o.proxies.iter().map(marked).collect();
                for (p, f) in o.proxies.iter_mut().zip(flags) {
                    p.drop_at_renewal = f;
                }
                let unit = o.price_paid / o.quantity.max(1);
                o.quantity = keep;
                o.price_paid = unit * keep;
                Ok(msg("Per-IP deletion updated"))
            }
            Op::SetP0fSignatures(id) => {
                if !b.has("items") {
                    return Err(bad("Json deserialize error: missing field `items`"));
                }
                let items = b.objects("items");
                check!(b);
                let i = self.dc_isp_order(a, id)?;
                let mut sets = Vec::new();
                for it in items.unwrap_or_default() {
                    match (
                        it.get("ip").and_then(Value::as_str),
                        it.get("signature").and_then(Value::as_str),
                    ) {
                        (Some(ip), Some(sig)) if SIGNATURES.contains(&sig) => {
                            sets.push((ip.to_string(), sig.to_string()))
                        }
                        (Some(_), Some(sig)) => {
                            return Err(bad(format!(
                            "Json deserialize error: unknown variant `{sig}`, expected one of {}",
                            SIGNATURES.join(", ")
                        )))
                        }
                        _ => {
                            return Err(bad(
                                "Json deserialize error: each item needs `ip` and `signature`",
                            ))
                        }
                    }
                }
                let o = &mut self.accounts[a].orders[i];
                if let Some((ip, _)) = sets
                    .iter()
                    .find(|(ip, _)| !o.proxies.iter().any(|p| &p.ip == ip))
                {
                    return Err(bad(format!("IP {ip} does not belong to order {id}")));
                }
                let slots = o.p0f().map_or(0, |x| x.qty);
                let new_ips: std::collections::BTreeSet<&String> = sets
                    .iter()
                    .filter(|(ip, _)| o.proxies.iter().any(|p| &p.ip == ip && !p.signed_ever))
                    .map(|(ip, _)| ip)
                    .collect();
                if slots == 0 {
                    return Err(bad("This order has no active p0f_slots add-on"));
                }
                if o.slots_used() + new_ips.len() as i64 > slots {
                    return Err(bad(format!(
                        "Not enough free p0f slots: {} free, {} needed",
                        slots - o.slots_used(),
                        new_ips.len()
                    )));
                }
                let mut updated = 0;
                for (ip, sig) in &sets {
                    if let Some(p) = o.proxies.iter_mut().find(|p| &p.ip == ip) {
                        if p.signature.as_deref() != Some(sig) {
                            updated += 1;
                        }
                        p.signature = Some(sig.clone());
                        p.signed_ever = true;
                    }
                }
                Ok(ok(
                    json!({"message": "Signatures updated", "updated": updated}),
                ))
            }
            Op::QuoteAddon(id) => {
                let key = q.req_str("addon_key");
                let add = q.req_int("add_qty");
                check!(q);
                let i = self.dc_isp_order(a, id)?;
                let o = &self.accounts[a].orders[i];
                let (key, add) = (key.unwrap_or_default(), add.unwrap_or(0));
                addon_allowed(o, &key, add)?;
                let ppu = p0f_cents(o.product().kind);
                let cur = o.p0f().map_or(0, |x| x.qty);
                Ok(ok(
                    json!({"addon_key": key, "catalog_id": 7, "price_per_unit": ppu, "current_qty": cur, "add_qty": add, "new_qty": cur + add, "add_total": ppu * add}),
                ))
            }
            Op::PurchaseAddon(id) => {
                let key = b.req_str("addon_key");
                let add = b.req_int("add_qty");
                check!(b);
                let i = self.dc_isp_order(a, id)?;
                let acc = &mut self.accounts[a];
                let o = &mut acc.orders[i];
                let (key, add) = (key.unwrap_or_default(), add.unwrap_or(0));
                addon_allowed(o, &key, add)?;
                if o.status != "active" {
                    return Err(bad(format!(
                        "Add-ons can only be bought for active orders (order is {})",
                        o.status
                    )));
                }
                let ppu = p0f_cents(o.product().kind);
                if acc.wallet < ppu * add {
                    return Err(bad("Insufficient balance"));
                }
                acc.wallet -= ppu * add;
                match o.addons.iter_mut().find(|x| x.key == key) {
                    Some(line) => line.qty += add,
                    None => o.addons.push(Addon {
                        key,
                        qty: add,
                        price_per_unit: ppu,
                        pending: None,
                    }),
                }
                o.addons_price_paid += ppu * add;
                Ok(ok(
                    json!({"message": "Add-on purchased", "addons_price_paid": o.addons_price_paid, "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>()}),
                ))
            }
            Op::ScheduleAddonDowngrade(id) => {
                let key = b.req_str("addon_key");
                let action = b.req_str("action");
                let next = b.req_int("next_qty");
                check!(b);
                if action.as_deref() != Some("downgrade") {
                    return Err(bad("Json deserialize error: unknown variant for `action`, expected `downgrade`"));
                }
                let i = self.dc_isp_order(a, id)?;
                let o = &mut self.accounts[a].orders[i];
                let key = key.unwrap_or_default();
                let next = next.unwrap_or(0);
                let Some(line) = o.addons.iter_mut().find(|x| x.key == key) else {
                    return Err(bad(format!("Order {id} has no {key} add-on")));
                };
                if next < 1 || next >= line.qty {
                    return Err(bad(format!(
                        "next_qty must be at least 1 and below the current quantity ({})",
                        line.qty
                    )));
                }
                line.pending = Some(next);
                Ok(ok(
                    json!({"message": "Downgrade scheduled", "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>()}),
                ))
            }
            Op::CancelAddonDowngrade(id) => {
                let key = b.req_str("addon_key");
                check!(b);
                let i = self.dc_isp_order(a, id)?;
                let o = &mut self.accounts[a].orders[i];
                let key = key.unwrap_or_default();
                let Some(line) = o.addons.iter_mut().find(|x| x.key == key) else {
                    return Err(bad(format!("Order {id} has no {key} add-on")));
                };
                line.pending = None;
                Ok(ok(
                    json!({"message": "Downgrade cancelled", "addons": o.addons.iter().map(addon_json).collect::<Vec<_>>()}),
                ))
            }
            Op::AddBandwidth(id) => {
                let amount = b.req_int("amount");
                let promo = b.str("promo_code");
                check!(b);
                let i = self.order_index(a, id)?;
                let acc = &mut self.accounts[a];
                let o = &mut acc.orders[i];
                let Kind::Traffic(t) = o.product().kind else {
                    return Err(bad(
                        "Bandwidth can only be added to Standard or Premium residential orders",
                    ));
                };
                let amount = amount.unwrap_or(0);
                if !(1..=1_000_000).contains(&amount) {
                    return Err(bad("amount must be between 1 and 1000000 GB"));
                }
                let discount = match &promo {
                    Some(code) => promo_discount(code, "lifetime")?,
                    None => 0,
                };
                let cost =
                    unit_cents(o.product().kind, "lifetime") * amount * (100 - discount) / 100;
                if acc.wallet < cost {
                    return Err(bad("Insufficient balance"));
                }
                acc.wallet -= cost;
                o.quantity += amount;
                o.price_paid += cost;
                if let Some(p) = acc.packages.iter_mut().find(|p| p.proxy_type == t) {
                    p.purchased += amount * GB;
                }
                Ok(msg("Order paid successfully"))
            }
            Op::GetResidentialProfile => {
                let t = proxy_type(&mut q)?;
                let p = self.package(a, t)?;
                let (data, remain) = if t == "unlimited" {
                    (0, 0)
                } else {
                    (p.owner_data(), p.owner_remain())
                };
                Ok(ok(
                    json!({"data": data, "data_remain": remain, "data_spent": p.owner_spent, "proxy_password": p.password}),
                ))
            }
            Op::ListSubUsers => {
                let t = proxy_type(&mut q)?;
                let offset = q.int("offset").unwrap_or(0).max(0) as usize;
                let limit = q.int("limit").unwrap_or(20);
                check!(q);
                if limit < 1 {
                    return Err(bad("limit must be at least 1"));
                }
                let subs = self.accounts[a]
                    .packages
                    .iter()
                    .find(|p| p.proxy_type == t)
                    .map(|p| p.subs.clone())
                    .unwrap_or_default();
                let data: Vec<Value> = subs.iter().skip(offset).take(limit as usize).map(|s| json!({
                    "user_id": s.id, "first_name": s.name, "proxy_password": s.password,
                    "data": s.data, "data_spent": s.spent, "data_remain": (s.data - s.spent).max(0),
                })).collect();
                Ok(ok(json!({"count": subs.len(), "data": data})))
            }
            Op::CreateSubUser => {
                let t = proxy_type(&mut q)?;
                let name = b.req_str("name");
                let data = b.req_int("data");
                check!(b);
                let name = name.unwrap_or_default();
                let gb = data.unwrap_or(0);
                if name.trim().is_empty() {
                    return Err(bad("name must not be empty"));
                }
                if !(1..=1_000_000).contains(&gb) {
                    return Err(bad("data must be between 1 and 1000000 GB"));
                }
                let id = format!(
                    "{}-{}",
                    self.rng.token(8).to_lowercase(),
                    self.rng.token(4).to_lowercase()
                );
                let password = self.rng.token(16);
                let p = self.package_mut(a, t)?;
                if t != "unlimited" && p.owner_remain() < gb * GB {
                    return Err(bad(format!(
                        "Not enough traffic: {} GB left to share",
                        p.owner_remain() / GB
                    )));
                }
                let s = SubUser {
                    id,
                    name,
                    password,
                    data: gb * GB,
                    spent: 0,
                };
                let out = json!({"user_id": s.id, "first_name": s.name, "proxy_password": s.password, "data": s.data, "data_spent": s.spent});
                p.subs.push(s);
                Ok(ok(json!({"data": [out]})))
            }
            Op::GetSubUser(id) => {
                let t = proxy_type(&mut q)?;
                let (pi, si) = self.sub_user(a, &id, Some(t))?;
                let s = &self.accounts[a].packages[pi].subs[si];
                Ok(ok(
                    json!({"data": [{"first_name": s.name, "proxy_password": s.password, "data": s.data, "data_spent": s.spent}]}),
                ))
            }
            Op::RenameSubUser(id) => {
                let t = proxy_type(&mut q)?;
                let name = b.req_str("name");
                check!(b);
                let name = name.unwrap_or_default();
                if name.trim().is_empty() {
                    return Err(bad("name must not be empty"));
                }
                let (pi, si) = self.sub_user(a, &id, Some(t))?;
                self.accounts[a].packages[pi].subs[si].name = name;
                Ok(msg("Sub user edited successfully"))
            }
            Op::DeleteSubUser(id) => {
                let (pi, si) = self.sub_user(a, &id, None)?;
                self.accounts[a].packages[pi].subs.remove(si);
                Ok(msg("Sub user deleted successfully"))
            }
            Op::AddSubUserTraffic(id) | Op::SubtractSubUserTraffic(id) => {
                let t = proxy_type(&mut q)?;
                let data = b.req_int("data");
                check!(b);
                let gb = data.unwrap_or(0);
                if !(1..=1_000_000).contains(&gb) {
                    return Err(bad("data must be between 1 and 1000000 GB"));
                }
                let (pi, si) = self.sub_user(a, &id, Some(t))?;
                let p = &mut self.accounts[a].packages[pi];
                if adding {
                    if t != "unlimited" && p.owner_remain() < gb * GB {
                        return Err(bad(format!(
                            "Not enough traffic: {} GB left to share",
                            p.owner_remain() / GB
                        )));
                    }
                    p.subs[si].data += gb * GB;
                    Ok(msg("Traffic added to sub user successfully"))
                } else {
                    let s = &mut p.subs[si];
                    if s.data - s.spent < gb * GB {
                        return Err(bad(format!(
                            "Not enough traffic on the sub user: {} GB unspent",
                            (s.data - s.spent) / GB
                        )));
                    }
                    s.data -= gb * GB;
                    Ok(msg("Traffic subtracted from sub user successfully"))
                }
            }
            Op::RegenerateSubUserPassword(id) => {
                let t = proxy_type(&mut q)?;
                let (pi, si) = self.sub_user(a, &id, Some(t))?;
                self.accounts[a].packages[pi].subs[si].password = self.rng.token(16);
                Ok(msg("Sub user password changed successfully"))
            }
            Op::ListCountries => {
                proxy_type(&mut q)?;
                let list: Vec<Value> = COUNTRIES
                    .iter()
                    .map(|(c, n)| json!({"code": c, "name": n}))
                    .collect();
                Ok(Reply::json(
                    200,
                    &json!({"count": list.len(), "results": list}),
                ))
            }
            Op::ListRegions => {
                proxy_type(&mut q)?;
                let c = q.req_str("country_code");
                check!(q);
                let c = c.unwrap_or_default().to_lowercase();
                let list: Vec<Value> = REGIONS.iter().filter(|r| r.0 == c).map(|(cc, code, name)| json!({"code": code, "name": name, "country": country(cc)})).collect();
                Ok(Reply::json(
                    200,
                    &json!({"count": list.len(), "results": list}),
                ))
            }
            Op::ListCities => {
                proxy_type(&mut q)?;
                let c = q.req_str("country_code");
                let r = q.req_str("region_code");
                check!(q);
                let (c, r) = (
                    c.unwrap_or_default().to_lowercase(),
                    r.unwrap_or_default().to_lowercase(),
                );
                let list: Vec<Value> = CITIES.iter().filter(|x| x.0 == c && x.1 == r).map(|(cc, rc, code, name)| json!({"code": code, "name": name, "country": country(cc), "region": region(rc)})).collect();
                Ok(Reply::json(
                    200,
                    &json!({"count": list.len(), "results": list}),
                ))
            }
            Op::ListIsps => {
                let t = proxy_type(&mut q)?;
                if t != "premium" {
                    return Err(bad(
                        "ISP targeting is available for the premium package only",
                    ));
                }
                let c = q.req_str("country_code");
                let r = q.req_str("region_code");
                let city = q.req_str("city_code");
                check!(q);
                let has_premium = self.accounts[a]
                    .orders
                    .iter()
                    .any(|o| o.status == "active" && o.product().kind == Kind::Traffic("premium"));
                if !has_premium {
                    return Err(bad("No active order for the premium package"));
                }
                let (c, r, city) = (
                    c.unwrap_or_default().to_lowercase(),
                    r.unwrap_or_default().to_lowercase(),
                    city.unwrap_or_default().to_lowercase(),
                );
                let in_chain = CITIES.iter().any(|x| x.0 == c && x.1 == r && x.2 == city);
                let list: Vec<Value> = ISPS.iter().filter(|x| in_chain && x.0 == city).map(|(_, code, name, rc)| json!({"code": code, "name": name, "country": country(&c), "region": region(rc)})).collect();
                Ok(Reply::json(
                    200,
                    &json!({"count": list.len(), "results": list}),
                ))
            }
            Op::Health | Op::HealthLive => Ok(Reply::empty(200)),
        }
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

fn cycle_id(cycle: &str) -> u64 {
    match cycle {
        "monthly" => 1,
        "weekly" => 2,
        "day" => 3,
        "yearly" => 4,
        _ => 5,
    }
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

fn country(code: &str) -> Value {
    let name = COUNTRIES.iter().find(|c| c.0 == code).map_or(code, |c| c.1);
    json!({"code": code, "name": name})
}

fn region(code: &str) -> Value {
    let name = REGIONS.iter().find(|r| r.1 == code).map_or(code, |r| r.2);
    json!({"code": code, "name": name})
}

fn proxy_type(q: &mut Body) -> Result<&'static str, Fail> {
    match q.str("proxy_type").as_deref() {
        Some("standart") => Ok("standart"),
        Some("premium") => Ok("premium"),
        Some("unlimited") => Ok("unlimited"),
        Some(other) => Err(bad(format!(
            "Invalid proxy_type `{other}` (expected standart, premium or unlimited)"
        ))),
        None => Err(bad("Query deserialize error: missing field `proxy_type`")),
    }
}

fn promo_discount(code: &str, cycle: &str) -> Result<i64, Fail> {
    match PROMOS.iter().find(|p| p.0 == code) {
        None => Err(bad(format!("Invalid promo code `{code}`"))),
        Some((_, _, Some(only))) if *only != cycle => Err(bad(format!(
            "Promo code `{code}` is not valid for the {cycle} cycle"
        ))),
        Some((_, d, _)) => Ok(*d),
    }
}

fn addon_allowed(o: &Order, key: &str, qty: i64) -> Result<(), Fail> {
    if key != "p0f_slots" {
        return Err(bad(format!("Unknown add-on `{key}`")));
    }
    if !(1..=100_000).contains(&qty) {
        return Err(bad("add_qty must be between 1 and 100000"));
    }
    if o.product().kind == Kind::Dc && cycle_days(&o.cycle) < 30 {
        return Err(bad(
            "Datacenter p0f slots are only sold with rentals of a month or longer",
        ));
    }
    Ok(())
}

struct PurchaseRequest {
    product: &'static Product,
    cycle: String,
    quantity: i64,
    promo: Option<String>,
    auto_renewal: bool,
    addons: Vec<(String, i64)>,
}

struct Price {
    original: i64,
    final_: i64,
    discount: i64,
    addons: i64,
}

fn parse_addons(text: &str) -> Result<Vec<(String, i64)>, Fail> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => addon_items(
            items
                .into_iter()
                .map(|v| match v {
                    Value::Object(m) => Ok(m),
                    _ => Err(bad("addons_json: expected a list of objects")),
                })
                .collect::<Result<_, _>>()?,
        ),
        _ => Err(bad(
            "addons_json: expected a JSON list such as [{\"addon_key\":\"p0f_slots\",\"qty\":5}]",
        )),
    }
}

fn addon_items(list: Vec<Map<String, Value>>) -> Result<Vec<(String, i64)>, Fail> {
    list.into_iter()
        .map(|m| {
            match (
                m.get("addon_key").and_then(Value::as_str),
                m.get("qty").and_then(Value::as_i64),
            ) {
                (Some("p0f_slots"), Some(q)) if (1..=100_000).contains(&q) => {
                    Ok(("p0f_slots".to_string(), q))
                }
                (Some("p0f_slots"), Some(_)) => {
                    Err(bad("addons: qty must be between 1 and 100000"))
                }
                (Some(k), Some(_)) => Err(bad(format!("Unknown add-on `{k}`"))),
                _ => Err(bad(
                    "Json deserialize error: each add-on needs `addon_key` and `qty`",
                )),
            }
        })
        .collect()
}

/// Reads a purchase (or quote) by product variant.
fn purchase_request(
    b: &mut Body,
    addons: Option<Vec<(String, i64)>>,
) -> Result<PurchaseRequest, Fail> {
    let name = b.req_str("product");
    let location = b.str("location");
    let cycle = b.str("cycle");
    let quantity = b.int("quantity");
    let promo = b.str("promo_code");
    let auto_renewal = b.bool("auto_renewal").unwrap_or(false);
    if let Some(m) = b.first_error() {
        return Err(bad(m));
    }
    let name = name.unwrap_or_default();
    let candidates: Vec<&'static Product> = PRODUCTS.iter().filter(|p| p.name == name).collect();
    let Some(first) = candidates.first() else {
        return Err(bad(format!("Unknown product `{name}`")));
    };
    let kind = first.kind;
    let product = match kind {
        Kind::Dc | Kind::Isp | Kind::Mobile => {
            let Some(loc) = location.as_deref() else {
                return Err(bad(format!("location is required for {name}")));
            };
            *candidates
                .iter()
                .find(|p| p.location.is_some_and(|l| l.eq_ignore_ascii_case(loc)))
                .ok_or_else(|| bad(format!("Location `{loc}` is not available for {name}")))?
        }
        _ => *first,
    };
    let cycle = match kind {
        Kind::Traffic(_) => "lifetime".to_string(),
        _ => cycle.ok_or_else(|| bad(format!("cycle is required for {name}")))?,
    };
    if !product.cycles.contains(&cycle.as_str()) {
        return Err(bad(format!(
            "Invalid cycle `{cycle}` for {name} (cycles: {})",
            product.cycles.join(", ")
        )));
    }
    if BLOCKED_CYCLES.contains(&cycle.as_str()) {
        return Err(fail(
            403,
            format!("Cycle `{cycle}` is not available for this user"),
        ));
    }
    let quantity = if kind == Kind::Unmetered {
        1
    } else {
        quantity.unwrap_or(1)
    };
    if quantity < 1 {
        return Err(bad("quantity must be at least 1"));
    }
    if quantity > 10_000 {
        return Err(bad("quantity must be at most 10000"));
    }
    let addons = addons.unwrap_or_default();
    if !addons.is_empty() {
        if !matches!(kind, Kind::Dc | Kind::Isp) {
            return Err(bad(
                "Add-ons are available for Datacenter and ISP orders only",
            ));
        }
        if kind == Kind::Dc && cycle_days(&cycle) < 30 {
            return Err(bad(
                "Datacenter p0f slots are only sold with rentals of a month or longer",
            ));
        }
    }
    Ok(PurchaseRequest {
        product,
        cycle,
        quantity,
        promo,
        auto_renewal,
        addons,
    })
}
