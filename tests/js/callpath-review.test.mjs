// Regressions found by a review of the rebuilt call path: each test below failed (hung,
// crashed Node, leaked the key, or read on after the call ended) on the first version of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { ProxyShardClient, ProxySolutionsClient, isProxykitError, wasmMemoryBytes } from "proxykit";

const KEY = "sk_live_0123456789abcdef-not-secret";
const json = (status, text, headers = {}) =>
  new Response(text, { status, headers: { "content-type": "application/json", ...headers } });
const client = (fetch, extra = {}) => new ProxyShardClient({ apiKey: KEY, fetch, retries: 0, ...extra });

test("a hostile error body ('password' × 200 000) is scrubbed in linear time, not minutes", { timeout: 30_000 }, async () => {
  const body = JSON.stringify({ success: false, message: "password".repeat(200_000) });
  const t0 = performance.now();
  const e = await client(async () => json(400, body)).getMe().catch((x) => x);
  assert.equal(e.code, "api");
  // Before the fix this took 26 s for 800 KB and over 300 s for 1.6 MB, with the event loop
  // blocked; the bound here only separates linear from quadratic.
  assert.ok(performance.now() - t0 < 10_000, `${(performance.now() - t0).toFixed(0)} ms`);
});

test("after a timeout the body of a fetch that ignores its signal is cancelled, not read on", { timeout: 30_000 }, async () => {
  let pulls = 0;
  let cancelled = 0;
  const drip = () =>
    new Response(
      new ReadableStream({
        async pull(c) {
          pulls++;
          await new Promise((r) => setTimeout(r, 50));
          c.enqueue(new Uint8Array([0x20]));
        },
        cancel() {
          cancelled++;
        },
      }),
      { status: 200 },
    );
  const e = await client(async () => drip(), { timeout: 300 }).getMe().catch((x) => x);
  assert.equal(e.code, "timeout");
  const atReject = pulls;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(cancelled, 1, "the stream was cancelled");
  assert.ok(pulls <= atReject + 1, `no more reading after the call ended (${atReject} → ${pulls})`);
});

test("a fetch rejecting with a revoked Proxy or a value whose toString throws is a network error, not a crash", { timeout: 30_000 }, async () => {
  const crashes = [];
  const onCrash = (e) => crashes.push(e);
  process.on("unhandledRejection", onCrash);
  process.on("uncaughtException", onCrash);
  try {
    const revoked = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    const weird = () => {
      const f = () => {};
      f.toString = () => {
        throw undefined;
      };
      return f;
    };
    for (const [what, fetch] of [
      ["rejects with a revoked Proxy", () => Promise.reject(revoked())],
      ["throws a function whose toString throws", () => { throw weird(); }],
      ["rejects with it", () => Promise.reject(weird())],
      ["a 302 whose body.cancel() returns nothing", async () => ({ status: 302, headers: new Headers({ location: "https://x.example/" }), body: { getReader() {}, cancel() {} } })],
    ]) {
      const e = await client(fetch, { timeout: 2_000 }).getMe().catch((x) => x);
      assert.ok(isProxykitError(e), `${what}: ${e}`);
      assert.ok(["network", "redirect"].includes(e.code), `${what}: ${e.code}`);
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(crashes, []);
  } finally {
    process.off("unhandledRejection", onCrash);
    process.off("uncaughtException", onCrash);
  }
});

test("the key echoed as a JSON object key, or cut off at the end of a snippet, is redacted", { timeout: 30_000 }, async () => {
  const asKey = await client(async () => json(400, JSON.stringify({ message: "bad", errors: { [KEY]: ["echo"] } }))).getMe().catch((x) => x);
  assert.ok(!JSON.stringify({ ...asKey, body: asKey.body, fieldErrors: asKey.fieldErrors }).includes("sk_live_01"), JSON.stringify(asKey.body));
  const cut = `{"email":"${"x".repeat(180)}${KEY}"`; // not JSON, cut at 200 characters inside the key
  const snippet = await client(async () => json(200, cut)).getMe().catch((x) => x);
  assert.equal(snippet.code, "decode");
  assert.ok(!snippet.snippet.includes("sk_live_01"), snippet.snippet);
});

test("a non-UTF-8 error body under the cap is an api error, not response_too_large", { timeout: 30_000 }, async () => {
  const e = await client(async () => new Response(new Uint8Array(600).fill(0xff), { status: 500 }), { maxResponseBytes: 1_000 })
    .getMe()
    .catch((x) => x);
  assert.equal(e.code, "server_error");
});

test("body chunks made in another JS realm are bytes too", { timeout: 30_000 }, async () => {
  const text = '{"email":"e@x","active_orders":1,"wallet_balance":5}';
  const foreign = vm.runInNewContext("Uint8Array.from(codes)", { codes: [...Buffer.from(text)] });
  assert.equal(foreign instanceof Uint8Array, false, "really another realm");
  const me = await client(async () => new Response(new ReadableStream({ start(c) { c.enqueue(foreign); c.close(); } }), { status: 200 })).getMe();
  assert.equal(me.wallet_balance, 5);
});

test("20 calls sharing one AbortSignal add one listener (no MaxListenersExceededWarning)", { timeout: 30_000 }, async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on("warning", onWarning);
  try {
    const ac = new AbortController();
    const slow = () => new Promise((r) => setTimeout(() => r(json(200, '{"email":"e","active_orders":1,"wallet_balance":1}')), 100));
    const c = client(slow);
    const calls = Array.from({ length: 20 }, () => c.getMe({}, { signal: ac.signal }).catch((e) => e));
    setTimeout(() => ac.abort(), 20);
    const out = await Promise.all(calls);
    assert.ok(out.every((e) => e.code === "aborted"), JSON.stringify(out.map((e) => e.code)));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(warnings.filter((n) => n === "MaxListenersExceededWarning"), []);
  } finally {
    process.off("warning", onWarning);
  }
});

