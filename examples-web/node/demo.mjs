// The main job (`make demo`): a reseller's day on both providers, through proxykit, against
// the local sandbox started as its own process with the documented command
// (`proxykit-sandbox --port 0`). No real vendor is contacted; nothing here costs money.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ProxySolutionsClient, ProxySolutionsRules, ProxyShardClient, isProxykitError } from "proxykit";

const bin = fileURLToPath(new URL("../node_modules/.bin/proxykit-sandbox", import.meta.url));
const child = spawn(bin, ["--port", "0", "--quiet", "--seed", "7", "--ttl-seconds", "120"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  child.once("exit", (code) => reject(new Error(`sandbox exited early (${code}): ${out}`)));
  setTimeout(() => reject(new Error("sandbox did not start within 10 s")), 10_000).unref();
});

const line = (label, value) => console.log(`  ${label.padEnd(40)} ${typeof value === "string" ? value : JSON.stringify(value)}`);
const usd = (cents) => `$${(cents / 100).toFixed(2)}`;
const mask = (s) => `${s.slice(0, 2)}${"•".repeat(Math.max(0, s.length - 2))}`;
const control = async (path, body) =>
  (await fetch(`${url}/__sandbox${path}`, body ? { method: "POST", body: JSON.stringify(body) } : {})).json();

