//! Orders → order operations: mobile channel operations (`performOrderOperation`).
//!
//! Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/order-operations>

use super::params::*;
use super::{Contextual, Hints, Validate};
use crate::proxy_solutions::rules::{
    RuleContext, ServiceKind, Subject, MIN_AUTORESET_INTERVAL, OPERATIONS,
};
use crate::validate::Problems;

impl Validate for PerformOrderOperationParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        p.id("order_id", self.order_id);
        if !OPERATIONS.contains(&self.operation.as_str()) {
            p.add(
                "operation",
                format!("must be one of {}", crate::json::comma_list(OPERATIONS)),
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
