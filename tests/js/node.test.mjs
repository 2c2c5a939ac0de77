// The built package, installed from its npm tarball and imported by name (ESM): exercises
// the `exports` map, the wasm load in Node, and the JS-facing contract of both clients.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { ProxySolutionsClient, ProxyShardClient, isProxykitError } from "proxykit";
import * as esmNamespace from "proxykit";
import { startTestSandbox, SHARD_KEY, PS_KEY } from "./sandbox-server.mjs";

const require = createRequire(import.meta.url);
let server;
before(async () => {
  server = await startTestSandbox({ maxRequests: 5000 });
});
after(() => server.close());

// `fault` names a sandbox fault every call of the client gets (through its base URL).
const origin = (fault) => (fault ? server.faultUrl(fault) : server.url);
const shard = (fault, extra = {}) => new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: origin(fault), ...extra });
const ps = (fault, extra = {}) => new ProxySolutionsClient({ baseUrl: `${origin(fault)}/api`, ...extra });
// The sandbox's default ProxyShard account.
const ME = { email: "reseller1@sandbox.invalid", active_orders: 1, wallet_balance: 10000 };

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected the promise to reject");
}

test("ESM and CJS entries export the same names, from one instance", () => {
  const cjs = require("proxykit");
  const cjsNames = Object.keys(cjs).filter((k) => !k.startsWith("__")).sort();
  const esmNames = Object.keys(esmNamespace).filter((k) => k !== "default").sort();
  assert.deepEqual(esmNames, cjsNames);
  for (const name of ["ProxySolutionsClient", "ProxySolutionsRules", "ProxyShardClient", "isProxykitError"]) {
    assert.ok(cjsNames.includes(name), name);
  }
  assert.equal(cjs.ProxyShardClient, ProxyShardClient, "import and require share the CJS build");
});

test("listMerchants resolves to the documented reply with wire names", async () => {
  const out = await ps().listMerchants();
  assert.deepEqual(out.merchants[0], {
    code: "interkassa",
    name: "Interkassa",
    currencies: ["UAH", "USD", "EUR"],
  });
  // Same with explicit empty params and call options.
  const again = await ps().listMerchants({}, { timeout: 5000 });
  assert.deepEqual(again.merchants.map((m) => m.code), ["interkassa", "freekassa", "cryptomus", "balance"]);
});

test("getMe sends the Bearer key and decodes the account", async () => {
  const me = await shard().getMe();
  assert.deepEqual(me, ME);
  const last = server.last();
  assert.equal(last.path, "/user/api/me");
  assert.deepEqual(last.credentials, ["authorization"]);
});

test("Proxy-Solutions sends the key in the configurable header", async () => {
  await ps(undefined, { apiKey: PS_KEY }).listMerchants();
  assert.deepEqual(server.last().credentials, ["x-api-key"]);
  await ps(undefined, { apiKey: PS_KEY, authHeader: "Authorization", authPrefix: "Bearer" })
    .listMerchants()
    .catch(() => {});
  assert.deepEqual(server.last().credentials, ["authorization"]);
});

test("getMe without a key is rejected before anything is sent", async () => {
  const before = server.total();
  const e = await rejection(new ProxyShardClient({ baseUrl: server.url }).getMe());
  assert.equal(e.code, "invalid_input");
  assert.equal(e.field, "options.apiKey");
  assert.equal(server.total(), before, "no request reached the server");
});

test("errors are real Errors with a stable code, and the guard recognises them", async () => {
  const e = await rejection(shard(undefined, { apiKey: "wrong-key-123" }).getMe());
  assert.ok(e instanceof Error);
  assert.equal(e.name, "ProxykitError");
  assert.equal(e.code, "unauthorized");
  assert.equal(e.status, 401);
  assert.equal(e.operation, "getMe");
  assert.equal(e.vendorMessage, "Unauthorized");
  assert.deepEqual(e.body, { success: false, message: "Unauthorized" });
  assert.equal(typeof e.stack, "string");
  assert.ok(isProxykitError(e));
  assert.ok(!String(e).includes("wrong-key-123") && !e.stack.includes("wrong-key-123"));
  for (const v of [new Error("x"), null, undefined, 5, "api", { code: "api", name: "ProxykitError" }]) {
    assert.equal(isProxykitError(v), false, String(v));
  }
});

