// Child process of callpath.test.mjs for the reply-size measurements: a fresh process (its
// own wasm instance, whose memory only ever grows, and its own RSS) runs one scenario and
// prints one JSON line. Usage: node callpath-memory.mjs '<json {scenario, url}>'
//
//   over-cap      GET <url>/over/user/api/me (a reply over the default cap): wasm memory
//                 before and after, the error.
//   bomb          GET <url>/bomb/user/api/me (gzip, inflates to ≥ 1 GiB): RSS before, the
//                 peak sampled during the call, the error, how long it took.
//   stream        a custom fetch whose Response streams 1 GiB of spaces, made lazily: same
//                 figures as `bomb`.
//   valid         GET <url>/valid/user/api/orders (a valid ~255 KiB page): wasm memory
//                 after, how many orders decoded.
import { ProxyShardClient, wasmMemoryBytes } from "proxykit";

const { scenario, url } = JSON.parse(process.argv[2]);
const KEY = "test-key-not-secret/+=&<\"'";
const shape = (e) =>
  e && typeof e === "object"
    ? { code: e.code, limit: e.limit, status: e.status, operation: e.operation, mayHaveBeenApplied: e.mayHaveBeenApplied, message: String(e.message).slice(0, 300) }
    : { thrown: String(e) };

async function settle(p) {
  return p.then((value) => ({ value }), (error) => ({ error }));
}

async function withRssPeak(fn) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  const r = await fn();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { r, ms, rssBefore: before, rssPeak: peak, rssGrowth: peak - before };
}

const out = { scenario };
const client = (extra = {}) => new ProxyShardClient({ apiKey: KEY, baseUrl: `${url}/${scenario}`, retries: 0, timeout: 20_000, ...extra });

// Warm-up: one valid call, so the instance is at its steady state before measuring.
const warm = await settle(new ProxyShardClient({ apiKey: KEY, baseUrl: `${url}/warm`, retries: 0 }).getMe());
out.warm = warm.error ? shape(warm.error) : "ok";

if (scenario === "over-cap") {
  const before = wasmMemoryBytes();
  const r = await settle(client().getMe());
  out.wasmBefore = before;
  out.wasmAfter = wasmMemoryBytes();
  out.error = r.error ? shape(r.error) : null;
} else if (scenario === "bomb") {
  const m = await withRssPeak(() => settle(client().getMe()));
  Object.assign(out, { ms: m.ms, rssBefore: m.rssBefore, rssGrowth: m.rssGrowth, error: m.r.error ? shape(m.r.error) : null });
} else if (scenario === "stream") {
  let produced = 0;
  const chunk = new Uint8Array(1 << 20).fill(0x20);
  const fetch = async () =>
    new Response(
      new ReadableStream({
        pull(c) {
          if (produced >= 1024) return c.close();
          produced += 1;
          c.enqueue(chunk.slice());
        },
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    );
  const m = await withRssPeak(() => settle(new ProxyShardClient({ apiKey: KEY, fetch, retries: 0, timeout: 20_000 }).getMe()));
  Object.assign(out, { ms: m.ms, rssBefore: m.rssBefore, rssGrowth: m.rssGrowth, producedMiB: produced, error: m.r.error ? shape(m.r.error) : null });
} else if (scenario === "valid") {
  const r = await settle(client().listOrders({ status: "all", limit: 100 }));
  out.wasmAfter = wasmMemoryBytes();
  out.orders = r.value?.orders?.length ?? null;
  out.error = r.error ? shape(r.error) : null;
} else {
  out.error = { thrown: `unknown scenario ${scenario}` };
}
process.stdout.write(JSON.stringify(out) + "\n");
