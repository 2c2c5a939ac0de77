//! Proxy-Solutions v3 client API, emulated (paths after the `/api` prefix).
//!
//! Follows `shared/api/proxy-solutions.md`. What the vendor leaves open, the sandbox decides
//! as listed in the crate README ("What the sandbox had to guess"): the catalogue shape,
//! prices and exchange rates, error bodies (401/404 empty, 422 Laravel-style), the state of a
//! new order (`waiting`), balance payments without `url`, and payment links that point back
//! at the sandbox (`/__sandbox/pay/{id}`).

use serde_json::{json, Value};

use crate::input::{is_ip, Body, Style};
use crate::rng::Rng;
use crate::time::DAY;
use crate::{Cx, Reply};

/// The operations, with their path ids.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    ListOrders,
    CreateOrder,
    ChangeOrder(u64),
    ChargeOrder(u64),
    Perform(u64),
    ChargeBalance,
    ListMerchants,
    CalculatePrice(u64),
    ListServices,
    ListLocations(u64),
}

impl Op {
    /// The operationId.
    pub fn name(self) -> &'static str {
        match self {
            Op::ListOrders => "listOrders",
            Op::CreateOrder => "createOrder",
            Op::ChangeOrder(_) => "changeOrder",
            Op::ChargeOrder(_) => "chargeOrder",
            Op::Perform(_) => "performOrderOperation",
            Op::ChargeBalance => "chargeUserBalance",
            Op::ListMerchants => "listMerchants",
            Op::CalculatePrice(_) => "calculatePrice",
            Op::ListServices => "listServices",
            Op::ListLocations(_) => "listServiceLocations",
        }
    }
}

/// The operation of `method path` (path after `/api`).
pub fn route(method: &str, path: &str) -> Option<Op> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let id = |s: &str| s.parse::<u64>().ok().filter(|n| *n >= 1);
    Some(match (method, segs.as_slice()) {
        ("GET", ["user", "orders"]) => Op::ListOrders,
        ("POST", ["user", "orders"]) => Op::CreateOrder,
        ("POST", ["user", "orders", o]) => Op::ChangeOrder(id(o)?),
        ("POST", ["user", "orders", o, "charge"]) => Op::ChargeOrder(id(o)?),
        ("POST", ["user", "orders", o, "perform"]) => Op::Perform(id(o)?),
        ("POST", ["user", "balance", "charge"]) => Op::ChargeBalance,
        ("GET", ["merchants"]) => Op::ListMerchants,
        ("POST", ["services", s, "price"]) => Op::CalculatePrice(id(s)?),
        ("GET", ["services"]) => Op::ListServices,
        ("GET", ["services", s, "locations"]) => Op::ListLocations(id(s)?),
        _ => return None,
    })
}

/// One account's settings.
#[derive(Clone, Debug)]
pub struct AccountSettings {
    /// Its API key (sent as `X-API-KEY`).
    pub api_key: String,
    /// API balance in US cents.
    pub balance_cents: i64,
}

/// Proxy-Solutions settings: `{accounts: [{apiKey, balance}]}` (balance in USD).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The accounts (default: one, key `sandbox-ps-key`, $100).
    pub accounts: Vec<AccountSettings>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            accounts: vec![AccountSettings {
                api_key: "sandbox-ps-key".into(),
                balance_cents: 10_000,
            }],
        }
    }
}

impl Settings {
    pub(crate) fn from_json(v: &Value) -> Result<Settings, String> {
        let blank = AccountSettings {
            api_key: String::new(),
            balance_cents: 10_000,
        };
        let accounts = crate::input::accounts(
            v,
            "proxySolutions",
            blank,
            |a, k| a.api_key = k,
            |a, key, v| {
                if key != "balance" {
                    return Ok(false);
                }
                a.balance_cents = v
                    .as_f64()
                    .filter(|b| (0.0..=1e9).contains(b))
                    .map(|b| (b * 100.0).round() as i64)
                    .ok_or("expected USD 0..=1e9")?;
                Ok(true)
            },
        )?;
        Ok(Settings {
            accounts: accounts.unwrap_or_else(|| Settings::default().accounts),
        })
    }
}

// ------------------------------------------------------------------------- catalogue

struct Svc {
    id: u64,
    name: &'static str,
    provider: &'static str,
    kind: &'static str,
    /// US cents per IP per 30 days; per channel per day for mobile kinds.
    unit_cents: i64,
    locations: &'static [u64],
    operators: &'static [u64],
    cap: Option<i64>,
    packets: Option<&'static [i64]>,
}

