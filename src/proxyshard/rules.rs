//! ProxyShard business rules (`shared/api/proxyshard.md` §7).

use crate::validate::Problems;

/// The page walker moved to [`crate::paging`] (the market's order walk uses it too); these
/// paths keep working.
pub use crate::paging::{page_stop, PageWalker, Stop, DEFAULT_MAX_PAGES};

/// `Datacenter Proxy`: needs `location` and `cycle`.
pub const DATACENTER: &str = "Datacenter Proxy";
/// `ISP Proxy`: needs `location` and `cycle`.
pub const ISP: &str = "ISP Proxy";
/// `Standart Residential Proxy` (vendor spelling): only `product` (fixed lifetime cycle).
pub const STANDARD_RESIDENTIAL: &str = "Standart Residential Proxy";
/// `Premium Residential Proxy`: only `product` (fixed lifetime cycle).
pub const PREMIUM_RESIDENTIAL: &str = "Premium Residential Proxy";
/// `Unmetered Residential proxy` (lower-case p): needs `cycle`, takes no `quantity`.
pub const UNMETERED_RESIDENTIAL: &str = "Unmetered Residential proxy";
/// The fixed cycle of Standard and Premium residential packages, as the catalogue names it.
pub const RESIDENTIAL_CYCLE: &str = "lifetime";
/// `status` values of `listOrders`.
pub const ORDER_STATUSES: &[&str] = &["active", "on-hold", "cancelled", "all"];
/// p0f OS signatures.
pub const P0F_SIGNATURES: &[&str] = &["ios", "macos", "android", "linux", "win10", "win11"];
/// `proxy_type` values of the residential calls.
pub const PROXY_TYPES: &[&str] = &["standart", "premium", "unlimited"];
/// The only add-on the vendor documents (others are accepted).
pub const P0F_SLOTS: &str = "p0f_slots";
/// Largest `limit` of `listOrders`.
pub const MAX_ORDERS_LIMIT: u64 = 100;

/// The purchase body variant the vendor picks by `product`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Datacenter or ISP: `location` + `cycle`.
    DcIsp,
    /// Standard or Premium residential: `product` only.
    Residential,
    /// Unmetered residential: `cycle`, no `quantity`.
    Unmetered,
    /// Any other product (mobile plans, new residential products): `cycle`.
    Other,
}

impl Variant {
    /// The variant of a product name (exact, case-sensitive, as the vendor matches it).
    pub fn of(product: &str) -> Variant {
        match product {
            DATACENTER | ISP => Variant::DcIsp,
            STANDARD_RESIDENTIAL | PREMIUM_RESIDENTIAL => Variant::Residential,
            UNMETERED_RESIDENTIAL => Variant::Unmetered,
            _ => Variant::Other,
        }
    }
}

/// An add-on in a purchase or quote: `{ addon_key, qty ≥ 1 }`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, tsify::Tsify)]
pub struct AddonRequest {
    /// Add-on key, e.g. `p0f_slots`.
    #[tsify(type = "AddonKey")]
    pub addon_key: String,
    /// Units, ≥ 1.
    pub qty: u64,
}

/// The fields purchase and quote share, for [`purchase_problems`].
#[derive(Debug)]
pub struct PurchaseShape<'a> {
    /// `product`
    pub product: &'a str,
    /// `location`
    pub location: Option<&'a str>,
    /// `cycle`
    pub cycle: Option<&'a str>,
    /// `quantity`
    pub quantity: Option<u64>,
    /// `auto_renewal`
    pub auto_renewal: Option<bool>,
    /// `addons`
    pub addons: Option<&'a [AddonRequest]>,
}

/// The per-product rules of `purchaseOrder` and `quoteOrder`.
pub fn purchase_problems(p: &mut Problems, s: &PurchaseShape) {
    p.non_empty("product", s.product);
    let not_for =
        |what: &str| format!("is not used for {what} (the vendor's variant has no such field)");
    match Variant::of(s.product) {
        Variant::DcIsp => {
            if s.location.is_none() {
                p.add(
                    "location",
                    format!(
                        "is required for {} (a location code from listProducts)",
                        s.product
                    ),
                );
            }
            if s.cycle.is_none() {
                p.add(
                    "cycle",
                    format!("is required for {} (a cycle from listProducts)", s.product),
                );
            }
        }
        Variant::Residential => {
            // General → purchase, `PurchaseRequestResidentialStandard/Premium`: "no location;
            // lifetime cycle, so no `cycle` field". The catalogue lists the cycle as
            // `lifetime` and orders carry `auto_renewal: false`, so those two values (which
            // say what the product already is) are accepted and left out of the request;
            // another cycle or auto-renewal contradicts the vendor's fixed lifetime.
            let what = format!("{} (fixed lifetime, no location)", s.product);
            if s.cycle.is_some_and(|c| c != RESIDENTIAL_CYCLE) {
                p.add(
                    "cycle",
                    format!("must be left out or \"{RESIDENTIAL_CYCLE}\" for {what}"),
                );
            }
            if s.location.is_some() {
                p.add("location", not_for(&what));
            }
            if s.auto_renewal == Some(true) {
                p.add(
                    "auto_renewal",
                    format!("must be left out or false for {what}"),
                );
            }
        }
        Variant::Unmetered => {
            if s.cycle.is_none() {
                p.add("cycle", format!("is required for {}", s.product));
            }
            if s.quantity.is_some() {
                p.add("quantity", not_for(s.product));
            }
            if s.location.is_some() {
                p.add("location", not_for(s.product));
            }
        }
        Variant::Other => {
            if s.cycle.is_none() {
                p.add(
                    "cycle",
                    format!("is required for {} (a cycle from listProducts)", s.product),
                );
            }
        }
    }
    if let Some(loc) = s.location {
        p.non_empty("location", loc);
    }
    if let Some(c) = s.cycle {
        p.non_empty("cycle", c);
    }
    if s.quantity == Some(0) {
        p.add("quantity", "must be at least 1");
    }
    addon_problems(p, "addons", s.addons);
}

/// `[{ addon_key, qty ≥ 1 }]`.
pub fn addon_problems(p: &mut Problems, field: &str, addons: Option<&[AddonRequest]>) {
    for (i, a) in addons.unwrap_or_default().iter().enumerate() {
        p.non_empty(&format!("{field}[{i}].addon_key"), &a.addon_key);
        if a.qty == 0 {
            p.add(format!("{field}[{i}].qty"), "must be at least 1");
        }
    }
}

/// `value` must be one of `allowed`.
pub fn one_of(p: &mut Problems, field: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        p.add(field, format!("must be one of {}", allowed.join(", ")));
    }
}

/// Whether `s` is an IPv4 or IPv6 address.
pub fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_by_exact_name() {
        assert_eq!(Variant::of("Datacenter Proxy"), Variant::DcIsp);
        assert_eq!(Variant::of("ISP Proxy"), Variant::DcIsp);
        assert_eq!(
            Variant::of("Standart Residential Proxy"),
            Variant::Residential
        );
        assert_eq!(
            Variant::of("Premium Residential Proxy"),
            Variant::Residential
        );
        assert_eq!(
            Variant::of("Unmetered Residential proxy"),
            Variant::Unmetered
        );
        assert_eq!(
            Variant::of("Unmetered Residential Proxy"),
            Variant::Other,
            "case matters"
        );
        assert_eq!(Variant::of("Residential Proxy NEW"), Variant::Other);
    }
}
