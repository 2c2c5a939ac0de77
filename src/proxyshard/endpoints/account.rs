//! The account (User API → General): `getMe`.
//!
//! Docs: <https://docs.proxyshard.com/user-api/general>

use serde_json::Value;
use tsify::Tsify;

use super::{api, spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::proxyshard::models::*;
use crate::validate::Problems;

no_params!(
    /// Params of `getMe` (`GET /user/api/me`). The call takes none.
    ///
    /// The account summary: e-mail, active order count and wallet balance in cents. Handy as
    /// a key check. Needs the API key.
    /// Docs: <https://docs.proxyshard.com/user-api/general>.
    GetMeParams
);
endpoint!(
    GetMeParams,
    "getMe",
    Auth::Required,
    MeResponse,
    &ME_RESPONSE,
    |_s| spec(Method::Get, api(&["me"]))
);
