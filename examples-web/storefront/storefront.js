// The storefront: catalogue and prices through proxykit, rules from ProxySolutionsRules /
// ProxyShardRules (no rule is written again here), checkout through the same clients, and
// both sellers' offers in one list through ProxyMarket. Everything comes from one entry
// point, proxykit/web/market (the clients, their rules and the market share one wasm
// module); a page without the market would import "proxykit/web" or a provider's entry.
import {
  init,
  ProxyMarket,
  ProxySolutionsClient,
  ProxySolutionsRules,
  ProxyShardClient,
  ProxyShardRules,
} from "proxykit/web/market";
import { $, connect, money, cents, options, toast } from "../shared/backend.js";

const backend = await connect({ init });
// Public calls (catalogue, prices, merchants) need no key. Checkout does: in production it
// runs on your server. In the sandbox the page holds the sandbox's own key to show the flow.
const publicPs = new ProxySolutionsClient({ ...backend.ps });
const keyless = backend.mode === "server";
const keyed = backend.mode !== "live" && !keyless;
const ps = keyed ? new ProxySolutionsClient({ ...backend.ps, apiKey: backend.keys.ps, dangerouslyAllowBrowser: true }) : publicPs;
// Keyless, this origin's proxykit/server adds the key (keyOnServer in backend.shard).
const shard = keyed ? new ProxyShardClient({ ...backend.shard, apiKey: backend.keys.shard, dangerouslyAllowBrowser: true }) : keyless ? new ProxyShardClient({ ...backend.shard }) : null;
$("#key-note").textContent = keyless
  ? "Keyless: this page holds no key. proxykit/server on this origin adds it and lets through only the catalogue, quotes and (for this session) checkout."
  : keyed
    ? "Sandbox: checkout uses the sandbox's key in this page. In production, run proxykit/server (serve.mjs --backend, then ?server=1) and the page holds no key."
    : "Live: this page makes only public calls; checkout belongs on your server.";

let services = [];
let merchants = [];
let kind = null;
let products = [];
let seq = 0;

function showProblems(problems, scope) {
  for (const el of document.querySelectorAll(`${scope} .problem`)) el.textContent = "";
  for (const p of problems) {
    const el = document.querySelector(`${scope} .problem[data-field="${p.field.split(/[.[]/)[0]}"]`);
    if (el) el.textContent = p.rule;
  }
  return problems.length === 0;
}

// ---------------------------------------------------------------- Proxy-Solutions
async function loadPs() {
  const [{ services: list }, { merchants: payWith }] = await Promise.all([publicPs.listServices(), publicPs.listMerchants()]);
  services = list;
  merchants = payWith;
  options($("#service"), services, (s) => s.id, (s) => s.name);
  options($("#merchant"), merchants, (m) => m.code, (m) => m.name);
  await onService();
}

async function onService() {
  const svc = services.find((s) => String(s.id) === $("#service").value);
  kind = ProxySolutionsRules.serviceKinds().includes(svc?.type) ? svc.type : svc?.type === "individual" ? "personal" : null;
  const { locations } = await publicPs.listServiceLocations({ service_id: Number($("#service").value) });
  options($("#location"), locations, (l) => l.id, (l) => `${l.name}${l.country_name && l.country_name !== l.name ? `, ${l.country_name}` : ""}`);
  options($("#period"), ProxySolutionsRules.allowedPeriods(kind ?? undefined));
  if (svc?.packets) $("#quantity").value = svc.packets[0];
  onMerchant();
}

function onMerchant() {
  const m = $("#merchant").value;
  options($("#currency"), merchants.find((x) => x.code === m)?.currencies ?? ["USD"]);
  update();
}

function psParams() {
  const p = { service_id: Number($("#service").value), location_id: Number($("#location").value), quantity: Number($("#quantity").value), period: Number($("#period").value) };
  if ($("#promocode").value.trim()) p.promocode = $("#promocode").value.trim();
  return p;
}

