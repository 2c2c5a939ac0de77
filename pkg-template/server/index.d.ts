import type { ProxyShardOptions, ProxySolutionsOptions, ProxyShardOperation, ProxySolutionsOperation } from "proxykit";

/**
 * Where the handler keeps its cache entries and rate-limit counters. In memory by default
 * ({@link memoryStore}); {@link redisStore} shares them across instances.
 */
export interface ProxykitStore {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined | null>;
  /** Stores a value for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Adds one and returns the count; a new counter expires `ttlMs` after its first count. */
  incr(key: string, ttlMs: number): Promise<number>;
}

/** What `authorize` returns to allow an account call: `true`, `{ credentials: false }`, or
 * `{ credentials: true }` to also let proxy passwords and tokens through in the reply.
 * Anything else refuses (403), including other truthy values. */
export type ProxykitGrant = boolean | { credentials: boolean } | null | undefined;

/** The call `authorize` decides on. `params` are the call's params (path, query and body, under
 * their wire names): check that the session owns the `order_id` it asks about. */
export interface ProxykitCall {
  provider: "proxy-solutions" | "proxyshard";
  operation: string;
  params: Record<string, unknown>;
}

export interface ProxykitHandlerOptions {
  /** Options of the server's Proxy-Solutions client, with its `apiKey` (never sent to browsers). */
  proxySolutions?: ProxySolutionsOptions;
  /** Options of the server's ProxyShard client, with its `apiKey` (never sent to browsers). */
  proxyShard?: ProxyShardOptions;
  /**
   * The operations browsers may call, per provider. Default: the catalogue and quotes
   * ({@link CATALOGUE}): Proxy-Solutions `listServices`, `listServiceLocations`,
   * `listMerchants`, `calculatePrice`; ProxyShard `listProducts`, `getAvailableCounts`,
   * `quoteOrder`. Any other operation (money, account) needs `authorize`. Anything not
   * listed gets a 404 `{ code: "not_exposed" }`.
   */
  expose?: { "proxy-solutions"?: ProxySolutionsOperation[]; proxyshard?: ProxyShardOperation[] };
  /** Decides, per request, whether an account or money operation may run (your session
   * check, including whether the session owns the order in `call.params`). Not called for
   * the catalogue. Account calls are refused before it runs when a browser sends them from
   * another site (`Sec-Fetch-Site`, `Origin`; CSRF) or with a body that is not
   * `application/json`. */
  authorize?: (request: Request, call: ProxykitCall) => ProxykitGrant | Promise<ProxykitGrant>;
  /** Mount point; the page's clients use `baseUrl: origin + prefix + "/proxyshard"` and
   * `origin + prefix + "/proxy-solutions/api"`. Default `"/proxykit"`. */
  prefix?: string;
  /** Catalogue replies are cached for `ttlSeconds` (default 60); `false` turns it off. */
  cache?: { ttlSeconds?: number } | false;
  /** Requests per client address per window (default 120 per 60 s; an IPv6 address counts
   * by its /64); `false` turns it off. */
  rateLimit?: { windowSeconds?: number; max?: number } | false;
  /** Cache and counters; default in memory. */
  store?: ProxykitStore;
  /** How long a store call may take, ms (default 1000). Past it, or when the store fails, the
   * cache is skipped and a rate-limited request is refused with 503. */
  storeTimeoutMs?: number;
  /** CORS for pages on other origins; off by default (same origin only). `credentials`
   * sends `Access-Control-Allow-Credentials` (for cookie sessions across origins; not with
   * `"*"`). */
  cors?: { origins: string[]; credentials?: boolean };
  /** The client's address for the rate limit. Default: the Node adapter's socket address,
   * else one shared bucket. Behind a proxy or on Workers, read the header your platform sets
   * (e.g. `request.headers.get("cf-connecting-ip")`). */
  clientIp?: (request: Request, context?: { ip?: string }) => string | undefined;
  /** Query parameters to drop before reading the query: those a framework adds to the URL.
   * Next.js's Edge runtime adds a catch-all route's segment name (`["path"]` for
   * `app/proxykit/[...path]/route.js`). Any other unknown query parameter is refused (400). */
  ignoreQuery?: string[];
  /** Largest request body read, bytes (default 16 384); past it, 413. */
  maxBodyBytes?: number;
}

/** The catalogue operations exposed by default. */
export const CATALOGUE: {
  readonly "proxy-solutions": readonly ProxySolutionsOperation[];
  readonly proxyshard: readonly ProxyShardOperation[];
};

/** The words that mark a reply key as a credential (removed from account replies unless
 * `authorize` grants `{ credentials: true }`). */
export const CREDENTIAL_WORDS: readonly string[];

/**
 * A backend-for-frontend handler: mirrors the vendors' paths under `prefix`, adds the key
 * server-side, and lets through only the exposed operations, each checked by the clients'
 * rules. A standard fetch handler for Node (with {@link toNodeListener}), Workers, Deno, Bun
 * and Next.js route handlers.
 */
export function createProxykitHandler(options: ProxykitHandlerOptions): (request: Request, context?: { ip?: string }) => Promise<Response>;

/** The handler as a Node `http` / Express-style `(req, res)` listener. It reads request
 * bodies only as the handler asks (backpressure). `origin` fixes the request URL's origin;
 * by default it comes from the Host header. */
export function toNodeListener(
  handler: (request: Request, context?: { ip?: string }) => Promise<Response>,
  options?: { origin?: string },
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;

/** The parts of Node's `http.IncomingMessage` the adapter reads (no @types/node needed). */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  destroy(): unknown;
}

/** The parts of Node's `http.ServerResponse` the adapter writes. */
export interface NodeResponseLike {
  headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
  on(event: string, listener: () => void): unknown;
}

/** An in-memory store (the default), holding at most `maxEntries` (default 100 000). */
export function memoryStore(options?: { sweepEvery?: number; maxEntries?: number }): ProxykitStore & { readonly size: number };

/** A Redis store: pass a connected node-redis client, an ioredis client, or `{ command(args) }`. */
export function redisStore(
  client: { sendCommand(args: string[]): Promise<unknown> } | { call(...args: string[]): Promise<unknown> } | { command(args: string[]): Promise<unknown> },
  options?: { prefix?: string },
): ProxykitStore;

/** A copy of a value with credentials redacted: every string or number under a credential
 * key, and the password of any `scheme://user:password@host` string. */
export function withoutCredentials<T>(value: T): T;

/** The rate-limit bucket of a client address: IPv4 whole, IPv6 by its /64. */
export function addressKey(ip: string): string;
