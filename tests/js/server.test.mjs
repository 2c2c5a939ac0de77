// proxykit/server in Node (issue 16): the handler mounted on node:http in front of the
// sandbox's HTTP server, called by keyless clients the way a storefront page calls it, and by
// raw fetch for what a client would never send. Every outgoing vendor request is recorded
// through the server clients' `fetch` option, so the tests see exactly what left the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { ProxyShardClient, ProxySolutionsClient } from "proxykit";
import { createProxykitHandler, toNodeListener, memoryStore, withoutCredentials, addressKey, CREDENTIAL_WORDS, CATALOGUE } from "proxykit/server";
import { startTestSandbox, PS_KEY, SHARD_KEY } from "./sandbox-server.mjs";
import { startPrism } from "./prism.mjs";

let sandbox;
before(async () => {
  sandbox = await startTestSandbox({ maxRequests: 5_000, ttlSeconds: 300 });
});
after(async () => {
  await sandbox?.close();
});

/** Server client options with the sandbox keys and a recorder of what is sent. */
function serverClients(sent) {
  const record = (url, init) => {
    sent.push({ url: String(url), headers: { ...init.headers } });
    return fetch(url, init);
  };
  return {
    proxySolutions: { apiKey: PS_KEY, baseUrl: `${sandbox.url}/api`, fetch: record },
    proxyShard: { apiKey: SHARD_KEY, baseUrl: sandbox.url, fetch: record },
  };
}

/** Mounts a handler on 127.0.0.1; the client address is taken from `x-test-ip` when given. */
async function mount(options) {
  const handler = createProxykitHandler({ clientIp: (req, ctx) => req.headers.get("x-test-ip") ?? ctx?.ip, ...options });
  const server = http.createServer(toNodeListener(handler));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    // What a storefront page makes: no key; the server adds it.
    shard: new ProxyShardClient({ baseUrl: `${origin}/proxykit/proxyshard`, keyOnServer: true, retries: 0 }),
    ps: new ProxySolutionsClient({ baseUrl: `${origin}/proxykit/proxy-solutions/api`, keyOnServer: true, retries: 0 }),
    close: () => new Promise((r) => server.close(r)),
  };
}

test("keyless clients get the catalogue and quotes through the handler; the key is added server-side", async () => {
  const sent = [];
  const h = await mount(serverClients(sent));
  try {
    const { products } = await h.shard.listProducts();
    assert.ok(products.length > 0);
    assert.ok(Array.isArray(await h.shard.getAvailableCounts()));
    const quote = await h.shard.quoteOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2, addons: [{ addon_key: "p0f_slots", qty: 1 }] });
    assert.equal(quote.total_with_addons, 330);
    const { services } = await h.ps.listServices();
    assert.ok(services.length > 0);
    assert.ok((await h.ps.listServiceLocations({ service_id: 4 })) !== undefined);
    assert.ok((await h.ps.listMerchants()).merchants.length > 0);
    const price = await h.ps.calculatePrice({ service_id: 4, quantity: 2, period: 60 });
    assert.equal(typeof price, "object");
    // Every vendor request carried the server's key, in the vendor's header.
    assert.ok(sent.length >= 7);
    for (const s of sent) {
      if (s.url.startsWith(`${sandbox.url}/api/`)) assert.equal(s.headers["X-API-KEY"] ?? s.headers["x-api-key"], PS_KEY, s.url);
      else assert.equal(s.headers.Authorization ?? s.headers.authorization, `Bearer ${SHARD_KEY}`, s.url);
    }
  } finally {
    await h.close();
  }
});

test("only exposed operations are reachable: anything else is a typed 404, and nothing is sent", async () => {
  const sent = [];
  const h = await mount(serverClients(sent));
  try {
    for (const call of [() => h.shard.getMe(), () => h.shard.listOrders({ status: "all" }), () => h.ps.listOrders()]) {
      const e = await call().then(() => assert.fail("reached"), (x) => x);
      assert.equal(e.code, "not_found");
      assert.equal(e.status, 404);
      assert.match(JSON.stringify(e.body), /not_exposed/);
    }
    // A browser sending its own key does not get further, and its header goes nowhere.
    const r = await fetch(`${h.origin}/proxykit/proxyshard/user/api/me`, { headers: { authorization: `Bearer ${SHARD_KEY}` } });
    assert.equal(r.status, 404);
    assert.deepEqual(sent, []);
  } finally {
    await h.close();
  }
});

