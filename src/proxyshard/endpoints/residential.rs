//! Residential packages (User API → Residential Proxies): buy traffic for an order and read
//! the owner's traffic (`addBandwidth`, `getResidentialProfile`).
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)

use super::params::*;
use super::{proxy_type, Validate};
use crate::validate::Problems;

impl Validate for AddBandwidthParams {
    fn problems(&self) -> Problems {
        Problems::id_only("id", self.id)
    }
}

impl Validate for GetResidentialProfileParams {
    fn problems(&self) -> Problems {
        let mut p = Problems::default();
        proxy_type(&mut p, &self.proxy_type);
        p
    }
}
