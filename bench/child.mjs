// The parts of `make bench` that run in a fresh Node process of their own, started by
// bench.mjs (never by hand): `node child.mjs <mode> <json args>`. Each prints one JSON line
// on stdout; progress goes to stderr. Each ends by itself: bounded call counts, plus a hard
// time limit after which it exits with an error.
//
//   percall  raw fetch vs hand-written wrapper vs proxykit, 4 cases, interleaved rounds
//   local    no-network work: validation rate; a 100-order page through a fake fetch
//   memory   wasm memory and RSS after 1 000 and after `total` getMe calls (proxykit, or the
//            hand wrapper as the baseline for RSS)
import { createRequire } from "node:module";
import { PAGE } from "./server.mjs";

const require = createRequire(import.meta.url);
const { API_KEY, PATHS, makeRaw, makeHand } = require("./clients.cjs");
const pk = require("proxykit");
const { ProxyShardClient } = pk;

const [mode, rawArgs = "{}"] = process.argv.slice(2);
const args = JSON.parse(rawArgs);
setTimeout(() => {
  console.error(`bench child '${mode}' exceeded its ${args.limitMs} ms limit`);
  process.exit(3);
}, args.limitMs ?? 600_000).unref();

const gc = globalThis.gc ?? (() => {});
const log = (s) => process.stderr.write(`  [${mode}] ${s}\n`);

/** Runs `fn` n times with `inFlight` calls outstanding at once; returns elapsed ms. */
async function runCalls(fn, n, inFlight) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, n) }, async () => {
      while (next < n) {
        next++;
        await fn();
      }
    }),
  );
  return performance.now() - t0;
}

const ordersIn = (x) => (Array.isArray(x) ? x.length : Array.isArray(x?.orders) ? x.orders.length : -1);

function clients(url) {
  const kit = new ProxyShardClient({ apiKey: API_KEY, baseUrl: url });
  const raw = makeRaw(url);
  const hand = makeHand(url);
  return {
    raw: { getMe: () => raw(PATHS.getMe), listOrders: () => raw(PATHS.listOrders) },
    hand: { getMe: () => hand(PATHS.getMe), listOrders: () => hand(PATHS.listOrders) },
    proxykit: { getMe: () => kit.getMe(), listOrders: () => kit.listOrders({ status: "all", limit: 100 }) },
  };
}

async function percall({ url, n, rounds, warmup }) {
  const c = clients(url);
  const names = ["raw", "hand", "proxykit"];
  // Every side gets the same replies: proxykit's reply check passes on both bodies.
  for (const name of names) {
    const me = await c[name].getMe();
    if (JSON.stringify(me).indexOf("dev@example.com") < 0) throw new Error(`${name}: unexpected getMe reply ${JSON.stringify(me)}`);
    const page = await c[name].listOrders();
    if (ordersIn(page) !== 100) throw new Error(`${name}: listOrders reply without 100 orders`);
  }
  // What reaches the server from proxykit and from the hand wrapper (one getMe each).
  const lastRequest = async () => (await fetch(url + "/__bench/last-headers")).json();
  await c.proxykit.getMe();
  const sentByKit = await lastRequest();
  await c.hand.getMe();
  const sentByHand = await lastRequest();

  const cases = [
    { id: "me-1", name: "getMe, sequential", op: "getMe", inFlight: 1 },
    { id: "me-64", name: "getMe, 64 in flight", op: "getMe", inFlight: 64 },
    { id: "page-1", name: "100-order page, sequential", op: "listOrders", inFlight: 1 },
    { id: "page-64", name: "100-order page, 64 in flight", op: "listOrders", inFlight: 64 },
  ];
  for (const k of cases) {
    k.perRound = { raw: [], hand: [], proxykit: [] };
    for (const name of names) await runCalls(c[name][k.op], warmup, k.inFlight);
  }
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const k of cases) {
      for (const name of order) {
        gc(); // each side starts with a clean heap, so it does not pay for the previous side's garbage
        const elapsed = await runCalls(c[name][k.op], n, k.inFlight);
        k.perRound[name].push((elapsed * 1000) / n);
      }
    }
    log(`round ${r + 1}/${rounds} (${order.join(", ")}) done at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { n, rounds, warmup, seconds: (performance.now() - t0) / 1000, cases, sentByKit, sentByHand };
}

async function local({ quick }) {
  const out = {};
  const { ProxyShardRules } = pk;
  if (typeof ProxyShardRules?.validatePurchaseOrder === "function") {
    const params = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 10, addons: [{ addon_key: "p0f_slots", qty: 5 }] };
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      for (let i = 0; i < 100; i++) ProxyShardRules.validatePurchaseOrder(params);
      count += 100;
    }
    out.validatePerSecond = count / ((performance.now() - t0) / 1000);
  }
  // The whole call with the network taken out: a fetch that answers a ready Response.
  const fakeFetch = async () => new Response(PAGE, { status: 200, headers: { "content-type": "application/json" } });
  const kit = new ProxyShardClient({ apiKey: API_KEY, fetch: fakeFetch });
  const hand = makeHand("http://127.0.0.1:9", { fetch: fakeFetch });
  const viaKit = () => kit.listOrders({ status: "all", limit: 100 });
  const viaHand = () => hand(PATHS.listOrders);
  if (ordersIn(await viaKit()) !== 100 || ordersIn(await viaHand()) !== 100) throw new Error("local: page not decoded");
  const M = quick ? 300 : 2000;
  const time = async (fn) => {
    for (let i = 0; i < 100; i++) await fn();
    gc();
    const t = performance.now();
    for (let i = 0; i < M; i++) await fn();
    return ((performance.now() - t) * 1000) / M;
  };
  // Two interleaved rounds each; the better round counts (no network, so noise is one-sided).
  const best = { kit: Infinity, hand: Infinity, parse: Infinity };
  for (let r = 0; r < 2; r++) {
    best.hand = Math.min(best.hand, await time(viaHand));
    best.kit = Math.min(best.kit, await time(viaKit));
    best.parse = Math.min(best.parse, await time(async () => JSON.parse(PAGE)));
  }
  return { ...out, pageBytes: Buffer.byteLength(PAGE), calls: M, kitUs: best.kit, handUs: best.hand, parseUs: best.parse };
}

async function memory({ url, total, side = "proxykit" }) {
  const wasmMemoryBytes = side === "proxykit" && typeof pk.wasmMemoryBytes === "function" ? pk.wasmMemoryBytes : null;
  const call = side === "proxykit" ? clients(url).proxykit.getMe : clients(url).hand.getMe;
  const sample = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, wasm: wasmMemoryBytes ? wasmMemoryBytes() : null };
  };
  const first = 1000;
  await runCalls(call, first, 64);
  const after1k = sample();
  const t0 = performance.now();
  await runCalls(call, total - first, 64);
  const seconds = (performance.now() - t0) / 1000;
  const afterAll = sample();
  return { side, first, total, seconds, gcExposed: typeof globalThis.gc === "function", after1k, afterAll };
}

const modes = { percall, local, memory };
if (!modes[mode]) throw new Error(`unknown mode ${mode}`);
const result = await modes[mode](args);
process.stdout.write(JSON.stringify(result) + "\n");
process.exit(0);
