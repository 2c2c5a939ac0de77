// The sandbox's HTTP server for the tests that call over a real `fetch` (the package's
// global-fetch path, a browser page): 127.0.0.1, a free port, quiet, bounded in requests
// and in time so a forgotten one cannot outlive its test run. The emulator behind it is
// `server.sandbox` (its log, clock and faults, in-process).
import { startSandboxServer } from "proxykit-sandbox";

/** The sandbox's default keys: Proxy-Solutions (`X-API-KEY`) and ProxyShard (Bearer). */
export const PS_KEY = "sandbox-ps-key";
export const SHARD_KEY = "sandbox-shard-key";

/**
 * Starts a sandbox server; `options` are sandbox options (seed, accounts, faults …).
 * Besides `startSandboxServer`'s result it has `entries()` (the logged API requests),
 * `last()` (the newest), `total()` (API requests received so far) and `faultUrl(kind)`:
 * the origin under `/__fault/<kind>`, where every API call gets that fault (a ProxyShard
 * base URL; add `/api` for Proxy-Solutions).
 */
export async function startTestSandbox({ maxRequests = 2_000, ttlSeconds = 120, ...options } = {}) {
  const server = await startSandboxServer({ port: 0, maxRequests, ttlSeconds, ...options });
  return Object.assign(server, {
    entries: () => server.sandbox.log().entries,
    last: () => server.sandbox.log().entries.at(-1),
    total: () => server.sandbox.log().total,
    faultUrl: (kind) => `${server.url}/__fault/${kind}`,
  });
}