let exitCode = 0;
try {
  console.log(`proxykit demo — sandbox at ${url} (seed 7, clock ${(await control("/clock")).now})\n`);

  // ---------------------------------------------------------------- Proxy-Solutions
  console.log("Proxy-Solutions (a storefront reselling city proxies)");
  const ps = new ProxySolutionsClient({ apiKey: "sandbox-ps-key", baseUrl: `${url}/api` });
  const { services } = await ps.listServices(); // the client learns each service's kind
  line("listServices", services.map((s) => `${s.id} ${s.name}`).join(", "));
  const { locations } = await ps.listServiceLocations({ service_id: 4 });
  line("listServiceLocations(City proxies)", locations.map((l) => `${l.id} ${l.name}`).join(", "));
  const { merchants } = await ps.listMerchants();
  line("listMerchants", merchants.map((m) => `${m.code}(${m.currencies.join("/")})`).join(" "));
  line("periods offered for city proxies", ProxySolutionsRules.allowedPeriods("city").join(", ") + " days");
  const quote = await ps.calculatePrice({ service_id: 4, location_id: 24, quantity: 3, period: 60, promocode: "PSPromo", merchant: "interkassa", currency: "EUR" });
  line("calculatePrice 3 IPs × 60 d, PSPromo", `$${quote.amount} → ${quote.payer_amount} ${quote.payer_currency} after ${quote.discount}% off`);
  const { orders: [created] } = await ps.createOrder({ service_id: 4, location_id: 24, quantity: 3, period: 60 });
  line("createOrder", `#${created.id} ${created.status}, $${created.amount}`);
  const { payment } = await ps.chargeOrder({ order_id: created.id, merchant: "balance", currency: "USD", promocode: "PSPromo" });
  line("chargeOrder from the API balance", `paid ${payment.payer_amount} ${payment.payer_currency}`);
  const mine = (await ps.listOrders()).orders.find((o) => o.id === created.id);
  line("listOrders → the new order", `${mine.status}, proxies ${mine.proxies.map((p) => p.ip).join(", ")}`);
  line("  access", `${mine.access.login}:${mask(mine.access.password)} port ${mine.access.port}`);
  const changed = await ps.changeOrder({ order_id: created.id, gen_password: true, ip_auth: ["203.0.113.5"] });
  line("changeOrder new password + IP allow-list", `${mask(changed.order.access.password)}, allowed ${changed.order.access.ip_list.join(", ")}`);
  const link = await ps.chargeOrder({ order_id: created.id, merchant: "interkassa", currency: "UAH", period: 30 });
  line("chargeOrder via interkassa → payment link", link.payment.url.replace(url, "<sandbox>"));
  const tooMany = await ps.createOrder({ service_id: 4, location_id: 24, quantity: 80 }).catch((e) => e);
  line("80 city IPs (cap 50) → refused locally", { code: tooMany.code, field: tooMany.field });

  // --------------------------------------------------------------------- ProxyShard
  console.log("\nProxyShard (a reseller control panel)");
  const shard = new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: url });
  const me = await shard.getMe();
  line("getMe", `${me.email}, wallet ${usd(me.wallet_balance)}, ${me.active_orders} active order(s)`);
  const { products } = await shard.listProducts();
  line("listProducts", [...new Set(products.map((p) => p.name))].join(", "));
  const purchase = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 3, promo_code: "SAVE10", addons: [{ addon_key: "p0f_slots", qty: 2 }] };
  const q = await shard.quoteOrder(purchase);
  line("quoteOrder 3 DC IPs + 2 p0f slots", `${usd(q.final_price)} + add-ons ${usd(q.addons_price)} = ${usd(q.total_with_addons)} (${q.discount_percent}% off)`);
  const { order_id } = await shard.purchaseOrder(purchase);
  line("purchaseOrder", `order ${order_id}; wallet now ${usd((await shard.getMe()).wallet_balance)}`);
  await shard.setOrderTag({ id: order_id, tag: "client-acme" });
  const { data: proxies, order_tag } = await shard.listActiveProxies({ order_id });
  line(`listActiveProxies (tag "${order_tag}")`, proxies.map((p) => `${p.ip}:${p.http_port}`).join(", "));
  const signed = await shard.setP0fSignatures({ order_id, items: [{ ip: proxies[0].ip, signature: "win11" }, { ip: proxies[1].ip, signature: "macos" }] });
  const { order } = await shard.getOrder({ id: order_id });
  line("setP0fSignatures on 2 IPs", `${signed.updated} updated; slots used ${order.p0f_slots_used}/${order.p0f_slots_available}`);
  const third = await shard.setP0fSignatures({ order_id, items: [{ ip: proxies[2].ip, signature: "ios" }] }).catch((e) => e);
  line("a third IP without a free slot", { code: third.code, status: third.status, message: third.vendorMessage });
  const statuses = {};
  for await (const o of shard.iterateOrders({ status: "all", limit: 10 })) {
    const { order: d } = await shard.getOrder({ id: o.order_id });
    statuses[d.status] = (statuses[d.status] ?? 0) + 1;
  }
  line("iterateOrders({status:'all', limit:10})", statuses);

  const resi = await shard.purchaseOrder({ product: "Standart Residential Proxy", quantity: 5 });
  const sub = await shard.createSubUser({ proxy_type: "standart", name: "client-acme", data: 2 });
  const uid = sub.data[0].user_id;
  await shard.addSubUserTraffic({ proxy_type: "standart", user_id: uid, data: 1 });
  const subs = await shard.listSubUsers({ proxy_type: "standart" });
  const profile = await shard.getResidentialProfile({ proxy_type: "standart" });
  line("residential order + sub-user with 3 GB", `order ${resi.order_id}; ${subs.count} sub-user(s); owner keeps ${(profile.data / 2 ** 30).toFixed(0)} GB`);

  console.log("\nA month later (the sandbox clock moves; nothing renews without auto-renewal)");
  await control("/advance", { days: 31 });
  const held = await shard.getOrder({ id: order_id });
  line("getOrder", `status ${held.order.status}`);
  await shard.renewOrder({ id: order_id });
  line("renewOrder (allowed only on hold)", `status ${(await shard.getOrder({ id: order_id })).order.status}, wallet ${usd((await shard.getMe()).wallet_balance)}`);
  const psAfter = (await ps.listOrders()).orders.find((o) => o.id === created.id);
  line("Proxy-Solutions order after 31 of 60 days", psAfter.status);

  console.log("\nTyped errors (branch on e.code)");
  const wrong = await new ProxyShardClient({ apiKey: "not-the-key", baseUrl: url }).getMe().catch((e) => e);
  line("getMe with a wrong key", { code: wrong.code, status: wrong.status, isProxykitError: isProxykitError(wrong) });
  const slow = await shard.getMe({}, { timeout: 200 }).catch((e) => e);
  line("a healthy call with timeout 200 ms", slow.email ? "answered" : slow.code);
  // The sandbox applies this purchase, then answers 303 to another origin: proxykit follows
  // no redirect (the key would go there, the purchase could repeat) and says it may have applied.
  const redirected = await new ProxyShardClient({
    apiKey: "sandbox-shard-key",
    baseUrl: url,
    fetch: (u, init) => fetch(u, { ...init, headers: { ...init.headers, "x-sandbox-fault": "redirect-after" } }),
  })
    .purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 })
    .catch((e) => e);
  line("purchase answered by a 303 redirect", {
    code: redirected.code,
    status: redirected.status,
    location: redirected.location,
    mayHaveBeenApplied: redirected.mayHaveBeenApplied,
    attempts: redirected.attempts,
  });

  const log = await control("/log");
  const calls = Object.values(log.counts).flatMap((ops) => Object.values(ops)).reduce((n, c) => n + c.received, 0);
  console.log(`\n${calls} API requests reached the sandbox; every one is in ${url}/__sandbox/log.`);
} catch (e) {
  exitCode = 1;
  console.error("demo failed:", isProxykitError(e) ? { code: e.code, message: e.message } : e);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
}
process.exit(exitCode);
