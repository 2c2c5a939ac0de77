// Export every active proxy of both accounts to CSV (stdout, or a file given as argument):
// provider,order,ip,http_port,socks_port,username,password,expires. Against an in-process
// sandbox by default; set PROXYSHARD_KEY / PROXY_SOLUTIONS_KEY for the real APIs.
//   node examples-web/node/export-proxies.mjs proxies.csv
import { writeFileSync } from "node:fs";
import { ProxyShardClient, ProxySolutionsClient } from "proxykit";
import { createSandbox } from "proxykit-sandbox";

const live = Boolean(process.env.PROXYSHARD_KEY || process.env.PROXY_SOLUTIONS_KEY);
const sandbox = live ? null : createSandbox();
const via = sandbox ? { fetch: sandbox.fetch } : {};
const shard = new ProxyShardClient({ apiKey: process.env.PROXYSHARD_KEY ?? "sandbox-shard-key", baseUrl: process.env.PROXYSHARD_BASE_URL, ...via });
const ps = new ProxySolutionsClient({ apiKey: process.env.PROXY_SOLUTIONS_KEY ?? "sandbox-ps-key", baseUrl: process.env.PROXY_SOLUTIONS_BASE_URL, ...via });
if (sandbox) await shard.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 2 }); // something more to export

const csv = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v ?? ""));
const rows = [["provider", "order", "ip", "http_port", "socks_port", "username", "password", "expires"]];
for await (const o of shard.iterateOrders({ status: "active", limit: 100 })) {
  if (!/Datacenter|ISP/.test(o.product_name)) continue; // residential has no proxy list
  const { data } = await shard.listActiveProxies({ order_id: o.order_id });
  for (const p of data) rows.push(["proxyshard", o.order_id, p.ip, p.http_port, p.socks_port, p.username, p.password, p.until]);
}
for (const o of (await ps.listOrders()).orders) {
  if (o.status !== "active" || !o.access) continue;
  for (const p of o.proxies ?? []) rows.push(["proxy-solutions", o.id, p.ip, o.access.port, "", o.access.login, o.access.password, ""]);
}
const text = rows.map((r) => r.map(csv).join(",")).join("\n") + "\n";
if (process.argv[2]) {
  writeFileSync(process.argv[2], text, { mode: 0o600 }); // it holds passwords
  console.error(`${rows.length - 1} proxies written to ${process.argv[2]}`);
} else process.stdout.write(text);
