/**
 * A TCP proxy a test owns, to cut one connection path (the app's to PostgreSQL) while the server behind it stays
 * up for everyone else. `cut()` destroys every open connection and stops listening, so new ones are refused, as
 * when the database host goes down; `restore()` listens again on the same port.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far (a cut that found none open proves nothing). */
  readonly accepted: number;
  cut(): Promise<{ destroyed: number }>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  /** Open connections: each client socket with its upstream one. */
  const open = new Map<net.Socket, net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target.port, target.host);
    open.set(client, upstream);
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream).pipe(client);
  });
  const destroyAll = () => {
    const count = open.size;
    for (const [client, upstream] of open) {
      client.destroy();
      upstream.destroy();
    }
    open.clear();
    return count;
  };
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  return {
    port,
    get accepted() {
      return accepted;
    },
    async cut() {
      const closed = stopListening();
      const destroyed = destroyAll();
      await closed;
      return { destroyed };
    },
    async restore() {
      if (!server.listening) await listen(port);
    },
    async close() {
      const closed = stopListening();
      destroyAll();
      await closed;
    },
  };
}

/** A new proxy in front of a database server, and the URL of the same database through it. */
export async function startDatabaseProxy(databaseUrl: string): Promise<{ proxy: TcpProxy; throughProxyUrl: string }> {
  const target = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const throughProxy = new URL(databaseUrl);
  throughProxy.hostname = '127.0.0.1';
  throughProxy.port = String(proxy.port);
  return { proxy, throughProxyUrl: throughProxy.toString() };
}
