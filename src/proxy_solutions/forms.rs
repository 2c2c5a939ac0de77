//! What `ProxySolutionsRules` tells a form, by operationId: every broken rule of an
//! operation's params (`validate…`) and their hints, under the rule context the form gives
//! (service kind, batch `packets`, `allowMissingLocation`). Nothing is sent.

use serde_json::Value;

use super::endpoints::{
    CalculatePriceParams, ChangeOrderParams, ChargeOrderParams, Contextual, CreateOrderParams,
    Hints, PerformOrderOperationParams, Validate,
};
use super::rules::RuleContext;
use crate::error::Error;
use crate::json::FromJson;
use crate::validate::{check_params, Problems};

/// Whether `op` is an operationId of this provider (from the operation table `cargo xtask gen`
/// derives from `spec/`).
pub fn is_operation(op: &str) -> bool {
    crate::spec::proxy_solutions::OPERATIONS
        .iter()
        .any(|o| o.id == op)
}

/// Every broken rule of params given as JSON under a rule context. Params that cannot be
/// read are one problem (see [`check_params`]); `context` is read only for params that can
/// be, and its errors are returned.
pub fn problems_of<E: Validate + Contextual + FromJson>(
    params: &Value,
    context: impl FnOnce() -> Result<RuleContext, Error>,
) -> Result<Problems, Error> {
    check_params::<E>(params, |mut e| {
        e.set_context(context()?);
        Ok(e.problems())
    })
}

/// The operations whose params have hints (see [`Hints`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hinted {
    /// `createOrder`
    CreateOrder,
    /// `changeOrder`
    ChangeOrder,
    /// `chargeOrder`
    ChargeOrder,
    /// `performOrderOperation`
    PerformOrderOperation,
    /// `calculatePrice`
    CalculatePrice,
}

/// Which hints `operation` has: `Some` for the operations with hints, `None` for the other
/// operations (they answer no hints, without reading the params). Anything else, a
/// non-string included (`None` here), is an `invalid_input` naming `operation`.
pub fn hinted(operation: Option<&str>) -> Result<Option<Hinted>, Error> {
    Ok(Some(match operation {
        Some("createOrder") => Hinted::CreateOrder,
        Some("changeOrder") => Hinted::ChangeOrder,
        Some("chargeOrder") => Hinted::ChargeOrder,
        Some("performOrderOperation") => Hinted::PerformOrderOperation,
        Some("calculatePrice") => Hinted::CalculatePrice,
        Some(op) if is_operation(op) => return Ok(None),
        _ => {
            return Err(Error::invalid(
                "operation",
                "must be a Proxy-Solutions operationId, e.g. \"changeOrder\"",
            ))
        }
    }))
}

impl Hinted {
    /// The hints of params given as JSON under a rule context; read as in [`problems_of`].
    pub fn hints(
        self,
        params: &Value,
        context: impl FnOnce() -> Result<RuleContext, Error>,
    ) -> Result<Problems, Error> {
        fn of<E: Hints + Contextual + FromJson>(
            params: &Value,
            context: impl FnOnce() -> Result<RuleContext, Error>,
        ) -> Result<Problems, Error> {
            check_params::<E>(params, |mut e| {
                e.set_context(context()?);
                Ok(e.hints())
            })
        }
        match self {
            Hinted::CreateOrder => of::<CreateOrderParams>(params, context),
            Hinted::ChangeOrder => of::<ChangeOrderParams>(params, context),
            Hinted::ChargeOrder => of::<ChargeOrderParams>(params, context),
            Hinted::PerformOrderOperation => of::<PerformOrderOperationParams>(params, context),
            Hinted::CalculatePrice => of::<CalculatePriceParams>(params, context),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy_solutions::rules::ServiceKind;
    use serde_json::json;

    fn fields(r: Result<Problems, Error>) -> Vec<String> {
        r.unwrap().0.into_iter().map(|p| p.field).collect()
    }

    fn city() -> Result<RuleContext, Error> {
        Ok(RuleContext {
            kind: Some(ServiceKind::City),
            ..Default::default()
        })
    }

    #[test]
    fn validation_uses_the_given_context() {
        let order = json!({"service_id": 4, "location_id": 1, "quantity": 60});
        assert!(fields(problems_of::<CreateOrderParams>(&order, || Ok(
            RuleContext::default()
        )))
        .is_empty());
        assert_eq!(
            fields(problems_of::<CreateOrderParams>(&order, city)),
            ["quantity"]
        );
        let no_location = json!({"service_id": 4});
        assert_eq!(
            fields(problems_of::<CreateOrderParams>(&no_location, city)),
            ["location_id"]
        );
        let escape = || {
            Ok(RuleContext {
                allow_missing_location: true,
                ..Default::default()
            })
        };
        assert!(fields(problems_of::<CreateOrderParams>(&no_location, escape)).is_empty());
    }

    #[test]
    fn unreadable_params_win_over_a_bad_context() {
        let bad = || Err(Error::invalid("context.serviceKind", "must be one of …"));
        // Params that cannot be read: every such problem; the context's error does not
        // hide them.
        assert_eq!(
            fields(problems_of::<CreateOrderParams>(&json!({}), bad)),
            ["service_id"]
        );
        assert_eq!(
            fields(Hinted::CreateOrder.hints(&json!({"quantiy": 1}), bad)),
            ["service_id", "quantiy"]
        );
        // Readable params: the context's error is returned.
        let e = problems_of::<CreateOrderParams>(&json!({"service_id": 4}), bad).unwrap_err();
        assert_eq!(e.field(), Some("context.serviceKind"));
    }

    #[test]
    fn hints_by_operation() {
        let ok = || Ok(RuleContext::default());
        let hinted = |op| hinted(Some(op)).unwrap().unwrap();
        assert_eq!(
            fields(hinted("createOrder").hints(&json!({"service_id": 4, "quantity": 0}), ok)),
            ["quantity"]
        );
        assert_eq!(
            fields(hinted("changeOrder").hints(
                &json!({"order_id": 1, "gen_password": true, "password": "x"}),
                ok
            )),
            ["password"]
        );
        assert_eq!(
            fields(hinted("calculatePrice").hints(&json!({"service_id": 4, "promocode": " "}), ok)),
            ["promocode"]
        );
        let all = hinted("calculatePrice")
            .hints(&json!({"service_id": 4, "quantity": 0}), ok)
            .unwrap();
        assert!(all.0.iter().all(|p| p.rule.starts_with("hint:")));
    }

    #[test]
    fn every_other_operation_has_none_and_unknown_names_are_refused() {
        let with_hints = [
            "createOrder",
            "changeOrder",
            "chargeOrder",
            "performOrderOperation",
            "calculatePrice",
        ];
        for op in crate::spec::proxy_solutions::OPERATIONS
            .iter()
            .map(|o| o.id)
        {
            assert_eq!(
                hinted(Some(op)).unwrap().is_some(),
                with_hints.contains(&op),
                "{op}"
            );
        }
        for bad in [Some("ChangeOrder"), Some("getMe"), None] {
            assert_eq!(hinted(bad).unwrap_err().field(), Some("operation"));
        }
    }
}