test("path tricks cannot reach a non-exposed operation", async () => {
  const sent = [];
  const h = await mount(serverClients(sent));
  try {
    const tricks = [
      "/proxykit/proxyshard/user/api/proxies/../me",
      "/proxykit/proxyshard/user/api/proxies/%2e%2e/me",
      "/proxykit/proxyshard/user/api/proxies%2f..%2fme",
      "/proxykit/proxyshard/user/api/proxies%2F..%2Fme",
      "/proxykit/proxyshard/user/api/proxies%5c..%5cme",
      "/proxykit/proxyshard/user//api/me",
      "/proxykit/proxykit/proxyshard/user/api/me",
      "/proxykit/proxyshard/proxykit/proxyshard/user/api/me",
      "/proxykit/proxyshard/user/api/me/",
      "/proxykit/proxyshard/user/api/%6De",
      "/proxykit/proxyshard/user/api/ME",
      "/proxykit/proxy-solutions/api/../../proxyshard/user/api/me",
      "/proxykit/proxy-solutions/user/orders",
      "/proxykit/proxy-solutions/api/user/orders?x=/../../services",
      "/proxykit/%2e%2e/proxyshard/user/api/me",
      "/user/api/me",
    ];
    for (const path of tricks) {
      // Raw sockets: fetch would resolve dot segments before sending.
      const { status } = await raw(h.origin, { path });
      assert.ok(status === 404 || status === 405, `${path}: ${status}`);
    }
    assert.deepEqual(sent, [], "no trick reached a vendor");
    // The exposed path itself still works.
    assert.equal((await raw(h.origin, { path: "/proxykit/proxyshard/user/api/proxies/products" })).status, 200);
  } finally {
    await h.close();
  }
});

test("bodies over the limit are refused with 413 before they are read whole", async () => {
  const sent = [];
  const h = await mount({ ...serverClients(sent), maxBodyBytes: 1024 });
  try {
    const big = JSON.stringify({ quantity: 2, period: 60, promocode: "x".repeat(5_000) });
    let r = await fetch(`${h.origin}/proxykit/proxy-solutions/api/services/4/price`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    assert.equal(r.status, 413);
    assert.equal((await r.json()).code, "payload_too_large");
    // Without a content-length (a stream): counted as it arrives.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode(" ".repeat(500)));
        c.close();
      },
    });
    r = await fetch(`${h.origin}/proxykit/proxy-solutions/api/services/4/price`, { method: "POST", body: stream, duplex: "half" });
    assert.equal(r.status, 413);
    assert.deepEqual(sent, []);
  } finally {
    await h.close();
  }
});

test("bad input is refused by the clients' rules before anything is sent", async () => {
  const sent = [];
  const h = await mount(serverClients(sent));
  try {
    const r = await fetch(`${h.origin}/proxykit/proxy-solutions/api/services/4/price`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ quantity: 2, period: 45 }),
    });
    assert.equal(r.status, 400);
    const body = await r.json();
    assert.equal(body.code, "invalid_input");
    assert.equal(body.field, "period");
    const q = await fetch(`${h.origin}/proxykit/proxyshard/user/api/orders/calculate?product=Datacenter%20Proxy&colour=red`);
    assert.equal(q.status, 400);
    assert.match((await q.json()).message, /colour/);
    assert.deepEqual(sent, []);
  } finally {
    await h.close();
  }
});

