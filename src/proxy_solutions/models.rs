//! Wire types of the Proxy-Solutions v3 API (field names as on the wire).

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A payment method usable right now, with the currencies it accepts.
///
/// See <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Merchant {
    /// Payment-system code to pass as `merchant` when paying, e.g. `interkassa`.
    pub code: String,
    /// Display name, e.g. `Interkassa`.
    pub name: String,
    /// Currency codes this merchant accepts, e.g. `["UAH", "USD", "EUR"]`.
    pub currencies: Vec<String>,
}

/// Reply of `listMerchants`: `{ merchants: Merchant[] }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
pub struct MerchantList {
    /// The payment methods.
    pub merchants: Vec<Merchant>,
}
