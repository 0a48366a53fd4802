// A TCP proxy the test controls, in front of PostgreSQL or Redis: `freeze()` keeps every connection open and
// accepts new ones but forwards nothing either way (a server that stops answering), `thaw()` lets the held bytes
// through and carries on.
import { createConnection, createServer, type Socket } from "node:net";

export type TcpProxy = {
  port: number;
  freeze: () => void;
  thaw: () => void;
  /** Drops every connection and stops listening (a server that went away) until `restore()`. */
  cut: () => void;
  restore: () => Promise<void>;
  /** How many chunks are held back by the freeze: above 0, a client is waiting for an answer. */
  held: () => number;
  close: () => Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const held: { to: Socket; chunk: Buffer }[] = [];
  const forward = (to: Socket, chunk: Buffer) => (frozen ? held.push({ to, chunk }) : to.write(chunk));

  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on("data", (chunk: Buffer) => forward(to, chunk));
      from.on("error", () => to.destroy());
      from.on("close", () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const { to, chunk } of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    cut: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
    restore: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    held: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}
