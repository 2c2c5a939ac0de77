// A small local HTTP peer for proxykit's wasm, JS and demo runs: documented replies of the
// first two operations plus fault routes, CORS for browser pages, bounded in time and in
// requests so a forgotten process cannot outlive its test run.
//
// Routes are "<mode>/<api path>":
//   /ok/...       the documented replies (ProxyShard key: "test-key"; Proxy-Solutions key
//                 optional, but a wrong one is rejected with 401)
//   /slow/...     the same after 3 s (timeouts, aborts)
//   /html/...     502 with an HTML page
//   /garbage/...  200 with a body that is not JSON
//   /missing/...  200 with JSON lacking required fields
//   /__log        the request log: [{method, path, auth, body}] ("auth": which header was set)
//   /__hold?mode=M&order_id=N  puts a ProxyShard order on hold (to test renewOrder)
//   any other first segment works like /ok/ with its own state (/flow-1/..., /flow-2/...)
//
// Proxy-Solutions under /ok/api: merchants, services (+ locations, price), and a small
// stateful order book: create (waiting) → charge (balance pays at once: active; other
// merchants get a payment url) → change (access data) → perform (mobile operations). Keys:
// X-API-KEY "test-key". 401/404 have no body; 422 is Laravel-style.
//
// CLI: node tests/server/server.mjs [--port N] [--max-requests N] [--ttl-seconds N]
// prints "listening http://127.0.0.1:PORT" and exits when either bound is reached.

import http from "node:http";
import { fileURLToPath } from "node:url";

export const TEST_KEY = "test-key";

const MERCHANTS = {
  merchants: [
    { code: "interkassa", name: "Interkassa", currencies: ["UAH", "USD", "EUR"] },
    { code: "balance", name: "API balance", currencies: ["USD"] },
  ],
};
const ME = { email: "dev@example.com", active_orders: 3, wallet_balance: 1250 };

function reply(res, status, body, type = "application/json") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const SERVICES = [
  { id: 4, provider: "server-proxies", name: "City proxies" },
  { id: 7, provider: "mobile", name: "Mobile proxies" },
  { id: 9, provider: "server-proxies", name: "Individual proxies" },
];
const LOCATION = { id: 24, type: "city", name: "New York", country_name: "USA" };
const UNIT_PRICE = { 4: 1.81, 7: 3.5, 9: 1.2 };

function price(serviceId, quantity = 1, period = 30, promocode) {
  const amount = Math.round(UNIT_PRICE[serviceId] * quantity * (period / 30) * 100) / 100;
  const discount = promocode === "PSPromo" ? 10 : 0;
  return { amount, discount, payer_amount: Math.round(amount * (100 - discount)) / 100 };
}

function psState() {
  return { nextId: 10000, orders: new Map() };
}

function invalid(res, field, message) {
  return reply(res, 422, { message: "The given data was invalid.", errors: { [field]: [message] } });
}

