// A LINE that accepts requests and never answers: for tests that a call given up on is aborted (its connection
// closed) rather than abandoned. Started before the file's tests, closed after them.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll } from "vitest";

export function silentServer() {
  let server: Server;
  const state = { url: "", seen: 0, open: new Set<string>() };
  beforeAll(async () => {
    server = createServer((request) => {
      const id = String((state.seen += 1));
      state.open.add(id);
      request.socket.on("close", () => state.open.delete(id));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}
