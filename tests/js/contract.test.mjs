// Contract test: the installed package sends every documented example request to a Prism
// mock of the vendor's OpenAPI file started with --errors, which answers 4xx (422 for a
// bad request, 401 for missing auth) to any request that breaks the contract. A call that
// resolves therefore sent a valid request, and decoded Prism's reply, which Prism builds
// from the documented examples. A control request that breaks the contract must be refused,
// so the check is shown to be able to fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ProxySolutionsClient } from "proxykit";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const PRISM = here("./node_modules/.bin/prism");
const SPEC = here("../contract/proxy-solutions.openapi.yaml");
const SHARED = here("../../../shared/api/proxy-solutions.openapi.yaml");

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startPrism(spec) {
  const port = await freePort();
  const child = spawn(PRISM, ["mock", spec, "--host", "127.0.0.1", "--port", String(port), "--errors"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!/Prism is listening/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`prism did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

let prism;
before(async () => {
  if (existsSync(SHARED) && readFileSync(SHARED, "utf8") !== readFileSync(SPEC, "utf8")) {
    console.warn("warning: tests/contract/proxy-solutions.openapi.yaml differs from shared/api; copy it again");
  }
  prism = await startPrism(SPEC);
});
after(() => prism?.child.kill());

const EXAMPLES = [
  ["listOrders", {}],
  ["listOrders", { lang: "EN", currency: "USD" }],
  ["createOrder", { service_id: 1, location_id: 1, quantity: 1, period: 30, multiport: true }],
  ["createOrder", { service_id: 4, location_id: 24, lang: "UA", currency: "UAH" }],
  ["changeOrder", { order_id: 10000, port: 8000, login: "ps10000", gen_password: true }],
  ["changeOrder", { order_id: 10000, remove_proxies: ["192.0.2.10", "192.0.2.11"], quantity: 6 }],
  ["changeOrder", { order_id: 10000, password: "bfQQKiIOM0jT2dOJvBQh", ip_auth: ["203.0.113.5"] }],
  ["changeOrder", { order_id: 10000, ip_auth: "clear" }],
  ["chargeOrder", { order_id: 10000, merchant: "freekassa", period: 60, currency: "RUB", promocode: "PSPromo" }],
  ["chargeOrder", { order_id: 10000, merchant: "balance", currency: "USD" }],
  ["performOrderOperation", { order_id: 10000, operation: "channels-reset", channels: [1401, 1402] }],
  ["performOrderOperation", { order_id: 10000, operation: "channels-set-autoreset", interval: 600 }],
  ["performOrderOperation", { order_id: 10000, operation: "channels-relocate", location_id: 8, operator_id: 8 }],
  ["chargeUserBalance", { merchant: "freekassa", currency: "RUB", amount: 100 }],
  ["listMerchants", {}],
  [
    "calculatePrice",
    { service_id: 4, location_id: 8, quantity: 1, period: 30, multiport: true, promocode: "vk-top10", merchant: "freekassa", currency: "RUB", lang: "EN" },
  ],
  ["calculatePrice", { service_id: 4 }],
  ["listServices", { lang: "RU", currency: "EUR" }],
  ["listServiceLocations", { service_id: 4, lang: "EN" }],
];

test("every documented Proxy-Solutions example validates against the contract and its reply decodes", async () => {
  const c = new ProxySolutionsClient({ apiKey: "contract-test-key", baseUrl: prism.url });
  const covered = new Set();
  for (const [method, params] of EXAMPLES) {
    try {
      await c[method](params);
    } catch (e) {
      assert.fail(`${method}(${JSON.stringify(params)}) → ${e.code} ${e.status ?? ""}: ${JSON.stringify(e.body ?? e.message)}`);
    }
    covered.add(method);
  }
  const ops = [...readFileSync(SPEC, "utf8").matchAll(/operationId: (\w+)/g)].map((m) => m[1]);
  assert.deepEqual([...covered].sort(), [...ops].sort(), "every operation of the contract is exercised");
});

test("the contract check can fail: Prism refuses requests that break it", async () => {
  const post = (path, body, headers = {}) =>
    fetch(prism.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k", ...headers },
      body: JSON.stringify(body),
    });
  assert.equal((await post("/user/orders", { service_id: "one", location_id: 1 })).status, 422);
  assert.equal((await post("/user/orders/10000", { surprise: true })).status, 422);
  assert.equal((await fetch(prism.url + "/user/orders")).status, 401, "missing key");
  // Without a key the SDK refuses before sending; with a wrong header name, Prism refuses.
  const wrongHeader = new ProxySolutionsClient({ apiKey: "k", baseUrl: prism.url, authHeader: "X-Other" });
  const e = await wrongHeader.listOrders().catch((x) => x);
  assert.equal(e.code, "unauthorized");
});