impl Svc {
    fn mobile(&self) -> bool {
        self.kind.starts_with("mobile")
    }
    fn periods(&self) -> &'static [i64] {
        if self.mobile() {
            &[1, 7, 30, 90, 365]
        } else {
            &[30, 60, 90, 180, 365]
        }
    }
    fn cost_cents(&self, quantity: i64, period: i64) -> i64 {
        if self.mobile() {
            self.unit_cents * quantity * period
        } else {
            (self.unit_cents * quantity * period + 15) / 30
        }
    }
    fn json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "provider": self.provider,
            "name": self.name,
            "type": self.kind,
            "periods": self.periods(),
        });
        if let Some(cap) = self.cap {
            v["max_quantity"] = json!(cap);
        }
        if let Some(p) = self.packets {
            v["packets"] = json!(p);
        }
        v
    }
}

const SERVICES: &[Svc] = &[
    Svc {
        id: 1,
        name: "Individual proxies",
        provider: "server-proxies",
        kind: "individual",
        unit_cents: 120,
        locations: &[1, 2, 3],
        operators: &[],
        cap: Some(500),
        packets: None,
    },
    Svc {
        id: 2,
        name: "Prime proxies",
        provider: "server-proxies",
        kind: "prime",
        unit_cents: 150,
        locations: &[1, 2],
        operators: &[],
        cap: Some(100),
        packets: None,
    },
    Svc {
        id: 4,
        name: "City proxies",
        provider: "server-proxies",
        kind: "city",
        unit_cents: 181,
        locations: &[24, 25, 8],
        operators: &[],
        cap: Some(50),
        packets: None,
    },
    Svc {
        id: 5,
        name: "Batch proxies",
        provider: "server-proxies",
        kind: "batch",
        unit_cents: 90,
        locations: &[1, 2],
        operators: &[],
        cap: None,
        packets: Some(&[10, 25, 50, 100]),
    },
    Svc {
        id: 7,
        name: "Mobile proxies",
        provider: "mobile",
        kind: "mobile",
        unit_cents: 12,
        locations: &[30, 31],
        operators: &[37, 38, 39],
        cap: None,
        packets: None,
    },
    Svc {
        id: 9,
        name: "Mobile proxies plus",
        provider: "mobile",
        kind: "mobile_plus",
        unit_cents: 20,
        locations: &[30, 31],
        operators: &[37, 38, 39],
        cap: None,
        packets: None,
    },
];

const LOCATIONS: &[(u64, &str, &str, &str)] = &[
    (1, "country", "USA", "USA"),
    (2, "country", "Germany", "Germany"),
    (3, "country", "Netherlands", "Netherlands"),
    (8, "city", "Kyiv", "Ukraine"),
    (24, "city", "New York", "USA"),
    (25, "city", "London", "United Kingdom"),
    (30, "country", "Ukraine", "Ukraine"),
    (31, "country", "Poland", "Poland"),
];

const OPERATORS: &[(u64, &str)] = &[(37, "Orange"), (38, "Kyivstar"), (39, "Vodafone")];

const MERCHANTS: &[(&str, &str, &[&str])] = &[
    ("interkassa", "Interkassa", &["UAH", "USD", "EUR"]),
    ("freekassa", "FreeKassa", &["RUB", "USD"]),
    ("cryptomus", "Cryptomus", &["USD", "EUR"]),
    ("balance", "API balance", &["USD"]),
];

/// Payer currencies per US dollar.
const RATES: &[(&str, f64)] = &[
    ("USD", 1.0),
    ("EUR", 0.92),
    ("RUB", 92.5),
    ("UAH", 41.3),
    ("KZT", 478.0),
];

const PROMOCODES: &[(&str, i64)] = &[("PSPromo", 10), ("vk-top10", 10), ("WELCOME5", 5)];

const LANGS: &[&str] = &["EN", "RU", "UA"];

const OPERATIONS: &[&str] = &[
    "channels-change-ip",
    "channels-reset",
    "channels-set-autoreset",
    "channels-relocate",
];

fn service(id: u64) -> Option<&'static Svc> {
    SERVICES.iter().find(|s| s.id == id)
}

