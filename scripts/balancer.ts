/**
 * The one address in front of several API processes on a cluster (`npm run cluster`), in place of the load balancer
 * a shop runs in production (nginx, HAProxy, a cloud balancer): each new connection goes to the next API in turn,
 * and one that refuses the connection (stopped, crashed, restarting) is skipped for the next. Connections already
 * open to an API that dies are cut, as with any TCP balancer; clients retry them.
 *
 * PORT: where to listen (on HOST, 127.0.0.1 by default); BALANCER_TARGETS: `host:port,host:port`.
 */
import net from 'node:net';

export interface Target {
  host: string;
  port: number;
}

export function parseTargets(value: string | undefined): Target[] {
  const targets = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf(':');
      const port = Number(entry.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0)
        throw new Error(`BALANCER_TARGETS: "${entry}" is not host:port`);
      return { host: entry.slice(0, at), port };
    });
  if (!targets.length) throw new Error('BALANCER_TARGETS names no API (host:port,host:port)');
  return targets;
}

/** Connects to the first target, from `start` on, that accepts; rejects when none does. */
function connectToAny(targets: Target[], start: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const attempt = (tried: number) => {
      if (tried === targets.length) return reject(new Error('no API accepted the connection'));
      const target = targets[(start + tried) % targets.length];
      const socket = net.connect(target.port, target.host);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', () => {
        socket.destroy();
        attempt(tried + 1);
      });
    };
    attempt(0);
  });
}

export function startBalancer(targets: Target[], port: number, host: string): net.Server {
  let next = 0;
  const server = net.createServer((client) => {
    client.pause();
    const start = next++ % targets.length;
    client.on('error', () => client.destroy());
    connectToAny(targets, start).then(
      (upstream) => {
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  server.listen(port, host);
  return server;
}

if (require.main === module) {
  const targets = parseTargets(process.env.BALANCER_TARGETS);
  const host = process.env.HOST || '127.0.0.1';
  const server = startBalancer(targets, Number(process.env.PORT), host);
  server.once('listening', () =>
    console.log(`balancer on ${host}:${process.env.PORT} → ${targets.map((t) => `${t.host}:${t.port}`).join(', ')}`),
  );
  // Nothing to finish: open connections are cut, as when any balancer stops.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
