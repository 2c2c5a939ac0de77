//! The account (User API → General): `getMe`.
//!
//! Docs: <https://docs.proxyshard.com/user-api/general>

use tsify::Tsify;

use super::Validate;
use crate::validate::Problems;

no_params!(
    /// Params of `getMe` (`GET /user/api/me`). The call takes none.
    ///
    /// The account summary: e-mail, active order count and wallet balance in cents. Handy as
    /// a key check. Needs the API key.
    /// Docs: <https://docs.proxyshard.com/user-api/general>.
    GetMeParams
);
