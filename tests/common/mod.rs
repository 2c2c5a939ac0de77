//! Helpers shared by the vendor test files (`tests/proxy_solutions.rs`, `tests/proxyshard.rs`).

use proxykit::validate::Hints;

/// The fields of every hint (advice that does not refuse the call); each rule says `hint:`.
pub fn hint_fields<E: Hints>(e: &E) -> Vec<String> {
    e.hints()
        .0
        .into_iter()
        .inspect(|h| assert!(h.rule.starts_with("hint: "), "{}", h.rule))
        .map(|h| h.field)
        .collect()
}
