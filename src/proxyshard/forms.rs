//! What `ProxyShardRules` tells a form, by operationId: the operations, and which params
//! have hints (minimums the vendor does not state). Nothing is sent. The `validate…`
//! checks are [`crate::validate::problems_of`] over each operation's params.

use serde_json::Value;

use super::endpoints::{
    CreateSubUserParams, Hints, ListSubUsersParams, SetP0fSignaturesParams, SubUserTrafficParams,
};
use crate::error::Error;
use crate::json::FromJson;
use crate::validate::{check_params, Problems};

/// Whether `op` is an operationId of this provider (from the operation table `cargo xtask gen`
/// derives from `spec/`).
pub fn is_operation(op: &str) -> bool {
    crate::spec::proxyshard::OPERATIONS
        .iter()
        .any(|o| o.id == op)
}

/// The operations whose params have hints (see [`Hints`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hinted {
    /// `listSubUsers`: `limit: 0`.
    ListSubUsers,
    /// `createSubUser`: `data: 0`.
    CreateSubUser,
    /// `addSubUserTraffic`, `subtractSubUserTraffic`: `data: 0`.
    SubUserTraffic,
    /// `setP0fSignatures`: no items.
    SetP0fSignatures,
}

/// Which hints `operation` has: `Some` for the operations with hints, `None` for the other
/// operations (they answer no hints, without reading the params). Anything else, a
/// non-string included (`None` here), is an `invalid_input` naming `operation`.
pub fn hinted(operation: Option<&str>) -> Result<Option<Hinted>, Error> {
    Ok(Some(match operation {
        Some("listSubUsers") => Hinted::ListSubUsers,
        Some("createSubUser") => Hinted::CreateSubUser,
        Some("addSubUserTraffic" | "subtractSubUserTraffic") => Hinted::SubUserTraffic,
        Some("setP0fSignatures") => Hinted::SetP0fSignatures,
        Some(op) if is_operation(op) => return Ok(None),
        _ => {
            return Err(Error::invalid(
                "operation",
                "must be a ProxyShard operationId, e.g. \"createSubUser\"",
            ))
        }
    }))
}

impl Hinted {
    /// The hints of params given as JSON; params that cannot be read are one problem (as in
    /// [`check_params`]).
    pub fn hints(self, params: &Value) -> Result<Problems, Error> {
        fn of<E: Hints + FromJson>(params: &Value) -> Result<Problems, Error> {
            check_params::<E>(params, |e| Ok(e.hints()))
        }
        match self {
            Hinted::ListSubUsers => of::<ListSubUsersParams>(params),
            Hinted::CreateSubUser => of::<CreateSubUserParams>(params),
            Hinted::SubUserTraffic => of::<SubUserTrafficParams>(params),
            Hinted::SetP0fSignatures => of::<SetP0fSignaturesParams>(params),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(operation: &str, params: Value) -> Vec<String> {
        let hinted = hinted(Some(operation)).unwrap().unwrap();
        let problems = hinted.hints(&params).unwrap().0;
        problems.into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn hints_by_operation() {
        assert_eq!(
            fields(
                "createSubUser",
                json!({"proxy_type": "premium", "name": "a", "data": 0})
            ),
            ["data"]
        );
        assert!(fields(
            "createSubUser",
            json!({"proxy_type": "premium", "name": "a", "data": 1})
        )
        .is_empty());
        assert_eq!(
            fields("listSubUsers", json!({"proxy_type": "premium", "limit": 0})),
            ["limit"]
        );
        for op in ["addSubUserTraffic", "subtractSubUserTraffic"] {
            assert_eq!(
                fields(
                    op,
                    json!({"user_id": "u", "proxy_type": "premium", "data": 0})
                ),
                ["data"]
            );
        }
        assert_eq!(
            fields("setP0fSignatures", json!({"order_id": 1, "items": []})),
            ["items"]
        );
        let hint = Hinted::CreateSubUser
            .hints(&json!({"proxy_type": "premium", "name": "a", "data": 0}))
            .unwrap();
        assert!(hint.0[0].rule.starts_with("hint:"));
        // Params that cannot be read are problems (all of them), not an error.
        assert_eq!(
            fields("createSubUser", json!({"proxy_type": "premium"})),
            ["name", "data"]
        );
    }

    #[test]
    fn every_other_operation_has_none_and_unknown_names_are_refused() {
        let with_hints = [
            "listSubUsers",
            "createSubUser",
            "addSubUserTraffic",
            "subtractSubUserTraffic",
            "setP0fSignatures",
        ];
        for op in crate::spec::proxyshard::OPERATIONS.iter().map(|o| o.id) {
            assert_eq!(
                hinted(Some(op)).unwrap().is_some(),
                with_hints.contains(&op),
                "{op}"
            );
        }
        for bad in [Some("createSubuser"), Some(""), None] {
            let e = hinted(bad).unwrap_err();
            assert_eq!(e.field(), Some("operation"));
            assert_eq!(e.code(), "invalid_input");
        }
    }
}
