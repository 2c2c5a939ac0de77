// The handler's only state, its cache entries and rate-limit counters, goes through a store
// with three methods. This one keeps them in the process's memory: enough for one instance.
// A fleet behind a load balancer shares one Redis instead (redis.js).

/**
 * An in-memory store: `get(key)`, `set(key, value, ttlMs)`, `incr(key, ttlMs)` (the count
 * after adding one; the entry expires `ttlMs` after it was created). Expired entries are
 * dropped when read and by a sweep every `sweepEvery` writes. It holds at most `maxEntries`:
 * past that, expired entries go first, then the oldest (many addresses cannot grow it
 * without bound).
 */
export function memoryStore({ sweepEvery = 1000, maxEntries = 100_000 } = {}) {
  const entries = new Map(); // key -> { value, expires }
  let writes = 0;
  const now = () => Date.now();
  function live(key) {
    const e = entries.get(key);
    if (e === undefined) return undefined;
    if (e.expires <= now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  }
  function sweep() {
    if (++writes % sweepEvery !== 0 && entries.size <= maxEntries) return;
    const t = now();
    for (const [k, e] of entries) if (e.expires <= t) entries.delete(k);
    // Still too many: the oldest go (a Map iterates in insertion order).
    for (const k of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(k);
    }
  }
  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expires: now() + ttlMs });
      sweep();
    },
    async incr(key, ttlMs) {
      const e = live(key);
      if (e) {
        e.value += 1;
        return e.value;
      }
      entries.set(key, { value: 1, expires: now() + ttlMs });
      sweep();
      return 1;
    },
    /** How many entries are held (expired ones not yet swept included). */
    get size() {
      return entries.size;
    },
  };
}