test("a 16 MB error reply does not grow wasm memory (only its start is kept)", { timeout: 60_000 }, async () => {
  const before = wasmMemoryBytes();
  const big = JSON.stringify({ success: false, message: "m", pad: "x".repeat(16 * 1024 * 1024 - 64) });
  const e = await client(async () => json(500, big)).getMe().catch((x) => x);
  assert.equal(e.code, "server_error");
  assert.ok(wasmMemoryBytes() - before < 4 * 1024 * 1024, `${before} → ${wasmMemoryBytes()}`);
});

test("429 is rate_limited with retryAfter; 5xx is server_error; the request id and safe headers are kept", async () => {
  const reply = (status, headers) => async () => json(status, JSON.stringify({ success: false, message: "slow down" }), headers);
  const limited = await client(reply(429, { "retry-after": "3", "x-request-id": "req-1", "set-cookie": "s=secret", "x-ratelimit-remaining": "0" }))
    .getMe()
    .catch((x) => x);
  assert.equal(limited.code, "rate_limited");
  assert.equal(limited.status, 429);
  assert.equal(limited.retryAfter, 3);
  assert.equal(limited.requestId, "req-1");
  assert.equal(limited.headers["x-ratelimit-remaining"], "0");
  assert.equal(limited.headers["content-type"], "application/json");
  assert.equal(limited.headers["set-cookie"], undefined, "cookies never reach an error");
  assert.equal(limited.vendorMessage, "slow down");
  const busy = await client(reply(503, { "cf-ray": "ray-7", "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" })).getMe().catch((x) => x);
  assert.equal(busy.code, "server_error");
  assert.equal(busy.requestId, "ray-7");
  assert.equal(busy.retryAfter, 0, "a date in the past: retry now");
  const plain = await client(reply(409, {})).getMe().catch((x) => x);
  assert.equal(plain.code, "api");
  assert.equal(plain.requestId, undefined);
  assert.equal(plain.retryAfter, undefined);
});

test("hooks: onRequest / onResponse / onRetry see each attempt, with the path only and no secret", async () => {
  const events = [];
  let calls = 0;
  const fetch = async () => (++calls === 1 ? json(503, '{"success":false,"message":"busy"}', { "retry-after": "0" }) : json(200, '{"email":"e@x","active_orders":1,"wallet_balance":5}'));
  const c = new ProxyShardClient({
    apiKey: KEY,
    fetch,
    retries: 2,
    retryDelay: 1,
    onRequest: (e) => events.push(["request", e]),
    onResponse: (e) => events.push(["response", e]),
    onRetry: (e) => events.push(["retry", e]),
  });
  assert.equal((await c.getMe()).wallet_balance, 5);
  assert.deepEqual(events.map(([k, e]) => [k, e.attempt, k === "retry" ? typeof e.delayMs : e.status ?? null]), [
    ["request", 1, null],
    ["response", 1, 503],
    ["retry", 1, "number"],
    ["request", 2, null],
    ["response", 2, 200],
  ]);
  for (const [, e] of events) {
    assert.equal(e.operation, "getMe");
    assert.equal(e.method, "GET");
    assert.equal(e.path, "/user/api/me");
  }
  assert.equal(typeof events[1][1].elapsedMs, "number");
  assert.ok(!JSON.stringify(events).includes(KEY), "the key never reaches a hook");
  // A failure without a reply has a code and no status; a throwing hook does not fail the call.
  const down = new ProxyShardClient({
    apiKey: KEY,
    retries: 0,
    fetch: async () => {
      throw new TypeError("fetch failed");
    },
    onResponse: (e) => {
      events.push(["down", e]);
      throw new Error("hook bug");
    },
    onRequest: () => {
      throw new Error("hook bug");
    },
  });
  const e = await down.getMe().catch((x) => x);
  assert.equal(e.code, "network");
  const last = events.at(-1)[1];
  assert.deepEqual([last.status, last.code], [undefined, "network"]);
  // A hook that is not a function is refused when the client is made.
  assert.throws(() => new ProxyShardClient({ onRetry: "log" }), (x) => x.code === "invalid_input" && x.field === "options.onRetry");
});

test("an async error's stack points at the caller's line, not only at wasm frames", async () => {
  async function placeOrderForCustomer42() {
    const me = await client(async () => json(500, '{"success":false,"message":"down"}')).getMe();
    return me;
  }
  const e = await placeOrderForCustomer42().catch((x) => x);
  assert.equal(e.code, "server_error");
  assert.match(e.stack, /^ProxykitError: /);
  assert.match(e.stack, /placeOrderForCustomer42/, e.stack);
  // Validation errors (rejected before anything is sent) too.
  async function checkoutForm() {
    const order = await new ProxySolutionsClient().createOrder({ service_id: "4" });
    return order;
  }
  const v = await checkoutForm().catch((x) => x);
  assert.equal(v.code, "invalid_input");
  assert.match(v.stack, /checkoutForm/, v.stack);
});
