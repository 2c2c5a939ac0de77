//! Residential Proxies: traffic top-ups, the owner's traffic and sub-users
//! (`shared/api/proxyshard.md` §6.3; the geo lists of the same group are in [`super::geo`]).

use serde_json::{json, Value};

use super::catalogue::{promo_discount, unit_cents, Kind, GB};
use super::{bad, check, msg, ok, Call, Fail, State, SubUser};
use crate::input::Body;
use crate::Reply;

/// `POST /user/api/orders/{id}/add-bandwidth`: buys GB for a Standard or Premium
/// residential order and credits its package.
pub(super) fn add_bandwidth(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let id = c.id;
    let amount = b.req_int("amount");
    let promo = b.str("promo_code");
    check(b)?;
    let i = st.order_index(a, id)?;
    let acc = &mut st.accounts[a];
    let o = &mut acc.orders[i];
    let Kind::Traffic(t) = o.product().kind else {
        return Err(bad(
            "Bandwidth can only be added to Standard or Premium residential orders",
        ));
    };
    let amount = amount.unwrap_or(0);
    if !(1..=1_000_000).contains(&amount) {
        return Err(bad("amount must be between 1 and 1000000 GB"));
    }
    let discount = match &promo {
        Some(code) => promo_discount(code, "lifetime")?,
        None => 0,
    };
    let cost = unit_cents(o.product().kind, "lifetime") * amount * (100 - discount) / 100;
    if acc.wallet < cost {
        return Err(bad("Insufficient balance"));
    }
    acc.wallet -= cost;
    o.quantity += amount;
    o.price_paid += cost;
    if let Some(p) = acc.packages.iter_mut().find(|p| p.proxy_type == t) {
        p.purchased += amount * GB;
    }
    Ok(msg("Order paid successfully"))
}

/// `GET /user/api/proxies/profile?proxy_type=`: the owner's traffic (bytes) and gateway
/// password; needs a purchase of that package.
pub(super) fn get_residential_profile(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let t = proxy_type(q)?;
    let p = st.package(a, t)?;
    let (data, remain) = if t == "unlimited" {
        (0, 0)
    } else {
        (p.owner_data(), p.owner_remain())
    };
    Ok(ok(
        json!({"data": data, "data_remain": remain, "data_spent": p.owner_spent, "proxy_password": p.password}),
    ))
}

/// `GET /user/api/proxies/sub-users?proxy_type=`: a page of the package's sub-users.
pub(super) fn list_sub_users(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let t = proxy_type(q)?;
    let offset = q.int("offset").unwrap_or(0).max(0) as usize;
    let limit = q.int("limit").unwrap_or(20);
    check(q)?;
    if limit < 1 {
        return Err(bad("limit must be at least 1"));
    }
    let subs = st.accounts[a]
        .packages
        .iter()
        .find(|p| p.proxy_type == t)
        .map(|p| p.subs.clone())
        .unwrap_or_default();
    let data: Vec<Value> = subs
        .iter()
        .skip(offset)
        .take(limit as usize)
        .map(|s| {
            json!({
                "user_id": s.id, "first_name": s.name, "proxy_password": s.password,
                "data": s.data, "data_spent": s.spent, "data_remain": (s.data - s.spent).max(0),
            })
        })
        .collect();
    Ok(ok(json!({"count": subs.len(), "data": data})))
}

/// `POST /user/api/proxies/sub-user?proxy_type=`: a sub-user with GB carved from the
/// owner's traffic.
pub(super) fn create_sub_user(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let q = &mut c.q;
    let t = proxy_type(q)?;
    let name = b.req_str("name");
    let data = b.req_int("data");
    check(b)?;
    let name = name.unwrap_or_default();
    let gb = data.unwrap_or(0);
    if name.trim().is_empty() {
        return Err(bad("name must not be empty"));
    }
    if !(1..=1_000_000).contains(&gb) {
        return Err(bad("data must be between 1 and 1000000 GB"));
    }
    let id = format!(
        "{}-{}",
        st.rng.token(8).to_lowercase(),
        st.rng.token(4).to_lowercase()
    );
    let password = st.rng.token(16);
    let p = st.package_mut(a, t)?;
    if t != "unlimited" && p.owner_remain() < gb * GB {
        return Err(bad(format!(
            "Not enough traffic: {} GB left to share",
            p.owner_remain() / GB
        )));
    }
    let s = SubUser {
        id,
        name,
        password,
        data: gb * GB,
        spent: 0,
    };
    let out = json!({"user_id": s.id, "first_name": s.name, "proxy_password": s.password, "data": s.data, "data_spent": s.spent});
    p.subs.push(s);
    Ok(ok(json!({"data": [out]})))
}

