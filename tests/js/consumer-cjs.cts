// The CommonJS view of the typings: `require("proxykit")` resolves the `require` condition.
import proxykit = require("proxykit");

const c: proxykit.ProxyShardClient = new proxykit.ProxyShardClient({ apiKey: "k" });
const p: Promise<proxykit.MeResponse> = c.getMe();
const guard: (v: unknown) => boolean = proxykit.isProxykitError;
void [p, guard];
