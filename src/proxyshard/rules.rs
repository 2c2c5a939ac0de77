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
/// `proxy_type` of `listIsps`: ISP targeting is premium only (User API → Residential
/// Proxies, "Get ISPs").
pub const ISP_PROXY_TYPES: &[&str] = &["premium"];
/// The only add-on the vendor documents (others are accepted).
pub const P0F_SLOTS: &str = "p0f_slots";
/// Largest `limit` of `listOrders`.
pub const MAX_ORDERS_LIMIT: u64 = 100;

/// The purchase body variant the vendor picks by `product`. Serialized by its
/// `ProxyShardRules.purchaseFields` name: `dc_isp`, `residential`, `unmetered`, `other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
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

    /// Which fields this variant's purchase takes: the table behind
    /// `ProxyShardRules.purchaseFields` and the per-variant rules of [`purchase_problems`].
    /// Source: General → purchase, the variants `PurchaseRequestDcIsp`,
    /// `PurchaseRequestResidentialStandard/Premium`, `PurchaseRequestUnmetered` and the
    /// generic one (table in §6.2 of the reference).
    pub fn purchase_fields(self) -> PurchaseFields {
        match self {
            Variant::DcIsp => PurchaseFields {
                variant: self,
                requires: &["product", "location", "cycle"],
                accepts: &["quantity", "promo_code", "auto_renewal", "addons"],
                fixed_cycle: None,
                fixed_auto_renewal: None,
            },
            // "No location; lifetime cycle, so no `cycle` field". The catalogue lists the
            // cycle as `lifetime` and orders carry `auto_renewal: false`: those two values
            // say what the product already is, so they are accepted (and not sent); they are
            // not in `accepts`, which lists what a form lets the buyer choose.
            Variant::Residential => PurchaseFields {
                variant: self,
                requires: &["product"],
                accepts: &["quantity", "promo_code", "addons"],
                fixed_cycle: Some(RESIDENTIAL_CYCLE),
                fixed_auto_renewal: Some(false),
            },
            Variant::Unmetered => PurchaseFields {
                variant: self,
                requires: &["product", "cycle"],
                accepts: &["promo_code", "auto_renewal", "addons"],
                fixed_cycle: None,
                fixed_auto_renewal: None,
            },
            Variant::Other => PurchaseFields {
                variant: self,
                requires: &["product", "cycle"],
                accepts: &[
                    "location",
                    "quantity",
                    "promo_code",
                    "auto_renewal",
                    "addons",
                ],
                fixed_cycle: None,
                fixed_auto_renewal: None,
            },
        }
    }
}

/// Which fields a purchase variant takes (see [`Variant::purchase_fields`]). As JSON (what
/// `ProxyShardRules.purchaseFields` returns) it is `{ accepts, requires, variant }`; the
/// fixed values are for the rules and the request builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PurchaseFields {
    // Declared in alphabetical order, the key order the JS object has always had (it was
    // built from a JSON map, whose keys are sorted).
    /// Optional fields a buyer chooses.
    pub accepts: &'static [&'static str],
    /// Fields that must be given.
    pub requires: &'static [&'static str],
    /// The variant.
    pub variant: Variant,
    /// The only `cycle` this variant takes, when it fixes one (residential: `lifetime`):
    /// given, it must be this value, and it is not sent.
    #[serde(skip)]
    pub fixed_cycle: Option<&'static str>,
    /// The only `auto_renewal` this variant takes, when it fixes one (residential: `false`):
    /// given, it must be this value, and it is not sent.
    #[serde(skip)]
    pub fixed_auto_renewal: Option<bool>,
}

impl crate::json::ToJson for PurchaseFields {
    fn to_json(&self) -> serde_json::Value {
        let variant = match self.variant {
            Variant::DcIsp => "dc_isp",
            Variant::Residential => "residential",
            Variant::Unmetered => "unmetered",
            Variant::Other => "other",
        };
        crate::json::object([
            ("accepts", self.accepts.to_json()),
            ("requires", self.requires.to_json()),
            ("variant", variant.to_json()),
        ])
    }
}

