// The call path's contract, as JS sees it, for both clients: redirects are never followed
// (and the key never reaches another origin), replies are capped in size before they enter
// wasm, timeout and abort hold whatever the fetch does, no fetch behaviour can trap the
// instance, network errors keep their cause, path parameters cannot climb out of their
// segment, and errors stay clean (no prototype pollution, no echoed secret in any escaping,
// typed errors after free(), serialised page iterators). The last test drives every money
// operation through the sandbox's redirect faults and reads the sandbox's own log.
//
// Every server here is a node:http server on 127.0.0.1 that the test starts and closes,
// bounded in requests and time (callpath-servers.mjs). The memory measurements run in a
// child process (callpath-memory.mjs): a fresh wasm instance and a fresh RSS. Tests 3 and 4
// (hostile and stalling fetches) run last: on a build that fails them the wasm instance may
// trap, and every later test in this process would then fail for that reason instead of its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { ProxyShardClient, ProxySolutionsClient, isProxykitError } from "proxykit";
import { startSandboxServer } from "proxykit-sandbox";
import { startRecorder, redirectingServer, credentialHeaders, refusedPort } from "./callpath-servers.mjs";
import { operationCalls } from "./harness.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const KEY = "test-key-not-secret/+=&<\"'";
const MIB = 1024 * 1024;
const ME = { email: "dev@example.com", active_orders: 3, wallet_balance: 1250 };
const MERCHANTS = { merchants: [{ code: "interkassa", name: "Interkassa", currencies: ["UAH", "USD", "EUR"] }] };
const PURCHASE = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 };
const READ_OPS_NOTE = "reads: mayHaveBeenApplied false; every other operation: true";

// ------------------------------------------------------------------------------ helpers

const preview = (v) => {
  try {
    return inspect(v, { depth: 3, breakLength: Infinity }).slice(0, 300);
  } catch {
    return typeof v;
  }
};

const jsonResponse = (body, status = 200, headers = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

function send(res, status, body, headers = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": buf.length, ...headers });
  res.end(buf);
}

/** Settles `promise` or gives up after `limitMs`: `{value} | {error, rejected} | {hung}`, plus `ms`. */
async function outcome(promise, limitMs = 5_000) {
  const t0 = performance.now();
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), limitMs);
  });
  const r = await Promise.race([
    Promise.resolve(promise).then(
      (value) => ({ value }),
      (error) => ({ error, rejected: true }),
    ),
    hang,
  ]);
  clearTimeout(timer);
  r.ms = performance.now() - t0;
  return r;
}

/** The rejection of a call that must reject within `limitMs`: `{ error, ms }`. */
async function failure(promise, what, limitMs = 5_000) {
  const r = await outcome(promise, limitMs);
  assert.ok(!r.hung, `${what}: the call did not settle within ${limitMs} ms`);
  assert.ok(r.rejected, `${what}: resolved instead of rejecting: ${preview(r.value)}`);
  return { error: r.error, ms: r.ms };
}

function expectError(e, code, what) {
  assert.ok(e instanceof Error, `${what}: not an Error: ${preview(e)}`);
  assert.equal(e.name, "ProxykitError", `${what}: name`);
  assert.ok(isProxykitError(e), `${what}: isProxykitError`);
  assert.equal(e.code, code, `${what}: code ${e.code}: ${e.message}`);
  assert.equal(typeof e.mayHaveBeenApplied, "boolean", `${what}: mayHaveBeenApplied is a boolean`);
}

/** Runs `body` with `globalThis.fetch` replaced by `fn`, and always puts it back. */
async function withGlobalFetch(fn, body) {
  const saved = globalThis.fetch;
  globalThis.fetch = fn;
  try {
    return await body();
  } finally {
    globalThis.fetch = saved;
  }
}

/** `init.redirect`, also when the fetch was handed a Request. */
const redirectMode = (input, init) => init?.redirect ?? (input instanceof Request ? input.redirect : undefined);

/** A custom fetch that counts its calls and answers with `reply()` (a fresh Response each time). */
function countingFetch(reply = () => jsonResponse({})) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    return reply(url, init);
  };
  fn.calls = calls;
  return fn;
}

const shardAt = (baseUrl, extra = {}) => new ProxyShardClient({ apiKey: KEY, baseUrl, ...extra });
const psAt = (baseUrl, extra = {}) => new ProxySolutionsClient({ apiKey: KEY, baseUrl: `${baseUrl}/api`, ...extra });

// ------------------------------------------------------------------- 1. redirects

