// proxykit/server past one machine: two handler instances, each with its own Redis connection
// (as two machines behind a load balancer would have), share one rate limit and one cache
// through redisStore, against a real redis-server (Debian's package) that this test starts on
// 127.0.0.1 and stops. Nothing is persisted (no RDB, no AOF).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { spawn } from "node:child_process";
import { freePort } from "./harness.mjs";
import { createClient } from "redis";
import { createProxykitHandler, toNodeListener, redisStore } from "proxykit/server";
import { startTestSandbox, SHARD_KEY } from "./sandbox-server.mjs";


let sandbox;
let redis;
let redisUrl;
before(async () => {
  sandbox = await startTestSandbox({ maxRequests: 500, ttlSeconds: 300 });
  const port = await freePort();
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  redisUrl = `redis://127.0.0.1:${port}`;
  // Ready when it accepts a PING.
  for (let i = 0; i < 100; i++) {
    const probe = createClient({ url: redisUrl });
    probe.on("error", () => {});
    const ok = await probe.connect().then(() => probe.ping(), () => null);
    await probe.destroy?.();
    if (ok === "PONG") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
});
after(async () => {
  redis?.kill("SIGTERM");
  await sandbox?.close();
});

async function instance(name, sent) {
  const client = createClient({ url: redisUrl });
  await client.connect();
  const handler = createProxykitHandler({
    proxyShard: { apiKey: SHARD_KEY, baseUrl: sandbox.url, fetch: (u, i) => (sent.push(`${name} ${u}`), fetch(u, i)) },
    store: redisStore(client, { prefix: "test:" }),
    rateLimit: { max: 4, windowSeconds: 60 },
    clientIp: (request) => request.headers.get("x-test-ip") ?? undefined,
  });
  const server = http.createServer(toNodeListener(handler));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    client,
    close: async () => {
      await new Promise((r) => server.close(r));
      await client.quit();
    },
  };
}

test("two instances on one Redis share the rate limit and a cache entry", async () => {
  const sent = [];
  const a = await instance("a", sent);
  const b = await instance("b", sent);
  try {
    const get = async (h, ip) => {
      const r = await fetch(`${h.origin}/proxykit/proxyshard/user/api/proxies/products`, { headers: { "x-test-ip": ip } });
      const body = await r.json();
      return { status: r.status, cache: r.headers.get("x-proxykit-cache"), body };
    };
    const first = await get(a, "203.0.113.5");
    assert.equal(first.status, 200);
    assert.equal(first.cache, "miss");
    // Instance b answers from the entry a stored: the same reply, no vendor call of its own.
    const second = await get(b, "203.0.113.5");
    assert.deepEqual([second.status, second.cache], [200, "hit"]);
    assert.deepEqual(second.body, first.body);
    assert.deepEqual(sent.map((s) => s.split(" ")[0]), ["a"]);
    // The limit (4 per window) counts requests at either instance.
    assert.equal((await get(a, "203.0.113.5")).status, 200);
    assert.equal((await get(b, "203.0.113.5")).status, 200);
    const limited = await fetch(`${a.origin}/proxykit/proxyshard/user/api/proxies/products`, { headers: { "x-test-ip": "203.0.113.5" } });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    await limited.arrayBuffer();
    assert.equal((await get(b, "198.51.100.20")).status, 200, "another address is still served");
    // What is in Redis: the counter expires with its window, the cache entry with its TTL.
    const keys = (await a.client.keys("test:*")).sort();
    assert.equal(keys.length, 3, keys.join(", "));
    for (const k of keys) {
      const ttl = await a.client.pTTL(k);
      assert.ok(ttl > 0 && ttl <= 60_000, `${k}: pttl ${ttl}`);
    }
    console.log(`[server] two instances on redis-server: ${sent.length} vendor call for 6 requests, shared limit held (429 on the 5th), keys expire (${keys.length} keys)`);
  } finally {
    await a.close();
    await b.close();
  }
});