/// [`Variant::purchase_fields`] of a product name (exact, case-sensitive).
pub fn purchase_fields(product: &str) -> PurchaseFields {
    Variant::of(product).purchase_fields()
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
            // The fixed values of the table (see `Variant::purchase_fields`); another cycle
            // or auto-renewal contradicts the vendor's fixed lifetime.
            let fixed = Variant::Residential.purchase_fields();
            let what = format!("{} (fixed lifetime, no location)", s.product);
            if let Some(only) = fixed.fixed_cycle {
                if s.cycle.is_some_and(|c| c != only) {
                    p.add(
                        "cycle",
                        format!("must be left out or \"{only}\" for {what}"),
                    );
                }
            }
            if s.location.is_some() {
                p.add("location", not_for(&what));
            }
            if let Some(only) = fixed.fixed_auto_renewal {
                if s.auto_renewal.is_some_and(|a| a != only) {
                    p.add(
                        "auto_renewal",
                        format!("must be left out or {only} for {what}"),
                    );
                }
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

/// Whether `s` is an IPv4 or IPv6 address.
pub fn is_ip(s: &str) -> bool {
    crate::ip::is_ip(s)
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
    fn purchase_fields_table_as_json() {
        let as_json = |product: &str| serde_json::to_value(purchase_fields(product)).unwrap();
        assert_eq!(
            as_json("ISP Proxy"),
            json!({"variant": "dc_isp", "requires": ["product", "location", "cycle"],
                   "accepts": ["quantity", "promo_code", "auto_renewal", "addons"]})
        );
        assert_eq!(
            as_json("Premium Residential Proxy"),
            json!({"variant": "residential", "requires": ["product"],
                   "accepts": ["quantity", "promo_code", "addons"]})
        );
        assert_eq!(
            as_json("Unmetered Residential proxy"),
            json!({"variant": "unmetered", "requires": ["product", "cycle"],
                   "accepts": ["promo_code", "auto_renewal", "addons"]})
        );
        assert_eq!(
            as_json("Residential Proxy NEW"),
            json!({"variant": "other", "requires": ["product", "cycle"],
                   "accepts": ["location", "quantity", "promo_code", "auto_renewal", "addons"]})
        );
        // Keys in the order the JS object has always had.
        let text = serde_json::to_string(&purchase_fields("ISP Proxy")).unwrap();
        assert!(text.starts_with(r#"{"accepts":"#) && text.contains(r#"],"requires":"#));
    }

    #[test]
    fn residential_fixes_lifetime_and_no_auto_renewal() {
        for product in [STANDARD_RESIDENTIAL, PREMIUM_RESIDENTIAL] {
            let f = purchase_fields(product);
            assert_eq!(f.fixed_cycle, Some("lifetime"));
            assert_eq!(f.fixed_auto_renewal, Some(false));
        }
        for product in [DATACENTER, UNMETERED_RESIDENTIAL, "Mobile Plan"] {
            let f = purchase_fields(product);
            assert_eq!((f.fixed_cycle, f.fixed_auto_renewal), (None, None));
        }
    }

    fn problems(s: PurchaseShape) -> Vec<String> {
        let mut p = Problems::default();
        purchase_problems(&mut p, &s);
        p.0.into_iter().map(|p| p.field).collect()
    }

    fn shape(product: &str) -> PurchaseShape<'_> {
        PurchaseShape {
            product,
            location: None,
            cycle: None,
            quantity: None,
            auto_renewal: None,
            addons: None,
        }
    }

    #[test]
    fn the_rules_follow_the_table() {
        for product in [
            DATACENTER,
            STANDARD_RESIDENTIAL,
            UNMETERED_RESIDENTIAL,
            "Mobile Plan",
        ] {
            let f = purchase_fields(product);
            // Each required field left out is a problem of that field.
            let missing = problems(shape(product));
            let required: Vec<&str> = f
                .requires
                .iter()
                .copied()
                .filter(|r| *r != "product")
                .collect();
            assert_eq!(missing, required, "{product}");
            // The fixed values are accepted; any other value is refused.
            if let Some(cycle) = f.fixed_cycle {
                assert!(problems(PurchaseShape {
                    cycle: Some(cycle),
                    ..shape(product)
                })
                .is_empty());
                assert_eq!(
                    problems(PurchaseShape {
                        cycle: Some("monthly"),
                        ..shape(product)
                    }),
                    ["cycle"]
                );
            }
            if let Some(auto) = f.fixed_auto_renewal {
                let ok = PurchaseShape {
                    auto_renewal: Some(auto),
                    ..shape(product)
                };
                assert!(problems(ok).is_empty());
                let bad = PurchaseShape {
                    auto_renewal: Some(!auto),
                    ..shape(product)
                };
                assert_eq!(problems(bad), ["auto_renewal"]);
            }
        }
        // A field neither required nor accepted (nor fixed) is refused.
        assert_eq!(
            problems(PurchaseShape {
                location: Some("DE"),
                ..shape(STANDARD_RESIDENTIAL)
            }),
            ["location"]
        );
        assert_eq!(
            problems(PurchaseShape {
                cycle: Some("monthly"),
                quantity: Some(1),
                ..shape(UNMETERED_RESIDENTIAL)
            }),
            ["quantity"]
        );
    }
}