const REDIRECTS = [301, 302, 303, 307, 308];
const CUSTOM_AUTH = { authHeader: "X-Custom-Auth", authPrefix: "Token" };
const makeClient = {
  shard: (base, extra) => shardAt(base, extra),
  ps: (base, extra) => psAt(base, extra),
  "ps-custom": (base, extra) => psAt(base, { ...CUSTOM_AUTH, ...extra }),
};
// [label, client kind, call, operationId, mayHaveBeenApplied]
const REDIRECT_CALLS = [
  ["ProxyShard getMe", "shard", (c) => c.getMe(), "getMe", false],
  ["ProxyShard listOrders", "shard", (c) => c.listOrders({ status: "all" }), "listOrders", false],
  ["ProxyShard listProducts", "shard", (c) => c.listProducts(), "listProducts", false],
  ["ProxyShard getOrder", "shard", (c) => c.getOrder({ id: 123456 }), "getOrder", false],
  ["ProxyShard purchaseOrder", "shard", (c) => c.purchaseOrder(PURCHASE), "purchaseOrder", true],
  ["ProxyShard setOrderTag", "shard", (c) => c.setOrderTag({ id: 123456, tag: "t" }), "setOrderTag", true],
  ["Proxy-Solutions listServices", "ps", (c) => c.listServices(), "listServices", false],
  ["Proxy-Solutions listOrders", "ps", (c) => c.listOrders(), "listOrders", false],
  ["Proxy-Solutions createOrder", "ps", (c) => c.createOrder({ service_id: 4, location_id: 24, quantity: 1 }), "createOrder", true],
  ["Proxy-Solutions chargeOrder", "ps", (c) => c.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD" }), "chargeOrder", true],
  ["Proxy-Solutions (authHeader X-Custom-Auth) listOrders", "ps-custom", (c) => c.listOrders(), "listOrders", false],
  ["Proxy-Solutions (authHeader X-Custom-Auth) chargeOrder", "ps-custom", (c) => c.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD" }), "chargeOrder", true],
];

const seenByOther = (other) => other.requests.map((r) => `${r.method} ${r.path} [${credentialHeaders(r, [CUSTOM_AUTH.authHeader]).join(",")}]`);

test("1. a 3xx is never followed: code redirect with status, location (origin), operation, attempts 1; the other origin sees nothing", { timeout: 90_000 }, async () => {
  const other = await startRecorder(null, { maxRequests: 300 });
  const api = await redirectingServer(other);
  try {
    for (const status of REDIRECTS) {
      for (const [label, kind, call, operation, applied] of REDIRECT_CALLS) {
        const what = `${status} → other origin, ${label}`;
        const before = api.calls().length;
        // Default retries (2): a redirect must still be sent once.
        const { error: e } = await failure(call(makeClient[kind](`${api.url}/r-${status}-abs`)), what);
        expectError(e, "redirect", what);
        assert.equal(e.status, status, `${what}: status`);
        assert.equal(e.location, other.origin, `${what}: location is the target's origin`);
        assert.equal(e.operation, operation, `${what}: operation`);
        assert.equal(e.attempts, 1, `${what}: attempts (a redirect is never retried)`);
        assert.equal(e.mayHaveBeenApplied, applied, `${what}: mayHaveBeenApplied (${READ_OPS_NOTE})`);
        assert.equal(api.calls().length - before, 1, `${what}: requests that reached the first server`);
        assert.deepEqual(seenByOther(other), [], `${what}: requests that reached the other origin`);
      }
    }
    // The calls did carry the key to the first server (so "never reached the other origin"
    // is about the key, not about a call that sent none).
    const carried = new Set(api.calls().flatMap((r) => credentialHeaders(r, [CUSTOM_AUTH.authHeader])));
    assert.deepEqual([...carried].sort(), ["authorization", "x-api-key", "x-custom-auth"]);
  } finally {
    await api.close();
    await other.close();
  }
});

test("1. a money call answered by a redirect is sent exactly once, even with retries allowed", { timeout: 60_000 }, async () => {
  const other = await startRecorder(null, { maxRequests: 100 });
  const api = await redirectingServer(other);
  try {
    for (const status of REDIRECTS) {
      for (const mode of ["abs", "rel"]) {
        const what = `purchaseOrder, ${status} (${mode} Location)`;
        const before = api.calls().length;
        const shard = shardAt(`${api.url}/r-${status}-${mode}`, { retries: 5, retryDelay: 1 });
        const { error: e } = await failure(shard.purchaseOrder(PURCHASE), what);
        expectError(e, "redirect", what);
        const reached = api.calls().slice(before);
        assert.deepEqual(reached.map((r) => `${r.method} ${r.path}`), [`POST /r-${status}-${mode}/user/api/orders/purchase`], `${what}: exactly one POST reached the first server`);
        assert.equal(e.status, status, what);
        assert.equal(e.attempts, 1, `${what}: attempts`);
        assert.equal(e.mayHaveBeenApplied, true, `${what}: mayHaveBeenApplied`);
        assert.equal(e.operation, "purchaseOrder", what);
        assert.equal(e.location, mode === "abs" ? other.origin : api.origin, `${what}: location`);
      }
    }
    assert.deepEqual(seenByOther(other), [], "the other origin saw no request (and so no key)");
  } finally {
    await api.close();
    await other.close();
  }
});

test("1. location is the origin of the Location target resolved against the request URL, or null", { timeout: 30_000 }, async () => {
  const other = await startRecorder(null, { maxRequests: 50 });
  const api = await redirectingServer(other);
  try {
    const cases = [
      ["rel", api.origin],
      ["proto", other.origin],
      ["userinfo", other.origin],
      ["none", null],
    ];
    for (const [mode, location] of cases) {
      for (const status of [302, 307]) {
        const what = `${status} with ${mode} Location`;
        const before = api.calls().length;
        const { error: e } = await failure(shardAt(`${api.url}/r-${status}-${mode}`).getMe(), what);
        expectError(e, "redirect", what);
        assert.equal(e.location, location, `${what}: location`);
        assert.equal(e.status, status, what);
        assert.equal(e.attempts, 1, what);
        assert.equal(api.calls().length - before, 1, `${what}: one request`);
      }
    }
    assert.deepEqual(seenByOther(other), []);
  } finally {
    await api.close();
    await other.close();
  }
  // Through a custom fetch (no network): every status 300–399 is a redirect, the custom
  // fetch is asked for redirect: "manual", and only the origin of the target is kept.
  for (const status of [300, 301, 302, 303, 304, 305, 307, 308, 399]) {
    for (const [locationHeader, expected] of [
      ["https://elsewhere.example:8443/path/x?token=abc#frag", "https://elsewhere.example:8443"],
      ["../../up/there?x=1", "https://user-api.proxyshard.com"],
      [null, null],
    ]) {
      const what = `custom fetch, ${status}, Location ${locationHeader}`;
      const fetch = countingFetch(() => new Response(null, { status, headers: locationHeader ? { location: locationHeader } : {} }));
      const { error: e } = await failure(new ProxyShardClient({ apiKey: KEY, fetch }).getMe(), what);
      expectError(e, "redirect", what);
      assert.equal(e.status, status, what);
      assert.equal(e.location, expected, `${what}: location`);
      assert.equal(e.attempts, 1, what);
      assert.equal(e.mayHaveBeenApplied, false, `${what}: a read`);
      assert.equal(fetch.calls.length, 1, `${what}: fetch calls`);
      assert.equal(fetch.calls[0].init.redirect, "manual", `${what}: init.redirect`);
    }
  }
  const psFetch = countingFetch(() => new Response(null, { status: 302, headers: { location: "/login" } }));
  const { error: pe } = await failure(new ProxySolutionsClient({ apiKey: KEY, fetch: psFetch }).chargeUserBalance({ merchant: "interkassa", currency: "EUR", amount: 5 }), "PS chargeUserBalance 302");
  expectError(pe, "redirect", "PS chargeUserBalance 302");
  assert.equal(pe.location, "https://v3.proxy-solutions.net", "relative Location against the default Proxy-Solutions base URL");
  assert.equal(pe.mayHaveBeenApplied, true, "chargeUserBalance is money");
  assert.equal(pe.operation, "chargeUserBalance");
});

test("1. through a custom fetch that forwards to the real fetch, the redirect is not followed either", { timeout: 30_000 }, async () => {
  const other = await startRecorder(null, { maxRequests: 100 });
  const api = await redirectingServer(other);
  const modes = [];
  const forward = (input, init) => {
    modes.push(redirectMode(input, init));
    return fetch(input, init);
  };
  try {
    for (const status of REDIRECTS) {
      for (const [label, c, call, applied] of [
        ["getMe", shardAt(`${api.url}/r-${status}-abs`, { fetch: forward }), (x) => x.getMe(), false],
        ["purchaseOrder", shardAt(`${api.url}/r-${status}-abs`, { fetch: forward }), (x) => x.purchaseOrder(PURCHASE), true],
        ["PS chargeOrder", psAt(`${api.url}/r-${status}-abs`, { fetch: forward }), (x) => x.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD" }), true],
      ]) {
        const what = `${status} ${label} via a forwarding fetch`;
        const { error: e } = await failure(call(c), what);
        expectError(e, "redirect", what);
        assert.equal(e.location, other.origin, what);
        assert.equal(e.mayHaveBeenApplied, applied, what);
        assert.equal(e.attempts, 1, what);
      }
    }
    assert.deepEqual([...new Set(modes)], ["manual"], "init.redirect of every request");
    assert.deepEqual(seenByOther(other), []);
  } finally {
    await api.close();
    await other.close();
  }
});

// ------------------------------------------------------------------ 8. fetch(url, init)

test("8. a custom fetch is called as fetch(url, init) with method, headers, signal, body when any, and redirect: \"manual\"", { timeout: 30_000 }, async () => {
  const fetch = countingFetch((url) =>
    url.endsWith("/purchase") ? jsonResponse({ success: true, message: "Order paid successfully", order_id: 7 })
    : url.endsWith("/charge") ? jsonResponse({ payment: { discount: 0, merchant: "balance", payer_currency: "USD", payer_amount: 1.81 } })
    : jsonResponse(ME),
  );
  const shard = new ProxyShardClient({ apiKey: KEY, fetch });
  assert.deepEqual(await shard.getMe(), ME);
  assert.equal((await shard.purchaseOrder(PURCHASE)).order_id, 7);
  const ps = new ProxySolutionsClient({ apiKey: KEY, fetch });
  await ps.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD" });
  assert.equal(fetch.calls.length, 3);
  const [get, post, charge] = fetch.calls;
  for (const { url, init } of fetch.calls) {
    assert.equal(typeof url, "string");
    assert.ok(init && typeof init === "object", "init is an object");
    assert.ok(init.signal instanceof AbortSignal, "init.signal is an AbortSignal");
    assert.equal(init.redirect, "manual", `init.redirect for ${url}`);
    assert.equal(typeof init.method, "string");
  }
  assert.equal(get.url, "https://user-api.proxyshard.com/user/api/me");
  assert.equal(get.init.method, "GET");
  assert.equal(get.init.body ?? undefined, undefined, "no body on a GET");
  assert.equal(new Headers(get.init.headers).get("authorization"), `Bearer ${KEY}`);
  assert.equal(post.url, "https://user-api.proxyshard.com/user/api/orders/purchase");
  assert.equal(post.init.method, "POST");
  assert.deepEqual(JSON.parse(post.init.body), PURCHASE);
  assert.equal(charge.url, "https://v3.proxy-solutions.net/api/user/orders/10000/charge");
  assert.equal(new Headers(charge.init.headers).get("x-api-key"), KEY);
  assert.deepEqual(JSON.parse(charge.init.body), { merchant: "balance", currency: "USD" });
});

// ---------------------------------------------------------------- 2. reply size cap

test("2. maxResponseBytes: a whole number 1–1073741824, checked by both constructors", { timeout: 30_000 }, () => {
  for (const Ctor of [ProxyShardClient, ProxySolutionsClient]) {
    for (const bad of [0, -1, 1.5, 1073741825, 2 ** 53, NaN, Infinity, "1048576", null, true, {}]) {
      assert.throws(
        () => new Ctor({ maxResponseBytes: bad }),
        (e) => isProxykitError(e) && e.code === "invalid_input" && e.field === "options.maxResponseBytes",
        `${Ctor.name}({ maxResponseBytes: ${preview(bad)} })`,
      );
    }
    for (const good of [1, 1024, 16777216, 1073741824, undefined]) new Ctor({ maxResponseBytes: good });
  }
});

function paddedMe(bytes, fill = "x") {
  const base = Buffer.byteLength(JSON.stringify({ ...ME, pad: "" }));
  const per = Buffer.byteLength(fill);
  const pad = fill.repeat(Math.floor((bytes - base) / per));
  const text = JSON.stringify({ ...ME, pad });
  return text;
}

test("2. a reply whose body is over maxResponseBytes rejects with response_too_large (limit, status, operation, mayHaveBeenApplied)", { timeout: 60_000 }, async () => {
  const CAP = 1_048_576;
  const twoMb = paddedMe(2_000_000);
  const exact = paddedMe(CAP);
  assert.equal(Buffer.byteLength(exact), CAP, "harness: a reply of exactly the cap");
  const overByOne = exact.slice(0, -2) + 'x"}';
  assert.equal(Buffer.byteLength(overByOne), CAP + 1, "harness: one byte over");
  // 600 000 two-byte characters: under the cap in UTF-16 units, over it in bytes.
  const wide = paddedMe(1_200_000, "é");
  assert.ok(wide.length < CAP && Buffer.byteLength(wide) > CAP, "harness: the wide reply");
  const server = await startRecorder(
    (req, res) => {
      const mode = req.url.split("/")[1];
      switch (mode) {
        case "big200": return send(res, 200, twoMb);
        case "big400": return send(res, 400, twoMb);
        case "big500": return send(res, 500, twoMb);
        case "exact": return send(res, 200, exact);
        case "over1": return send(res, 200, overByOne);
        case "wide": return send(res, 200, wide);
        case "chunked": {
          // No Content-Length: the size is only known by reading.
          res.writeHead(200, { "content-type": "application/json" });
          const buf = Buffer.from(twoMb);
          for (let i = 0; i < buf.length; i += 65_536) res.write(buf.subarray(i, i + 65_536));
          return res.end();
        }
        case "endless": {
          // 2 MB, then the reply never ends: the cap must end the call, not the timeout.
          res.writeHead(200, { "content-type": "application/json" });
          res.write(twoMb.slice(0, -2));
          return;
        }
        default: return send(res, 404, { success: false, message: "no route" });
      }
    },
    { maxRequests: 100 },
  );
  try {
    const capped = (mode, extra = {}) => shardAt(`${server.url}/${mode}`, { maxResponseBytes: CAP, retries: 0, timeout: 10_000, ...extra });
    const expectTooLarge = async (promise, what, status, applied, operation = "getMe") => {
      const { error: e, ms } = await failure(promise, what, 12_000);
      expectError(e, "response_too_large", what);
      assert.equal(e.limit, CAP, `${what}: limit`);
      assert.equal(e.status, status, `${what}: status`);
      assert.equal(e.operation, operation, `${what}: operation`);
      assert.equal(e.mayHaveBeenApplied, applied, `${what}: mayHaveBeenApplied (false only for a 4xx)`);
      return { e, ms };
    };
    await expectTooLarge(capped("big200").getMe(), "2 MB 200", 200, true);
    await expectTooLarge(capped("chunked").getMe(), "2 MB 200 without Content-Length", 200, true);
    await expectTooLarge(capped("big400").getMe(), "2 MB 400", 400, false);
    await expectTooLarge(capped("big500").getMe(), "2 MB 500", 500, true);
    await expectTooLarge(capped("over1").getMe(), "cap + 1 byte", 200, true);
    await expectTooLarge(capped("wide").getMe(), "over the cap in bytes, not in characters", 200, true);
    const { ms } = await expectTooLarge(capped("endless").getMe(), "a reply that goes on past the cap and never ends", 200, true);
    assert.ok(ms < 5_000, `the endless reply was cut at the cap, not by the 10 s timeout (${ms.toFixed(0)} ms)`);
    const money = await expectTooLarge(capped("big200").purchaseOrder(PURCHASE), "2 MB reply to purchaseOrder", 200, true, "purchaseOrder");
    assert.equal(money.e.attempts, 1);
    await expectTooLarge(psAt(`${server.url}/big200`, { maxResponseBytes: CAP, retries: 0 }).listServices(), "Proxy-Solutions 2 MB listServices", 200, true, "listServices");
    // Exactly the cap is allowed.
    assert.equal((await capped("exact").getMe()).pad.length, CAP - Buffer.byteLength(JSON.stringify({ ...ME, pad: "" })));
    // The default cap (16 MiB) lets the 2 MB reply through.
    assert.equal((await shardAt(`${server.url}/big200`, { retries: 0 }).getMe()).email, ME.email);

    // A custom fetch's Response is capped the same way.
    const custom = new ProxyShardClient({ apiKey: KEY, maxResponseBytes: CAP, retries: 0, fetch: async () => new Response(twoMb, { status: 200, headers: { "content-type": "application/json" } }) });
    await expectTooLarge(custom.getMe(), "custom fetch, new Response(2 MB string)", 200, true);
    const streamed = new ProxyShardClient({
      apiKey: KEY, maxResponseBytes: CAP, retries: 0,
      fetch: async () => new Response(new Blob([twoMb]).stream(), { status: 200, headers: { "content-type": "application/json" } }),
    });
    await expectTooLarge(streamed.getMe(), "custom fetch, new Response(2 MB stream)", 200, true);
  } finally {
    await server.close();
  }
});

function runChild(spec, limitMs = 90_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here("./callpath-memory.mjs"), JSON.stringify(spec)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child ${spec.scenario} timed out after ${limitMs} ms:\n${out}\n${err}`));
    }, limitMs);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)));
      } catch {
        reject(new Error(`child ${spec.scenario} exited (${code ?? signal}) without a result:\n${out.slice(0, 2000)}\n${err.slice(0, 2000)}`));
      }
    });
  });
}

/** ~1 MB of gzip that inflates to 1 GiB of spaces: 32 gzip members of 32 MiB each, so even a
 * decoder that stops after the first member gets twice the default cap. */
function gzipBomb() {
  const member = zlib.gzipSync(Buffer.alloc(32 * MIB, 0x20), { level: 9 });
  return Buffer.concat(Array(32).fill(member));
}

/** A valid ProxyShard listOrders page of just under 255 KiB. */
function bigOrdersPage() {
  const orders = [];
  const tag = "t".repeat(2_600);
  const page = () => JSON.stringify({ success: true, orders, count: orders.length, prev: null, next: null });
  for (let id = 1; ; id++) {
    orders.push({ order_id: id, product_id: 1, product_name: "Datacenter Proxy", cycle_id: 1, cycle_name: "monthly", expires_at: "2026-02-01T00:00:00Z", auto_renewal: false, tag });
    if (Buffer.byteLength(page()) > 255 * 1024) {
      orders.pop();
      break;
    }
  }
  return { text: page(), count: orders.length };
}

test("2. reply size in memory: a gzip bomb, a 1 GiB stream, a 20 MB reply and a valid 255 KiB page (child processes)", { timeout: 240_000 }, async (t) => {
  const bomb = gzipBomb();
  const over = Buffer.from(paddedMe(20_000_000));
  const valid = bigOrdersPage();
  assert.ok(bomb.length < 2 * MIB, `harness: the bomb is small (${bomb.length} bytes)`);
  const server = await startRecorder(
    (req, res) => {
      const mode = req.url.split("/")[1];
      if (mode === "warm") return send(res, 200, ME);
      if (mode === "over-cap") return send(res, 200, over);
      if (mode === "bomb") return send(res, 200, bomb, { "content-encoding": "gzip" });
      if (mode === "valid") return send(res, 200, valid.text);
      return send(res, 404, { success: false, message: "no route" });
    },
    { maxRequests: 40 },
  );
  const results = {};
  try {
    for (const scenario of ["bomb", "stream", "over-cap", "valid"]) {
      results[scenario] = await runChild({ scenario, url: server.url });
    }
  } finally {
    await server.close();
  }
  for (const [scenario, r] of Object.entries(results)) t.diagnostic(`${scenario}: ${JSON.stringify(r)}`);
  const detail = (r) => JSON.stringify(r);
  for (const r of Object.values(results)) assert.equal(r.warm, "ok", `harness: the warm-up call: ${detail(r)}`);

  // (b) gzip bomb with the default cap: rejected fast, RSS grows < 300 MB.
  const b = results.bomb;
  assert.equal(b.error?.code, "response_too_large", `gzip bomb: ${detail(b)}`);
  assert.equal(b.error.limit, 16_777_216, `gzip bomb: the default cap: ${detail(b)}`);
  assert.equal(b.error.status, 200);
  assert.equal(b.error.operation, "getMe");
  assert.equal(b.error.mayHaveBeenApplied, true);
  assert.ok(b.ms < 5_000, `gzip bomb rejected within a few seconds (${b.ms.toFixed(0)} ms)`);
  assert.ok(b.rssGrowth < 300 * 1e6, `gzip bomb: RSS grew by ${(b.rssGrowth / 1e6).toFixed(0)} MB`);

  // A custom fetch whose Response streams 1 GiB: capped the same way.
  const s = results.stream;
  assert.equal(s.error?.code, "response_too_large", `1 GiB stream: ${detail(s)}`);
  assert.equal(s.error.limit, 16_777_216);
  assert.ok(s.ms < 5_000, `1 GiB stream rejected within a few seconds (${s.ms.toFixed(0)} ms, ${s.producedMiB} MiB produced)`);
  assert.ok(s.rssGrowth < 300 * 1e6, `1 GiB stream: RSS grew by ${(s.rssGrowth / 1e6).toFixed(0)} MB`);

  // (c) a 20 MB reply over the default cap never enters wasm.
  const o = results["over-cap"];
  assert.equal(o.error?.code, "response_too_large", `20 MB reply: ${detail(o)}`);
  assert.equal(o.error.limit, 16_777_216);
  assert.ok(o.wasmAfter - o.wasmBefore < MIB, `20 MB reply: wasm memory grew by ${o.wasmAfter - o.wasmBefore} bytes`);

  // (d) a valid 255 KiB reply decodes and wasm memory stays < 16 MiB.
  const v = results.valid;
  assert.equal(v.error, null, `valid page: ${detail(v)}`);
  assert.equal(v.orders, valid.count, "every order of the valid page decoded");
  assert.ok(v.wasmAfter < 16 * MIB, `valid 255 KiB page: wasm memory is ${v.wasmAfter} bytes`);
});

// ---------------------------------------------------------- 5. network error causes

test("5. network errors keep their cause: a refused connection and a DNS failure", { timeout: 60_000 }, async () => {
  const port = await refusedPort();
  let { error: e } = await failure(new ProxyShardClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, retries: 0 }).getMe(), "refused", 10_000);
  expectError(e, "network", "refused");
  assert.ok(e.cause instanceof TypeError, `refused: err.cause is fetch's TypeError (got ${preview(e.cause)})`);
  assert.match(e.message, /ECONNREFUSED/, "refused: the message names ECONNREFUSED");
  assert.equal(e.attempts, 1);
  ({ error: e } = await failure(new ProxySolutionsClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api`, retries: 0 }).listOrders(), "refused (Proxy-Solutions)", 10_000));
  expectError(e, "network", "refused (Proxy-Solutions)");
  assert.ok(e.cause instanceof TypeError);
  assert.match(e.message, /ECONNREFUSED/);

  // Port 9 (the brief's example) is on fetch's list of blocked ports: Node's fetch refuses
  // it before connecting ("bad port"), so the reason in the message is that, not ECONNREFUSED.
  ({ error: e } = await failure(new ProxyShardClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", retries: 0 }).getMe(), "port 9", 10_000));
  expectError(e, "network", "port 9");
  assert.ok(e.cause instanceof TypeError, `port 9: err.cause is fetch's TypeError (got ${preview(e.cause)})`);
  assert.notEqual(e.message.trim(), "fetch failed");
  assert.match(e.message, /bad port|ECONNREFUSED/);

  ({ error: e } = await failure(new ProxyShardClient({ apiKey: KEY, baseUrl: "http://no-such-host.invalid", allowInsecureHttp: true, retries: 0, timeout: 8_000 }).getMe(), "DNS", 12_000));
  expectError(e, "network", `DNS: ${e.code} ${e.message}`);
  assert.notEqual(e.cause, undefined, "DNS: err.cause is defined");
  assert.notEqual(e.message.trim(), "fetch failed", "DNS: the message says more than fetch failed");
  assert.match(e.message, /ENOTFOUND|EAI_AGAIN|EAI_NONAME|getaddrinfo/, "DNS: the message names the resolver's code");
});

// ------------------------------------------------------------------ 6. path safety

/** `operationId.param` for every path template parameter of an OpenAPI file, and the names
 * declared `in: path`, found by a line scan (the two files are plain block YAML). */
function scanPathParams(file) {
  const text = readFileSync(file, "utf8");
  const pairs = [];
  let inPaths = false;
  let path = null;
  for (const line of text.split("\n")) {
    if (/^paths:\s*$/.test(line)) {
      inPaths = true;
      continue;
    }
    if (/^\S/.test(line)) inPaths = false;
    if (!inPaths) continue;
    let m;
    if ((m = line.match(/^ {2}(\/\S*):\s*$/))) path = m[1];
    else if ((m = line.match(/^\s+operationId:\s*(\w+)/))) {
      for (const p of path.matchAll(/\{(\w+)\}/g)) pairs.push(`${m[1]}.${p[1]}`);
    }
  }
  const declared = new Set([...text.matchAll(/name:\s*(\w+)\s*\n\s*in:\s*path\b/g)].map((m) => m[1]));
  return { pairs, declared };
}

// [client, method, valid params]; the path parameter gets the bad value.
// One case per path parameter of either spec, with that operation's canonical valid params
// (spec/overlay.yaml `call`, via tests/fixtures/calls.json): "proxyShard.getOrder.id" →
// ["shard", "getOrder", { id: 123456 }].
const PATH_CASES = Object.fromEntries(
  [["proxy-solutions", "proxySolutions", "ps"], ["proxyshard", "proxyShard", "shard"]].flatMap(([provider, vendor, client]) =>
    Object.entries(operationCalls(provider)).flatMap(([op, row]) =>
      Object.entries(row.fields)
        .filter(([, loc]) => loc === "path")
        .map(([name]) => [`${vendor}.${op}.${name}`, [client, op, row.params]]),
    ),
  ),
);
const DOT_SEGMENTS = ["", ".", "..", "%2e", "%2E", "%2e%2e", "%2E%2e", "%2e%2E", ".%2e", "%2e.", ".%2E", "%2E."];

test("6. every path parameter of both vendors refuses dot segments (also percent-encoded) before anything is sent", { timeout: 60_000 }, async () => {
  const specs = {
    proxySolutions: scanPathParams(here("../../spec/proxy-solutions.openapi.yaml")),
    proxyShard: scanPathParams(here("../../spec/proxyshard.openapi.yaml")),
  };
  const fromFiles = Object.entries(specs).flatMap(([vendor, s]) => s.pairs.map((p) => `${vendor}.${p}`));
  assert.deepEqual([...Object.keys(PATH_CASES)].sort(), [...new Set(fromFiles)].sort(), "the table covers every path parameter of the OpenAPI files");
  for (const [vendor, s] of Object.entries(specs)) {
    const templated = new Set(s.pairs.map((p) => p.split(".")[1]));
    assert.deepEqual([...s.declared].sort(), [...templated].sort(), `${vendor}: the parameters declared in: path are the ones in the path templates`);
  }
  for (const [key, [vendor, method, params]] of Object.entries(PATH_CASES)) {
    const param = key.split(".").at(-1);
    const fetch = countingFetch(() => jsonResponse({}));
    const client = vendor === "ps" ? new ProxySolutionsClient({ apiKey: KEY, fetch, retries: 0 }) : new ProxyShardClient({ apiKey: KEY, fetch, retries: 0 });
    // Harness: the valid params are sent (so a refusal below is about the path parameter).
    const ok = await outcome(client[method](params));
    assert.ok(!ok.hung, `${key}: valid call hung`);
    assert.notEqual(ok.error?.code, "invalid_input", `${key}: the valid params were refused: ${ok.error?.field} ${ok.error?.message}`);
    assert.equal(fetch.calls.length, 1, `${key}: the valid call was sent once`);
    fetch.calls.length = 0;
    for (const bad of DOT_SEGMENTS) {
      const what = `${key} = ${JSON.stringify(bad)}`;
      let promise;
      assert.doesNotThrow(() => {
        promise = client[method]({ ...params, [param]: bad });
      }, `${what}: threw synchronously`);
      const { error: e } = await failure(promise, what);
      expectError(e, "invalid_input", what);
      assert.equal(e.field, param, `${what}: field`);
      assert.ok(e.attempts === undefined || e.attempts === 0, `${what}: attempts ${e.attempts}`);
      assert.equal(e.mayHaveBeenApplied, false, what);
      assert.deepEqual(fetch.calls.map((c) => c.url), [], `${what}: nothing may be sent`);
    }
  }
});

test("6. a user_id with reserved characters is sent percent-encoded as one path segment", { timeout: 30_000 }, async () => {
  const fetch = countingFetch(() => jsonResponse({ success: true, message: "ok", data: [] }));
  const shard = new ProxyShardClient({ apiKey: KEY, fetch, retries: 0 });
  const SUFFIX = {
    getSubUser: "", renameSubUser: "", deleteSubUser: "",
    addSubUserTraffic: "/data/add", subtractSubUserTraffic: "/data/subtract", regenerateSubUserPassword: "/password",
  };
  const ops = Object.entries(PATH_CASES).filter(([k]) => k.endsWith(".user_id"));
  assert.deepEqual(ops.map(([, [, m]]) => m).sort(), Object.keys(SUFFIX).sort());
  for (const [key, [, method, params]] of ops) {
    for (const id of ["a/b?c#d", "a b", "100%", "..a", "...", "a\\b"]) {
      fetch.calls.length = 0;
      await outcome(shard[method]({ ...params, user_id: id }));
      const what = `${key} = ${JSON.stringify(id)}`;
      assert.equal(fetch.calls.length, 1, `${what}: sent once`);
      const sent = fetch.calls[0].url;
      const m = sent.match(/^https:\/\/user-api\.proxyshard\.com\/user\/api\/proxies\/sub-user\/([^/?#]+)([^?#]*)(\?[^#]*)?$/);
      assert.ok(m, `${what}: URL ${sent}`);
      const decoded = (() => {
        try {
          return decodeURIComponent(m[1]);
        } catch {
          return `(not valid percent-encoding: ${m[1]})`;
        }
      })();
      assert.equal(decoded, id, `${what}: the id is one segment that decodes to itself (${sent})`);
      assert.equal(m[2], SUFFIX[method], `${what}: the rest of the path (${sent})`);
      if (id === "a/b?c#d") assert.equal(m[1].toUpperCase(), "A%2FB%3FC%23D", `${what}: ${sent}`);
      for (const k of new URLSearchParams(m[3] ?? "").keys()) assert.equal(k, "proxy_type", `${what}: query of ${sent}`);
    }
  }
});

// ---------------------------------------------------------------- 7. error hygiene

test("7a. an error body with __proto__ keys pollutes nothing: err.body and err.fieldErrors are plain", { timeout: 30_000 }, async () => {
  const raw = '{"__proto__": {"polluted": 1}, "message": "x", "errors": {"__proto__": ["y"], "period": ["bad"]}}';
  const plainProto = (o) => [Object.prototype, null].includes(Object.getPrototypeOf(o));
  const ps = new ProxySolutionsClient({ apiKey: KEY, retries: 0, fetch: async () => new Response(raw, { status: 422, headers: { "content-type": "application/json" } }) });
  const { error: e } = await failure(ps.createOrder({ service_id: 4, location_id: 24, quantity: 1 }), "422 with __proto__");
  expectError(e, "validation_failed", "422 with __proto__");
  assert.equal(e.status, 422);
  assert.ok(e.body && typeof e.body === "object", `err.body is an object: ${preview(e.body)}`);
  assert.ok(plainProto(e.body), `err.body's prototype is Object.prototype or null, not ${preview(Object.getPrototypeOf(e.body))}`);
  assert.ok(e.fieldErrors && typeof e.fieldErrors === "object", "err.fieldErrors");
  assert.ok(plainProto(e.fieldErrors), `err.fieldErrors' prototype is Object.prototype or null, not ${preview(Object.getPrototypeOf(e.fieldErrors))}`);
  assert.equal(e.body.polluted, undefined, "err.body.polluted");
  assert.equal(e.fieldErrors.polluted, undefined, "err.fieldErrors.polluted");
  assert.equal(({}).polluted, undefined, "Object.prototype was not polluted");
  assert.deepEqual(e.fieldErrors.period, ["bad"]);
  assert.equal(e.body.message, "x");
  if (e.body.errors) assert.ok(plainProto(e.body.errors), "err.body.errors' prototype");

  // ProxyShard's error body, and a successful reply, the same way.
  const shard = new ProxyShardClient({
    apiKey: KEY, retries: 0,
    fetch: async (url) =>
      url.endsWith("/me")
        ? new Response('{"__proto__": {"polluted": 2}, "success": false, "message": "no"}', { status: 400, headers: { "content-type": "application/json" } })
        : new Response('{"success": true, "products": [], "__proto__": {"polluted": 3}}', { status: 200, headers: { "content-type": "application/json" } }),
  });
  const { error: se } = await failure(shard.getMe(), "400 with __proto__");
  expectError(se, "api", "400 with __proto__");
  assert.ok(plainProto(se.body), `ProxyShard err.body's prototype: ${preview(Object.getPrototypeOf(se.body))}`);
  assert.equal(se.body.polluted, undefined);
  const products = await shard.listProducts();
  assert.ok(plainProto(products), "a decoded reply's prototype");
  assert.equal(products.polluted, undefined);
  assert.equal(({}).polluted, undefined);
});

test("7b. the API key (raw, JSON-, URL-, form- and HTML-escaped) and proxy passwords echoed in a reply appear nowhere in the error", { timeout: 60_000 }, async () => {
  const SECRET = `k3y/with+special=&<chars>"quote'`;
  const PASSWORD = "pr0xy-Pass/+=&<x>'9"; // no " or \: its JSON escaping is itself
  const html = (s, { apos = "&#39;", slash = false } = {}) => {
    let out = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, apos);
    if (slash) out = out.replace(/\//g, "&#x2F;");
    return out;
  };
  const keyForms = {
    raw: SECRET,
    json: JSON.stringify(SECRET).slice(1, -1),
    uri: encodeURIComponent(SECRET),
    form: new URLSearchParams({ k: SECRET }).toString().slice(2),
    html: html(SECRET),
    htmlHex: html(SECRET, { apos: "&#x27;", slash: true }),
  };
  assert.equal(new Set(Object.values(keyForms)).size, 6, "harness: every escaping changes the key");
  const passwordForms = { raw: PASSWORD, html: html(PASSWORD), htmlHex: html(PASSWORD, { apos: "&#x27;", slash: true }) };
  const forbidden = { ...Object.fromEntries(Object.entries(keyForms).map(([k, v]) => [`key ${k}`, v])), ...Object.fromEntries(Object.entries(passwordForms).map(([k, v]) => [`password ${k}`, v])) };
  // Reply bodies, one secret form each (so each sits at the start, inside any snippet).
  const bodies = [];
  for (const [name, form] of Object.entries(keyForms)) {
    bodies.push([`key ${name}, text`, "text/plain", `invalid key ${form} (check your settings)`]);
    bodies.push([`key ${name}, JSON`, "application/json", JSON.stringify({ success: false, message: `invalid key ${form}`, echo: form })]);
    bodies.push([`key ${name}, HTML`, "text/html", `<p>key <b>${form}</b> rejected</p>`]);
  }
  const pwJsonField = `\\"user\\":\\"u1\\",\\"password\\":\\"${PASSWORD}\\"`; // JSON-escaped "password":"…"
  const pwHtmlField = `&quot;user&quot;:&quot;u1&quot;,&quot;password&quot;:&quot;${html(PASSWORD)}&quot;`;
  const pwHtmlHexField = `&quot;password&quot;:&quot;${html(PASSWORD, { apos: "&#x27;", slash: true })}&quot;`;
  bodies.push(["password JSON-escaped field, text", "text/plain", `upstream: {${pwJsonField}}`]);
  bodies.push(["password JSON-escaped field, inside a JSON string", "application/json", JSON.stringify({ success: false, message: `upstream: {"user":"u1","password":"${PASSWORD}"}` })]);
  bodies.push(["password JSON-escaped field, JSON raw text", "application/json", `{"success": false, "message": "upstream: {${pwJsonField}}"}`]);
  bodies.push(["password HTML-escaped field", "text/html", `<pre>{${pwHtmlField}}</pre>`]);
  bodies.push(["password HTML-escaped field (hex entities)", "text/html", `<pre>{${pwHtmlHexField}}</pre>`]);
  bodies.push(["everything at once", "text/plain", [...Object.values(keyForms), `{${pwJsonField}}`, `{${pwHtmlField}}`].join(" | ")]);

  // A local server echoes whatever `reply` holds; one client goes through a custom fetch.
  let reply = null;
  const server = await startRecorder(
    (req, res) => {
      res.writeHead(reply.status, { "content-type": reply.type });
      res.end(reply.body);
    },
    { maxRequests: 1_000 },
  );
  const customFetch = async () => new Response(reply.body, { status: reply.status, headers: { "content-type": reply.type } });
  const clients = {
    ProxyShard: [new ProxyShardClient({ apiKey: SECRET, baseUrl: server.url, retries: 0 }), (c) => c.getMe()],
    "Proxy-Solutions": [new ProxySolutionsClient({ apiKey: SECRET, baseUrl: `${server.url}/api`, retries: 0 }), (c) => c.listOrders()],
    "Proxy-Solutions (authHeader)": [new ProxySolutionsClient({ apiKey: SECRET, baseUrl: `${server.url}/api`, retries: 0, ...CUSTOM_AUTH }), (c) => c.listOrders()],
    "ProxyShard (custom fetch)": [new ProxyShardClient({ apiKey: SECRET, fetch: customFetch, retries: 0 }), (c) => c.getMe()],
  };
  try {
    for (const [clientName, [client, call]] of Object.entries(clients)) {
      for (const [label, type, body] of bodies) {
        for (const status of [500, 200]) {
          const what = `${clientName}, ${status} ${label}`;
          reply = { status, type, body };
          const { error: e } = await failure(call(client), what);
          expectError(e, status === 500 ? "server_error" : "decode", what);
          const texts = {
            message: String(e.message),
            "own enumerable props": JSON.stringify({ ...e }),
            body: typeof e.body === "string" ? e.body : JSON.stringify(e.body ?? null),
            snippet: String(e.snippet ?? ""),
            stack: String(e.stack),
            inspect: inspect(e, { depth: 10, showHidden: true }),
          };
          for (const [where, text] of Object.entries(texts)) {
            for (const [formName, form] of Object.entries(forbidden)) {
              assert.ok(!text.includes(form), `${what}: ${formName} appears in ${where}: ${text.slice(0, 400)}`);
            }
          }
        }
      }
    }
    assert.equal(server.calls().length, 3 * bodies.length * 2, "every server-backed call reached the echo server once");
  } finally {
    await server.close();
  }
});

test("7c. an already-aborted signal: code aborted, attempts 0, mayHaveBeenApplied false, nothing sent", { timeout: 30_000 }, async () => {
  const fetch = countingFetch(() => jsonResponse(ME));
  const shard = new ProxyShardClient({ apiKey: KEY, fetch });
  const ps = new ProxySolutionsClient({ apiKey: KEY, fetch });
  const aborted = () => {
    const ac = new AbortController();
    ac.abort();
    return ac.signal;
  };
  const signals = [
    ["AbortSignal.abort()", () => AbortSignal.abort()],
    ["AbortSignal.abort(\"a string reason\")", () => AbortSignal.abort("a string reason")],
    ["AbortSignal.abort(42)", () => AbortSignal.abort(42)],
    ["a controller aborted before the call", aborted],
  ];
  const calls = [
    ["getMe", (s) => shard.getMe({}, { signal: s })],
    ["purchaseOrder", (s) => shard.purchaseOrder(PURCHASE, { signal: s })],
    ["Proxy-Solutions chargeOrder", (s) => ps.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD" }, { signal: s })],
    ["Proxy-Solutions listMerchants", (s) => ps.listMerchants({}, { signal: s })],
  ];
  for (const [sigName, make] of signals) {
    for (const [name, call] of calls) {
      const what = `${name} with ${sigName}`;
      const { error: e } = await failure(call(make()), what);
      expectError(e, "aborted", what);
      assert.equal(e.attempts, 0, `${what}: attempts`);
      assert.equal(e.mayHaveBeenApplied, false, `${what}: mayHaveBeenApplied`);
    }
  }
  assert.equal(fetch.calls.length, 0, "nothing was sent");
  // Iterators too.
  const it = shard.iterateOrders({ status: "all" }, { signal: AbortSignal.abort() });
  const { error: ie } = await failure(it.next(), "iterateOrders with an aborted signal");
  expectError(ie, "aborted", "iterateOrders with an aborted signal");
  assert.equal(fetch.calls.length, 0, "nothing was sent");
});

test("7d. after free(), async methods reject and sync methods throw a ProxykitError client_freed", { timeout: 30_000 }, async () => {
  const fetch = countingFetch(() => jsonResponse(ME));
  const shard = new ProxyShardClient({ apiKey: KEY, fetch });
  const ps = new ProxySolutionsClient({ apiKey: KEY, fetch });
  ps.setServiceKind(1, "personal"); // works before free()
  shard.free();
  ps.free();
  for (const [what, call] of [
    ["ProxyShard getMe", () => shard.getMe()],
    ["ProxyShard purchaseOrder", () => shard.purchaseOrder(PURCHASE)],
    ["Proxy-Solutions listMerchants", () => ps.listMerchants()],
    ["Proxy-Solutions chargeOrder", () => ps.chargeOrder({ order_id: 1, merchant: "balance", currency: "USD" })],
  ]) {
    let promise;
    assert.doesNotThrow(() => {
      promise = call();
    }, `${what}: threw synchronously after free()`);
    assert.ok(promise instanceof Promise, `${what}: returns a Promise`);
    const { error: e } = await failure(promise, what);
    expectError(e, "client_freed", what);
  }
  assert.throws(
    () => ps.setServiceKind(1, "personal"),
    (e) => e instanceof Error && e.name === "ProxykitError" && isProxykitError(e) && e.code === "client_freed",
    "setServiceKind after free()",
  );
  assert.equal(fetch.calls.length, 0, "nothing was sent after free()");
});

test("7d2. a client freed while its call is in flight ends the call with client_freed; a page walk outlives it", { timeout: 30_000 }, async () => {
  // The call loop is JS (src/wasm/call.js): the wasm is asked again only when the reply is
  // in, and a freed client can no longer answer. The request went out, so the error says
  // it may have been applied.
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const fetch = countingFetch(async () => {
    await gate;
    return jsonResponse(ME);
  });
  const shard = new ProxyShardClient({ apiKey: KEY, fetch });
  const pending = shard.getMe();
  while (fetch.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  shard.free();
  release();
  const { error: e } = await failure(pending, "getMe, freed in flight");
  expectError(e, "client_freed", "getMe, freed in flight");
  assert.equal(e.mayHaveBeenApplied, true, "the request was sent");
  assert.equal(e.attempts, 1);
  assert.match(e.message, /ProxyShardClient\.getMe: the client was freed while this call was in flight/);

  // A page walk holds the client's core itself: it goes on after free().
  const page = { orders: [{ order_id: 1, product_id: 1, product_name: "Datacenter Proxy", cycle_id: 1, cycle_name: "monthly", expires_at: "2026-02-01T00:00:00Z", auto_renewal: false, tag: null }], next: null, previous: null };
  const walker = new ProxyShardClient({ apiKey: KEY, fetch: countingFetch(() => jsonResponse(page)) });
  const orders = walker.iterateOrders({ status: "all" });
  walker.free();
  const first = await orders.next();
  assert.equal(first.value.order_id, 1);
  assert.deepEqual(await orders.next(), { value: undefined, done: true });
});

test("7e. a page iterator serialises concurrent next() calls: 25 orders in order, then done", { timeout: 30_000 }, async () => {
  const TOTAL = 25;
  const orders = Array.from({ length: TOTAL }, (_, i) => ({
    order_id: 1001 + i, product_id: 1, product_name: "Datacenter Proxy", cycle_id: 1, cycle_name: "monthly",
    expires_at: "2026-02-01T00:00:00Z", auto_renewal: false, tag: null,
  }));
  const server = await startRecorder(
    (req, res) => {
      const url = new URL(req.url, "http://x");
      if (url.pathname !== "/user/api/orders") return send(res, 404, { success: false, message: "no route" });
      const status = url.searchParams.get("status");
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const page = orders.slice(offset, offset + limit);
      const link = (o) => `http://${req.headers.host}/user/api/orders?status=${status}&offset=${o}&limit=${limit}`;
      // A little latency, so concurrent next() calls overlap a page in flight.
      setTimeout(() => send(res, 200, {
        success: true, orders: page, count: page.length,
        prev: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        next: offset + limit < TOTAL ? link(offset + limit) : null,
      }), 20);
    },
    { maxRequests: 100 },
  );
  try {
    const shard = shardAt(server.url);
    const it = shard.iterateOrders({ status: "all", limit: 5 });
    const r = await outcome(Promise.all(Array.from({ length: 30 }, () => it.next())), 15_000);
    assert.ok(!r.hung && !r.rejected, `the 30 next() calls: ${preview(r.error ?? "hung")}`);
    const results = r.value;
    assert.deepEqual(results.slice(0, TOTAL).map((x) => x.done), Array(TOTAL).fill(false), "the first 25 results are items");
    assert.deepEqual(results.slice(0, TOTAL).map((x) => x.value.order_id), orders.map((o) => o.order_id), "all 25 orders, in order, each once");
    assert.deepEqual(results.slice(TOTAL).map((x) => x.done), Array(30 - TOTAL).fill(true), "then done");
    const offsets = server.calls().map((c) => new URL(c.path, "http://x").searchParams.get("offset"));
    assert.deepEqual(offsets, [...new Set(offsets)], `no page was fetched twice: ${offsets.join(",")}`);
    assert.deepEqual((await it.next()).done, true, "still done afterwards");
  } finally {
    await server.close();
  }
});

// ------------------------------------------- 9. redirect faults against the sandbox

const SANDBOX_REDIRECTS = [
  // [fault kind, status the client sees, whether the sandbox applied the request]
  ["redirect", 307, false],
  ["redirect-308", 308, false],
  ["redirect-after", 303, true],
];

test("9. every money operation of both vendors, answered by the sandbox's redirect faults: received once, code redirect, mayHaveBeenApplied true", { timeout: 120_000 }, async (t) => {
  const server = await startSandboxServer({
    port: 0,
    seed: 9,
    maxRequests: 2_000,
    ttlSeconds: 110,
    proxyShard: { accounts: [{ apiKey: "sandbox-shard-key", wallet: 1_000_000, history: 0 }] },
    proxySolutions: { accounts: [{ apiKey: "sandbox-ps-key", balance: 1_000 }] },
  });
  try {
    const sb = server.sandbox;
    try {
      sb.setFaults({ rate: 0, kinds: SANDBOX_REDIRECTS.map(([k]) => k) });
      sb.setFaults({});
    } catch (e) {
      t.skip(`sandbox lacks redirect faults (${e.message})`);
      return;
    }
    let fault = null;
    const modes = [];
    const faulting = (input, init = {}) => {
      modes.push(redirectMode(input, init));
      if (!fault) return fetch(input, init);
      const headers = new Headers(init.headers);
      headers.set("x-sandbox-fault", fault);
      return fetch(input, { ...init, headers });
    };
    const opts = { fetch: faulting, retries: 3, retryDelay: 1, timeout: 5_000 };
    const shard = new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: server.url, ...opts });
    const ps = new ProxySolutionsClient({ apiKey: "sandbox-ps-key", baseUrl: `${server.url}/api`, ...opts });

    // State each money call needs, made through the SDK with no fault.
    const buy = async (p) => (await shard.purchaseOrder(p)).order_id;
    const onHold = [await buy(PURCHASE), await buy(PURCHASE), await buy(PURCHASE)];
    sb.advance({ days: 31 });
    for (const id of onHold) assert.equal((await shard.getOrder({ id })).order.status, "on-hold", `harness: order ${id} is on hold`);
    const dc = [await buy(PURCHASE), await buy(PURCHASE), await buy(PURCHASE)];
    const residential = [];
    for (let i = 0; i < 3; i++) residential.push(await buy({ product: "Standart Residential Proxy", quantity: 1 }));
    const psOrders = [];
    for (let i = 0; i < 3; i++) psOrders.push((await ps.createOrder({ service_id: 4, location_id: 24, quantity: 1 })).orders[0].id);
    const psStatus = async (id) => (await ps.listOrders()).orders.find((o) => o.id === id)?.status;
    const wallet = async () => (await shard.getMe()).wallet_balance;
    const orderCount = async () => {
      let n = 0;
      for await (const _ of shard.iterateOrders({ status: "all", limit: 100 })) n++;
      return n;
    };

    for (const [i, [kind, status, applied]] of SANDBOX_REDIRECTS.entries()) {
      const MONEY = [
        ["proxyShard", "purchaseOrder", () => shard.purchaseOrder(PURCHASE), {
          before: async () => ({ wallet: await wallet(), orders: await orderCount(), price: (await shard.quoteOrder(PURCHASE)).total_with_addons }),
          check: async (b, what) => {
            assert.equal(await orderCount(), b.orders + (applied ? 1 : 0), `${what}: orders`);
            assert.equal(await wallet(), b.wallet - (applied ? b.price : 0), `${what}: the wallet went down ${applied ? "once" : "not at all"}`);
          },
        }],
        ["proxyShard", "renewOrder", () => shard.renewOrder({ id: onHold[i] }), {
          before: async () => ({ wallet: await wallet() }),
          check: async (b, what) => {
            assert.equal((await shard.getOrder({ id: onHold[i] })).order.status, applied ? "active" : "on-hold", `${what}: order status`);
            if (applied) assert.ok((await wallet()) < b.wallet, `${what}: the wallet went down`);
            else assert.equal(await wallet(), b.wallet, `${what}: the wallet did not move`);
          },
        }],
        ["proxyShard", "addBandwidth", () => shard.addBandwidth({ id: residential[i], amount: 1 }), {
          before: async () => ({ wallet: await wallet(), quantity: (await shard.getOrder({ id: residential[i] })).order.quantity }),
          check: async (b, what) => {
            assert.equal((await shard.getOrder({ id: residential[i] })).order.quantity, b.quantity + (applied ? 1 : 0), `${what}: quantity`);
            if (applied) assert.ok((await wallet()) < b.wallet, `${what}: the wallet went down`);
            else assert.equal(await wallet(), b.wallet, `${what}: the wallet did not move`);
          },
        }],
        ["proxyShard", "purchaseAddon", () => shard.purchaseAddon({ order_id: dc[i], addon_key: "p0f_slots", add_qty: 1 }), {
          before: async () => ({ wallet: await wallet() }),
          check: async (b, what) => {
            const slots = (await shard.getOrder({ id: dc[i] })).order.addons.find((a) => a.addon_key === "p0f_slots")?.qty ?? 0;
            assert.equal(slots, applied ? 1 : 0, `${what}: p0f slots`);
            if (applied) assert.ok((await wallet()) < b.wallet, `${what}: the wallet went down`);
            else assert.equal(await wallet(), b.wallet, `${what}: the wallet did not move`);
          },
        }],
        ["proxySolutions", "chargeOrder", () => ps.chargeOrder({ order_id: psOrders[i], merchant: "balance", currency: "USD" }), {
          before: async () => ({}),
          check: async (_, what) => assert.equal(await psStatus(psOrders[i]), applied ? "active" : "waiting", `${what}: order status`),
        }],
        ["proxySolutions", "chargeUserBalance", () => ps.chargeUserBalance({ merchant: "interkassa", currency: "EUR", amount: 5 }), {
          before: async () => ({}),
          check: async () => {},
        }],
      ];
      for (const [provider, op, call, effect] of MONEY) {
        const what = `${op} with x-sandbox-fault: ${kind}`;
        const before = await effect.before();
        sb.clearLog();
        fault = kind;
        const r = await outcome(call(), 10_000).finally(() => {
          fault = null;
        });
        const log = sb.log();
        assert.ok(!r.hung, `${what}: hung`);
        assert.ok(r.rejected, `${what}: resolved: ${preview(r.value)}`);
        const e = r.error;
        expectError(e, "redirect", what);
        assert.equal(e.status, status, `${what}: status`);
        assert.equal(e.operation, op, what);
        assert.equal(e.attempts, 1, `${what}: attempts`);
        assert.equal(e.mayHaveBeenApplied, true, `${what}: mayHaveBeenApplied`);
        assert.deepEqual(log.counts[provider]?.[op], { received: 1, reached: applied ? 1 : 0 }, `${what}: the sandbox received it exactly once`);
        const entries = log.entries.filter((x) => x.operation === op);
        assert.equal(entries.length, 1, `${what}: log entries`);
        assert.equal(entries[0].fault, kind, `${what}: the logged fault`);
        assert.equal(entries[0].reached, applied, `${what}: reached`);
        assert.equal(log.entries.length, 1, `${what}: nothing else was sent (no followed redirect): ${JSON.stringify(log.entries)}`);
        await effect.check(before, what);
      }
    }
    assert.deepEqual([...new Set(modes)], ["manual"], "every request asked fetch for redirect: \"manual\"");
  } finally {
    await server.close();
  }
});

// ------------------------------------------------ 3. timeout and abort held by the SDK

test("3. timeout and abort hold whether or not the fetch honours the signal (options.fetch and globalThis.fetch)", { timeout: 120_000 }, async () => {
  const timers = [];
  const enc = new TextEncoder();
  const behaviours = {
    // Ignores init.signal; a valid reply after 5 s.
    ignoresSignal: () => new Promise((resolve) => timers.push(setTimeout(() => resolve(jsonResponse(ME)), 5_000))),
    neverSettles: () => new Promise(() => {}),
    // Headers at once; the body never finishes.
    endlessBody: async () =>
      new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode('{"email":"dev@')); } }), { status: 200, headers: { "content-type": "application/json" } }),
    // Harness baseline: a fetch that does honour the signal.
    honoursSignal: (input, init) =>
      new Promise((_, reject) => {
        const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        const fail = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
        if (signal?.aborted) return fail();
        signal?.addEventListener("abort", fail, { once: true });
      }),
  };
  const clients = {
    shard: { make: (extra) => new ProxyShardClient({ apiKey: KEY, retries: 0, ...extra }), call: (c, o) => c.getMe({}, o) },
    ps: { make: (extra) => new ProxySolutionsClient({ apiKey: KEY, retries: 0, ...extra }), call: (c, o) => c.listOrders({}, o) },
  };
  const cases = [
    ["honoursSignal", "timeout"], // first: the harness's baseline
    ["honoursSignal", "abort"],
    ["ignoresSignal", "timeout"],
    ["ignoresSignal", "abort"],
    ["neverSettles", "timeout"],
    ["neverSettles", "abort"],
    ["endlessBody", "timeout"],
    ["endlessBody", "abort"],
  ];
  try {
    for (const via of ["options.fetch", "globalThis.fetch"]) {
      for (const [name, { make, call }] of Object.entries(clients)) {
        for (const [behaviour, ending] of cases) {
          const what = `${name}, fetch ${behaviour} (${via}), ${ending}`;
          const fn = behaviours[behaviour];
          const run = async () => {
            const client = via === "options.fetch" ? make({ fetch: fn }) : make({});
            if (ending === "timeout") return failure(call(client, { timeout: 300 }), what, 5_000);
            const ac = new AbortController();
            const t = setTimeout(() => ac.abort(), 200);
            try {
              return await failure(call(client, { signal: ac.signal }), what, 5_000);
            } finally {
              clearTimeout(t);
            }
          };
          const { error: e, ms } = via === "options.fetch" ? await run() : await withGlobalFetch(fn, run);
          if (ending === "timeout") {
            expectError(e, "timeout", what);
            assert.equal(e.timeoutMs, 300, `${what}: timeoutMs`);
            // The fetch would answer at 5 s; anything well under that shows the SDK ended the
            // call itself. Bounds are generous so a loaded CI machine does not flake.
            assert.ok(ms < 3_000, `${what}: took ${ms.toFixed(0)} ms`);
          } else {
            expectError(e, "aborted", what);
            assert.ok(ms < 2_500, `${what}: took ${ms.toFixed(0)} ms`);
          }
          assert.equal(e.attempts, 1, `${what}: attempts`);
        }
      }
    }
    // The client-level timeout is enforced the same way.
    const { error: e, ms } = await failure(new ProxyShardClient({ apiKey: KEY, retries: 0, timeout: 300, fetch: behaviours.neverSettles }).getMe(), "client option timeout", 5_000);
    expectError(e, "timeout", "client option timeout");
    assert.equal(e.timeoutMs, 300);
    assert.ok(ms < 3_000);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
});

// --------------------------------------------------- 4. no trap from what a fetch does

test("4. whatever a fetch does, the call settles as a network error with the original cause, and the instance answers afterwards", { timeout: 120_000 }, async () => {
  const rejectedObject = {};
  const resolvedObject = {};
  const noHeaders = { status: 200, text: async () => JSON.stringify(ME), json: async () => ME };
  const headersWithoutGet = { status: 200, headers: {}, text: async () => JSON.stringify(ME), json: async () => ME };
  const headersGetNotFunction = { status: 200, headers: { get: "content-type" }, text: async () => JSON.stringify(ME) };
  const statusOnly = { status: 200 };
  const syncError = new Error("sync boom");
  const BEHAVIOURS = [
    ["rejects with the string \"boom\"", "reject", "boom"],
    ["rejects with 42", "reject", 42],
    ["rejects with null", "reject", null],
    ["rejects with undefined", "reject", undefined],
    ["rejects with {}", "reject", rejectedObject],
    ["resolves to 42", "resolve", 42],
    ["resolves to null", "resolve", null],
    ["resolves to {}", "resolve", resolvedObject],
    ["resolves to \"str\"", "resolve", "str"],
    ["resolves to an object with a status and no headers", "resolve", statusOnly],
    ["resolves to an object whose headers are missing", "resolve", noHeaders],
    ["resolves to an object whose headers have no get", "resolve", headersWithoutGet],
    ["resolves to an object whose headers.get is not a function", "resolve", headersGetNotFunction],
    ["throws an Error synchronously", "throw", syncError],
    ["throws a string synchronously", "throw", "sync string"],
  ];
  const hostile = (kind, value) => {
    if (kind === "reject") return () => Promise.reject(value);
    if (kind === "resolve") return () => Promise.resolve(value);
    return () => {
      throw value;
    };
  };
  const stray = [];
  const onStray = (x) => stray.push(x);
  process.on("uncaughtException", onStray);
  process.on("unhandledRejection", onStray);
  try {
    for (const via of ["options.fetch", "globalThis.fetch"]) {
      for (const vendor of ["shard", "ps"]) {
        let current = null;
        const valid = async (url) => (String(url?.url ?? url).includes("/merchants") ? jsonResponse(MERCHANTS) : jsonResponse(ME));
        const delegate = (...args) => (current ?? valid)(...args);
        const opts = { retries: 0, timeout: 3_000, ...(via === "options.fetch" ? { fetch: delegate } : {}) };
        const run = async () => {
          const client = vendor === "shard" ? new ProxyShardClient({ apiKey: KEY, ...opts }) : new ProxySolutionsClient({ apiKey: KEY, ...opts });
          const call = () => (vendor === "shard" ? client.getMe() : client.listMerchants());
          for (const [label, kind, value] of BEHAVIOURS) {
            const what = `${vendor}, fetch ${label} (${via})`;
            current = hostile(kind, value);
            let promise;
            assert.doesNotThrow(() => {
              promise = call();
            }, `${what}: the method threw synchronously`);
            const { error: e } = await failure(promise, what, 4_000);
            expectError(e, "network", what);
            assert.equal(e.cause, value, `${what}: err.cause is the original value (got ${preview(e.cause)})`);
            assert.equal(e.attempts, 1, `${what}: attempts`);
            current = null;
            const after = await outcome(call(), 4_000);
            assert.ok(!after.hung && !after.rejected, `${what}: the same instance then fails a valid call: ${preview(after.error ?? "hung")}`);
          }
        };
        if (via === "options.fetch") await run();
        else await withGlobalFetch(delegate, run);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(stray.map(preview), [], "no uncaughtException or unhandledRejection");
  } finally {
    process.off("uncaughtException", onStray);
    process.off("unhandledRejection", onStray);
  }
});
