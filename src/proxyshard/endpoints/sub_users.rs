//! Residential sub-users (User API → Residential Proxies): list, create, read, rename,
//! delete, move traffic, new password.
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use super::params::*;
use super::{hint_zero, proxy_type, Hints, Validate};
use crate::validate::Problems;

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

impl Hints for CreateSubUserParams {
    fn hints(&self) -> Problems {
        let mut p = Problems::default();
        hint_zero(&mut p, "data", Some(self.data), "GB of traffic");
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