function psRoute(state, path, req, res, body) {
  const key = req.headers["x-api-key"];
  const authed = key === TEST_KEY;
  const needAuth = () => {
    if (!authed) reply(res, 401, "");
    return !authed;
  };
  let m;
  if (path === "/api/services" && req.method === "GET") return reply(res, 200, { services: SERVICES });
  if ((m = path.match(/^\/api\/services\/(\d+)\/locations$/)) && req.method === "GET") {
    if (!UNIT_PRICE[m[1]]) return reply(res, 404, "");
    return reply(res, 200, { locations: [LOCATION] });
  }
  if ((m = path.match(/^\/api\/services\/(\d+)\/price$/)) && req.method === "POST") {
    if (!UNIT_PRICE[m[1]]) return reply(res, 404, "");
    if (body.promocode === "EXPIRED") return invalid(res, "promocode", "The promocode has expired.");
    const p = price(m[1], body.quantity, body.period, body.promocode);
    return reply(res, 200, {
      lang: "EN", discount: p.discount, amount: p.amount, converted_amount: p.amount,
      merchant: body.merchant ?? null, payer_amount: p.payer_amount, payer_currency: body.currency ?? "USD",
    });
  }
  if (path === "/api/user/orders" && req.method === "GET") {
    if (needAuth()) return;
    return reply(res, 200, { lang: "EN", currency: "USD", orders: [...state.orders.values()] });
  }
  if (path === "/api/user/orders" && req.method === "POST") {
    if (needAuth()) return;
    const svc = SERVICES.find((s) => s.id === body.service_id);
    if (!svc) return invalid(res, "service_id", "The selected service id is invalid.");
    const p = price(svc.id, body.quantity, body.period);
    const order = {
      id: state.nextId++, status: "waiting", service: svc, location: LOCATION,
      period: body.period ?? 30, quantity: body.quantity ?? 1, minimal_payment: p.amount,
      amount: p.amount, converted_amount: p.amount, auto_continuation: false,
      allowed_operations: [], resources_allocated: false,
    };
    state.orders.set(order.id, order);
    return reply(res, 200, { lang: "EN", currency: "USD", orders: [order] });
  }
  if ((m = path.match(/^\/api\/user\/orders\/(\d+)(\/charge|\/perform)?$/)) && req.method === "POST") {
    const order = state.orders.get(Number(m[1]));
    if (m[2] === "/charge") {
      if (body.merchant === "balance" && needAuth()) return;
      if (!order) return reply(res, 404, "");
      const p = price(order.service.id, order.quantity, body.period ?? order.period, body.promocode);
      if (body.merchant === "balance") {
        order.status = "active";
        order.resources_allocated = true;
        order.access = { port: 8000, login: `ps${order.id}`, password: "sandbox-pass", ip_list: [] };
        order.proxies = Array.from({ length: order.quantity }, (_, i) => ({ ip: `10.0.0.${i + 1}` }));
        if (order.service.id === 7) order.allowed_operations = ["channels-change-ip", "channels-reset", "channels-set-autoreset"];
        return reply(res, 200, { payment: { discount: p.discount, merchant: "balance", payer_currency: "USD", payer_amount: p.payer_amount } });
      }
      return reply(res, 200, {
        payment: {
          discount: p.discount, merchant: body.merchant, payer_currency: body.currency,
          payer_amount: p.payer_amount, url: `https://pay.example.test/${body.merchant}/${order.id}`,
        },
      });
    }
    if (needAuth()) return;
    if (!order) return reply(res, 404, "");
    if (m[2] === "/perform") {
      if (!order.allowed_operations.includes(body.operation)) return invalid(res, "operation", "The operation is not allowed.");
      return reply(res, 200, { operation_status: "complete", order });
    }
    order.access ??= { port: 8000, login: `ps${order.id}`, password: "sandbox-pass", ip_list: [] };
    for (const k of ["port", "login", "password"]) if (body[k] !== undefined) order.access[k] = body[k];
    if (body.gen_password) order.access.password = `gen-${order.id}`;
    if (body.ip_auth !== undefined) order.access.ip_list = Array.isArray(body.ip_auth) ? body.ip_auth : [];
    if (body.quantity !== undefined) order.quantity = body.quantity;
    return reply(res, 200, { currency: "USD", order });
  }
  if (path === "/api/user/balance/charge" && req.method === "POST") {
    if (needAuth()) return;
    return reply(res, 200, { payment: { discount: 0, merchant: body.merchant, payer_currency: body.currency, payer_amount: body.payer_amount ?? body.amount, url: "https://pay.example.test/topup" } });
  }
  return null;
}

// ---------------------------------------------------------------- ProxyShard (/ok/user/api)
// Wallet in cents, DC/ISP/residential purchases, paged orders (45 seeded cancelled orders for
// paging), renew only on-hold (POST /__hold?order_id= puts one on hold), tags, add-ons with
// p0f slot accounting, sub-users, geo lists, health. Errors are {success:false, message}.