test("non-JSON and malformed replies are typed errors", async () => {
  let e = await rejection(shard("html").getMe());
  assert.equal(e.code, "server_error");
  assert.equal(e.status, 502);
  assert.match(e.body, /Bad Gateway/);
  e = await rejection(shard("not-json").getMe());
  assert.equal(e.code, "decode");
  assert.equal(e.path, ".");
  assert.match(e.snippet, /Maintenance \(sandbox fault\)/);
  e = await rejection(ps("missing-fields").listMerchants());
  assert.equal(e.code, "decode");
  assert.match(e.message, /name/);
});

test("constructors reject bad options with invalid_input naming the option", () => {
  const cases = [
    [{ apiKey: 5 }, "options.apiKey"],
    [{ apiKey: null }, "options.apiKey"],
    [{ apiKey: "" }, "options.apiKey"],
    [{ apiKey: "a\nb" }, "options.apiKey"],
    [{ baseUrl: "not a url" }, "options.baseUrl"],
    [{ baseUrl: "ftp://x.test" }, "options.baseUrl"],
    [{ baseUrl: "https://u:p@x.test" }, "options.baseUrl"],
    [{ baseUrl: {} }, "options.baseUrl"],
    [{ timeout: -1 }, "options.timeout"],
    [{ timeout: 1.5 }, "options.timeout"],
    [{ timeout: "100" }, "options.timeout"],
    [{ fetch: "fetch" }, "options.fetch"],
    [{ apikey: "x" }, "options.apikey"],
    [{ authHeader: "X-Key" }, "options.authHeader"],
    [5, "options"],
    [[], "options"],
  ];
  for (const [opts, field] of cases) {
    assert.throws(
      () => new ProxyShardClient(opts),
      (e) => isProxykitError(e) && e.code === "invalid_input" && e.field === field,
      JSON.stringify(opts),
    );
  }
  assert.throws(
    () => new ProxySolutionsClient({ authHeader: "Bad Header" }),
    (e) => e.code === "invalid_input" && e.field === "options.authHeader",
  );
  // Valid forms.
  new ProxyShardClient();
  new ProxyShardClient({});
  new ProxyShardClient(undefined);
  new ProxySolutionsClient({ apiKey: "k", authHeader: "Authorization", authPrefix: "Token", timeout: 1 });
});

test("bad params and call options reject (never throw synchronously)", async () => {
  const c = shard();
  const cases = [
    [() => c.getMe({ typo: 1 }), "typo"],
    [() => c.getMe(5), "params"],
    [() => c.getMe([]), "params"],
    [() => c.getMe({}, { timeout: 0 }), "callOptions.timeout"],
    [() => c.getMe({}, { timeout: NaN }), "callOptions.timeout"],
    [() => c.getMe({}, { signal: {} }), "callOptions.signal"],
    [() => c.getMe({}, { retries: 11 }), "callOptions.retries"],
    [() => c.getMe({}, { retries: "2" }), "callOptions.retries"],
    [() => c.getMe({}, { retries: -1 }), "callOptions.retries"],
    [() => c.getMe({}, { tries: 1 }), "callOptions.tries"],
  ];
  for (const [call, field] of cases) {
    const p = call();
    assert.ok(p instanceof Promise);
    const e = await rejection(p);
    assert.equal(e.code, "invalid_input", field);
    assert.equal(e.field, field);
  }
  // `undefined` properties mean "not given".
  assert.equal((await c.getMe({ nothing: undefined })).active_orders, ME.active_orders);
});

