// The reseller panel: the account's key in this tab (with proxykit's browser opt-in), the
// balance, a paged orders table with its actions, an order's proxies (passwords hidden until
// revealed), residential sub-users, and toasts that carry the typed error code.
import { ProxySolutionsClient, ProxyShardClient } from "proxykit/web";
import { $, connect, cents, toast } from "../shared/backend.js";

const backend = await connect();
if (backend.mode !== "live") $("#apikey").value = backend.keys.shard;
$("#provider").onchange = () => {
  if (backend.mode !== "live") $("#apikey").value = backend.keys[$("#provider").value];
  $("#subusers-card").hidden = $("#provider").value !== "shard";
};

let client = null;
let provider = "shard";
let offset = 0;
const LIMIT = 10;
const guard = (fn) => async (...a) => {
  try {
    await fn(...a);
  } catch (e) {
    toast(e);
  }
};

$("#connect").onclick = guard(async () => {
  provider = $("#provider").value;
  const options = { ...(provider === "ps" ? backend.ps : backend.shard), apiKey: $("#apikey").value };
  if ($("#optin").checked) options.dangerouslyAllowBrowser = true;
  client = provider === "ps" ? new ProxySolutionsClient(options) : new ProxyShardClient(options);
  await refresh();
  $("#account").hidden = false;
  $("#sandbox-tools").hidden = !backend.control;
  toast("Connected", true);
});

async function refresh() {
  if (provider === "shard") {
    const me = await client.getMe();
    $("#balance").textContent = cents(me.wallet_balance);
    $("#account-note").textContent = `${me.email} · ${me.active_orders} active`;
    await loadSubUsers();
  } else {
    $("#balance").textContent = "not readable through the API";
    $("#account-note").textContent = "(Proxy-Solutions publishes no balance call; top-ups: chargeUserBalance)";
  }
  await loadOrders();
}

async function loadOrders() {
  const tbody = $("#orders tbody");
  const status = $("#status").value;
  let rows = [];
  let hasNext = false;
  if (provider === "shard") {
    const page = await client.listOrders({ status, offset, limit: LIMIT });
    hasNext = page.next !== null;
    rows = page.orders.map((o) => ({ id: o.order_id, product: o.product_name, expires: o.expires_at?.slice(0, 10) ?? "", tag: o.tag ?? "", auto: o.auto_renewal, dcIsp: /Datacenter|ISP/.test(o.product_name) }));
    // Statuses are on the detail call; read them for this page.
    const details = await Promise.all(rows.map((r) => client.getOrder({ id: r.id })));
    details.forEach((d, i) => (rows[i].status = d.order.status));
  } else {
    const { orders } = await client.listOrders();
    const filtered = orders.filter((o) => status === "all" || o.status === status || (status === "on-hold" && o.status === "waiting"));
    hasNext = offset + LIMIT < filtered.length;
    rows = filtered.slice(offset, offset + LIMIT).map((o) => ({ id: o.id, product: o.service?.name, status: o.status, expires: "", tag: null, auto: o.auto_continuation, ps: o }));
  }
  $("#page").textContent = `${offset + 1}–${offset + rows.length}`;
  $("#prev").disabled = offset === 0;
  $("#next").disabled = !hasNext;
  tbody.replaceChildren(...rows.map(orderRow));
}

function orderRow(r) {
  const tr = document.createElement("tr");
  tr.dataset.orderId = r.id;
  const tag = Object.assign(document.createElement("input"), { value: r.tag ?? "", size: 10, className: "tag" });
  const saveTag = Object.assign(document.createElement("button"), { textContent: "Save", className: "secondary save-tag" });
  saveTag.onclick = guard(async () => {
    await client.setOrderTag({ id: r.id, tag: tag.value });
    toast(`Tag of ${r.id} saved`, true);
  });
  const auto = Object.assign(document.createElement("input"), { type: "checkbox", checked: Boolean(r.auto), className: "auto", disabled: provider !== "shard" || !r.dcIsp });
  auto.onchange = guard(async () => {
    await client.setAutoRenewal({ order_id: r.id, auto_renewal: auto.checked });
    toast(`Auto-renewal ${auto.checked ? "on" : "off"} for ${r.id}`, true);
  });
  const renew = Object.assign(document.createElement("button"), { textContent: "Renew", className: "renew", disabled: provider !== "shard" || r.status !== "on-hold" });
  renew.onclick = guard(async () => {
    await client.renewOrder({ id: r.id });
    toast(`Order ${r.id} renewed`, true);
    await refresh();
  });
  const open = Object.assign(document.createElement("button"), { textContent: "Details", className: "secondary open" });
  open.onclick = guard(() => showDetail(r));
  const cells = [r.id, r.product ?? "", Object.assign(document.createElement("span"), { textContent: r.status, className: `status status-${r.status}` }), r.expires];
  for (const c of cells) {
    const td = document.createElement("td");
    td.append(c);
    tr.append(td);
  }
  const tagTd = document.createElement("td");
  if (provider === "shard") tagTd.append(tag, " ", saveTag);
  const autoTd = document.createElement("td");
  autoTd.append(auto);
  const actTd = document.createElement("td");
  actTd.append(renew, " ", open);
  tr.append(tagTd, autoTd, actTd);
  return tr;
}