test("account and money operations need authorize; replies lose credentials unless it grants them", async () => {
  const sent = [];
  const opts = serverClients(sent);
  assert.throws(() => createProxykitHandler({ ...opts, expose: { proxyshard: ["purchaseOrder"] } }), /authorize/);
  // A string where a list is meant is refused, not read letter by letter.
  assert.throws(() => createProxykitHandler({ ...opts, ignoreQuery: "path" }), (e) => e.code === "invalid_input" && /ignoreQuery must be a list/.test(e.message));
  assert.ok(createProxykitHandler({ ...opts, ignoreQuery: ["path"] }));
  let allow = false;
  let grant = true;
  const h = await mount({
    ...opts,
    expose: { proxyshard: [...CATALOGUE.proxyshard, "purchaseOrder", "listActiveProxies"] },
    authorize: (request) => (allow && request.headers.get("x-session") === "ok" ? grant : false),
  });
  const shard = (session) => new ProxyShardClient({ baseUrl: `${h.origin}/proxykit/proxyshard`, keyOnServer: true, retries: 0, fetch: (u, i) => fetch(u, { ...i, headers: { ...i.headers, "x-session": session } }) });
  try {
    let e = await shard("ok").purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 }).catch((x) => x);
    assert.equal(e.code, "forbidden");
    assert.deepEqual(sent, [], "refused before the vendor");
    allow = true;
    e = await shard("nope").purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 }).catch((x) => x);
    assert.equal(e.code, "forbidden");
    const { order_id } = await shard("ok").purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 });
    assert.ok(order_id);
    const redacted = await shard("ok").listActiveProxies({ order_id });
    const text = JSON.stringify(redacted);
    assert.ok(text.includes('"ip"'), text);
    assert.match(text, /"password":"<redacted>"/);
    grant = { credentials: true };
    const full = JSON.stringify(await shard("ok").listActiveProxies({ order_id }));
    assert.match(full, /"password":"(?!<redacted>)[^"]+"/, full);
  } finally {
    await h.close();
  }
});

test("the key never appears in a reply or an error, whatever the vendor answers", async () => {
  const sent = [];
  const h = await mount({
    proxyShard: { apiKey: SHARD_KEY, baseUrl: sandbox.url, retries: 0, fetch: (u, i) => (sent.push(u), fetch(u, i)) },
    proxySolutions: { apiKey: PS_KEY, baseUrl: `${sandbox.faultUrl("500")}/api`, retries: 0 },
  });
  const wrong = await mount({ proxyShard: { apiKey: "wrong-key-that-must-not-leak", baseUrl: sandbox.url, retries: 0 } });
  try {
    const texts = [];
    for (const path of ["/proxykit/proxyshard/user/api/proxies/products", "/proxykit/proxy-solutions/api/services", "/proxykit/proxy-solutions/api/merchants"]) {
      const r = await fetch(`${h.origin}${path}`);
      texts.push(`${r.status} ${JSON.stringify([...r.headers])} ${await r.text()}`);
    }
    const r = await fetch(`${wrong.origin}/proxykit/proxyshard/user/api/proxies/products`);
    texts.push(`${r.status} ${JSON.stringify([...r.headers])} ${await r.text()}`);
    for (const t of texts) {
      for (const secret of [SHARD_KEY, PS_KEY, "wrong-key-that-must-not-leak"]) assert.ok(!t.includes(secret), t);
    }
    assert.match(texts[1], /^500 /, "the vendor's 500 is passed on as a 500");
  } finally {
    await h.close();
    await wrong.close();
  }
});

test("the rate limit holds under 1,000 requests from one address while another is served", { timeout: 120_000 }, async () => {
  const sent = [];
  const h = await mount({ ...serverClients(sent), rateLimit: { windowSeconds: 60, max: 50 } });
  try {
    const codes = new Map();
    const batch = 50;
    // The limiter counts in fixed windows of wall-clock time (index.js: Date.now() / window):
    // a run that crosses a minute boundary is allowed a second 50 in the new window.
    const windowOf = () => Math.floor(Date.now() / 60_000);
    const firstWindow = windowOf();
    for (let i = 0; i < 1_000; i += batch) {
      const replies = await Promise.all(
        Array.from({ length: batch }, () => fetch(`${h.origin}/proxykit/proxyshard/user/api/proxies/products`, { headers: { "x-test-ip": "203.0.113.1" } })),
      );
      for (const r of replies) {
        codes.set(r.status, (codes.get(r.status) ?? 0) + 1);
        if (r.status === 429) assert.ok(Number(r.headers.get("retry-after")) >= 1);
        await r.arrayBuffer();
      }
    }
    const windows = windowOf() - firstWindow + 1;
    assert.ok(windows <= 2, "the 1,000 requests took more than a minute");
    const served = codes.get(200);
    if (windows === 1) assert.equal(served, 50, JSON.stringify([...codes]));
    else assert.ok(served >= 50 && served <= 100, JSON.stringify([...codes]));
    assert.equal(codes.get(429), 1_000 - served);
    const other = await fetch(`${h.origin}/proxykit/proxyshard/user/api/proxies/products`, { headers: { "x-test-ip": "198.51.100.7" } });
    assert.equal(other.status, 200);
    // Cached: 51 replies served, one vendor request.
    assert.equal(sent.length, 1);
    console.log(`[server] 1,000 requests from one address: ${codes.get(200)} served (${sent.length} reached the vendor, the rest cached), ${codes.get(429)} rate-limited; another address served`);
  } finally {
    await h.close();
  }
});

