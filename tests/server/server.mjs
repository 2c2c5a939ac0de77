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

function route(mode, path, req, res, state, body) {
  if (path.startsWith("/api/") && path !== "/api/merchants" && mode === "ok") {
    if (psRoute(state, path, req, res, body) !== null) return;
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
  const state = psState();
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
        if (mode === "slow") setTimeout(() => route("ok", path, req, res, state, body), 3000);
        else if (mode === "html") reply(res, 502, "<html><body>502 Bad Gateway</body></html>", "text/html");
        else if (mode === "garbage") reply(res, 200, "this is not json {", "text/plain");
        else route(mode, path, req, res, state, body);
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