async function showDetail(r) {
  $("#detail").hidden = false;
  $("#detail-id").textContent = r.id;
  const tbody = $("#proxies tbody");
  let proxies = [];
  if (provider === "shard") {
    const { order } = await client.getOrder({ id: r.id });
    $("#detail-info").textContent = `${order.product_name}, ${order.quantity} × ${order.cycle_name}, paid ${cents(order.price_paid)}, p0f slots ${order.p0f_slots_used}/${order.p0f_slots_available}`;
    $("#access").hidden = true;
    if (/Datacenter|ISP/.test(order.product_name) && order.status !== "cancelled") {
      const { data } = await client.listActiveProxies({ order_id: r.id });
      proxies = data.map((p) => ({ ip: p.ip, port: p.http_port, login: p.username, password: p.password, signature: p.signature ?? "" }));
    }
  } else {
    const o = r.ps;
    $("#detail-info").textContent = `${o.service?.name}, ${o.quantity} × ${o.period} days, $${o.amount}`;
    $("#access").hidden = !o.access;
    if (o.access) {
      $("#access-login").value = o.access.login;
      $("#access-port").value = o.access.port;
      $("#access-save").onclick = guard(async (ev) => {
        ev.preventDefault();
        const params = { order_id: o.id, login: $("#access-login").value, port: Number($("#access-port").value) };
        if ($("#access-gen").checked) params.gen_password = true;
        const { order } = await client.changeOrder(params);
        r.ps = order;
        toast(`Access of ${o.id} saved`, true);
        await showDetail(r);
      });
      proxies = (o.proxies ?? []).map((p) => ({ ip: p.ip, port: o.access.port, login: o.access.login, password: o.access.password, signature: "" }));
    }
  }
  tbody.replaceChildren(...proxies.map((p) => {
    const tr = document.createElement("tr");
    const pw = Object.assign(document.createElement("span"), { textContent: "••••••••", className: "password" });
    const reveal = Object.assign(document.createElement("button"), { textContent: "Reveal", className: "secondary reveal" });
    reveal.onclick = () => {
      const shown = pw.textContent !== "••••••••";
      pw.textContent = shown ? "••••••••" : p.password;
      reveal.textContent = shown ? "Reveal" : "Hide";
    };
    for (const v of [p.ip, p.port, p.login]) tr.append(Object.assign(document.createElement("td"), { textContent: v }));
    const pwTd = document.createElement("td");
    pwTd.append(pw, " ", reveal);
    tr.append(pwTd, Object.assign(document.createElement("td"), { textContent: p.signature }));
    return tr;
  }));
}

async function loadSubUsers() {
  const proxy_type = $("#proxy-type").value;
  const tbody = $("#subusers tbody");
  try {
    const { data } = await client.listSubUsers({ proxy_type });
    tbody.replaceChildren(...data.map((u) => {
      const tr = document.createElement("tr");
      const gb = (b) => (b / 2 ** 30).toFixed(2);
      const bar = Object.assign(document.createElement("div"), { className: "bar" });
      bar.append(Object.assign(document.createElement("i"), { style: `width:${u.data ? Math.min(100, (100 * u.data_spent) / u.data) : 0}%` }));
      const del = Object.assign(document.createElement("button"), { textContent: "Delete", className: "secondary" });
      del.onclick = guard(async () => {
        await client.deleteSubUser({ user_id: u.user_id });
        await loadSubUsers();
      });
      tr.append(Object.assign(document.createElement("td"), { textContent: u.first_name }), Object.assign(document.createElement("td"), { textContent: `${gb(u.data)} GB` }));
      const used = document.createElement("td");
      used.append(`${gb(u.data_spent)} GB`, bar);
      const act = document.createElement("td");
      act.append(del);
      tr.append(used, act);
      return tr;
    }));
  } catch (e) {
    tbody.replaceChildren();
    if (e.code !== "api") throw e;
  }
}

$("#status").onchange = guard(() => ((offset = 0), loadOrders()));
$("#prev").onclick = guard(() => ((offset = Math.max(0, offset - LIMIT)), loadOrders()));
$("#next").onclick = guard(() => ((offset += LIMIT), loadOrders()));
$("#proxy-type").onchange = guard(loadSubUsers);
$("#add-sub").onclick = guard(async () => {
  await client.createSubUser({ proxy_type: $("#proxy-type").value, name: $("#new-sub").value, data: Number($("#new-sub-gb").value) });
  toast("Sub-user created", true);
  await loadSubUsers();
});
$("#advance").onclick = guard(async () => {
  await backend.control("/advance", { days: 21 });
  toast("Sandbox clock moved 21 days", true);
  await refresh();
});
document.body.dataset.ready = "true";
