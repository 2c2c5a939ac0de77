/**
 * proxykit-sandbox: a stateful, deterministic local emulator of the Proxy-Solutions v3 and
 * ProxyShard User APIs. Proxy-Solutions lives under `<origin>/api`, ProxyShard under
 * `<origin>` (`/user/api/…`, `/health`). Default keys: `sandbox-ps-key` (X-API-KEY) and
 * `sandbox-shard-key` (Bearer).
 */

/** A fault kind: see the package README for what each does. */
export type FaultKind =
  | "500" | "502" | "503" | "504" | "429" | "html" | "drop"
  | "drop-after" | "truncate" | "not-json" | "empty" | "slow";

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
}

export interface SandboxLog {
  entries: LogEntry[];
  /** `counts[provider][operation] = {received, reached}`. */
  counts: Record<string, Record<string, { received: number; reached: number }>>;
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
  /** A `fetch`-compatible function answered in-process (no network); pass it as a proxykit client's `fetch` option. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Answers one request synchronously. */
  handle(method: string, url: string, headers?: [string, string][], body?: string): SandboxOutcome;
  log(): SandboxLog;
  clearLog(): { ok: true };
  /** Moves the clock; orders renew, go on hold, expire. */
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

export interface SandboxServerOptions extends SandboxOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Close after this many requests. */
  maxRequests?: number;
  /** Close after this many seconds. */
  ttlSeconds?: number;
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
  close(): Promise<void>;
}

/** Starts the HTTP sandbox (Node only), with CORS for browser pages. */
export function startSandboxServer(options?: SandboxServerOptions): Promise<SandboxServer>;
