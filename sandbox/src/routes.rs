//! Path matching for the providers' route tables. Each provider lists its operations as
//! `(method, path pattern, operationId, handler)` rows in the vendor's catalogue order, with
//! path parameters written as in the OpenAPI files (`/user/api/orders/{id}/renew`). A request
//! takes the first row of its method and shape (same segments, `{…}` matching any one); when
//! that row's parameters do not parse, the request has no route (no later row is tried), so a
//! literal segment such as `/orders/calculate` must come before `/orders/{id}`.

/// The segments of a path: without trailing slashes and without the leading one
/// (`/user/api/me/` → `user`, `api`, `me`).
pub(crate) fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.trim_end_matches('/').split('/').skip(1)
}

/// Whether `pattern` has the shape of `segs`: as many segments, the same literals.
pub(crate) fn shape_matches<S: AsRef<str>>(pattern: &str, segs: &[S]) -> bool {
    let mut n = 0;
    for (i, p) in segments(pattern).enumerate() {
        match segs.get(i) {
            Some(s) if p.starts_with('{') || p == s.as_ref() => n += 1,
            _ => return false,
        }
    }
    n == segs.len()
}

/// The `{name}` parameters of a matching `pattern`, with the segments they matched.
pub(crate) fn params<'s, S: AsRef<str>>(
    pattern: &'static str,
    segs: &'s [S],
) -> impl Iterator<Item = (&'static str, &'s str)> {
    segments(pattern)
        .zip(segs)
        .filter(|(p, _)| p.starts_with('{'))
        .map(|(p, s)| (p, s.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_params() {
        let segs: Vec<&str> = segments("/user/api/orders/42/renew/").collect();
        assert_eq!(segs, ["user", "api", "orders", "42", "renew"]);
        assert!(shape_matches("/user/api/orders/{id}/renew", &segs));
        assert!(!shape_matches("/user/api/orders/{id}/tag", &segs));
        assert!(!shape_matches("/user/api/orders/{id}", &segs));
        assert!(!shape_matches("/user/api/orders/{id}/renew/x", &segs));
        assert_eq!(
            params("/user/api/orders/{id}/renew", &segs).collect::<Vec<_>>(),
            [("{id}", "42")]
        );
        assert_eq!(segments("/").count(), 0);
        assert!(!shape_matches("/health", &Vec::<&str>::new()));
    }
}