fn location_json(id: u64) -> Value {
    match LOCATIONS.iter().find(|l| l.0 == id) {
        Some((id, kind, name, country)) => {
            json!({"id": id, "type": kind, "name": name, "country_name": country})
        }
        None => json!({"id": id}),
    }
}

fn rate(currency: &str) -> Option<f64> {
    RATES.iter().find(|r| r.0 == currency).map(|r| r.1)
}

fn money(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn usd(cents: i64) -> f64 {
    cents as f64 / 100.0
}

// ------------------------------------------------------------------------- state

#[derive(Clone, Debug)]
struct Order {
    id: u64,
    status: &'static str,
    service_id: u64,
    location_id: u64,
    operator_id: Option<u64>,
    period: i64,
    quantity: i64,
    multiport: bool,
    auto_continuation: bool,
    access: Option<Access>,
    proxies: Vec<String>,
    expires_at: Option<i64>,
    autoreset: i64,
}

#[derive(Clone, Debug)]
struct Access {
    port: i64,
    login: String,
    password: String,
    ip_list: Vec<String>,
}

struct Account {
    key: String,
    balance_cents: i64,
    orders: Vec<Order>,
}

enum PaymentFor {
    Order {
        account: usize,
        order_id: u64,
        period: i64,
    },
    TopUp {
        account: usize,
        cents: i64,
    },
}

struct Payment {
    id: String,
    what: PaymentFor,
    paid: bool,
}

/// Every Proxy-Solutions account, order and pending payment.
pub struct State {
    accounts: Vec<Account>,
    next_order: u64,
    payments: Vec<Payment>,
    rng: Rng,
}

impl State {
    pub(crate) fn new(settings: &Settings, rng: &mut Rng, now: i64) -> State {
        let mut st = State {
            accounts: settings
                .accounts
                .iter()
                .map(|a| Account {
                    key: a.api_key.clone(),
                    balance_cents: a.balance_cents,
                    orders: Vec::new(),
                })
                .collect(),
            next_order: 10_000,
            payments: Vec::new(),
            rng: Rng::new(rng.next_u64()),
        };
        // Every account starts with one active order of two city proxies, so an order list
        // and its access data are there to look at before anything is bought.
        for a in 0..st.accounts.len() {
            let id = st.new_order(a, 4, 24, None, 2, 30, false);
            st.activate(a, id, 30, now);
        }
        st
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.accounts.iter().map(|a| a.key.clone()).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn new_order(
        &mut self,
        account: usize,
        service_id: u64,
        location_id: u64,
        operator_id: Option<u64>,
        quantity: i64,
        period: i64,
        multiport: bool,
    ) -> u64 {
        let id = self.next_order;
        self.next_order += 1;
        self.accounts[account].orders.push(Order {
            id,
            status: "waiting",
            service_id,
            location_id,
            operator_id,
            period,
            quantity,
            multiport,
            auto_continuation: false,
            access: None,
            proxies: Vec::new(),
            expires_at: None,
            autoreset: 0,
        });
        id
    }

    /// An order of this account, with its service.
    fn order_with_service(
        &mut self,
        account: usize,
        id: u64,
    ) -> Option<(&mut Order, &'static Svc)> {
        let o = self.accounts[account]
            .orders
            .iter_mut()
            .find(|o| o.id == id)?;
        let svc = service(o.service_id)?;
        Some((o, svc))
    }

    /// Pays `period` days of an order: activates it (allocating IPs and access data the
    /// first time) or extends an active one.
    fn activate(&mut self, account: usize, id: u64, period: i64, now: i64) {
        let rng = &mut self.rng;
        let Some(o) = self.accounts[account]
            .orders
            .iter_mut()
            .find(|o| o.id == id)
        else {
            return;
        };
        match (o.status, o.expires_at) {
            ("active", Some(exp)) => o.expires_at = Some(exp + period * DAY),
            _ => {
                o.status = "active";
                o.expires_at = Some(now + period * DAY);
            }
        }
        while (o.proxies.len() as i64) < o.quantity {
            o.proxies.push(rng.ip());
        }
        if o.access.is_none() {
            o.access = Some(Access {
                port: 8000,
                login: format!("ps{}", o.id),
                password: rng.token(12),
                ip_list: Vec::new(),
            });
        }
    }

    /// Runs the clock to `target`: an active order whose period ends drops into `waiting`
    /// (auto-continuation cannot be switched on through the API, so it never renews here).
    pub(crate) fn advance(&mut self, target: i64) {
        for a in &mut self.accounts {
            for o in &mut a.orders {
                if o.status == "active" && o.expires_at.is_some_and(|e| e <= target) {
                    if o.auto_continuation {
                        let svc = service(o.service_id);
                        let cost = svc.map_or(0, |s| s.cost_cents(o.quantity, o.period));
                        while o.expires_at.is_some_and(|e| e <= target) && a.balance_cents >= cost {
                            a.balance_cents -= cost;
                            o.expires_at = o.expires_at.map(|e| e + o.period * DAY);
                        }
                    }
                    if o.expires_at.is_some_and(|e| e <= target) {
                        o.status = "waiting";
                    }
                }
            }
        }
    }

    pub(crate) fn complete_payment(&mut self, id: &str, now: i64) -> Result<Value, String> {
        let i = self
            .payments
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| format!("no payment {id}"))?;
        if self.payments[i].paid {
            return Ok(json!({"paid": true, "already": true}));
        }
        self.payments[i].paid = true;
        match self.payments[i].what {
            PaymentFor::Order {
                account,
                order_id,
                period,
            } => {
                self.activate(account, order_id, period, now);
                Ok(json!({"paid": true, "order_id": order_id}))
            }
            PaymentFor::TopUp { account, cents } => {
                self.accounts[account].balance_cents += cents;
                Ok(json!({"paid": true, "balance": usd(self.accounts[account].balance_cents)}))
            }
        }
    }

    fn order_json(&self, o: &Order, currency: &str) -> Value {
        let svc = service(o.service_id);
        let cost = svc.map_or(0, |s| s.cost_cents(o.quantity, o.period));
        let minimal = svc.map_or(0, |s| s.cost_cents(o.quantity, s.periods()[0]));
        let mut v = json!({
            "id": o.id,
            "status": o.status,
            "service": svc.map_or(json!({"id": o.service_id}), |s| json!({"id": s.id, "provider": s.provider, "name": s.name})),
            "location": location_json(o.location_id),
            "period": o.period,
            "quantity": o.quantity,
            "minimal_payment": usd(minimal),
            "amount": usd(cost),
            "converted_amount": money(usd(cost) * rate(currency).unwrap_or(1.0)),
            "auto_continuation": o.auto_continuation,
            "allowed_operations": allowed_operations(o),
            "resources_allocated": o.access.is_some(),
        });
        if let Some((id, name)) = o
            .operator_id
            .and_then(|id| OPERATORS.iter().find(|x| x.0 == id))
        {
            v["operator"] = json!({"id": id, "name": name});
        }
        if let Some(a) = &o.access {
            v["access"] = json!({"port": a.port, "login": a.login, "password": a.password, "ip_list": a.ip_list});
            v["proxies"] = Value::Array(o.proxies.iter().map(|ip| json!({"ip": ip})).collect());
        }
        v
    }

    // --------------------------------------------------------------------- handlers

    pub(crate) fn handle(&mut self, op: Op, cx: &mut Cx<'_>) -> Reply {
        let key = cx.request.header_value("x-api-key").map(str::to_string);
        let account = key
            .as_deref()
            .and_then(|k| self.accounts.iter().position(|a| a.key == k));
        let needs_key = !matches!(
            op,
            Op::ListMerchants
                | Op::CalculatePrice(_)
                | Op::ListServices
                | Op::ListLocations(_)
                | Op::ChargeOrder(_)
        );
        if needs_key && account.is_none() {
            return Reply::empty(401);
        }
        if matches!(op, Op::ChargeOrder(_)) && key.is_some() && account.is_none() {
            return Reply::empty(401);
        }
        let mut q = Body::from_query(&cx.query);
        let lang = q.str("lang").unwrap_or_else(|| "EN".into());
        if !LANGS.contains(&lang.as_str()) {
            q.fail("lang", "The selected lang is invalid.");
        }
        let currency = q.str("currency").unwrap_or_else(|| "USD".into());
        if rate(&currency).is_none() {
            q.fail("currency", "The selected currency is invalid.");
        }
        if !q.errors.is_empty() {
            return invalid(q.errors);
        }
        let mut b = match Body::parse(cx.body, Style::Laravel) {
            Ok(b) => b,
            Err(_) => return invalid(vec![("body".into(), "The body must be JSON.".into())]),
        };
        match op {
            Op::ListMerchants => Reply::json(
                200,
                &json!({"merchants": MERCHANTS.iter().map(|(c, n, cur)| json!({"code": c, "name": n, "currencies": cur})).collect::<Vec<_>>()}),
            ),
            Op::ListServices => Reply::json(
                200,
                &json!({"services": SERVICES.iter().map(Svc::json).collect::<Vec<_>>()}),
            ),
            Op::ListLocations(id) => match service(id) {
                None => Reply::empty(404),
                Some(s) => Reply::json(
                    200,
                    &json!({"locations": s.locations.iter().map(|l| location_json(*l)).collect::<Vec<_>>()}),
                ),
            },
            Op::CalculatePrice(id) => {
                let Some(svc) = service(id) else {
                    return Reply::empty(404);
                };
                if let Some(l) = b.int("location_id") {
                    if !svc.locations.contains(&(l as u64)) {
                        b.fail("location_id", "The selected location id is invalid.");
                    }
                }
                let (quantity, period) = order_size(&mut b, svc);
                b.bool("multiport");
                let discount = promocode(&mut b);
                let merchant = b.str("merchant");
                let payer_currency = b.str("currency").unwrap_or_else(|| "USD".into());
                check_merchant(&mut b, merchant.as_deref(), &payer_currency, false);
                if !b.errors.is_empty() {
                    return invalid(b.errors);
                }
                let amount = usd(svc.cost_cents(quantity, period));
                let converted = money(amount * rate(&payer_currency).unwrap_or(1.0));
                let mut v = json!({
                    "lang": lang,
                    "discount": discount,
                    "amount": amount,
                    "converted_amount": converted,
                    "payer_amount": money(converted * (100 - discount) as f64 / 100.0),
                    "payer_currency": payer_currency,
                });
                if let Some(m) = merchant {
                    v["merchant"] = json!(m);
                }
                Reply::json(200, &v)
            }
            Op::ListOrders => {
                let a = account.unwrap_or(0);
                let orders: Vec<Value> = self.accounts[a]
                    .orders
                    .iter()
                    .map(|o| self.order_json(o, &currency))
                    .collect();
                Reply::json(
                    200,
                    &json!({"lang": lang, "currency": currency, "orders": orders}),
                )
            }
            Op::CreateOrder => {
                let a = account.unwrap_or(0);
                let svc = match b.req_int("service_id") {
                    Some(id) => match service(id as u64) {
                        Some(s) => Some(s),
                        None => {
                            b.fail("service_id", "The selected service id is invalid.");
                            None
                        }
                    },
                    None => None,
                };
                let location = b.req_int("location_id");
                let Some(svc) = svc else {
                    return invalid(b.errors);
                };
                if let Some(l) = location {
                    if !svc.locations.contains(&(l as u64)) {
                        b.fail("location_id", "The selected location id is invalid.");
                    }
                }
                let (quantity, period) = order_size(&mut b, svc);
                let multiport = b.bool("multiport").unwrap_or(true);
                if !b.errors.is_empty() {
                    return invalid(b.errors);
                }
                let operator = if svc.mobile() {
                    let i = self.rng.below(svc.operators.len() as u64) as usize;
                    svc.operators.get(i).copied()
                } else {
                    None
                };
                let id = self.new_order(
                    a,
                    svc.id,
                    location.unwrap_or(0) as u64,
                    operator,
                    quantity,
                    period,
                    multiport && svc.mobile(),
                );
                let o = self.accounts[a].orders.iter().find(|o| o.id == id);
                let orders: Vec<Value> = o
                    .map(|o| self.order_json(o, &currency))
                    .into_iter()
                    .collect();
                Reply::json(
                    200,
                    &json!({"lang": lang, "currency": currency, "orders": orders}),
                )
            }
            Op::ChangeOrder(id) => {
                let mut rng = Rng::new(self.rng.next_u64());
                let Some((o, svc)) = self.order_with_service(account.unwrap_or(0), id) else {
                    return Reply::empty(404);
                };
                let quantity = b.int("quantity");
                let remove = b.str_list("remove_proxies");
                let port = b.int("port");
                let login = b.str("login");
                let password = b.str("password");
                let gen_password = b.bool("gen_password").unwrap_or(false);
                let ip_auth = match b.raw("ip_auth") {
                    Some(Value::String(s)) if s == "clear" => Some(Vec::new()),
                    Some(_) => b.str_list("ip_auth"),
                    None => None,
                };
                if let Some(p) = port {
                    if !(1..=65535).contains(&p) {
                        b.fail("port", "The port must be between 1 and 65535.");
                    }
                }
                if login
                    .as_deref()
                    .is_some_and(|l| l.is_empty() || l.len() > 64)
                {
                    b.fail("login", "The login must be between 1 and 64 characters.");
                }
                if password
                    .as_deref()
                    .is_some_and(|p| p.is_empty() || p.len() > 64)
                {
                    b.fail(
                        "password",
                        "The password must be between 1 and 64 characters.",
                    );
                }
                for (i, ip) in ip_auth.iter().flatten().enumerate() {
                    if !is_ip(ip) {
                        b.fail(
                            &format!("ip_auth.{i}"),
                            format!("The ip_auth.{i} must be a valid IP address."),
                        );
                    }
                }
                let resizing = quantity.is_some() || remove.is_some();
                if resizing && o.status == "active" {
                    b.fail(
                        "quantity",
                        "Only access data can be changed on an active order.",
                    );
                }
                if remove.is_some() && svc.mobile() {
                    b.fail(
                        "remove_proxies",
                        "Mobile orders are resized by quantity only.",
                    );
                }
                for (i, ip) in remove.iter().flatten().enumerate() {
                    if !o.proxies.contains(ip) {
                        b.fail(
                            &format!("remove_proxies.{i}"),
                            format!("The selected remove_proxies.{i} is invalid."),
                        );
                    }
                }
                let new_quantity =
                    quantity.unwrap_or(o.quantity - remove.as_ref().map_or(0, |r| r.len() as i64));
                if resizing {
                    if new_quantity < 1 {
                        b.fail("quantity", "The quantity must be at least 1.");
                    } else if new_quantity > 100_000 {
                        b.fail("quantity", "The quantity may not be greater than 100000.");
                    } else if let Some(cap) = svc.cap.filter(|c| new_quantity > *c) {
                        b.fail(
                            "quantity",
                            format!("The quantity may not be greater than {cap}."),
                        );
                    } else if let Some(p) = svc.packets.filter(|p| !p.contains(&new_quantity)) {
                        b.fail(
                            "quantity",
                            format!("The selected quantity is invalid (packets: {p:?})."),
                        );
                    }
                }
                if !b.errors.is_empty() {
                    return invalid(b.errors);
                }
                if resizing {
                    if let Some(r) = &remove {
                        o.proxies.retain(|ip| !r.contains(ip));
                    }
                    o.quantity = new_quantity;
                    o.proxies.truncate(new_quantity as usize);
                    if o.access.is_some() {
                        while (o.proxies.len() as i64) < o.quantity {
                            o.proxies.push(rng.ip());
                        }
                    }
                }
                if let Some(acc) = &mut o.access {
                    if let Some(p) = port {
                        acc.port = p;
                    }
                    if let Some(l) = login {
                        acc.login = l;
                    }
                    if gen_password {
                        acc.password = rng.token(12);
                    } else if let Some(p) = password {
                        acc.password = p;
                    }
                    if let Some(list) = ip_auth {
                        acc.ip_list = list;
                    }
                }
                let o = o.clone();
                Reply::json(
                    200,
                    &json!({"currency": currency, "order": self.order_json(&o, &currency)}),
                )
            }
            Op::ChargeOrder(id) => {
                let found = match account {
                    Some(a) => self.accounts[a]
                        .orders
                        .iter()
                        .find(|o| o.id == id)
                        .map(|o| (a, o.clone())),
                    None => self.accounts.iter().enumerate().find_map(|(a, acc)| {
                        acc.orders
                            .iter()
                            .find(|o| o.id == id)
                            .map(|o| (a, o.clone()))
                    }),
                };
                let merchant = b.req_str("merchant");
                if merchant.as_deref() == Some("balance") && account.is_none() {
                    return Reply::empty(401);
                }
                let Some((a, order)) = found else {
                    return Reply::empty(404);
                };
                let svc = service(order.service_id);
                let payer_currency = b.req_str("currency");
                let period = b.int("period");
                if let (Some(p), Some(s)) = (period, svc) {
                    if !s.periods().contains(&p) {
                        b.fail("period", "The selected period is invalid.");
                    }
                }
                let discount = promocode(&mut b);
                if let Some(c) = &payer_currency {
                    check_merchant(&mut b, merchant.as_deref(), c, true);
                }
                if !b.errors.is_empty() {
                    return invalid(b.errors);
                }
                let (Some(merchant), Some(payer_currency)) = (merchant, payer_currency) else {
                    return invalid(b.errors);
                };
                let period = period.unwrap_or(order.period);
                let cents = svc.map_or(0, |s| s.cost_cents(order.quantity, period));
                let due_cents = (cents * (100 - discount) + 50) / 100;
                let payer_amount = money(usd(due_cents) * rate(&payer_currency).unwrap_or(1.0));
                if merchant == "balance" {
                    if self.accounts[a].balance_cents < due_cents {
                        return invalid(vec![(
                            "merchant".into(),
                            "Insufficient funds on the API balance.".into(),
                        )]);
                    }
                    self.accounts[a].balance_cents -= due_cents;
                    self.activate(a, id, period, cx.now);
                    return Reply::json(
                        200,
                        &json!({"payment": {"discount": discount, "merchant": "balance", "payer_currency": payer_currency, "payer_amount": payer_amount}}),
                    );
                }
                let pid = self.rng.token(16);
                let url = format!("{}/__sandbox/pay/{pid}", cx.origin);
                self.payments.push(Payment {
                    id: pid,
                    what: PaymentFor::Order {
                        account: a,
                        order_id: id,
                        period,
                    },
                    paid: false,
                });
                Reply::json(
                    200,
                    &json!({"payment": {"discount": discount, "merchant": merchant, "payer_currency": payer_currency, "payer_amount": payer_amount, "url": url}}),
                )
            }
            Op::Perform(id) => {
                let mut rng = Rng::new(self.rng.next_u64());
                let Some((o, svc)) = self.order_with_service(account.unwrap_or(0), id) else {
                    return Reply::empty(404);
                };
                let operation = b.req_str("operation");
                b.int_list("channels");
                let location = b.int("location_id");
                let operator = b.int("operator_id");
                let interval = b.int("interval");
                if let Some(op) = &operation {
                    if !OPERATIONS.contains(&op.as_str()) {
                        b.fail("operation", "The selected operation is invalid.");
                    } else if !allowed_operations(o).contains(&op.as_str()) {
                        b.fail("operation", "The operation is not allowed for this order.");
                    }
                }
                if interval.is_some_and(|i| i != 0 && i < 60) {
                    b.fail("interval", "The interval must be at least 60.");
                }
                if let Some(l) = location {
                    if svc.kind != "mobile_plus" || !o.multiport {
                        b.fail("location_id", "Relocation to another location needs a Mobile proxies plus order with multiport.");
                    } else if !svc.locations.contains(&(l as u64)) {
                        b.fail("location_id", "The selected location id is invalid.");
                    }
                }
                if let Some(op) = operator {
                    if !o.multiport {
                        b.fail(
                            "operator_id",
                            "Changing the operator needs a multiport order.",
                        );
                    } else if !svc.operators.contains(&(op as u64)) {
                        b.fail("operator_id", "The selected operator id is invalid.");
                    }
                }
                if !b.errors.is_empty() {
                    return invalid(b.errors);
                }
                match operation.as_deref() {
                    Some("channels-change-ip") => {
                        for ip in &mut o.proxies {
                            *ip = rng.ip();
                        }
                    }
                    Some("channels-set-autoreset") => o.autoreset = interval.unwrap_or(0),
                    Some("channels-relocate") => {
                        if let Some(l) = location {
                            o.location_id = l as u64;
                        }
                        if let Some(op) = operator {
                            o.operator_id = Some(op as u64);
                        }
                        for ip in &mut o.proxies {
                            *ip = rng.ip();
                        }
                    }
                    _ => {}
                }
                let o = o.clone();
                Reply::json(
                    200,
                    &json!({"operation_status": "complete", "order": self.order_json(&o, &currency)}),
                )
            }
            Op::ChargeBalance => {
                let a = account.unwrap_or(0);
                let merchant = b.req_str("merchant");
                let payer_currency = b.req_str("currency");
                let amount = b.num("amount");
                let payer_amount = b.num("payer_amount");
                if merchant.as_deref() == Some("balance") {
                    b.fail(
                        "merchant",
                        "The API balance cannot be topped up from itself.",
                    );
                } else if let Some(c) = &payer_currency {
                    check_merchant(&mut b, merchant.as_deref(), c, true);
                }
                match (amount, payer_amount) {
                    (None, None) if !b.errors.iter().any(|e| e.0 == "amount") => b.fail(
                        "amount",
                        "The amount field is required when payer amount is not present.",
                    ),
                    (Some(x), _) if x < 0.1 => b.fail("amount", "The amount must be at least 0.1."),
                    (None, Some(x)) if x < 0.1 => {
                        b.fail("payer_amount", "The payer amount must be at least 0.1.")
                    }
                    _ => {}
                }
                if !b.errors.is_empty() {
                    return invalid(b.errors);
                }
                let (Some(merchant), Some(payer_currency)) = (merchant, payer_currency) else {
                    return invalid(b.errors);
                };
                let r = rate(&payer_currency).unwrap_or(1.0);
                let (cents, payer) = match amount {
                    Some(x) => ((x * 100.0).round() as i64, money(x * r)),
                    None => {
                        let p = payer_amount.unwrap_or(0.0);
                        ((p / r * 100.0).round() as i64, money(p))
                    }
                };
                let pid = self.rng.token(16);
                let url = format!("{}/__sandbox/pay/{pid}", cx.origin);
                self.payments.push(Payment {
                    id: pid,
                    what: PaymentFor::TopUp { account: a, cents },
                    paid: false,
                });
                Reply::json(
                    200,
                    &json!({"payment": {"discount": 0, "merchant": merchant, "payer_currency": payer_currency, "payer_amount": payer, "url": url}}),
                )
            }
        }
    }
}

fn allowed_operations(o: &Order) -> Vec<&'static str> {
    let Some(svc) = service(o.service_id) else {
        return Vec::new();
    };
    if !svc.mobile() || o.status != "active" {
        return Vec::new();
    }
    let mut ops = vec![
        "channels-change-ip",
        "channels-reset",
        "channels-set-autoreset",
    ];
    if o.multiport {
        ops.push("channels-relocate");
    }
    ops
}

