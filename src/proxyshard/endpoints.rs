//! ProxyShard User API operations, one value per operation.

use tsify::Tsify;

use super::models::{MeResponse, ME_RESPONSE};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};

/// Parameters of `getMe` (`GET /user/api/me`). The call takes none.
///
/// The account summary: e-mail, active order count and wallet balance in cents. Handy as a
/// key check. Needs the API key.
/// Docs: <https://docs.proxyshard.com/user-api/general>.
#[derive(Clone, Debug, Default, PartialEq, Tsify)]
#[serde(deny_unknown_fields)]
// `Record<string, never>` rather than `{}`: TypeScript lets any non-null value (even `5`)
// pass as `{}`, while this type rejects any property.
#[tsify(type = "Record<string, never>")]
pub struct GetMeParams {}

impl Endpoint for GetMeParams {
    const OPERATION: &'static str = "getMe";
    const AUTH: Auth = Auth::Required;
    type Output = MeResponse;
    const REPLY: &'static Ty = &ME_RESPONSE;

    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(RequestSpec::new(Method::Get, &["user", "api", "me"]))
    }
}

impl FromJson for GetMeParams {
    fn from_json(v: &serde_json::Value) -> Result<Self, Error> {
        Fields::new(v)?.finish()?;
        Ok(GetMeParams {})
    }
}