const PRODUCTS = [
  { name: "Datacenter Proxy", description: "DC", location: "DE", cycles: ["monthly", "weekly"] },
  { name: "ISP Proxy", description: null, location: "US", cycles: ["monthly"] },
  { name: "Standart Residential Proxy", description: null, location: null, cycles: ["lifetime"] },
  { name: "Unmetered Residential proxy", description: null, location: null, cycles: ["monthly"] },
];
const UNIT_CENTS = { "Datacenter Proxy": 150, "ISP Proxy": 300, "Standart Residential Proxy": 350, "Unmetered Residential proxy": 9900 };

function shardState() {
  // The documented example account: $12.50, 3 active orders; plus 45 cancelled ones so
  // that paging has several pages.
  const st = { wallet: 1250, nextOrder: 500, orders: new Map(), subUsers: new Map(), nextUser: 1 };
  for (let i = 0; i < 48; i++) {
    const id = st.nextOrder++;
    st.orders.set(id, {
      order_id: id, product_id: 1, product_name: "Datacenter Proxy", cycle_id: 1, cycle_name: "monthly",
      quantity: 2, price_paid: 300, addons_price_paid: 0, addons: [], p0f_slots_available: 0,
      p0f_slots_used: 0, p0f_slots_next: 0, status: i < 3 ? "active" : "cancelled",
      created_at: "2026-01-01T00:00:00Z", expires_at: "2026-02-01T00:00:00Z", promo_code: null,
      auto_renewal: false, tag: null, signed: {}, proxies: ["192.0.2.1", "192.0.2.2"],
    });
  }
  return st;
}

const fail = (res, status, message) => reply(res, status, { success: false, message });
const ok = (res, extra = {}) => reply(res, 200, { success: true, ...extra });
const summary = (o) => ({
  order_id: o.order_id, product_id: o.product_id, product_name: o.product_name, cycle_id: o.cycle_id,
  cycle_name: o.cycle_name, expires_at: o.expires_at, auto_renewal: o.auto_renewal, tag: o.tag,
});
const detail = (o) => {
  const { signed, proxies, ...rest } = o;
  return rest;
};
const isDcIsp = (o) => o.product_name === "Datacenter Proxy" || o.product_name === "ISP Proxy";

function priceOf(q) {
  const unit = UNIT_CENTS[q.product] ?? 1000;
  const qty = Number(q.quantity ?? 1);
  const original = unit * qty;
  const discount = q.promo_code === "SAVE10" ? 10 : 0;
  const addons = (q.addons ?? []).reduce((t, a) => t + (a.addon_key === "p0f_slots" ? 30 * a.qty : 0), 0);
  const final = Math.round((original * (100 - discount)) / 100);
  return { original_price: original, final_price: final, discount_percent: discount, addons_price: addons, total_with_addons: final + addons };
}

