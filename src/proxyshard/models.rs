//! Wire types of the ProxyShard User API (field names as on the wire).

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Reply of `getMe`: the account summary. No `success` flag is documented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct MeResponse {
    /// Account e-mail.
    pub email: String,
    /// Number of active orders.
    pub active_orders: u32,
    /// Wallet balance in US **cents** (`1250` = $12.50).
    pub wallet_balance: i64,
}

// ------------------------------------------------------------------ documented shapes

use crate::json::{req, Ty};

/// Shape of [`MeResponse`].
pub static ME_RESPONSE: Ty = Ty::Obj(&[
    req("email", Ty::Str),
    req("active_orders", Ty::Uint),
    req("wallet_balance", Ty::Int),
]);