test("timeout and AbortSignal end a slow call with typed errors", async () => {
  let e = await rejection(shard("slow").getMe({}, { timeout: 100 }));
  assert.equal(e.code, "timeout");
  assert.equal(e.timeoutMs, 100);
  e = await rejection(shard("slow", { timeout: 120 }).getMe());
  assert.equal(e.code, "timeout");
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error("user navigated away")), 50);
  e = await rejection(shard("slow").getMe({}, { signal: ac.signal }));
  assert.equal(e.code, "aborted");
  e = await rejection(shard("slow").getMe({}, { signal: AbortSignal.abort() }));
  assert.equal(e.code, "aborted");
});

test("a refused connection is a network error", async () => {
  const e = await rejection(new ProxyShardClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9" }).getMe());
  assert.equal(e.code, "network");
});

test("a custom fetch receives (url, init) and its Response is decoded", async () => {
  const seen = [];
  const c = shard(undefined, {
    fetch: async (url, init) => {
      seen.push({ url, method: init.method, headers: init.headers, hasSignal: init.signal instanceof AbortSignal });
      return fetch(url, init);
    },
  });
  assert.equal((await c.getMe()).wallet_balance, ME.wallet_balance);
  assert.deepEqual(seen, [
    {
      url: `${server.url}/user/api/me`,
      method: "GET",
      headers: { Accept: "application/json", Authorization: `Bearer ${SHARD_KEY}` },
      hasSignal: true,
    },
  ]);
  const stub = new ProxyShardClient({
    apiKey: "k",
    fetch: async () => new Response(JSON.stringify({ email: "s@x", active_orders: 0, wallet_balance: 7 })),
  });
  assert.equal((await stub.getMe()).wallet_balance, 7);
});

test("the typings declare each name once (TypeScript would silently merge duplicates)", async () => {
  for (const file of ["node/proxykit.d.ts", "web/proxykit.d.ts"]) {
    const text = await readFile(require.resolve(`proxykit/package.json`).replace("package.json", file), "utf8");
    const decls = [...text.matchAll(/^export (interface|type|class|function) (\w+)/gm)].map((m) => ({ kind: m[1], name: m[2] }));
    const names = decls.map((d) => d.name);
    // Deliberate merges: each client class gets its operation methods from a generated
    // interface (the methods are JS running the call loop, src/wasm/call.js), and ProxyShardClient a
    // second, hand-written one with the product-discriminated overloads of
    // purchaseOrder/quoteOrder; PageIterator's `next()` is JS (src/wasm/call.js), declared by
    // an interface merged into its class. Any other repeat is a bug.
    const merged = { ProxySolutionsClient: ["class", "interface"], ProxyShardClient: ["class", "interface", "interface"], PageIterator: ["class", "interface"] };
    const dupes = names.filter((n, i) => names.indexOf(n) !== i && !(n in merged));
    assert.deepEqual(dupes, [], file);
    for (const [n, want] of Object.entries(merged)) {
      const kinds = decls.filter((d) => d.name === n).map((d) => d.kind).sort();
      assert.deepEqual(kinds, want, `${file}: ${n} is one class plus its merged interfaces`);
    }
    assert.ok(names.length > 80, `${file}: ${names.length} declarations`);
  }
});

test("no `any` in the public typings", async () => {
  const base = require.resolve("proxykit/package.json").replace("package.json", "");
  const files = [
    "node/proxykit.d.ts",
    "node/proxykit_proxy_solutions.d.ts",
    "node/proxykit_proxyshard.d.ts",
    "web/index.d.ts",
    "web/proxy-solutions.d.ts",
    "web/proxyshard.d.ts",
    "web/init.d.ts",
  ];
  for (const file of files) {
    const text = await readFile(base + file, "utf8");
    const code = text
      .split("\n")
      .filter((l) => !/^\s*(\*|\/\*|\/\/)/.test(l));
    const withAny = code.filter((l) => /\bany\b/.test(l));
    assert.deepEqual(withAny, [], file);
  }
  // The web target's generated files carry wasm-bindgen's raw InitOutput table (typed with
  // `any`); each web entry's .d.ts re-exports init.d.ts's InitOutput over it, so importers of
  // proxykit/web[/provider] never see it.
  const init = await readFile(base + "web/init.d.ts", "utf8");
  assert.match(init, /export type InitOutput = WebAssembly\.Exports;/);
  for (const file of ["web/index.d.ts", "web/proxy-solutions.d.ts", "web/proxyshard.d.ts"]) {
    const text = await readFile(base + file, "utf8");
    assert.match(text, /export type \{ InitOutput, WasmSource \} from "\.\/init\.js";/, file);
  }
});

test("the package ships the size report and its README", async () => {
  const pkgJson = JSON.parse(await readFile(require.resolve("proxykit/package.json"), "utf8"));
  assert.equal(pkgJson.name, "proxykit");
  // Each entry: the Edge, Workers, Node and browser conditions first, each carrying its own `types` (so
  // TypeScript under nodenext sees .d.mts for import, .d.ts for require), then the types and
  // the default for bundlers; `types` always ahead of the file it describes.
  for (const [entry, map] of Object.entries(pkgJson.exports)) {
    if (typeof map === "string") continue;
    const keys = Object.keys(map);
    if (keys.includes("node")) {
      assert.deepEqual(keys, ["edge-light", "workerd", "node", "browser", "types", "default"], entry);
      assert.deepEqual(Object.keys(map.node), ["webpack", "module", "import", "require"], entry);
      for (const c of [map["edge-light"], map.workerd, map.browser, ...Object.values(map.node)]) assert.deepEqual(Object.keys(c), ["types", "default"], entry);
      assert.match(map.node.import.types, /\.d\.mts$/, entry);
      assert.match(map.node.module.default, /\.bundled\.mjs$/, entry);
    } else {
      assert.equal(keys[0], "types", entry);
    }
  }
});

test("plain http:// is refused unless the host is loopback or allowInsecureHttp is set", () => {
  const e = (() => {
    try {
      new ProxyShardClient({ apiKey: "k", baseUrl: "http://proxies.example" });
    } catch (x) {
      return x;
    }
  })();
  assert.equal(e?.code, "invalid_input");
  assert.equal(e.field, "options.baseUrl");
  assert.match(e.message, /allowInsecureHttp/);
  new ProxyShardClient({ apiKey: "k", baseUrl: "http://proxies.example", allowInsecureHttp: true });
  new ProxyShardClient({ apiKey: "k", baseUrl: "http://[::1]:8787" });
  new ProxySolutionsClient({ apiKey: "k", baseUrl: "http://localhost:8787/api" });
  // Node is not a browser: a key needs no opt-in here.
  new ProxyShardClient({ apiKey: "k" });
  assert.throws(() => new ProxyShardClient({ allowInsecureHttp: "yes" }), /must be true or false/);
});

test("the CommonJS build loads where require(esm) is unavailable (Node 18, older 20s)", async () => {
  const { execFileSync } = await import("node:child_process");
  // The flag exists only on Node versions that have require(esm); without it they are the old
  // behaviour already, so the plain run below covers them.
  const flags = process.allowedNodeEnvironmentFlags.has("--no-experimental-require-module")
    ? ["--no-experimental-require-module"]
    : [];
  const out = execFileSync(
    process.execPath,
    [...flags, "-e", 'const m = require("proxykit"); new m.ProxyShardClient({ apiKey: "k" }); process.stdout.write(typeof m.ProxyShardClient)'],
    { cwd: new URL(".", import.meta.url), encoding: "utf8" },
  );
  assert.equal(out, "function");
});
