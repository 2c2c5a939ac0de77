// A store on Redis, so every instance of the handler shares one cache and one rate limit.
// No Redis client is bundled: pass the one your app uses. Works with node-redis v4/v5
// (`sendCommand([...])`), ioredis (`call(cmd, ...args)`), or any object with
// `command(args: string[]): Promise<unknown>`.

const INCR_SCRIPT =
  "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

/**
 * @param {object} client a connected node-redis or ioredis client, or `{ command(args) }`
 * @param {{ prefix?: string }} [options] a key prefix, so several apps can share a Redis
 */
export function redisStore(client, { prefix = "" } = {}) {
  let send;
  if (client && typeof client.sendCommand === "function") send = (args) => client.sendCommand(args);
  else if (client && typeof client.call === "function") send = (args) => client.call(...args);
  else if (client && typeof client.command === "function") send = (args) => client.command(args);
  else throw new TypeError("redisStore: pass a node-redis client (sendCommand), an ioredis client (call) or { command(args) }");
  return {
    async get(key) {
      const v = await send(["GET", prefix + key]);
      return v === null || v === undefined ? undefined : String(v);
    },
    async set(key, value, ttlMs) {
      await send(["SET", prefix + key, value, "PX", String(Math.max(1, Math.ceil(ttlMs)))]);
    },
    async incr(key, ttlMs) {
      // One atomic script: count, and start the expiry on the first count, so a crash between
      // two commands can never leave a counter that does not expire.
      return Number(await send(["EVAL", INCR_SCRIPT, "1", prefix + key, String(Math.max(1, Math.ceil(ttlMs)))]));
    },
  };
}
