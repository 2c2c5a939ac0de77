// Where the example pages send their calls: an in-page sandbox (default, no backend), a
// sandbox server (?api=http://127.0.0.1:8787), the real APIs (?psBaseUrl=…&shardBaseUrl=…), or
// this origin's proxykit/server handler (?server=1; serve.mjs --backend or --live).
import { init } from "proxykit/web";

const SANDBOX_KEYS = { ps: "sandbox-ps-key", shard: "sandbox-shard-key" };

/**
 * Loads proxykit and picks the backend. `load` is the entry point's init: `proxykit/web` by
 * default; a page built on another entry (the storefront uses `proxykit/web/market`) passes
 * its own, and the root module's wasm is then never fetched.
 */
export async function connect({ init: load = init } = {}) {
  const q = new URLSearchParams(location.search);
  await load();
  const badge = document.createElement("div");
  badge.className = "badge";
  document.body.append(badge);
  if (q.get("server")) {
    // This origin's proxykit/server handler adds the keys: the page holds none, and every
    // request stays on this origin.
    badge.textContent = "KEYLESS · proxykit/server";
    const base = `${location.origin}/proxykit`;
    return {
      mode: "server",
      keys: {},
      ps: { baseUrl: `${base}/proxy-solutions/api`, keyOnServer: true },
      shard: { baseUrl: `${base}/proxyshard`, keyOnServer: true },
      control: null,
    };
  }
  if (q.get("psBaseUrl") || q.get("shardBaseUrl")) {
    badge.textContent = "LIVE API";
    badge.classList.add("live");
    return { mode: "live", keys: {}, ps: { baseUrl: q.get("psBaseUrl") ?? undefined }, shard: { baseUrl: q.get("shardBaseUrl") ?? undefined }, control: null };
  }
  const api = q.get("api");
  if (api) {
    badge.textContent = `SANDBOX · ${new URL(api).host}`;
    const control = async (path, body) => (await fetch(`${api}/__sandbox${path}`, body ? { method: "POST", body: JSON.stringify(body) } : {})).json();
    return { mode: "sandbox-http", keys: SANDBOX_KEYS, ps: { baseUrl: `${api}/api` }, shard: { baseUrl: api }, control };
  }
  const { init: initSandbox, createSandbox } = await import("proxykit-sandbox/web");
  await initSandbox();
  const sb = createSandbox({ seed: Number(q.get("seed") ?? 1) });
  badge.textContent = "SANDBOX · in-page";
  const control = async (path, body) => {
    if (path === "/advance") return sb.advance(body);
    if (path.startsWith("/pay/")) return sb.pay(path.slice(5));
    if (path === "/log") return sb.log();
    throw new Error(path);
  };
  return { mode: "sandbox", keys: SANDBOX_KEYS, ps: { fetch: sb.fetch }, shard: { fetch: sb.fetch }, control, sandbox: sb };
}

/** A toast that names the typed error code. */
export function toast(error, ok = false) {
  let box = document.getElementById("toasts");
  if (!box) {
    box = document.createElement("div");
    box.id = "toasts";
    document.body.append(box);
  }
  const t = document.createElement("div");
  t.className = ok ? "toast ok" : "toast";
  t.dataset.code = ok ? "ok" : error?.code ?? "error";
  if (ok) t.textContent = error;
  else {
    const code = document.createElement("code");
    code.textContent = error?.code ?? "error";
    t.append(code, ` ${error?.status ? `(${error.status}) ` : ""}${error?.vendorMessage ?? error?.message ?? error}`);
    if (error?.mayHaveBeenApplied && error?.code !== "invalid_input") t.append(" — it may have gone through: check your orders before trying again.");
  }
  box.append(t);
  setTimeout(() => t.remove(), 8000);
}

export const $ = (sel) => document.querySelector(sel);
export const money = (usd) => `$${Number(usd).toFixed(2)}`;
export const cents = (c) => `$${(c / 100).toFixed(2)}`;
export function options(select, items, value = (x) => x, label = (x) => x) {
  const keep = select.value;
  select.replaceChildren(...items.map((x) => new Option(label(x), value(x))));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}
