/**
 * The embedded MailDev (customer emails caught for `npm start` and the tests), run through MailDev's own
 * programmatic API rather than its CLI for two things the CLI cannot do (MailDev 3.0.0):
 * - it prints every mail's sender and recipient ("Received: a -> b"): here each address is masked (lib/redact.ts);
 * - its web API answers any Origin with `Access-Control-Allow-Origin: <that origin>` and credentials, with no option
 *   to turn it off, so any web page open in the developer's browser could read and delete every caught email: here a
 *   request (or WebSocket) from another origin is refused with 403 before MailDev sees it.
 * Settings come from MailDev's own environment variables (MAILDEV_SMTP_PORT, MAILDEV_WEB_PASS…): scripts/stack.ts
 * sets them, the web password only in this process's environment, never on a command line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { redactText } from '../lib/redact';

/** MailDev's web UI calls its API from its own address only; a browser sends no Origin on plain page loads. */
function sameOriginOnly(webPort: number): (origin: string | undefined) => boolean {
  const own = new Set(['127.0.0.1', 'localhost'].map((host) => `http://${host}:${webPort}`));
  return (origin) => origin === undefined || own.has(origin);
}

async function main(): Promise<void> {
  const maildev = await import('maildev');
  class MaskingLogger extends maildev.Logger {
    email(from: string, to: string, subject: string): void {
      super.email(redactText(from), redactText(to), redactText(subject));
    }
    error(message: string, ...args: unknown[]): void {
      super.error(redactText(message), ...args.map((arg) => redactText(String(arg))));
    }
    warn(message: string, ...args: unknown[]): void {
      super.warn(redactText(message), ...args.map((arg) => redactText(String(arg))));
    }
    emailContents(): void {
      // never: a mail's contents are the customer's
    }
  }
  const logger = new MaskingLogger();
  const { config } = await maildev.resolveConfig({});
  const validation = maildev.validateConfig(config);
  if (!validation.valid) throw new Error(maildev.formatValidationErrors(validation));
  const orchestrator = maildev.createOrchestrator({ config, logger });
  maildev.setupShutdownHandlers({ orchestrator, logger });
  const servers = await orchestrator.start();

  const allowed = sameOriginOnly(config.web);
  const http = servers.api?.server.server;
  if (!http) return;
  // Wraps every listener MailDev (Fastify, Socket.IO) put on the server, so a foreign origin reaches none of them.
  const requestListeners = http.listeners('request') as ((...args: unknown[]) => void)[];
  const upgradeListeners = http.listeners('upgrade') as ((...args: unknown[]) => void)[];
  http.removeAllListeners('request');
  http.removeAllListeners('upgrade');
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!allowed(req.headers.origin)) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"origin not allowed"}');
      return;
    }
    for (const listener of requestListeners) listener.call(http, req, res);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!allowed(req.headers.origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    for (const listener of upgradeListeners) listener.call(http, req, socket, head);
  });
  console.log(`MailDev ready (web API from its own origin only${config.webUser ? ', with a password' : ''})`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`MailDev failed to start: ${redactText(err instanceof Error ? err.message : String(err))}`);
    process.exit(1);
  });
}
