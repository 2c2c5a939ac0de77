// What every browser / worker entry shares (proxykit/web and the per-provider
// proxykit/web/proxy-solutions, proxykit/web/proxyshard): loading the wasm module once, and
// an error that says so when a class is used before that.
//
// The wasm module must be loaded before use: `await init()` fetches the entry's `.wasm`
// (under bundler/ in the package, found through `import.meta.url`); `init(source)` also
// takes a URL, a `Response`, bytes or a compiled `WebAssembly.Module` (for workers and edge
// runtimes), and `initSync(moduleOrBytes)` loads synchronously. Both are idempotent. Using a
// client before that throws an error that says so, instead of wasm-bindgen's "cannot read
// properties of undefined".

function notLoaded(what, entry) {
  const e = new Error(
    `proxykit: ${what} was used before the WebAssembly module was loaded. ` +
      `Call \`await init()\` (from "${entry}") first.`,
  );
  e.name = "ProxykitError";
  e.code = "not_initialized";
  e[Symbol.for("proxykit.error")] = true;
  return e;
}

/** The loader of one wasm-bindgen web module (`load` is its default export). */
export function webEntry(load, wasm, entry) {
  let ready = null;
  let loaded = false;

  function init(source) {
    if (loaded) return Promise.resolve();
    if (!ready) {
      const arg = source === undefined ? undefined : { module_or_path: source };
      ready = load(arg).then(
        () => {
          loaded = true;
        },
        (e) => {
          ready = null; // a failed load (e.g. offline) may be retried
          throw e;
        },
      );
    }
    return ready;
  }

  function initSync(module) {
    if (loaded) return;
    wasm.initSync({ module });
    loaded = true;
  }

  // A client class whose constructor refuses to run before init().
  function client(name) {
    const Base = wasm[name];
    return {
      [name]: class extends Base {
        constructor(options) {
          if (!loaded) throw notLoaded(name, entry);
          super(options);
        }
      },
    }[name];
  }

  // Static helpers: calling one before init() gets the same explanatory error.
  function statics(name) {
    return new Proxy(wasm[name], {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value === "function" && !loaded) {
          return () => {
            throw notLoaded(`${name}.${String(prop)}`, entry);
          };
        }
        return value;
      },
    });
  }

  function wasmMemoryBytes() {
    return loaded ? wasm.wasmMemoryBytes() : 0;
  }

  return { init, initSync, client, statics, wasmMemoryBytes };
}

// Pure JS so it works before init too; the same brand the wasm side sets.
export function isProxykitError(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    value[Symbol.for("proxykit.error")] === true
  );
}