/// `GET /user/api/proxies/sub-user/{user_id}?proxy_type=`: one sub-user.
pub(super) fn get_sub_user(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let id = c.user.clone();
    let t = proxy_type(q)?;
    let (pi, si) = st.sub_user(a, &id, Some(t))?;
    let s = &st.accounts[a].packages[pi].subs[si];
    Ok(ok(
        json!({"data": [{"first_name": s.name, "proxy_password": s.password, "data": s.data, "data_spent": s.spent}]}),
    ))
}

/// `PATCH /user/api/proxies/sub-user/{user_id}?proxy_type=`: a new name.
pub(super) fn rename_sub_user(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let q = &mut c.q;
    let id = c.user.clone();
    let t = proxy_type(q)?;
    let name = b.req_str("name");
    check(b)?;
    let name = name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(bad("name must not be empty"));
    }
    let (pi, si) = st.sub_user(a, &id, Some(t))?;
    st.accounts[a].packages[pi].subs[si].name = name;
    Ok(msg("Sub user edited successfully"))
}

/// `DELETE /user/api/proxies/sub-user/{user_id}`: its traffic goes back to the owner.
pub(super) fn delete_sub_user(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    let a = c.a;
    let id = c.user.clone();
    let (pi, si) = st.sub_user(a, &id, None)?;
    st.accounts[a].packages[pi].subs.remove(si);
    Ok(msg("Sub user deleted successfully"))
}

/// `POST /user/api/proxies/sub-user/{user_id}/data/add?proxy_type=`: GB from the owner's
/// traffic (unlimited packages have no meter).
pub(super) fn add_sub_user_traffic(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    sub_user_traffic(st, c, true)
}

/// `POST /user/api/proxies/sub-user/{user_id}/data/subtract?proxy_type=`: unspent GB back
/// to the owner.
pub(super) fn subtract_sub_user_traffic(st: &mut State, c: &mut Call<'_>) -> Result<Reply, Fail> {
    sub_user_traffic(st, c, false)
}

/// Moves traffic between the owner and a sub-user (`adding`: to the sub-user).
fn sub_user_traffic(st: &mut State, c: &mut Call<'_>, adding: bool) -> Result<Reply, Fail> {
    let a = c.a;
    let b = &mut c.b;
    let q = &mut c.q;
    let id = c.user.clone();
    let t = proxy_type(q)?;
    let data = b.req_int("data");
    check(b)?;
    let gb = data.unwrap_or(0);
    if !(1..=1_000_000).contains(&gb) {
        return Err(bad("data must be between 1 and 1000000 GB"));
    }
    let (pi, si) = st.sub_user(a, &id, Some(t))?;
    let p = &mut st.accounts[a].packages[pi];
    if adding {
        if t != "unlimited" && p.owner_remain() < gb * GB {
            return Err(bad(format!(
                "Not enough traffic: {} GB left to share",
                p.owner_remain() / GB
            )));
        }
        p.subs[si].data += gb * GB;
        Ok(msg("Traffic added to sub user successfully"))
    } else {
        let s = &mut p.subs[si];
        if s.data - s.spent < gb * GB {
            return Err(bad(format!(
                "Not enough traffic on the sub user: {} GB unspent",
                (s.data - s.spent) / GB
            )));
        }
        s.data -= gb * GB;
        Ok(msg("Traffic subtracted from sub user successfully"))
    }
}

/// `POST /user/api/proxies/sub-user/{user_id}/password?proxy_type=`: a new gateway
/// password.
pub(super) fn regenerate_sub_user_password(
    st: &mut State,
    c: &mut Call<'_>,
) -> Result<Reply, Fail> {
    let a = c.a;
    let q = &mut c.q;
    let id = c.user.clone();
    let t = proxy_type(q)?;
    let (pi, si) = st.sub_user(a, &id, Some(t))?;
    st.accounts[a].packages[pi].subs[si].password = st.rng.token(16);
    Ok(msg("Sub user password changed successfully"))
}

/// The `proxy_type` query field: `standart`, `premium` or `unlimited`.
pub(super) fn proxy_type(q: &mut Body) -> Result<&'static str, Fail> {
    match q.str("proxy_type").as_deref() {
        Some("standart") => Ok("standart"),
        Some("premium") => Ok("premium"),
        Some("unlimited") => Ok("unlimited"),
        Some(other) => Err(bad(format!(
            "Invalid proxy_type `{other}` (expected standart, premium or unlimited)"
        ))),
        None => Err(bad("Query deserialize error: missing field `proxy_type`")),
    }
}