test("two handler instances with one store share the rate limit and the cache", async () => {
  const sent = [];
  const store = memoryStore();
  const a = await mount({ ...serverClients(sent), store, rateLimit: { max: 3, windowSeconds: 60 } });
  const b = await mount({ ...serverClients(sent), store, rateLimit: { max: 3, windowSeconds: 60 } });
  try {
    const get = async (h) => {
      const r = await fetch(`${h.origin}/proxykit/proxyshard/user/api/proxies/products`, { headers: { "x-test-ip": "192.0.2.9" } });
      await r.arrayBuffer();
      return `${r.status}:${r.headers.get("x-proxykit-cache") ?? "-"}`;
    };
    assert.deepEqual([await get(a), await get(b), await get(a), await get(b)], ["200:miss", "200:hit", "200:hit", "429:-"]);
    assert.equal(sent.length, 1);
  } finally {
    await a.close();
    await b.close();
  }
});

test("the credential words are the SDK's redaction list", () => {
  const rust = readFileSync(new URL("../../src/error.rs", import.meta.url), "utf8");
  const list = rust.match(/const CREDENTIAL_WORDS: &\[&str\] = &\[([^\]]*)\]/)?.[1];
  assert.ok(list, "CREDENTIAL_WORDS in src/error.rs");
  assert.deepEqual([...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]), [...CREDENTIAL_WORDS]);
});

test("every request the handler forwards validates against the vendors' OpenAPI files (Prism proxy)", { timeout: 120_000 }, async () => {
  const spec = (name) => new URL(`../../spec/${name}.openapi.yaml`, import.meta.url).pathname;
  const [psPrism, shardPrism] = await Promise.all([startPrism(spec("proxy-solutions"), `${sandbox.url}/api`), startPrism(spec("proxyshard"), sandbox.url)]);
  const statuses = [];
  const record = (url, init) =>
    fetch(url, init).then((r) => {
      statuses.push(`${r.status} ${init.method} ${new URL(url).pathname}`);
      return r;
    });
  const h = await mount({
    proxySolutions: { apiKey: PS_KEY, baseUrl: psPrism.url, fetch: record },
    proxyShard: { apiKey: SHARD_KEY, baseUrl: shardPrism.url, fetch: record },
    expose: {
      "proxy-solutions": [...CATALOGUE["proxy-solutions"], "createOrder", "chargeOrder"],
      proxyshard: [...CATALOGUE.proxyshard, "purchaseOrder", "listActiveProxies"],
    },
    authorize: () => true,
    cache: false,
  });
  try {
    await h.shard.listProducts();
    await h.shard.getAvailableCounts();
    await h.shard.quoteOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2, addons: [{ addon_key: "p0f_slots", qty: 1 }] });
    const { order_id } = await h.shard.purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1, auto_renewal: true });
    await h.shard.listActiveProxies({ order_id });
    await h.ps.listServices();
    const { locations } = await h.ps.listServiceLocations({ service_id: 4 });
    await h.ps.listMerchants();
    await h.ps.calculatePrice({ service_id: 4, quantity: 2, period: 60, merchant: "balance", currency: "USD" });
    const { orders } = await h.ps.createOrder({ service_id: 4, location_id: locations[0].id, quantity: 1, period: 30 });
    await h.ps.chargeOrder({ order_id: orders[0].id, merchant: "balance", currency: "USD" });
    // Prism answers 422 to a request that breaks the contract; every one here passed.
    assert.equal(statuses.length, 11, statuses.join("\n"));
    for (const s of statuses) assert.match(s, /^200 /, statuses.join("\n"));
    console.log(`[server] ${statuses.length} forwarded requests, each valid under the vendor's OpenAPI file (Prism proxy)`);
  } finally {
    await h.close();
    psPrism.child.kill();
    shardPrism.child.kill();
  }
});

