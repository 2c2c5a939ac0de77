// Secrets and bad replies (issue 6): the API key and proxy passwords never show up in an
// error, its JSON or inspection, or a client's; a 10 MB body, an empty body, HTML, truncated
// JSON and a hanging server each end as a typed error that keeps the status and a short,
// redacted snippet.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { inspect } from "node:util";
import { ProxyShardClient, ProxySolutionsClient } from "proxykit";
import { createSandbox } from "proxykit-sandbox";

const KEY = "sandbox-shard-key";
const everything = (x) => [String(x), JSON.stringify(x), inspect(x, { depth: 10, showHidden: true }), x?.stack ?? ""].join("\n");

test("the key and proxy passwords stay out of errors and clients", async () => {
  const sb = createSandbox({ seed: 9 });
  const shard = new ProxyShardClient({ apiKey: KEY, fetch: sb.fetch, retries: 0 });
  const { order_id } = await shard.purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2 });
  const { data } = await shard.listActiveProxies({ order_id });
  const password = data[0].password;
  assert.ok(password.length >= 8, "the caller gets the password");
  // A reply cut in the middle: the decode error's snippet holds the start of the body.
  for (const fault of ["truncate", "not-json"]) {
    sb.setFaults({ rate: 1, kinds: [fault], operations: ["listActiveProxies"] });
    const e = await shard.listActiveProxies({ order_id }).catch((x) => x);
    assert.equal(e.code, "decode", fault);
    const text = everything(e);
    assert.ok(!text.includes(password), `${fault}: proxy password in the error:\n${text}`);
    assert.ok(!text.includes(KEY), `${fault}: key in the error`);
    if (fault === "truncate") assert.match(e.snippet, /"password":"<redacted>"/);
    assert.ok(e.snippet.length <= 210, "a short snippet");
  }
  sb.setFaults({});
  // An error body that echoes the key and a password.
  const echo = new ProxyShardClient({
    apiKey: KEY,
    fetch: async () => new Response(JSON.stringify({ success: false, message: `bad key ${KEY}`, proxy_password: password }), { status: 400 }),
  });
  const e = await echo.getMe().catch((x) => x);
  assert.equal(e.status, 400);
  assert.ok(!everything(e).includes(KEY) && !everything(e).includes(password), everything(e));
  assert.equal(e.body.proxy_password, "<redacted>");
  // The client object itself.
  for (const c of [shard, new ProxySolutionsClient({ apiKey: KEY })]) {
    assert.ok(!everything(c).includes(KEY), everything(c));
  }
});

test("bad replies: 10 MB, empty, HTML, truncated, hanging — each a typed error with its status", { timeout: 30_000 }, async () => {
  const big = "x".repeat(10 * 1024 * 1024);
  const bigJson = JSON.stringify({ email: "a@b.c", active_orders: 1, wallet_balance: 1, pad: "y".repeat(10 * 1024 * 1024) });
  const server = http.createServer((req, res) => {
    const send = (status, body, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    switch (req.url) {
      case "/big/user/api/me": return send(200, big, "text/plain");
      case "/bigjson/user/api/me": return send(200, bigJson);
      case "/bigerror/user/api/me": return send(500, big, "text/plain");
      case "/empty/user/api/me": return send(200, "");
      case "/html/user/api/me": return send(503, "<html><body>down</body></html>", "text/html");
      case "/cut/user/api/me": return send(200, '{"email":"a@b.c","active_or');
      case "/hang/user/api/me": return; // never answers
      default: return send(404, "{}");
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const client = (mode) => new ProxyShardClient({ apiKey: KEY, baseUrl: `${base}/${mode}`, retries: 0, timeout: 2_000 });
  try {
    const expect = async (mode, code, status) => {
      const t0 = performance.now();
      const e = await client(mode).getMe().catch((x) => x);
      assert.equal(e.code, code, `${mode}: ${e.message}`);
      assert.equal(e.status, status, mode);
      return { e, ms: performance.now() - t0 };
    };
    const { e: bigE } = await expect("big", "decode", 200);
    assert.ok(bigE.snippet.length <= 210, "the snippet of a 10 MB body is short");
    assert.ok(bigE.message.length < 1_000, "and so is the message");
    const ok = await client("bigjson").getMe();
    assert.equal(ok.pad.length, 10 * 1024 * 1024, "a valid 10 MB reply decodes");
    const { e: bigErr } = await expect("bigerror", "server_error", 500);
    assert.ok(bigErr.body.length < 10_000, `a 10 MB error page is kept short (${bigErr.body.length} chars)`);
    await expect("empty", "decode", 200);
    await expect("html", "server_error", 503);
    await expect("cut", "decode", 200);
    const { ms } = await expect("hang", "timeout", undefined);
    assert.ok(ms < 4_000, `the hanging call ended after ${ms} ms`);
    // The instance still works after all of that.
    const sb = createSandbox();
    assert.equal((await new ProxyShardClient({ apiKey: KEY, fetch: sb.fetch }).getMe()).wallet_balance, 10_000);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
