// The benchmark's HTTP peer, run in its own process so the client being measured has the
// event loop to itself: a documented `getMe` reply and a 100-order `listOrders` page, with
// keep-alive. Prints "listening http://127.0.0.1:PORT"; exits when stdin closes.
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = http.createServer((req, res) => {
    const body = req.url.startsWith("/user/api/orders") ? PAGE : ME;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${server.address().port}`));
  process.stdin.on("close", () => process.exit(0));
  process.stdin.resume();
}
