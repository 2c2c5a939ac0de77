//! Orders → order operations: mobile channel operations (`performOrderOperation`).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-operations>

use tsify::Tsify;

use super::{Contextual, Hints, Validate};
use crate::proxy_solutions::rules::{
    RuleContext, ServiceKind, Subject, MIN_AUTORESET_INTERVAL, OPERATIONS,
};
use crate::validate::Problems;

/// Params of `performOrderOperation` (`POST /user/orders/{order_id}/perform`): run a mobile
/// channel operation. Needs the API key. The operation must be in the order's
/// `allowed_operations`.
///
/// Operations: `channels-change-ip` (new dynamic IP), `channels-reset` (reboot the modem),
/// `channels-set-autoreset` (auto-reboot every `interval` seconds; 0 turns it off),
/// `channels-relocate` (move channels to another modem in `location_id` / `operator_id`).
///
/// Rules (order-operations page): `order_id`, channel, `location_id`, `operator_id` positive
/// ids; `operation` one of the four codes; `interval` 0 or ≥ 60; `location_id` not for a
/// known plain "mobile proxies" order (only "mobile proxies plus"). Hint only: `location_id`
/// / `operator_id` with another operation than `channels-relocate` (the docs describe them
/// for relocation without forbidding them elsewhere).
/// The server checks that the operation is in the order's `allowed_operations`.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-operations>
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PerformOrderOperationParams {
    /// The order (path).
    pub order_id: u64,
    /// The operation code.
    #[tsify(type = "OrderOperation")]
    pub operation: String,
    /// Channel ids. Default: **every channel of the order**.
    #[serde(default)]
    #[tsify(optional, type = "number[]")]
    pub channels: Option<Vec<u64>>,
    /// Target location of `channels-relocate` ("mobile proxies plus" with multiport).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub location_id: Option<u64>,
    /// Target carrier of `channels-relocate` (multiport orders).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub operator_id: Option<u64>,
    /// Auto-reset period in seconds for `channels-set-autoreset`: ≥ 60, or 0 (off).
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub interval: Option<u64>,
    /// Context for the kind-dependent rules (set by the client).
    #[serde(skip)]
    pub context: RuleContext,
}

impl Validate for PerformOrderOperationParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        if !OPERATIONS.contains(&self.operation.as_str()) {
            p.add(
                "operation",
                format!("must be one of {}", OPERATIONS.join(", ")),
            );
        }
        for (i, c) in self.channels.iter().flatten().enumerate() {
            p.id(&format!("channels[{i}]"), *c);
        }
        if let Some(i) = self.interval {
            if i != 0 && i < MIN_AUTORESET_INTERVAL {
                p.add("interval", "must be 0 (off) or at least 60 seconds");
            }
        }
        let relocate = self.operation == "channels-relocate";
        p.opt_id("location_id", self.location_id);
        p.opt_id("operator_id", self.operator_id);
        // Not checked locally: that the order is mobile and that the operation is in its
        // `allowed_operations`. The vendor's own perform example runs mobile operations on a
        // "City proxies" order, and a remembered `allowed_operations` goes stale as soon as
        // the order is paid; the server enforces both.
        if relocate && self.location_id.is_some() && self.context.kind == Some(ServiceKind::Mobile)
        {
            p.add(
                "location_id",
                "can only be changed for \"mobile proxies plus\" orders",
            );
        }
        p
    }
}

impl Hints for PerformOrderOperationParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        if self.operation != "channels-relocate" {
            for (field, v) in [
                ("location_id", self.location_id),
                ("operator_id", self.operator_id),
            ] {
                if v.is_some() {
                    p.add(field, "hint: the docs use it only with channels-relocate");
                }
            }
        }
        p
    }
}

impl Contextual for PerformOrderOperationParams {
    const CONTEXT_OPTIONS: &'static [&'static str] = RuleContext::KEYS;
    fn subject(&self) -> Subject {
        Subject::Order(self.order_id)
    }
    fn set_context(&mut self, context: RuleContext) {
        self.context = context;
    }
}