function shardRoute(st, path, req, res, body, q, base) {
  if (path === "/health" && req.method === "GET") return reply(res, 200, { status: "ok" });
  if (path === "/health/live" && req.method === "GET") return reply(res, 200, "OK", "text/plain");
  if (!path.startsWith("/user/api/")) return null;
  if (req.headers["authorization"] !== `Bearer ${TEST_KEY}`) return fail(res, 401, "Unauthorized");
  const p = path.slice("/user/api".length);
  const M = req.method;
  let m;
  if (p === "/me" && M === "GET") {
    const active = [...st.orders.values()].filter((o) => o.status === "active").length;
    return reply(res, 200, { email: "dev@example.com", active_orders: active, wallet_balance: st.wallet });
  }
  if (p === "/proxies/products" && M === "GET") return ok(res, { products: PRODUCTS });
  if (p === "/proxies/available-count" && M === "GET") return reply(res, 200, [{ country: "DE", product: "dc", amount: 120 }, { country: "US", product: "isp", amount: 40 }]);
  if (p === "/orders/calculate" && M === "GET") {
    const addons = q.get("addons_json") ? JSON.parse(q.get("addons_json")) : [];
    return reply(res, 200, priceOf({ product: q.get("product"), quantity: q.get("quantity"), promo_code: q.get("promo_code"), addons }));
  }
  if (p === "/orders/purchase" && M === "POST") {
    const product = PRODUCTS.find((x) => x.name === body.product);
    if (!product) return fail(res, 400, "Unknown product");
    const price = priceOf(body);
    if (price.total_with_addons > st.wallet) return fail(res, 400, "Insufficient wallet balance");
    st.wallet -= price.total_with_addons;
    const id = st.nextOrder++;
    const qty = body.quantity ?? 1;
    const slots = (body.addons ?? []).filter((a) => a.addon_key === "p0f_slots").reduce((t, a) => t + a.qty, 0);
    st.orders.set(id, {
      order_id: id, product_id: PRODUCTS.indexOf(product) + 1, product_name: product.name, cycle_id: 1,
      cycle_name: body.cycle ?? "lifetime", quantity: qty, price_paid: price.final_price,
      addons_price_paid: price.addons_price,
      addons: slots ? [{ addon_key: "p0f_slots", catalog_id: 7, qty: slots, price_per_unit: 30, pending: null }] : [],
      p0f_slots_available: slots, p0f_slots_used: 0, p0f_slots_next: slots, status: "active",
      created_at: "2026-11-22T00:00:00Z", expires_at: "2026-12-22T00:00:00Z", promo_code: body.promo_code ?? null,
      auto_renewal: body.auto_renewal ?? false, tag: null, signed: {},
      proxies: Array.from({ length: qty }, (_, i) => `192.0.2.${i + 10}`),
    });
    return ok(res, { message: "Order paid successfully", order_id: id });
  }
  if (p === "/orders" && M === "GET") {
    const status = q.get("status");
    const offset = Number(q.get("offset") ?? 0);
    const limit = Number(q.get("limit") ?? 20);
    const all = [...st.orders.values()].filter((o) => status === "all" || o.status === status);
    const page = all.slice(offset, offset + limit).map(summary);
    const link = (o) => `${base}/user/api/orders?status=${status}&offset=${o}&limit=${limit}`;
    return ok(res, {
      orders: page, count: page.length,
      prev: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      next: offset + limit < all.length ? link(offset + limit) : null,
    });
  }
  if ((m = p.match(/^\/orders\/change-billing-cycle\/(\d+)$/)) && M === "POST") {
    const o = st.orders.get(Number(m[1]));
    if (!o) return fail(res, 400, "Order not found");
    if (!isDcIsp(o)) return fail(res, 400, "Invalid product type");
    if (body.cycle === "yearly") return fail(res, 403, "Cycle not available");
    o.cycle_name = body.cycle;
    return ok(res, { message: "Billing cycle changed", order_id: o.order_id, original_price: o.price_paid, final_price: o.price_paid, discount_percent: 0 });
  }
  if ((m = p.match(/^\/orders\/edit-auto-renewal\/(\d+)$/)) && M === "POST") {
    const o = st.orders.get(Number(m[1]));
    if (!o || !isDcIsp(o)) return fail(res, 400, "Invalid product type");
    o.auto_renewal = q.get("auto_renewal") === "true";
    return ok(res, { message: "Auto renewal updated" });
  }
  if ((m = p.match(/^\/orders\/(\d+)(\/.*)?$/))) {
    const o = st.orders.get(Number(m[1]));
    if (!o) return fail(res, 400, "Order not found");
    const rest = m[2] ?? "";
    if (rest === "" && M === "GET") return ok(res, { order: detail(o) });
    if (rest === "/renew" && M === "POST") {
      if (o.status !== "on-hold") return fail(res, 400, "Only on-hold orders can be renewed");
      if (o.price_paid > st.wallet) return fail(res, 400, "Insufficient wallet balance");
      st.wallet -= o.price_paid;
      o.status = "active";
      return ok(res, { message: "Order renewed successfully" });
    }
    if (rest === "/tag" && M === "POST") {
      o.tag = body.tag;
      return ok(res, { message: "Order tag updated" });
    }
    if (rest === "/add-bandwidth" && M === "POST") {
      if (isDcIsp(o)) return fail(res, 400, "Not a residential order");
      o.quantity += body.amount;
      return ok(res, { message: "Order paid successfully" });
    }
    if (!isDcIsp(o)) return fail(res, 403, "Method unavailable for this order");
    if (rest === "/del-np/set" && M === "POST") {
      const marked = body.items.filter((i) => i.value).length;
      if (marked >= o.quantity) return fail(res, 400, "At least one IP must remain (keep=0)");
      return ok(res, { message: "Updated" });
    }
    if (rest === "/signature/set" && M === "POST") {
      let updated = 0;
      for (const item of body.items) {
        if (!(item.ip in o.signed)) {
          if (o.p0f_slots_used >= o.p0f_slots_available) return fail(res, 400, "Not enough free p0f slots");
          o.p0f_slots_used += 1;
        }
        o.signed[item.ip] = item.signature;
        updated += 1;
      }
      return ok(res, { message: "Signatures updated", updated });
    }
    const line = () => o.addons.find((a) => a.addon_key === (body.addon_key ?? q.get("addon_key")));
    if (rest === "/addons/calculate" && M === "GET") {
      const add = Number(q.get("add_qty"));
      const cur = line()?.qty ?? 0;
      return ok(res, { addon_key: q.get("addon_key"), catalog_id: 7, price_per_unit: 30, current_qty: cur, add_qty: add, new_qty: cur + add, add_total: 30 * add });
    }
    if (rest === "/addons/purchase" && M === "POST") {
      if (o.status !== "active") return fail(res, 400, "Order is not active");
      const cost = 30 * body.add_qty;
      if (cost > st.wallet) return fail(res, 400, "Insufficient wallet balance");
      st.wallet -= cost;
      let l = line();
      if (!l) o.addons.push((l = { addon_key: body.addon_key, catalog_id: 7, qty: 0, price_per_unit: 30, pending: null }));
      l.qty += body.add_qty;
      o.addons_price_paid += cost;
      if (body.addon_key === "p0f_slots") o.p0f_slots_available = o.p0f_slots_next = l.qty;
      return ok(res, { message: "Add-on purchased", addons_price_paid: o.addons_price_paid, addons: o.addons });
    }
    if (rest === "/addons/schedule" && M === "POST") {
      const l = line();
      if (!l || body.next_qty >= l.qty) return fail(res, 400, "next_qty must be below the current quantity");
      l.pending = { action: "downgrade", next_qty: body.next_qty };
      if (body.addon_key === "p0f_slots") o.p0f_slots_next = body.next_qty;
      return ok(res, { message: "Downgrade scheduled", addons: o.addons });
    }
    if (rest === "/addons/schedule/cancel" && M === "POST") {
      const l = line();
      if (l) l.pending = null;
      if (l && body.addon_key === "p0f_slots") o.p0f_slots_next = l.qty;
      return ok(res, { message: "Downgrade cancelled", addons: o.addons });
    }
  }
  if (p === "/proxies/active" && M === "GET") {
    const o = st.orders.get(Number(q.get("order_id")));
    if (!o) return fail(res, 400, "Order not found");
    if (!isDcIsp(o)) return fail(res, 403, "Method unavailable for this order");
    return ok(res, {
      data: (o.proxies ?? []).map((ip) => ({
        ip, username: `u${o.order_id}`, password: "sandbox-pass", http_port: 8080, socks_port: 1080,
        until: o.expires_at, status: "active", signature: o.signed[ip] ?? null,
      })),
      order_tag: o.tag,
    });
  }
  const type = q.get("proxy_type");
  const typeOk = () => ["standart", "premium", "unlimited"].includes(type);
  if (p === "/proxies/profile" && M === "GET") {
    if (!typeOk()) return fail(res, 400, "Invalid proxy_type");
    return ok(res, { data: 10 * 2 ** 30, data_remain: 7 * 2 ** 30, data_spent: 3 * 2 ** 30, proxy_password: "owner-pass" });
  }
  if (p === "/proxies/sub-users" && M === "GET") {
    const offset = Number(q.get("offset") ?? 0);
    const limit = Number(q.get("limit") ?? 20);
    const all = [...st.subUsers.values()];
    return ok(res, { count: all.length, data: all.slice(offset, offset + limit) });
  }
  if (p === "/proxies/sub-user" && M === "POST") {
    if (!typeOk()) return fail(res, 400, "Invalid proxy_type");
    const u = { user_id: `su-${st.nextUser++}`, first_name: body.name, proxy_password: `pw-${st.nextUser}`, data: body.data * 2 ** 30, data_spent: 0, data_remain: body.data * 2 ** 30 };
    st.subUsers.set(u.user_id, u);
    const { data_remain, ...created } = u;
    return ok(res, { data: [created] });
  }
  if ((m = p.match(/^\/proxies\/sub-user\/([^/]+)(\/.*)?$/))) {
    const u = st.subUsers.get(decodeURIComponent(m[1]));
    if (!u) return fail(res, 400, "Sub user not found");
    const rest = m[2] ?? "";
    if (rest === "" && M === "GET") {
      const { user_id, data_remain, ...d } = u;
      return ok(res, { data: [d] });
    }
    if (rest === "" && M === "PATCH") {
      u.first_name = body.name;
      return ok(res, { message: "Sub user edited successfully" });
    }
    if (rest === "" && M === "DELETE") {
      st.subUsers.delete(u.user_id);
      return ok(res, { message: "Sub user deleted successfully" });
    }
    if (rest === "/data/add" && M === "POST") {
      u.data += body.data * 2 ** 30;
      u.data_remain += body.data * 2 ** 30;
      return ok(res, { message: "Traffic added to sub user successfully" });
    }
    if (rest === "/data/subtract" && M === "POST") {
      u.data -= body.data * 2 ** 30;
      u.data_remain -= body.data * 2 ** 30;
      return ok(res, { message: "Traffic subtracted from sub user successfully" });
    }
    if (rest === "/password" && M === "POST") {
      u.proxy_password = `pw-new-${u.user_id}`;
      return ok(res, { message: "Sub user password changed successfully" });
    }
  }
  const de = { code: "de", name: "Germany" };
  if (p === "/proxies/countries" && M === "GET") return reply(res, 200, { count: 1, results: [de] });
  if (p === "/proxies/regions" && M === "GET") return reply(res, 200, { count: 1, results: [{ code: "be", name: "Berlin", country: de }] });
  if (p === "/proxies/cities" && M === "GET") return reply(res, 200, { count: 1, results: [{ code: "berlin", name: "Berlin", country: de, region: { code: "be", name: "Berlin" } }] });
  if (p === "/proxies/isps" && M === "GET") {
    if (type !== "premium") return fail(res, 400, "ISP targeting is available for the premium package only");
    return reply(res, 200, { count: 1, results: [{ code: "dtag", name: "Deutsche Telekom", country: de, region: { code: "be", name: "Berlin" } }] });
  }
  return null;
}

