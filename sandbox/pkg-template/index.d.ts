/**
 * proxykit-sandbox: a stateful, deterministic local emulator of the Proxy-Solutions v3 and
 * ProxyShard User APIs. Proxy-Solutions lives under `<origin>/api`, ProxyShard under
 * `<origin>` (`/user/api/…`, `/health`). Default keys: `sandbox-ps-key` (X-API-KEY) and
 * `sandbox-shard-key` (Bearer).
 */

/** A fault kind: see the package README for what each does. */
export type FaultKind =
  | "500" | "502" | "503" | "504" | "429" | "html" | "drop"
  | "drop-after" | "truncate" | "not-json" | "empty" | "slow"
  /** The request is applied; every object in the JSON reply keeps only its first field. Not among the default kinds. */
  | "missing-fields"
  /** 307 / 308 to `redirectTo`, before the emulated logic; 303 to `redirectTo` after it (the request was applied). Not among the default kinds. */
  | "redirect" | "redirect-308" | "redirect-after";

/** Fault settings. Missing keys take their defaults. */
export interface FaultConfig {
  /** Share of API requests that get a fault, 0..1 (default 0). */
  rate?: number;
  /** Kinds to draw from (default `["500","503","429","drop","slow"]`). */
  kinds?: FaultKind[];
  /** Only these operationIds get faults (default all); `null` for all. */
  operations?: string[] | null;
  /** `Retry-After` seconds on 429 replies (default 1). */
  retryAfter?: number;
  /** Delay of `slow` faults in ms (default 3000). */
  slowMs?: number;
  /** Latency on every API reply: ms, or `[min, max]` drawn per request (default 0). */
  latencyMs?: number | [number, number];
  /** `Location` of the redirect kinds (default `http://127.0.0.1:9/elsewhere`, another origin where nothing answers). */
  redirectTo?: string;
}

/** Sandbox options. Unknown keys are refused. */
export interface SandboxOptions {
  /** Fixes every generated id, IP and password (default 1). */
  seed?: number;
  /** Where the clock starts: ISO-8601 UTC or Unix seconds (default 2026-01-01T00:00:00Z). */
  start?: string | number;
  proxySolutions?: { accounts?: { apiKey: string; /** USD, default 100 */ balance?: number }[] };
  proxyShard?: {
    accounts?: { apiKey: string; /** cents, default 10000 */ wallet?: number; /** cancelled orders, default 24 */ history?: number }[];
  };
  faults?: FaultConfig;
  /** Log entries kept (default 10000). */
  logLimit?: number;
  /**
   * Also create the objects proxykit's canonical calls (spec/overlay.yaml `call`) name:
   * ProxyShard orders 123456 (Datacenter, proxies 203.0.113.10/.11, five p0f slots), 123457
   * (Standart Residential, with the sub-user `u_7f3a`), 123458 (on hold), 123459 (Premium
   * Residential); Proxy-Solutions order 12345 (Mobile proxies plus). Default false.
   */
  examples?: boolean;
}

/** One API request as the sandbox saw it. */
export interface LogEntry {
  seq: number;
  /** The sandbox clock when it arrived. */
  at: string;
  method: string;
  path: string;
  provider: "proxySolutions" | "proxyShard" | "unknown";
  /** The operationId (e.g. `purchaseOrder`), or `unknown`. */
  operation: string;
  /** The status sent; 0 when the connection was dropped. */
  status: number;
  fault: FaultKind | null;
  /** Whether the request reached the emulated server's logic (a write may have applied). */
  reached: boolean;
  /** The request body: parsed when it is JSON, else its text (cut at 64 KiB); `null` when it had none. */
  body: unknown;
  /** Which credential headers the request carried (names only, never their values). */
  credentials: ("authorization" | "x-api-key")[];
}

export interface SandboxLog {
  entries: LogEntry[];
  /** `counts[provider][operation] = {received, reached}`. */
  counts: Record<string, Record<string, { received: number; reached: number }>>;
  /** API requests received since the start, the last `clearLog` or `reset` (entries keep their `seq` numbering). */
  total: number;
}

