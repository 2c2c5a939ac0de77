// The benchmark's HTTP peer, run in its own process so the client being measured has the
// event loop (and, on 2 cores, a core) to itself. A minimal `node:http` server with
// keep-alive and precomputed reply bodies: a documented ProxyShard `getMe` reply and a
// 100-order `listOrders` page (~17 KB). Listens on 127.0.0.1 only, prints
// "listening http://127.0.0.1:PORT", and exits when its stdin closes (the parent ended,
// normally or not), on SIGTERM/SIGINT, or after a hard lifetime cap.
//
// GET /__bench/last-headers answers the method, URL and headers of the last other request, so the
// bench can show that the hand-written wrapper sends what proxykit sends.
import http from "node:http";

export const ME = JSON.stringify({ email: "dev@example.com", active_orders: 3, wallet_balance: 1250 });
export const PAGE = JSON.stringify({
  success: true,
  orders: Array.from({ length: 100 }, (_, i) => ({
    order_id: 100000 + i,
    product_id: 1,
    product_name: "Datacenter Proxy",
    cycle_id: 3,
    cycle_name: "monthly",
    expires_at: "2026-12-22T10:00:00Z",
    auto_renewal: i % 2 === 0,
    tag: i % 3 === 0 ? null : `client-${i}`,
  })),
  count: 100,
  prev: null,
  next: "https://user-api.proxyshard.com/user/api/orders?status=all&offset=100&limit=100",
});

const LIFETIME_MS = 30 * 60_000;

if (import.meta.url === `file://${process.argv[1]}`) {
  const reply = (text) => {
    const body = Buffer.from(text);
    return { body, headers: { "content-type": "application/json", "content-length": String(body.length) } };
  };
  const me = reply(ME);
  const page = reply(PAGE);
  let last = {};
  const server = http.createServer((req, res) => {
    if (req.url === "/__bench/last-headers") {
      const r = reply(JSON.stringify(last));
      res.writeHead(200, r.headers);
      res.end(r.body);
      return;
    }
    last = { method: req.method, url: req.url, headers: req.headers };
    const r = req.url.startsWith("/user/api/orders") ? page : me;
    res.writeHead(200, r.headers);
    res.end(r.body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${server.address().port}`));
  const bye = () => process.exit(0);
  process.stdin.on("close", bye);
  process.stdin.on("end", bye);
  process.stdin.resume();
  process.on("SIGTERM", bye);
  process.on("SIGINT", bye);
  setTimeout(bye, LIFETIME_MS).unref();
}
