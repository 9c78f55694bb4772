#!/usr/bin/env node
// Runs before `npm start` and `npm test` (prestart/pretest): installs npm packages when they are
// missing and generates the Prisma clients when the schema changed, so both commands work on a fresh clone.
// Plain JavaScript on purpose: it runs before TypeScript tooling is installed.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!fs.existsSync(installed) || mtime(lock) > mtime(installed)) {
  console.log('Installing npm packages...');
  // `npm install`, not `npm ci`: this machine's registry lacks other platforms' optional packages
  // (e.g. @swc/core-darwin-arm64), which `npm ci` insists on finding in the lock file.
  run('npm', ['install', '--no-audit', '--no-fund']);
}

// The CLI needs a DATABASE_URL of the right kind to load its config; nothing connects during generate.
const urls = { sqlite: 'file:./data/oms.db', postgresql: 'postgresql://localhost:5432/generate' };
// Prisma 7's CLI looks for its Rust schema engine on every command and downloads it when missing, which fails
// offline; generate never runs it, so any existing file will do (migrations are applied by db/migrate.ts instead).
const schemaEngine = process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath;
for (const provider of Object.keys(urls)) {
  const schema = path.join(root, 'prisma', provider, 'schema.prisma');
  const client = path.join(root, 'generated', 'prisma', provider, 'client.ts');
  if (mtime(client) < mtime(schema)) {
    // Prisma 7's own entry point, not node_modules/.bin/prisma: the pinned Prisma 6 CLI (`prisma-6`, for migration
    // diffs only) has a bin of the same name, and which of the two npm links there is not fixed.
    run(
      process.execPath,
      [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schema],
      {
        DATABASE_URL: urls[provider],
        PRISMA_SCHEMA_ENGINE_BINARY: schemaEngine,
      },
    );
  }
}

// The staff console (console/, served at / by the API): built with Vite when console/dist/index.html is missing or
// older than any of its sources, the domain rules it imports (domain/), or the package lock. A stat walk when fresh.
const consoleDir = path.join(root, 'console');
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const file = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : mtime(file));
  }
  return latest;
}
if (fs.existsSync(consoleDir)) {
  const sources = Math.max(newest(consoleDir), newest(path.join(root, 'domain')), mtime(lock));
  if (mtime(path.join(consoleDir, 'dist', 'index.html')) < sources) {
    console.log('Building the staff console...');
    run(path.join(root, 'node_modules', '.bin', 'vite'), ['build', 'console', '--logLevel', 'warn']);
  }
}