export interface SandboxInfo {
  proxySolutions: { baseUrl: string; apiKeys: string[]; authHeader: string };
  proxyShard: { baseUrl: string; apiKeys: string[]; authHeader: string };
  now: string;
  seed: number;
}

/** What `handle` returns. */
export interface SandboxOutcome {
  status: number;
  headers: [string, string][];
  body: string;
  delayMs: number;
  drop: boolean;
}

export interface Sandbox {
  /**
   * A `fetch`-compatible function answered in-process (no network); pass it as a proxykit
   * client's `fetch` option. Redirects follow `init.redirect`: `"manual"` returns the 3xx
   * reply, `"error"` throws a TypeError, `"follow"` (the default) follows one within the
   * same origin and throws a TypeError for another origin (which it cannot reach).
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Answers one request synchronously. */
  handle(method: string, url: string, headers?: [string, string][], body?: string): SandboxOutcome;
  log(): SandboxLog;
  clearLog(): { ok: true };
  /**
   * Moves the clock forward; orders renew, go on hold, expire. A whole number, at most 3650
   * days per call, never backwards and never past 9999-12-31T23:59:59Z; throws otherwise.
   */
  advance(by: { days: number } | { seconds: number }): { now: string };
  now(): string;
  reset(): { ok: true; now: string };
  faults(): Required<FaultConfig>;
  setFaults(config: FaultConfig): Required<FaultConfig>;
  /** Completes a Proxy-Solutions payment link (its URL or id). */
  pay(urlOrId: string): { paid: true; order_id?: number; balance?: number; already?: true };
  /** Base URLs for `origin` (default `http://sandbox.invalid`), keys, clock and seed. */
  info(origin?: string): SandboxInfo;
  /** Frees the wasm memory. */
  free(): void;
}

/** An in-process sandbox. */
export function createSandbox(options?: SandboxOptions): Sandbox;

/** The largest `ttlSeconds` (2147483, about 24.8 days: the longest a Node timer waits). Node only. */
export const MAX_TTL_SECONDS: number;

export interface SandboxServerOptions extends SandboxOptions {
  /** An integer 0..65535; default 8787; 0 picks a free port. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /**
   * Stop after this many requests (a positive integer): the server stops accepting
   * connections when the last one arrives, sends every reply still pending (delayed ones
   * included), then closes. Requests that still arrive on open connections get a 503.
   */
  maxRequests?: number;
  /** Close after this many seconds: above 0, at most `MAX_TTL_SECONDS` (about 24.8 days); larger values are refused. */
  ttlSeconds?: number;
  /**
   * Host names answered besides the loopback ones (127.x.x.x, `localhost`, `*.localhost`,
   * `[::1]`, each with any port) and the `host` bound to: `name` (any port), `name:port`, or
   * `"*"` for any Host. Other Host headers get a 403 that never reaches the emulator (a
   * defence against DNS rebinding). Default none.
   */
  allowedHosts?: string[];
  /**
   * Origins allowed besides the loopback ones (`http(s)://127.x.x.x`, `localhost`,
   * `*.localhost`, `[::1]`, any port): exact origins such as `"https://app.example:3000"`
   * (`"null"` for opaque origins), or `"*"` for any (then `Access-Control-Allow-Origin: *`).
   * Allowed origins get CORS (the origin echoed, preflights answered); a request from any
   * other origin gets a 403 without CORS headers and never reaches the emulator. Default none.
   */
  corsOrigins?: string[] | "*";
  /** Called with one line per request. */
  log?: (line: string) => void;
}

export interface SandboxServer {
  url: string;
  port: number;
  sandbox: Sandbox;
  proxySolutionsBaseUrl: string;
  proxyShardBaseUrl: string;
  /** Resolves when the server has closed (by `close`, `maxRequests` or `ttlSeconds`). */
  closed: Promise<void>;
  /** Stops at once: replies still pending are cut off. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP sandbox (Node only), with CORS for browser pages on loopback origins.
 * Rejects with an Error naming the option when an option is out of range.
 */
export function startSandboxServer(options?: SandboxServerOptions): Promise<SandboxServer>;
