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
//   /__log        the request log: [{method, path, auth}] ("auth": which auth header was set)
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

function route(mode, path, req, res) {
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
      log.push({
        method: req.method,
        path: url.pathname,
        auth: req.headers["authorization"] ? "authorization" : req.headers["x-api-key"] ? "x-api-key" : null,
      });
      // Drain any body before answering.
      req.resume();
      req.on("end", () => {
        if (mode === "slow") setTimeout(() => route("ok", path, req, res), 3000);
        else if (mode === "html") reply(res, 502, "<html><body>502 Bad Gateway</body></html>", "text/html");
        else if (mode === "garbage") reply(res, 200, "this is not json {", "text/plain");
        else route(mode, path, req, res);
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