/// Reads and checks `quantity` (default 1) and `period` (default 30) for a service.
fn order_size(b: &mut Body, svc: &Svc) -> (i64, i64) {
    let quantity = b.int("quantity").unwrap_or(1);
    let period = b.int("period").unwrap_or(30);
    if quantity < 1 {
        b.fail("quantity", "The quantity must be at least 1.");
    } else if let Some(cap) = svc.cap.filter(|c| quantity > *c) {
        b.fail(
            "quantity",
            format!("The quantity may not be greater than {cap}."),
        );
    } else if let Some(p) = svc.packets.filter(|p| !p.contains(&quantity)) {
        b.fail(
            "quantity",
            format!("The selected quantity is invalid (packets: {p:?})."),
        );
    } else if quantity > 100_000 {
        b.fail("quantity", "The quantity may not be greater than 100000.");
    }
    if !svc.periods().contains(&period) {
        b.fail("period", "The selected period is invalid.");
    }
    (quantity, period)
}

/// The discount of the body's `promocode` (0 without one).
fn promocode(b: &mut Body) -> i64 {
    match b.str("promocode") {
        None => 0,
        Some(code) => match PROMOCODES.iter().find(|p| p.0 == code) {
            Some(p) => p.1,
            None => {
                b.fail("promocode", "The selected promocode is invalid.");
                0
            }
        },
    }
}

fn check_merchant(b: &mut Body, merchant: Option<&str>, currency: &str, required: bool) {
    if rate(currency).is_none() {
        b.fail("currency", "The selected currency is invalid.");
        return;
    }
    match merchant {
        None if required => {}
        None => {}
        Some(m) => match MERCHANTS.iter().find(|x| x.0 == m) {
            None => b.fail("merchant", "The selected merchant is invalid."),
            Some((_, _, currencies)) if !currencies.contains(&currency) => b.fail(
                "currency",
                format!("The merchant {m} does not accept {currency}."),
            ),
            _ => {}
        },
    }
}

/// A Laravel-style 422.
fn invalid(errors: Vec<(String, String)>) -> Reply {
    let mut map = serde_json::Map::new();
    for (field, msg) in &errors {
        let list = map
            .entry(field.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = list {
            a.push(json!(msg));
        }
    }
    let first = errors
        .first()
        .map_or("The given data was invalid.".to_string(), |e| e.1.clone());
    let message = match errors.len() {
        0 | 1 => first,
        n => format!(
            "{first} (and {} more error{})",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    };
    Reply::json(422, &json!({"message": message, "errors": map}))
}
