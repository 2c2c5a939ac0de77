// Reliability against the sandbox with injected faults (issue 6): a few hundred mixed calls
// of both clients, one after another, against the HTTP sandbox with 20% of requests
// faulted (5xx, 429 with Retry-After, dropped connections before and after the server
// applied the request, slow replies). Every read and idempotent write must succeed within
// its retry budget; the sandbox's own log must show each money or state-creating call sent
// exactly once per SDK call; no call may outlast its bound. Sequential calls make the fault
// sequence (seeded) the same on every run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProxyShardClient, ProxySolutionsClient } from "proxykit";
import { startSandboxServer } from "proxykit-sandbox";

const RETRIES = 5;
const TIMEOUT = 400;
const MAX_WAIT = 1500;
const BOUND = (RETRIES + 1) * TIMEOUT + RETRIES * MAX_WAIT + 1000;

test("20% injected faults: reads succeed within their retries, money is sent at most once, nothing hangs", { timeout: 120_000 }, async () => {
  const server = await startSandboxServer({
    port: 0,
    seed: 6,
    maxRequests: 5_000,
    ttlSeconds: 110,
    faults: { rate: 0.2, kinds: ["500", "502", "503", "429", "drop", "drop-after", "slow"], retryAfter: 1, slowMs: 2_000 },
  });
  const opts = { retries: RETRIES, retryDelay: 20, maxRetryDelay: MAX_WAIT, timeout: TIMEOUT };
  const shard = new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: server.url, ...opts });
  const ps = new ProxySolutionsClient({ apiKey: "sandbox-ps-key", baseUrl: `${server.url}/api`, ...opts });
  const calls = [];
  const run = async (kind, name, fn) => {
    const t0 = performance.now();
    const r = await fn().then((value) => ({ value }), (error) => ({ error }));
    calls.push({ kind, name, ms: performance.now() - t0, ...r });
    return r;
  };
  try {
    const seededOrder = 1024; // the sandbox account's active Datacenter order
    for (let i = 0; i < 60; i++) {
      await run("read", "getMe", () => shard.getMe());
      await run("read", "listOrders", () => shard.listOrders({ status: "all", offset: (i % 3) * 10, limit: 10 }));
      await run("read", "quoteOrder", () => shard.quoteOrder({ product: "Datacenter Proxy", location: "US", cycle: "monthly", quantity: 1 + (i % 4) }));
      await run("read", "calculatePrice", () => ps.calculatePrice({ service_id: 4, quantity: 1 + (i % 3), period: 30 }));
      await run("idempotent-write", "setOrderTag", () => shard.setOrderTag({ id: seededOrder, tag: `run-${i % 5}` }));
      if (i % 3 === 0) await run("money", "purchaseOrder", () => shard.purchaseOrder({ product: "Datacenter Proxy", location: "US", cycle: "monthly", quantity: 1 }));
      if (i % 3 === 1) {
        const created = await run("write", "createOrder", () => ps.createOrder({ service_id: 4, location_id: 24, quantity: 1 }));
        if (created.value) await run("money", "chargeOrder", () => ps.chargeOrder({ order_id: created.value.orders[0].id, merchant: "balance", currency: "USD" }));
      }
    }
    const log = server.sandbox.log();
    const byName = (name) => calls.filter((c) => c.name === name);
    const failed = calls.filter((c) => c.error);
    const safe = calls.filter((c) => c.kind === "read" || c.kind === "idempotent-write");

    // 1. Every read and idempotent write succeeded within its retry budget.
    assert.deepEqual(safe.filter((c) => c.error).map((c) => `${c.name}: ${c.error.code} after ${c.error.attempts}`), []);

    // 2. Each money / state-creating SDK call reached the sandbox exactly once: the log's
    //    count equals the number of SDK calls, whatever their outcome.
    const sent = (provider, op) => log.counts[provider]?.[op]?.received ?? 0;
    for (const [provider, op] of [["proxyShard", "purchaseOrder"], ["proxySolutions", "createOrder"], ["proxySolutions", "chargeOrder"]]) {
      assert.equal(sent(provider, op), byName(op).length, `${op}: requests in the log vs SDK calls`);
    }
    for (const c of calls.filter((c) => (c.kind === "money" || c.kind === "write") && c.error)) {
      assert.equal(c.error.attempts, 1, `${c.name} was retried`);
      assert.equal(c.error.mayHaveBeenApplied, c.error.status === undefined || c.error.status >= 500, `${c.name}: ${c.error.code} ${c.error.status}`);
    }
    // Reconcile: the wallet moved by exactly the purchases that reached the server.
    const reachedBuys = log.entries.filter((e) => e.operation === "purchaseOrder" && e.reached).length;
    const me = await shard.getMe({}, { retries: 10 });
    assert.equal(me.wallet_balance, 10_000 - reachedBuys * 150);

    // 3. Nothing outlasted its bound.
    const slowest = Math.max(...calls.map((c) => c.ms));
    assert.ok(slowest < BOUND, `slowest call ${slowest.toFixed(0)} ms, bound ${BOUND} ms`);

    const faults = log.entries.filter((e) => e.fault);
    const attempts = calls.reduce((n, c) => n + (c.error?.attempts ?? 1), 0);
    const retried = log.total - calls.length - 1; // every request the SDK sent beyond one per call (the final getMe excluded)
    const summary = {
      sdkCalls: calls.length,
      requests: log.total,
      injectedFaults: faults.length,
      byKind: Object.fromEntries([...new Set(faults.map((f) => f.fault))].map((k) => [k, faults.filter((f) => f.fault === k).length])),
      retries: retried,
      failedCalls: failed.length,
      failedByOperation: Object.fromEntries([...new Set(failed.map((c) => c.name))].map((n) => [n, failed.filter((c) => c.name === n).length])),
      duplicateMoneyRequests: ["purchaseOrder", "chargeOrder"].reduce((n, op) => n + Math.max(0, sent(op === "purchaseOrder" ? "proxyShard" : "proxySolutions", op) - byName(op).length), 0),
      slowestMs: Math.round(slowest),
      boundMs: BOUND,
    };
    assert.ok(attempts >= calls.length);
    assert.ok(summary.injectedFaults > 40, JSON.stringify(summary));
    console.log(`reliability run: ${JSON.stringify(summary)}`);
  } finally {
    await server.close();
  }
});
