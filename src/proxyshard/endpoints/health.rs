//! Service probes (User API → Service), public: `health`, `healthLive`.
//!
//! Docs: <https://docs.proxyshard.com/> (User API → Service)

use tsify::Tsify;

use super::Validate;
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
