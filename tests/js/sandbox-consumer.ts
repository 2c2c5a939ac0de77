// Type-checked with `tsc --noEmit`: the sandbox's typings, used the way a test suite would.
import { createSandbox, startSandboxServer, type Sandbox, type FaultConfig, type LogEntry } from "proxykit-sandbox";
import { init, createSandbox as createWebSandbox } from "proxykit-sandbox/web";
import { ProxyShardClient } from "proxykit";

export async function typed(): Promise<void> {
  const sb: Sandbox = createSandbox({ seed: 1, faults: { rate: 0.2, kinds: ["503", "drop-after"] } });
  const client = new ProxyShardClient({ apiKey: "sandbox-shard-key", fetch: sb.fetch });
  await client.getMe();
  const faults: FaultConfig = sb.setFaults({ latencyMs: [1, 5] });
  const first: LogEntry | undefined = sb.log().entries[0];
  const reached: boolean | undefined = first?.reached;
  sb.advance({ days: 31 });
  // @ts-expect-error: not a fault kind
  sb.setFaults({ kinds: ["explode"] });
  const server = await startSandboxServer({ port: 0, ttlSeconds: 5 });
  await server.close();
  await init();
  createWebSandbox().free();
  void faults;
  void reached;
}
