//! The ProxyShard catalogue the sandbox sells from: products and their cycles, prices in
//! cents, promo codes and p0f signatures. The products are the vendor's documented names;
//! prices and codes are the sandbox's own (see the crate README).

use super::{bad, Fail};

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Kind {
    Dc,
    Isp,
    /// Standard / premium residential (traffic, lifetime cycle); the `proxy_type`.
    Traffic(&'static str),
    Unmetered,
    Mobile,
}

pub(super) struct Product {
    pub id: u64,
    pub name: &'static str,
    pub description: Option<&'static str>,
    pub location: Option<&'static str>,
    pub cycles: &'static [&'static str],
    pub kind: Kind,
}

pub(super) const PRODUCTS: &[Product] = &[
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
pub(super) const BLOCKED_CYCLES: &[&str] = &["yearly"];

const PROMOS: &[(&str, i64, Option<&str>)] =
    &[("SAVE10", 10, None), ("MONTHLY15", 15, Some("monthly"))];

pub(super) const SIGNATURES: &[&str] = &["ios", "macos", "android", "linux", "win10", "win11"];

pub(super) const GB: i64 = 1 << 30;

pub(super) fn cycle_days(cycle: &str) -> i64 {
    match cycle {
        "day" => 1,
        "weekly" => 7,
        "monthly" => 30,
        "yearly" => 365,
        _ => 3650,
    }
}

pub(super) fn cycle_id(cycle: &str) -> u64 {
    match cycle {
        "monthly" => 1,
        "weekly" => 2,
        "day" => 3,
        "yearly" => 4,
        _ => 5,
    }
}

/// Cents per unit (IP, GB, or the whole plan for unmetered) per cycle.
pub(super) fn unit_cents(kind: Kind, cycle: &str) -> i64 {
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
pub(super) fn p0f_cents(kind: Kind) -> i64 {
    if kind == Kind::Isp {
        60
    } else {
        30
    }
}

pub(super) fn product_by_id(id: u64) -> &'static Product {
    PRODUCTS.iter().find(|p| p.id == id).unwrap_or(&PRODUCTS[0])
}

pub(super) fn promo_discount(code: &str, cycle: &str) -> Result<i64, Fail> {
    match PROMOS.iter().find(|p| p.0 == code) {
        None => Err(bad(format!("Invalid promo code `{code}`"))),
        Some((_, _, Some(only))) if *only != cycle => Err(bad(format!(
            "Promo code `{code}` is not valid for the {cycle} cycle"
        ))),
        Some((_, d, _)) => Ok(*d),
    }
}
