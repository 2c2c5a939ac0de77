// proxykit/server's typings: right and wrong handler options (issue 16).
import { createProxykitHandler, memoryStore, redisStore, CATALOGUE, type ProxykitStore } from "proxykit/server";

const handler = createProxykitHandler({
  proxyShard: { apiKey: "k" },
  expose: { proxyshard: [...CATALOGUE.proxyshard, "purchaseOrder"] },
  authorize: async (request, call) => request.headers.get("x-session") === "ok" && call.operation === "purchaseOrder",
  cache: { ttlSeconds: 30 },
  rateLimit: { max: 10, windowSeconds: 1 },
  store: memoryStore(),
  cors: { origins: ["https://shop.example"] },
  clientIp: (request) => request.headers.get("cf-connecting-ip") ?? undefined,
});
export const served: Promise<Response> = handler(new Request("https://shop.example/proxykit/proxyshard/user/api/proxies/products"));
export const shared: ProxykitStore = redisStore({ sendCommand: async (_args: string[]) => null });
createProxykitHandler({ proxySolutions: { apiKey: "k" }, cache: false, rateLimit: false, authorize: () => ({ credentials: true }) });

// @ts-expect-error an operation that does not exist
createProxykitHandler({ proxyShard: { apiKey: "k" }, expose: { proxyshard: ["getMee"] } });
// @ts-expect-error a provider that does not exist
createProxykitHandler({ proxyShard: { apiKey: "k" }, expose: { shard: ["getMe"] } });
// @ts-expect-error authorize must return a grant, not a string
createProxykitHandler({ proxyShard: { apiKey: "k" }, authorize: () => "yes" });
// @ts-expect-error a Proxy-Solutions operation under ProxyShard
createProxykitHandler({ proxyShard: { apiKey: "k" }, expose: { proxyshard: ["listServices"] } });
// @ts-expect-error the cache takes seconds under ttlSeconds
createProxykitHandler({ proxyShard: { apiKey: "k" }, cache: { ttl: 60 } });
// @ts-expect-error redisStore needs a client with a command method
redisStore({});
