// A free TCP port on 127.0.0.1, released before the server under test (workerd, next start,
// redis-server) takes it.
import { createServer } from "node:net";

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
