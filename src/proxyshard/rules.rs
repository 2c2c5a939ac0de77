//! ProxyShard business rules (`shared/api/proxyshard.md` §7) and the page walker.

use serde_json::Value;

use crate::validate::Problems;

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

// ------------------------------------------------------------------------- page walker

/// Pages a walk reads at most unless told otherwise (100 000 orders at the largest page size):
/// a bound, so a misbehaving server cannot make a walk loop forever.
pub const DEFAULT_MAX_PAGES: u64 = 1000;

/// Whether a walk stops after a page, and why: the one rule of [`PageWalker`] and of the
/// market's order walk. `len` items came back of `limit` asked for; `last_page` is the list's
/// own signal; `repeated` says the page equals the previous one; `pages_read` counts this one.
pub fn page_stop(
    len: u64,
    limit: u64,
    last_page: bool,
    repeated: bool,
    pages_read: u64,
    max_pages: u64,
) -> Stop {
    if len == 0 {
        Stop::Empty
    } else if repeated {
        Stop::Repeated
    } else if last_page || len < limit {
        Stop::LastPage
    } else if pages_read >= max_pages {
        Stop::Bound
    } else {
        Stop::No
    }
}

/// Walks an offset-paged list to the end, bounded: it stops on the last page (the list's
/// own signal), on an empty page, on a page identical to the previous one (a server that
/// ignores `offset` must not loop forever), and after `max_pages`.
#[derive(Debug)]
pub struct PageWalker {
    /// Offset of the next page.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
    pages: u64,
    max_pages: u64,
    previous: Option<Value>,
    done: bool,
}

/// Why a walk stopped (for tests and logs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Not stopped.
    No,
    /// The list said this was the last page.
    LastPage,
    /// The page was empty.
    Empty,
    /// The page repeated the previous one.
    Repeated,
    /// `max_pages` pages were read.
    Bound,
}

impl PageWalker {
    /// A walk from `offset` in pages of `limit`, reading at most `max_pages` pages.
    pub fn new(offset: u64, limit: u64, max_pages: u64) -> Self {
        PageWalker {
            offset,
            limit,
            pages: 0,
            max_pages,
            previous: None,
            done: false,
        }
    }

    /// Whether another page should be fetched.
    pub fn wants_more(&self) -> bool {
        !self.done
    }

    /// Records a page: its items, and whether the list said it was the last one. Returns
    /// why the walk stopped (items of an empty or repeated page are not to be yielded).
    pub fn record(&mut self, items: &[Value], last_page: bool) -> Stop {
        self.pages += 1;
        let page = Value::Array(items.to_vec());
        let stop = page_stop(
            items.len() as u64,
            self.limit,
            last_page,
            self.previous.as_ref() == Some(&page),
            self.pages,
            self.max_pages,
        );
        self.offset += items.len() as u64;
        self.previous = Some(page);
        self.done = stop != Stop::No;
        stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn walker_stops_on_each_signal() {
        let page = |ids: &[u64]| ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>();
        let mut w = PageWalker::new(0, 2, 100);
        assert_eq!(w.record(&page(&[1, 2]), false), Stop::No);
        assert_eq!(w.offset, 2);
        assert_eq!(w.record(&page(&[3]), false), Stop::LastPage);
        assert!(!w.wants_more());

        let mut w = PageWalker::new(0, 2, 100);
        w.record(&page(&[1, 2]), false);
        assert_eq!(w.record(&page(&[1, 2]), false), Stop::Repeated);

        let mut w = PageWalker::new(0, 2, 100);
        assert_eq!(w.record(&page(&[]), false), Stop::Empty);

        let mut w = PageWalker::new(0, 2, 2);
        w.record(&page(&[1, 2]), false);
        assert_eq!(w.record(&page(&[3, 4]), false), Stop::Bound);

        let mut w = PageWalker::new(0, 2, 100);
        assert_eq!(w.record(&page(&[1, 2]), true), Stop::LastPage);
    }
}
