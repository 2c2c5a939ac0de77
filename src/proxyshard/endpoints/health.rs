//! Service probes (User API → Service), public: `health`, `healthLive`.
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Service)

use serde_json::Value;
use tsify::Tsify;

use super::{spec, Validate};
use crate::endpoint::{Auth, Endpoint, RequestSpec};
use crate::error::Error;
use crate::http::Method;
use crate::json::{Fields, FromJson, Ty};
use crate::validate::Problems;

no_params!(
    /// Params of `health` (`GET /health`): deep health check. Public; the API key is never
    /// sent. The body is not documented: JSON is returned as such, anything else as text.
    HealthParams
);
no_params!(
    /// Params of `healthLive` (`GET /health/live`): liveness probe. Public; the key is never
    /// sent. The body is not documented: JSON is returned as such, anything else as text.
    HealthLiveParams
);
impl Endpoint for HealthParams {
    const OPERATION: &'static str = "health";
    const AUTH: Auth = Auth::Never;
    type Output = Value;
    const REPLY: &'static Ty = &Ty::Any;
    const ANY_BODY: bool = true;
    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(spec(Method::Get, vec!["health".into()]))
    }
}
impl Endpoint for HealthLiveParams {
    const OPERATION: &'static str = "healthLive";
    const AUTH: Auth = Auth::Never;
    type Output = Value;
    const REPLY: &'static Ty = &Ty::Any;
    const ANY_BODY: bool = true;
    fn spec(&self) -> Result<RequestSpec, Error> {
        Ok(spec(Method::Get, vec!["health".into(), "live".into()]))
    }
}
