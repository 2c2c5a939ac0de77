// Type-checked with `tsc --noEmit` against the installed package's typings: every public
// model and option is a named interface, methods are typed, and misuse is a type error
// (each @ts-expect-error fails the check if the error it expects disappears).
import {
  ProxyShardClient,
  ProxySolutionsClient,
  isProxykitError,
  type MeResponse,
  type MerchantList,
  type Merchant,
  type ProxyShardOptions,
  type ProxySolutionsOptions,
  type CallOptions,
  type ProxykitError,
  type GetMeParams,
  type ListMerchantsParams,
} from "proxykit";
import { init, initSync, ProxyShardClient as WebShard } from "proxykit/web";

const shardOptions: ProxyShardOptions = { apiKey: "k", baseUrl: "http://127.0.0.1:8787", timeout: 5000 };
const psOptions: ProxySolutionsOptions = { authHeader: "Authorization", authPrefix: "Bearer", fetch };
const shard = new ProxyShardClient(shardOptions);
const ps = new ProxySolutionsClient(psOptions);
new ProxyShardClient();

const call: CallOptions = { timeout: 1000, signal: new AbortController().signal };
const params: GetMeParams = {};
const lm: ListMerchantsParams = {};

async function main(): Promise<void> {
  const me: MeResponse = await shard.getMe(params, call);
  const cents: number = me.wallet_balance;
  const email: string = me.email;
  const list: MerchantList = await ps.listMerchants(lm);
  const first: Merchant | undefined = list.merchants[0];
  const currencies: string[] = first ? first.currencies : [];
  await ps.listMerchants();
  void [cents, email, currencies];

  try {
    await shard.getMe();
  } catch (e: unknown) {
    if (isProxykitError(e)) {
      const err: ProxykitError = e;
      switch (err.code) {
        case "invalid_input": {
          const f: string = err.field;
          const r: string = err.rule;
          void [f, r];
          break;
        }
        case "api":
        case "unauthorized":
        case "forbidden":
        case "not_found":
        case "validation_failed": {
          const s: number = err.status;
          const b: unknown = err.body;
          void [s, b];
          break;
        }
        case "decode": {
          const p: string = err.path;
          void p;
          break;
        }
        case "timeout": {
          const ms: number = err.timeoutMs;
          void ms;
          break;
        }
        case "network":
        case "aborted":
          break;
      }
      const m: string = err.message;
      void m;
    }
  }

  await init();
  await init(new URL("https://cdn.example/proxykit_bg.wasm"));
  initSync(new Uint8Array([0]));
  new WebShard({ apiKey: "k" });

  // @ts-expect-error ProxyShard documents its auth header: not configurable.
  new ProxyShardClient({ authHeader: "X" });
  // @ts-expect-error apiKey is a string.
  new ProxyShardClient({ apiKey: 5 });
  // @ts-expect-error wallet_balance is a number (cents).
  me.wallet_balance.toUpperCase();
  // @ts-expect-error unknown call option.
  await shard.getMe({}, { retry: 3 });
  // @ts-expect-error getMe takes no params.
  await shard.getMe({ typo: 1 });
  // @ts-expect-error params are an object.
  await ps.listMerchants(5);
  // @ts-expect-error methods are named by operationId.
  await shard.get_me();
}
void main;
