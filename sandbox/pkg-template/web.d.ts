export type {
  FaultKind, FaultConfig, SandboxOptions, LogEntry, SandboxLog, SandboxInfo, SandboxOutcome, Sandbox,
} from "./index.js";
import type { Sandbox, SandboxOptions } from "./index.js";

/** Loads the wasm once (idempotent). Pass a URL, Response, bytes or WebAssembly.Module to load it from elsewhere. */
export function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** An in-process sandbox; call `await init()` first. */
export function createSandbox(options?: SandboxOptions): Sandbox;
