/** npm start: the whole system on one machine, on embedded defaults. Ctrl-C stops everything. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { privateDir } from '../lib/private-files';
import { MissingToolError } from './temporal-cli';
import { startStack } from './stack';

/** Without OMS_BOOTSTRAP_ADMIN_KEY, a key is made on first start and kept (0600) in the data folder. */
export function devAdminKey(dataDir: string): string {
  const file = path.join(dataDir, 'dev-admin-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const key = `oms_dev_${crypto.randomBytes(18).toString('base64url')}`;
  privateDir(dataDir);
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const adminKey = config.bootstrapAdminKey ?? devAdminKey(config.dataDir);
  const interrupt = new AbortController();
  // Until the stack is up, stopping means aborting its start.
  let shutdown: (code: number) => Promise<void> = () => {
    interrupt.abort();
    return Promise.resolve();
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const stack = await startStack({
    env: { ...process.env, OMS_BOOTSTRAP_ADMIN_KEY: adminKey },
    demoData: true,
    logs: 'console',
    signal: interrupt.signal,
  });
  const api = `http://127.0.0.1:${config.port}`;
  console.log(
    [
      '',
      `Shop OMS is up (${((Date.now() - started) / 1000).toFixed(1)}s).`,
      `  Staff console  ${api}/   (sign in with a key: the admin's below, staff their own)`,
      `  API            ${api}/api   (health: ${api}/api/health; reference: ${api}/api/docs)`,
      config.temporalEmbedded
        ? `  Temporal UI    http://127.0.0.1:${config.temporalUiPort}   (filter e.g. OrderStatus="PICKING"; customer data: managers sign in at ${api}/api/codec/login)`
        : `  Temporal       ${config.temporalAddress} (external cluster)`,
      config.mailEmbedded
        ? `  MailDev        http://127.0.0.1:${config.mailWebPort}/index.html   (user oms, password in ${path.join(config.dataDir, 'maildev-web-pass')})`
        : `  SMTP           ${config.smtpUrl}`,
      `  Database       ${config.databaseUrl}`,
      '',
      // No key is ever printed (the output may end up in a log): the curl reads the generated one from its file.
      ...(config.bootstrapAdminKey
        ? [
            'Authenticate with the admin key in OMS_BOOTSTRAP_ADMIN_KEY:  -H "Authorization: Bearer $OMS_BOOTSTRAP_ADMIN_KEY"',
          ]
        : [
            `The dev admin key is kept in ${path.join(config.dataDir, 'dev-admin-key')}: paste it into the console, or`,
            `  curl -H "Authorization: Bearer $(cat ${path.join(config.dataDir, 'dev-admin-key')})" ${api}/api/inventory`,
          ]),
      'Keys for staff: npm run keys -- create --name "Anna" --role clerk   (list, revoke <id>)',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping Shop OMS...');
    await stack.stop();
    process.exit(code);
  };
  const crashed = await stack.unexpectedExit;
  console.error(`${crashed.name} stopped; shutting the rest down.`);
  await shutdown(1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof MissingToolError ? err.message : err);
    process.exit(1);
  });
}
