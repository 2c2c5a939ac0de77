//! Services: the tariff catalogue and the locations of each tariff
//! (`shared/api/proxy-solutions.md` §6.9–6.10, referenced but not documented by the vendor).

use serde_json::json;

use super::catalogue::{location_json, service, Svc, SERVICES};
use super::{Call, State};
use crate::Reply;

/// `GET /services`: the tariff catalogue (public; its shape is the sandbox's guess).
pub(super) fn list_services(_st: &mut State, _c: Call<'_>) -> Reply {
    Reply::json(
        200,
        &json!({"services": SERVICES.iter().map(Svc::json).collect::<Vec<_>>()}),
    )
}

/// `GET /services/{service_id}/locations`: the locations of a tariff (public).
pub(super) fn list_service_locations(_st: &mut State, c: Call<'_>) -> Reply {
    let id = c.id;
    match service(id) {
        None => Reply::empty(404),
        Some(s) => Reply::json(
            200,
            &json!({"locations": s.locations.iter().map(|l| location_json(*l)).collect::<Vec<_>>()}),
        ),
    }
}