test("CORS is off by default and opens only to the listed origins", async () => {
  const sent = [];
  const closed = await mount(serverClients(sent));
  const open = await mount({ ...serverClients(sent), cors: { origins: ["https://shop.example"] } });
  const products = "/proxykit/proxyshard/user/api/proxies/products";
  const preflight = (h, origin) => fetch(`${h.origin}${products}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });
  try {
    // Off: no preflight answer, no CORS header on a reply (the browser then blocks the read).
    assert.equal((await preflight(closed, "https://shop.example")).status, 403);
    let r = await fetch(`${closed.origin}${products}`, { headers: { origin: "https://shop.example" } });
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    await r.arrayBuffer();
    // On: the listed origin only.
    const ok = await preflight(open, "https://shop.example");
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://shop.example");
    assert.equal((await preflight(open, "https://evil.example")).status, 403);
    r = await fetch(`${open.origin}${products}`, { headers: { origin: "https://shop.example" } });
    assert.equal(r.headers.get("access-control-allow-origin"), "https://shop.example");
    await r.arrayBuffer();
    r = await fetch(`${open.origin}${products}`, { headers: { origin: "https://evil.example" } });
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    await r.arrayBuffer();
  } finally {
    await closed.close();
    await open.close();
  }
});

// ------------------------------------------------------------------ from the security review
/** A raw request (any method, any body stream, the path sent exactly as written: fetch would
 * resolve dot segments), resolving to { status, headers, body }. */
function raw(origin, { method = "GET", path, headers = {}, body }) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    if (typeof body === "function") body(req);
    else req.end(body);
  });
}

/** Writes `mib` MiB to a request in 64 KiB chunks, as fast as the socket takes them. */
const upload = (mib) => (req) => {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = mib * 16;
  const write = () => {
    while (left > 0) {
      left -= 1;
      if (!req.write(chunk)) return req.once("drain", write);
    }
    req.end();
  };
  req.on("error", () => {});
  write();
};

test("a large upload is refused without being buffered, and the client reads the reply", { timeout: 60_000 }, async () => {
  const sent = [];
  let asked = 0;
  const h = await mount({
    ...serverClients(sent),
    expose: { proxyshard: [...CATALOGUE.proxyshard, "purchaseOrder"] },
    authorize: async () => (asked++, await new Promise((r) => setTimeout(r, 300)), true),
  });
  try {
    const before = process.memoryUsage().arrayBuffers;
    const started = Date.now();
    const big = await raw(h.origin, { method: "POST", path: "/proxykit/proxyshard/user/api/orders/purchase", headers: { "content-type": "application/json" }, body: upload(64) });
    assert.equal(big.status, 413);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(asked, 0, "refused before the authorize hook runs");
    // Refused before its body is read (no such operation): the client still gets its 404.
    const refused = await raw(h.origin, { method: "POST", path: "/proxykit/proxyshard/user/api/nothing-here", headers: { "content-type": "application/json" }, body: upload(4) });
    assert.equal(refused.status, 404);
    const grown = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
    assert.ok(grown < 32, `array buffers grew by ${grown.toFixed(1)} MiB for a 64 MiB upload`);
    assert.deepEqual(sent, []);
  } finally {
    await h.close();
  }
});

test("account calls refuse cross-site requests and bodies not sent as JSON (CSRF)", async () => {
  const sent = [];
  const h = await mount({ ...serverClients(sent), expose: { proxyshard: [...CATALOGUE.proxyshard, "purchaseOrder"] }, authorize: () => true });
  const buy = JSON.stringify({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 });
  const path = "/proxykit/proxyshard/user/api/orders/purchase";
  try {
    let r = await raw(h.origin, { method: "POST", path, headers: { "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, body: buy });
    assert.equal(r.status, 403);
    r = await raw(h.origin, { method: "POST", path, headers: { "content-type": "text/plain", origin: h.origin }, body: buy });
    assert.equal(r.status, 415);
    assert.deepEqual(sent, []);
    // The same purchase from the site itself goes through.
    r = await raw(h.origin, { method: "POST", path, headers: { "content-type": "application/json", origin: h.origin, "sec-fetch-site": "same-origin" }, body: buy });
    assert.equal(r.status, 200, r.body);
    // The catalogue stays readable cross-site (it is public).
    r = await raw(h.origin, { path: "/proxykit/proxyshard/user/api/proxies/products", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    assert.equal(r.status, 200);
  } finally {
    await h.close();
  }
});

test("authorize gets the params and only true or a grant object allows", async () => {
  const sent = [];
  const calls = [];
  let answer = { allowed: false };
  const h = await mount({
    ...serverClients(sent),
    expose: { proxyshard: [...CATALOGUE.proxyshard, "listActiveProxies"] },
    authorize: (_request, call) => (calls.push(call), answer),
  });
  try {
    const path = "/proxykit/proxyshard/user/api/proxies/active?order_id=1024";
    assert.equal((await raw(h.origin, { path })).status, 403, "a truthy object without `credentials` refuses");
    assert.deepEqual(calls[0], { provider: "proxyshard", operation: "listActiveProxies", params: { order_id: 1024 } });
    answer = "yes";
    assert.equal((await raw(h.origin, { path })).status, 403);
    assert.deepEqual(sent, []);
  } finally {
    await h.close();
  }
});

test("refusals carry CORS headers; 405 says what is allowed; TRACE and repeated query keys are refused", async () => {
  const sent = [];
  const h = await mount({ ...serverClients(sent), cors: { origins: ["https://shop.example"] } });
  try {
    let r = await raw(h.origin, { path: "/proxykit/proxyshard/user/api/me", headers: { origin: "https://shop.example" } });
    assert.equal(r.status, 404);
    assert.equal(r.headers["access-control-allow-origin"], "https://shop.example");
    r = await raw(h.origin, { method: "POST", path: "/proxykit/proxyshard/user/api/proxies/products", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, "GET");
    r = await raw(h.origin, { method: "TRACE", path: "/proxykit/proxyshard/user/api/proxies/products" });
    assert.equal(r.status, 405);
    r = await raw(h.origin, { path: "/proxykit/proxyshard/user/api/orders/calculate?product=ISP%20Proxy&location=US&cycle=monthly&quantity=2&quantity=999" });
    assert.equal(r.status, 400);
    assert.match(r.body, /more than once/);
    r = await raw(h.origin, { method: "POST", path: "/proxykit/proxy-solutions/api/services/4/price", headers: { "content-type": "application/json" }, body: "[".repeat(40) + "]".repeat(40) });
    assert.equal(r.status, 400);
    const deep = JSON.stringify({ quantity: 2, x: JSON.parse("[".repeat(40) + "]".repeat(40)) });
    r = await raw(h.origin, { method: "POST", path: "/proxykit/proxy-solutions/api/services/4/price", headers: { "content-type": "application/json" }, body: deep });
    assert.equal(r.status, 400);
    assert.match(r.body, /nested deeper/);
    assert.deepEqual(sent, []);
  } finally {
    await h.close();
  }
});

test("a store that hangs costs the cache, and refuses (503) rather than drop the rate limit", { timeout: 30_000 }, async () => {
  const sent = [];
  const hanging = { get: () => new Promise(() => {}), set: () => new Promise(() => {}), incr: () => new Promise(() => {}) };
  const limited = await mount({ ...serverClients(sent), store: hanging, storeTimeoutMs: 200 });
  const open = await mount({ ...serverClients(sent), store: hanging, storeTimeoutMs: 200, rateLimit: false });
  try {
    const path = "/proxykit/proxyshard/user/api/proxies/products";
    let started = Date.now();
    const r = await raw(limited.origin, { path });
    assert.equal(r.status, 503);
    assert.ok(Date.now() - started < 5_000);
    started = Date.now();
    assert.equal((await raw(open.origin, { path })).status, 200, "served without its cache");
    assert.ok(Date.now() - started < 5_000);
  } finally {
    await limited.close();
    await open.close();
  }
});

test("redaction: nested and non-string credentials, proxy URLs; rate-limit buckets per IPv6 /64", () => {
  assert.deepEqual(
    withoutCredentials({ password: 12345678, passwords: ["hunter2"], proxy_password: { value: "s3cret" }, proxy: "http://user:hunter2@198.51.100.1:8080", ip: "198.51.100.1", note: "http://198.51.100.1:8080/x" }),
    { password: "<redacted>", passwords: ["<redacted>"], proxy_password: { value: "<redacted>" }, proxy: "http://user:<redacted>@198.51.100.1:8080", ip: "198.51.100.1", note: "http://198.51.100.1:8080/x" },
  );
  assert.equal(addressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(addressKey("::ffff:203.0.113.5"), "203.0.113.5");
  assert.equal(addressKey("203.0.113.5"), "203.0.113.5");
});

test("the memory store holds at most maxEntries, oldest first out", async () => {
  const store = memoryStore({ maxEntries: 100 });
  for (let i = 0; i < 1_000; i++) await store.incr(`ip-${i}`, 60_000);
  assert.equal(store.size, 100);
  assert.equal(await store.get("ip-0"), undefined);
  assert.equal(await store.get("ip-999"), 1);
});
