//! Residential sub-users (User API → Residential Proxies): list, create, read, rename,
//! delete, move traffic, new password.
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use tsify::Tsify;

use super::{hint_zero, proxy_type, user_id, Hints, Validate};
use crate::validate::Problems;

/// Params of `listSubUsers` (`GET /user/api/proxies/sub-users`): one page of residential
/// sub-users (`count` is the total). To walk every page use `iterateSubUsers`.
///
/// Rules: `proxy_type` from the list; `offset` ≥ 0 (default 0); `limit` default 20 (no
/// minimum or maximum is documented; 0 is a hint).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct ListSubUsersParams {
    /// Package.
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Sub-users to skip. Default **0**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub offset: Option<u64>,
    /// Page size, ≥ 1. Default **20**.
    #[serde(default)]
    #[tsify(optional, type = "number")]
    pub limit: Option<u64>,
}

impl Validate for ListSubUsersParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
impl Hints for ListSubUsersParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "limit", self.limit, "sub-users per page");
        p
    }
}

/// Params of `createSubUser` (`POST /user/api/proxies/sub-user`): a residential sub-user
/// with traffic carved out of the owner's balance.
///
/// Rules: `proxy_type` from the list; `name` non-empty; `data` whole **GB** (0 is a hint:
/// the docs state no minimum).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct CreateSubUserParams {
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Sub-user name.
    pub name: String,
    /// Traffic to give, whole **GB**, ≥ 1.
    pub data: u64,
}

impl Validate for CreateSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p.non_empty("name", &self.name);
        p
    }
}
impl Hints for CreateSubUserParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "data", Some(self.data), "GB of traffic");
        p
    }
}

/// Params of `getSubUser` (`GET /user/api/proxies/sub-user/{user_id}`): one sub-user (read
/// its new password here after `regenerateSubUserPassword`).
///
/// Rules: `user_id` non-empty; `proxy_type` from the list.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct GetSubUserParams {
    /// Sub-user id (path).
    pub user_id: String,
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
}

impl Validate for GetSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}

/// Params of `renameSubUser` (`PATCH /user/api/proxies/sub-user/{user_id}`).
///
/// Rules: `user_id` non-empty; `proxy_type` from the list; `name` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct RenameSubUserParams {
    /// Sub-user id (path).
    pub user_id: String,
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// New name.
    pub name: String,
}

impl Validate for RenameSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        proxy_type(&mut p, &self.proxy_type);
        p.non_empty("name", &self.name);
        p
    }
}

/// Params of `deleteSubUser` (`DELETE /user/api/proxies/sub-user/{user_id}`). The vendor
/// documents no `proxy_type` here, unlike the other sub-user calls.
///
/// Rules: `user_id` non-empty.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct DeleteSubUserParams {
    /// Sub-user id (path).
    pub user_id: String,
}

impl Validate for DeleteSubUserParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        p
    }
}

/// Params of `addSubUserTraffic` / `subtractSubUserTraffic`
/// (`POST /user/api/proxies/sub-user/{user_id}/data/add|subtract`): move traffic between
/// the owner and a sub-user.
///
/// Rules: `user_id` non-empty; `proxy_type` from the list; `data` whole **GB** (0 is a
/// hint: the docs state no minimum).
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
pub struct SubUserTrafficParams {
    /// Sub-user id (path).
    pub user_id: String,
    /// Package (query).
    #[tsify(type = "ProxyType")]
    pub proxy_type: String,
    /// Traffic, whole **GB**, ≥ 1.
    pub data: u64,
}

impl Validate for SubUserTrafficParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        user_id(&mut p, &self.user_id);
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
impl Hints for SubUserTrafficParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "data", Some(self.data), "GB of traffic");
        p
    }
}

/// `addSubUserTraffic`: give a sub-user more traffic from the owner's balance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AddSubUserTraffic(pub SubUserTrafficParams);
/// `subtractSubUserTraffic`: take traffic back from a sub-user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubtractSubUserTraffic(pub SubUserTrafficParams);

/// Params of `regenerateSubUserPassword`
/// (`POST /user/api/proxies/sub-user/{user_id}/password`): a new gateway password (not
/// returned: read it with `getSubUser`).
///
/// Rules: `user_id` non-empty; `proxy_type` from the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegenerateSubUserPassword(pub GetSubUserParams);
