//! Datacenter & ISP add-ons (`p0f_slots`): scheduling a downgrade (`scheduleAddonDowngrade`,
//! which reads the `{ order }` call option). Quoting, buying and cancelling a downgrade
//! (`quoteAddon`, `purchaseAddon`, `cancelAddonDowngrade`) are data (`spec/overlay.yaml`).
//!
//! Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>

use serde_json::Value;
use tsify::Tsify;

use super::{api, body, spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::models::*;
use crate::validate::Problems;

/// Params of `scheduleAddonDowngrade` (`POST /user/api/orders/{order_id}/addons/schedule`):
/// lower an add-on's units at the next renewal (**Datacenter / ISP**). Cancel with
/// `cancelAddonDowngrade`.
///
/// Rules: `order_id` positive id; `addon_key` non-empty; `action` is `downgrade` (the only
/// value; the default); `next_qty` ≥ 1, and below the add-on's current units when the call
/// options carry the order (`{ order }` from `getOrder`).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ScheduleAddonDowngradeParams {
    /// The order (path).
    pub order_id: u64,
    /// Add-on key, e.g. `p0f_slots`.
    #[tsify(type = "AddonKey")]
    pub addon_key: String,
    /// `downgrade`. Default **`downgrade`**.
    #[serde(default)]
    #[tsify(optional, type = "\"downgrade\"")]
    pub action: Option<String>,
    /// Units after the next renewal, ≥ 1 and below the current units.
    pub next_qty: u64,
    /// Current units of this add-on, when known (from the order in the call options).
    #[serde(skip)]
    pub current_qty: Option<i64>,
}

impl FromJson for ScheduleAddonDowngradeParams {
    fn from_json(v: &Value) -> Result<Self, Error> {
        let mut f = Fields::new(v)?;
        let p = ScheduleAddonDowngradeParams {
            order_id: f.take_uint("order_id"),
            addon_key: f.take_str("addon_key"),
            action: f.take_opt_str("action"),
            next_qty: f.take_uint_in("next_qty", "1 or more"),
            current_qty: None,
        };
        f.finish()?;
        Ok(p)
    }
}
impl ScheduleAddonDowngradeParams {
    /// The call option that carries the order (`ScheduleCallOptions.order` in the typings).
    pub const ORDER_OPTION: &'static str = "order";

    /// Applies the provider-specific call options (an object with only those keys): the
    /// order under [`Self::ORDER_OPTION`], when given, as [`Self::with_order`] does.
    pub fn with_call_options(self, options: &Value) -> Self {
        match options.get(Self::ORDER_OPTION) {
            Some(order) => self.with_order(order),
            None => self,
        }
    }

    /// Takes the add-on's current units from an order detail (`getOrder`'s `order`, or the
    /// whole reply), so `next_qty` can be checked against them.
    pub fn with_order(mut self, order: &Value) -> Self {
        let order = order.get("order").unwrap_or(order);
        self.current_qty = order
            .get("addons")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|a| a.get("addon_key").and_then(Value::as_str) == Some(self.addon_key.as_str()))
            .and_then(|a| a.get("qty"))
            .and_then(Value::as_i64);
        self
    }
}
impl Validate for ScheduleAddonDowngradeParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        p.non_empty("addon_key", &self.addon_key);
        if let Some(a) = &self.action {
            p.one_of("action", a, &["downgrade"]);
        }
        if self.next_qty == 0 {
            p.add("next_qty", "must be at least 1");
        } else if let Some(cur) = self.current_qty {
            if self.next_qty as i64 >= cur {
                p.add(
                    "next_qty",
                    format!("must be below the current quantity ({cur})"),
                );
            }
        }
        p
    }
}
endpoint!(
    ScheduleAddonDowngradeParams,
    "scheduleAddonDowngrade",
    Auth::Required,
    AddonsResponse,
    &crate::proxyshard::shapes::ADDONS_RESPONSE,
    |s| {
        let id = s.order_id.to_string();
        let mut r = spec(Method::Post, api(&["orders", &id, "addons", "schedule"]));
        r.body = body(vec![
            ("addon_key", Some(s.addon_key.clone().into())),
            ("action", Some("downgrade".into())),
            ("next_qty", Some(s.next_qty.into())),
        ]);
        r
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn downgrade(next_qty: u64) -> ScheduleAddonDowngradeParams {
        ScheduleAddonDowngradeParams {
            order_id: 7,
            addon_key: "p0f_slots".into(),
            next_qty,
            ..Default::default()
        }
    }

    #[test]
    fn the_order_call_option_bounds_next_qty() {
        let order = json!({"order": {"addons": [{"addon_key": "p0f_slots", "qty": 5}]}});
        // Without the option nothing is known about the current units.
        let p = downgrade(5).with_call_options(&json!({}));
        assert_eq!(p.current_qty, None);
        assert!(p.problems().0.is_empty());
        // The whole `getOrder` reply or its `order` both work.
        for given in [order.clone(), order["order"].clone()] {
            let p = downgrade(5).with_call_options(&json!({ "order": given }));
            assert_eq!(p.current_qty, Some(5));
            assert_eq!(p.problems().0[0].field, "next_qty");
            assert!(downgrade(4)
                .with_call_options(&json!({ "order": order }))
                .problems()
                .0
                .is_empty());
        }
        // An order without this add-on leaves the check to the server.
        let other = json!({"order": {"addons": [{"addon_key": "other", "qty": 1}]}});
        assert_eq!(
            downgrade(5)
                .with_call_options(&json!({ "order": other }))
                .current_qty,
            None
        );
    }
}