async function updatePs(mine) {
  const p = psParams();
  const context = { serviceKind: kind ?? undefined, packets: services.find((s) => s.id === p.service_id)?.packets };
  const ok = showProblems(ProxySolutionsRules.validateCalculatePrice({ ...p, merchant: $("#merchant").value, currency: $("#currency").value }, context), "#ps-form");
  $("#checkout").disabled = !ok;
  if (!ok) return ($("#price").textContent = "—");
  try {
    const q = await publicPs.calculatePrice({ ...p, merchant: $("#merchant").value, currency: $("#currency").value });
    if (mine !== seq) return;
    $("#price").textContent = `${q.payer_amount} ${q.payer_currency}` + (q.discount ? ` (−${q.discount}%, was ${q.converted_amount})` : "");
    $("#price").dataset.usd = q.amount;
  } catch (e) {
    if (mine !== seq) return;
    $("#price").textContent = "—";
    $("#checkout").disabled = true;
    if (e.fieldErrors) showProblems(Object.entries(e.fieldErrors).map(([field, m]) => ({ field, rule: m[0] })), "#ps-form");
    else toast(e);
  }
}

async function checkoutPs() {
  const p = psParams();
  const { orders: [order] } = await ps.createOrder({ service_id: p.service_id, location_id: p.location_id, quantity: p.quantity, period: p.period }, { serviceKind: kind ?? undefined });
  const merchant = $("#merchant").value;
  const pay = await ps.chargeOrder({ order_id: order.id, merchant, currency: $("#currency").value, ...(p.promocode ? { promocode: p.promocode } : {}) });
  const r = $("#result");
  r.className = "result";
  if (merchant === "balance") {
    r.textContent = `Order #${order.id} paid from the API balance (${pay.payment.payer_amount} ${pay.payment.payer_currency}). It is active.`;
  } else {
    r.innerHTML = "";
    const a = Object.assign(document.createElement("a"), { href: pay.payment.url, textContent: "Pay now", id: "pay-link" });
    r.append(`Order #${order.id} created. `, a, ` (${pay.payment.payer_amount} ${pay.payment.payer_currency})`);
    if (backend.control) {
      const b = Object.assign(document.createElement("button"), { textContent: "Complete payment (sandbox)", className: "secondary", id: "sandbox-pay" });
      b.onclick = async () => {
        await backend.control(`/pay/${pay.payment.url.split("/").pop()}`, {});
        r.append(" — paid.");
        b.remove();
      };
      r.append(" ", b);
    }
  }
  r.dataset.orderId = order.id;
}

// --------------------------------------------------------------------- ProxyShard
async function loadShard() {
  ({ products } = await shard.listProducts());
  options($("#product"), [...new Set(products.map((p) => p.name))]);
  onProduct();
}

function onProduct() {
  const name = $("#product").value;
  const entries = products.filter((p) => p.name === name);
  const fields = ProxyShardRules.purchaseFields(name);
  const locations = entries.map((p) => p.location).filter(Boolean);
  options($("#shard-location"), locations.length ? locations : ["—"]);
  $("#shard-location").disabled = !fields.requires.includes("location") && !fields.accepts.includes("location");
  options($("#cycle"), entries[0]?.cycles ?? []);
  $("#cycle").disabled = !fields.requires.includes("cycle") && !fields.accepts.includes("cycle");
  $("#shard-quantity").disabled = !fields.requires.includes("quantity") && !fields.accepts.includes("quantity");
  $("#p0f").disabled = fields.variant !== "dc_isp";
  update();
}

function shardParams() {
  const name = $("#product").value;
  const fields = ProxyShardRules.purchaseFields(name);
  const takes = (f) => fields.requires.includes(f) || fields.accepts.includes(f);
  const p = { product: name };
  if (takes("location")) p.location = $("#shard-location").value;
  if (takes("cycle")) p.cycle = $("#cycle").value;
  if (takes("quantity")) p.quantity = Number($("#shard-quantity").value);
  if ($("#promo_code").value.trim()) p.promo_code = $("#promo_code").value.trim();
  const slots = Number($("#p0f").value);
  if (slots && takes("addons")) p.addons = [{ addon_key: "p0f_slots", qty: slots }];
  return p;
}

