// The two baselines proxykit is measured against (CommonJS so the fresh-process scripts can
// `require` it as cheaply as they require proxykit).
//
// raw:  what a quick script does — fetch, then JSON.parse of the text; no headers, no checks.
// hand: what a careful user writes by hand — the same Authorization (and Accept) header
//       proxykit sends, a timeout through AbortController + setTimeout (cleared afterwards,
//       30 s like proxykit's default), no redirects followed, a throw on a non-2xx status,
//       and JSON.parse of the text.
"use strict";

const API_KEY = "bench-key";
const TIMEOUT_MS = 30_000;

function makeRaw(base, fetchImpl = fetch) {
  return async (path) => {
    const r = await fetchImpl(base + path);
    return JSON.parse(await r.text());
  };
}

function makeHand(base, { apiKey = API_KEY, fetch: fetchImpl = fetch, timeoutMs = TIMEOUT_MS } = {}) {
  const headers = { Authorization: `Bearer ${apiKey}`, Accept: "application/json" };
  return async (path) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetchImpl(base + path, { headers, redirect: "manual", signal: controller.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${path}`);
      return JSON.parse(await res.text());
    } finally {
      clearTimeout(timer);
    }
  };
}

const PATHS = {
  getMe: "/user/api/me",
  listOrders: "/user/api/orders?status=all&limit=100",
};

module.exports = { API_KEY, TIMEOUT_MS, PATHS, makeRaw, makeHand };
