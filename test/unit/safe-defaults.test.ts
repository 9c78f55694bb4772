/**
 * Safe defaults: the API listens on loopback unless HOST says otherwise, the bootstrap admin key must be long and
 * varied, and local state (the data folder, the SQLite database, logs) is the owner's only whatever the umask.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../lib/config';
import { privateDir, privateFile, tightenTree } from '../../lib/private-files';
import { migrate } from '../../db/migrate';

describe('where the API listens', () => {
  test('127.0.0.1 unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  test('docker-compose.yml sets HOST=0.0.0.0 for the API replicas and their balancer only', () => {
    const compose = fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
    const services = compose.slice(compose.indexOf('\nservices:'), compose.indexOf('\nvolumes:'));
    const listening = [...services.matchAll(/^ {2}([\w-]+):\n((?: {4}.*\n|\n)*)/gm)]
      .filter(([, , body]) => /^\s+HOST: 0\.0\.0\.0$/m.test(body))
      .map(([, name]) => name);
    expect(listening.sort()).toEqual(['api', 'balancer']);
  });

  test('docker-compose.yml publishes only the balancer on every interface; the Web UI and the inbox on 127.0.0.1', () => {
    const compose = fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
    const services = compose.slice(compose.indexOf('\nservices:'), compose.indexOf('\nvolumes:'));
    const published = [...services.matchAll(/^ {2}([\w-]+):\n((?: {4}.*\n|\n)*)/gm)].flatMap(([, name, body]) =>
      [...body.matchAll(/^ {6}- '([^']+)'$/gm)].filter(() => /^ {4}ports:$/m.test(body)).map((m) => `${name} ${m[1]}`),
    );
    expect(published.sort()).toEqual([
      'balancer 3000:3000',
      'mail 127.0.0.1:1080:1080',
      'temporal-ui 127.0.0.1:8080:8080',
    ]);
  });
});

describe('the bootstrap admin key must be long and varied', () => {
  test.each([
    ['a placeholder', 'changeme'],
    ['a phrase a person chose', 'my-shop-admin-2026'],
    ['long but one character', 'a'.repeat(64)],
    ['long but few characters', 'abcabcabcabcabcabcabcabcabcabcabcabc'],
    ['31 random characters', crypto.randomBytes(24).toString('base64url').slice(0, 31)],
  ])('%s is refused at start, without quoting it', (_name, key) => {
    const start = () => loadConfig({ OMS_BOOTSTRAP_ADMIN_KEY: key });
    expect(start).toThrow(/^OMS_BOOTSTRAP_ADMIN_KEY: too weak: use at least 32 characters with at least 10 different/);
    expect(start).not.toThrow(key);
  });

  test.each([
    ['the key npm start generates', `oms_dev_${crypto.randomBytes(18).toString('base64url')}`],
    ['the tests\u2019 key', `oms_test_${crypto.randomBytes(12).toString('hex')}`],
    ['openssl rand -base64 32', crypto.randomBytes(32).toString('base64')],
    ['openssl rand -hex 16', crypto.randomBytes(16).toString('hex')],
  ])('%s passes', (_name, key) => {
    expect(loadConfig({ OMS_BOOTSTRAP_ADMIN_KEY: key }).bootstrapAdminKey).toBe(key);
  });

  test('unset stays unset (npm start then generates one)', () => {
    expect(loadConfig({}).bootstrapAdminKey).toBeUndefined();
  });
});

describe('local state is the owner\u2019s only, whatever the umask', () => {
  const mode = (file: string) => fs.statSync(file).mode & 0o777;
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-modes-'));
    umask = process.umask(0); // the most permissive: every file would be world-readable
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('folders are made 0700 and files 0600', () => {
    privateDir(path.join(dir, 'data', 'maildev'));
    privateFile(path.join(dir, 'data', 'logs', 'api.log'));
    expect(mode(path.join(dir, 'data'))).toBe(0o700);
    expect(mode(path.join(dir, 'data', 'maildev'))).toBe(0o700);
    expect(mode(path.join(dir, 'data', 'logs'))).toBe(0o700);
    expect(mode(path.join(dir, 'data', 'logs', 'api.log'))).toBe(0o600);
  });

  test("a data folder an older version left open is tightened: its files, and its subfolders' files", () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(path.join(data, 'maildev'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(data, 'oms.db'), '', { mode: 0o644 });
    fs.writeFileSync(path.join(data, 'maildev', 'mail.eml'), 'To: anna@example.com', { mode: 0o644 });
    tightenTree(data);
    expect([data, path.join(data, 'maildev')].map(mode)).toEqual([0o700, 0o700]);
    expect([path.join(data, 'oms.db'), path.join(data, 'maildev', 'mail.eml')].map(mode)).toEqual([0o600, 0o600]);
  });

  test('the SQLite database and its WAL files are 0600 from their creation', async () => {
    const file = path.join(dir, 'data', 'oms.db');
    await migrate(`file:${file}`);
    // While a process has it open (WAL), SQLite keeps -wal and -shm beside it: they take the database file's mode.
    const open = new Database(file);
    try {
      open.exec('CREATE TABLE probe (x); INSERT INTO probe VALUES (1)');
      const made = fs.readdirSync(path.dirname(file)).filter((name) => name.startsWith('oms.db'));
      expect(made.sort()).toEqual(['oms.db', 'oms.db-shm', 'oms.db-wal']);
      for (const name of made)
        expect({ name, mode: mode(path.join(dir, 'data', name)) }).toEqual({ name, mode: 0o600 });
    } finally {
      open.close();
    }
    expect(mode(path.join(dir, 'data'))).toBe(0o700);
  });
});
