//! Proxy-Solutions v3 operations, one value per operation.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::models::MerchantList;
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;

/// Parameters of `listMerchants` (`GET /merchants`). The call takes none.
///
/// Lists the payment methods usable right now and their currencies. Public: no API key is
/// documented for it; a configured key is sent anyway.
/// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
// `Record<string, never>` rather than `{}`: TypeScript lets any non-null value (even `5`)
// pass as `{}`, while this type rejects any property.
#[tsify(type = "Record<string, never>")]
pub struct ListMerchantsParams {}

impl Endpoint for ListMerchantsParams {
    const OPERATION: &'static str = "listMerchants";
    const AUTH: Auth = Auth::Optional;
    type Output = MerchantList;

    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(RequestSpec::new(Method::Get, &["merchants"]))
    }
}
