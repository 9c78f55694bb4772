/**
 * `npm run temporal:certs -- <folder>`: a certificate authority and the certificates a Temporal cluster of the shop's
 * own needs for mutual TLS, made with the machine's openssl: the server's (for the frontend, with the names it is
 * reached by), and one client certificate each for the API, the workers and the Web UI. Give the server its certificate, key
 * and the CA (docker-compose.yml shows the variables), and each OMS process TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT and
 * TEMPORAL_TLS_KEY. Keys are written 0600; the CA's key should then be kept offline.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Who connects to Temporal: the API, the workers, and the Web UI (read-only), each with a certificate of its own. */
const CLIENTS = ['api', 'worker', 'ui'];
/** Names the Temporal frontend is reached by: compose's service name and this machine. */
const DEFAULT_SERVER_NAMES = ['temporal', 'localhost', '127.0.0.1'];
const DAYS = '825';

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

function certificate(dir: string, name: string, subject: string, extensions: string): void {
  const file = (ext: string) => path.join(dir, `${name}.${ext}`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('key')]);
  fs.chmodSync(file('key'), 0o600);
  openssl(['req', '-new', '-key', file('key'), '-subj', subject, '-out', file('csr')]);
  const ext = file('ext');
  fs.writeFileSync(ext, extensions);
  openssl([
    'x509',
    '-req',
    '-in',
    file('csr'),
    '-CA',
    path.join(dir, 'ca.pem'),
    '-CAkey',
    path.join(dir, 'ca.key'),
    '-CAcreateserial',
    '-days',
    DAYS,
    '-sha256',
    '-extfile',
    ext,
    '-out',
    file('pem'),
  ]);
  fs.rmSync(file('csr'));
  fs.rmSync(ext);
}

/** Makes the set in `dir` (created 0700); refuses to overwrite one that is there. */
export function makeTemporalCertificates(dir: string, serverNames = DEFAULT_SERVER_NAMES): void {
  if (fs.existsSync(path.join(dir, 'ca.pem'))) throw new Error(`${dir} already holds a certificate authority`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = path.join(dir, 'ca.key');
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', caKey]);
  fs.chmodSync(caKey, 0o600);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    '/O=Shop OMS/CN=Shop OMS Temporal CA',
    '-days',
    DAYS,
    '-sha256',
    '-out',
    path.join(dir, 'ca.pem'),
  ]);
  const san = serverNames.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  // The server's services also present it to one another as clients (internode mutual TLS).
  certificate(
    dir,
    'server',
    '/O=Shop OMS/CN=temporal',
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`,
  );
  for (const client of CLIENTS)
    certificate(dir, client, `/O=Shop OMS/CN=shop-oms-${client}`, 'extendedKeyUsage=clientAuth\n');
}

if (require.main === module) {
  const [dir, ...names] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: npm run temporal:certs -- <folder> [server names...]');
    process.exit(2);
  }
  makeTemporalCertificates(path.resolve(dir), names.length ? names : undefined);
  console.log(`made ca.pem, server.pem/key, api.pem/key, worker.pem/key and ui.pem/key in ${dir}`);
}
