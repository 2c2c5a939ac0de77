//! The Proxy-Solutions catalogue the sandbox sells from: tariffs with their locations and
//! operators, merchants, exchange rates, promocodes, languages and mobile operations. The
//! vendor documents none of the prices or rates; they are the sandbox's own (see the crate
//! README).

use serde_json::{json, Value};

pub(super) struct Svc {
    pub id: u64,
    pub name: &'static str,
    pub provider: &'static str,
    pub kind: &'static str,
    /// US cents per IP per 30 days; per channel per day for mobile kinds.
    pub unit_cents: i64,
    pub locations: &'static [u64],
    pub operators: &'static [u64],
    pub cap: Option<i64>,
    pub packets: Option<&'static [i64]>,
}

impl Svc {
    pub(super) fn mobile(&self) -> bool {
        self.kind.starts_with("mobile")
    }
    pub(super) fn periods(&self) -> &'static [i64] {
        if self.mobile() {
            &[1, 7, 30, 90, 365]
        } else {
            &[30, 60, 90, 180, 365]
        }
    }
    pub(super) fn cost_cents(&self, quantity: i64, period: i64) -> i64 {
        if self.mobile() {
            self.unit_cents * quantity * period
        } else {
            (self.unit_cents * quantity * period + 15) / 30
        }
    }
    pub(super) fn json(&self) -> Value {
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

pub(super) const SERVICES: &[Svc] = &[
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

pub(super) const LOCATIONS: &[(u64, &str, &str, &str)] = &[
    (1, "country", "USA", "USA"),
    (2, "country", "Germany", "Germany"),
    (3, "country", "Netherlands", "Netherlands"),
    (8, "city", "Kyiv", "Ukraine"),
    (24, "city", "New York", "USA"),
    (25, "city", "London", "United Kingdom"),
    (30, "country", "Ukraine", "Ukraine"),
    (31, "country", "Poland", "Poland"),
];

pub(super) const OPERATORS: &[(u64, &str)] = &[(37, "Orange"), (38, "Kyivstar"), (39, "Vodafone")];

pub(super) const MERCHANTS: &[(&str, &str, &[&str])] = &[
    ("interkassa", "Interkassa", &["UAH", "USD", "EUR"]),
    ("freekassa", "FreeKassa", &["RUB", "USD"]),
    ("cryptomus", "Cryptomus", &["USD", "EUR"]),
    ("balance", "API balance", &["USD"]),
];

/// Payer currencies per US dollar.
pub(super) const RATES: &[(&str, f64)] = &[
    ("USD", 1.0),
    ("EUR", 0.92),
    ("RUB", 92.5),
    ("UAH", 41.3),
    ("KZT", 478.0),
];

pub(super) const PROMOCODES: &[(&str, i64)] = &[("PSPromo", 10), ("vk-top10", 10), ("WELCOME5", 5)];

pub(super) const LANGS: &[&str] = &["EN", "RU", "UA"];

pub(super) const OPERATIONS: &[&str] = &[
    "channels-change-ip",
    "channels-reset",
    "channels-set-autoreset",
    "channels-relocate",
];

pub(super) fn service(id: u64) -> Option<&'static Svc> {
    SERVICES.iter().find(|s| s.id == id)
}

pub(super) fn location_json(id: u64) -> Value {
    match LOCATIONS.iter().find(|l| l.0 == id) {
        Some((id, kind, name, country)) => {
            json!({"id": id, "type": kind, "name": name, "country_name": country})
        }
        None => json!({"id": id}),
    }
}

pub(super) fn rate(currency: &str) -> Option<f64> {
    RATES.iter().find(|r| r.0 == currency).map(|r| r.1)
}

pub(super) fn money(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(super) fn usd(cents: i64) -> f64 {
    cents as f64 / 100.0
}