function route(mode, path, req, res, state, body, q, base) {
  if (mode !== "missing" && shardRoute(state.shard, path, req, res, body, q, `${base}/${mode}`) !== null) return;
  if (path.startsWith("/api/") && path !== "/api/merchants" && mode !== "missing") {
    if (psRoute(state.ps, path, req, res, body) !== null) return;
  }
  const auth = req.headers["authorization"];
  const psKey = req.headers["x-api-key"];
  if (path === "/api/merchants" && req.method === "GET") {
    if (psKey !== undefined && psKey !== TEST_KEY) return reply(res, 401, "");
    if (mode === "missing") return reply(res, 200, { merchants: [{ code: "x" }] });
    return reply(res, 200, MERCHANTS);
  }
  if (path === "/user/api/me" && req.method === "GET") {
    if (auth !== `Bearer ${TEST_KEY}`) return reply(res, 401, { success: false, message: "Unauthorized" });
    if (mode === "missing") return reply(res, 200, { email: "dev@example.com" });
    return reply(res, 200, ME);
  }
  return reply(res, 404, { success: false, message: `no route ${req.method} ${path}` });
}

export function startServer({ port = 0, maxRequests = 10_000, ttlSeconds = 600, quiet = true } = {}) {
  const log = [];
  // Each first path segment ("mode") has its own state, so tests that buy things do not
  // change what other tests read: /ok/..., /flow-1/..., etc.
  const states = new Map();
  const stateOf = (mode) => {
    if (!states.has(mode)) states.set(mode, { ps: psState(), shard: shardState() });
    return states.get(mode);
  };
  let served = 0;
  const server = http.createServer((req, res) => {
    served += 1;
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-methods", "GET, POST, PATCH, DELETE, OPTIONS");
    res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] || "*");
    res.setHeader("access-control-expose-headers", "retry-after");
    res.setHeader("access-control-max-age", "600");
    const url = new URL(req.url, "http://127.0.0.1");
    if (req.method === "OPTIONS") {
      res.writeHead(204);
      res.end();
    } else if (url.pathname === "/__log") {
      reply(res, 200, log);
    } else if (url.pathname === "/__hold") {
      const o = stateOf(url.searchParams.get("mode") ?? "ok").shard.orders.get(Number(url.searchParams.get("order_id")));
      if (o) o.status = "on-hold";
      reply(res, o ? 200 : 404, { ok: Boolean(o) });
    } else {
      const [, mode, ...rest] = url.pathname.split("/");
      const path = "/" + rest.join("/");
      const entry = {
        method: req.method,
        path: url.pathname + url.search,
        auth: req.headers["authorization"] ? "authorization" : req.headers["x-api-key"] ? "x-api-key" : null,
        body: undefined,
      };
      log.push(entry);
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        let body = {};
        const text = Buffer.concat(chunks).toString("utf8");
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            return reply(res, 400, { success: false, message: "body is not JSON" });
          }
          entry.body = body;
        }
        const base = `http://${req.headers.host}`;
        const state = stateOf(mode === "slow" ? "ok" : mode);
        if (mode === "slow") setTimeout(() => route("ok", path, req, res, state, body, url.searchParams, base), 3000);
        else if (mode === "html") reply(res, 502, "<html><body>502 Bad Gateway</body></html>", "text/html");
        else if (mode === "garbage") reply(res, 200, "this is not json {", "text/plain");
        else route(mode, path, req, res, state, body, url.searchParams, base);
      });
    }
    if (served >= maxRequests) {
      if (!quiet) console.error(`test server: ${maxRequests} requests served, closing`);
      setImmediate(() => server.close());
    }
  });
  const timer = setTimeout(() => {
    if (!quiet) console.error(`test server: ${ttlSeconds} s elapsed, closing`);
    server.close();
    server.closeAllConnections?.();
  }, ttlSeconds * 1000);
  timer.unref();
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      resolve({
        url: `http://127.0.0.1:${p}`,
        log,
        close: () =>
          new Promise((r) => {
            clearTimeout(timer);
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const s = await startServer({
    port: arg("--port", 0),
    maxRequests: arg("--max-requests", 10_000),
    ttlSeconds: arg("--ttl-seconds", 600),
    quiet: false,
  });
  console.log(`listening ${s.url}`);
}