async function updateShard(mine) {
  const p = shardParams();
  const ok = showProblems(ProxyShardRules.validateQuoteOrder(p), "#shard-form");
  $("#checkout").disabled = !ok;
  if (!ok) return ($("#price").textContent = "—");
  try {
    const q = await shard.quoteOrder(p);
    if (mine !== seq) return;
    $("#price").textContent = `${cents(q.total_with_addons)}` + (q.discount_percent ? ` (−${q.discount_percent}%, was ${cents(q.original_price + q.addons_price)})` : "");
  } catch (e) {
    if (mine !== seq) return;
    $("#price").textContent = "—";
    $("#checkout").disabled = true;
    showProblems([{ field: "promo_code", rule: e.vendorMessage ?? e.message }], "#shard-form");
  }
}

async function checkoutShard() {
  const { order_id } = await shard.purchaseOrder(shardParams());
  const r = $("#result");
  r.className = "result";
  // The wallet is the reseller's: a keyless page (a shopper's) is not shown it.
  const left = keyless ? "" : `; ${cents((await shard.getMe()).wallet_balance)} left`;
  r.textContent = `Order ${order_id} paid from the wallet${left}.`;
  r.dataset.orderId = order_id;
}

// ------------------------------------------------------------------------- wiring
function update() {
  const mine = ++seq;
  return $("#provider").value === "ps" ? updatePs(mine) : updateShard(mine);
}

$("#provider").onchange = async () => {
  const isPs = $("#provider").value === "ps";
  $("#ps-form").hidden = !isPs;
  $("#shard-form").hidden = isPs;
  $("#result").textContent = "";
  $("#result").className = "";
  if (!isPs && !products.length) {
    if (!shard) return toast({ code: "invalid_input", message: "ProxyShard has no public calls: this page needs a backend for it" });
    await loadShard().catch(toast);
  } else update();
};
$("#service").onchange = () => onService().catch(toast);
$("#merchant").onchange = onMerchant;
$("#product").onchange = onProduct;
for (const id of ["location", "quantity", "period", "promocode", "currency", "shard-location", "cycle", "shard-quantity", "promo_code", "p0f"]) {
  $(`#${id}`).addEventListener("input", update);
}
$("#checkout").onclick = async () => {
  $("#checkout").disabled = true;
  try {
    await ($("#provider").value === "ps" ? checkoutPs() : checkoutShard());
  } catch (e) {
    toast(e);
  } finally {
    $("#checkout").disabled = false;
  }
};
await loadPs().catch(toast);
await listOffers().catch(toast);
document.body.dataset.ready = "true";

// ---------------------------------------------------------------- both sellers, one list
// ProxyMarket normalises both catalogues: one offer per sellable thing, with its kind, terms
// (days or named cycles, as each seller has them) and quantity unit. ProxyShard's catalogue
// needs the key, so without one (live mode) only Proxy-Solutions is listed.
async function listOffers() {
  const market = new ProxyMarket(shard ? { proxySolutions: publicPs, proxyshard: shard } : { proxySolutions: publicPs });
  const offers = await market.offers();
  const seller = { proxy_solutions: "Proxy-Solutions", proxyshard: "ProxyShard" };
  const terms = (t) => (t.unit === "days" ? `${t.values.join("/")} days` : t.values.join(", ") || "—");
  const rows = offers.map((o) => {
    const tr = document.createElement("tr");
    tr.dataset.provider = o.provider;
    const where = o.location ? o.location.name ?? o.location.code : "—";
    const qty = `${o.quantity.min}–${o.quantity.max ?? "∞"} ${o.quantity.unit}`;
    for (const text of [seller[o.provider] ?? o.provider, o.kind, o.name, where, terms(o.terms), qty]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $("#offer-table tbody").replaceChildren(...rows);
  $("#offer-count").textContent = `${offers.length} offers`;
}
