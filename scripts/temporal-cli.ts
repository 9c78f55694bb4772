/**
 * Finds the Temporal CLI (whose `server start-dev` is the embedded Temporal server), building it once
 * with `go install` into a cache outside the clone. Order: TEMPORAL_CLI_PATH, `temporal` on PATH,
 * the cache, then a build. Pinned so every machine runs the same server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export function toolsDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.OMS_TOOLS_DIR || path.join(cacheHome, 'shop-oms', 'tools');
}

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export class MissingToolError extends Error {}

/**
 * `go install module@version`, its binary `built` renamed to `binary`. Built in a private folder and renamed, so a
 * concurrent or interrupted build never leaves half a binary.
 */
export function goInstall(go: string, module: string, built: string, binary: string): void {
  fs.mkdirSync(toolsDir(), { recursive: true });
  const staging = fs.mkdtempSync(path.join(toolsDir(), '.build-'));
  try {
    const result = spawnSync(go, ['install', module], {
      env: { ...process.env, GOBIN: staging, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) throw new MissingToolError(`go install ${module} failed (exit ${result.status})`);
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    fs.renameSync(path.join(staging, built), binary);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export function ensureTemporalCli(log: (line: string) => void = console.log): string {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit))
      throw new MissingToolError(`TEMPORAL_CLI_PATH points to ${explicit}, which does not exist`);
    return explicit;
  }
  const installed = onPath('temporal');
  if (installed) return installed;

  const dir = path.join(toolsDir(), `temporal-${TEMPORAL_CLI_VERSION}`);
  const binary = path.join(dir, 'temporal');
  if (fs.existsSync(binary)) return binary;

  const go = onPath('go');
  if (!go) {
    throw new MissingToolError(
      [
        'Shop OMS needs the Temporal CLI to run its embedded Temporal server, and neither it nor Go was found.',
        'Do one of these, then run the command again:',
        '  - install Go 1.24 or newer (https://go.dev/dl/): the CLI is then built once, automatically;',
        `  - install the Temporal CLI v${TEMPORAL_CLI_VERSION} and put \`temporal\` on PATH, or set TEMPORAL_CLI_PATH to it;`,
        '  - or set TEMPORAL_ADDRESS to an existing Temporal cluster.',
      ].join('\n'),
    );
  }
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go into ${dir} (first run only; a few minutes)...`);
  goInstall(go, MODULE, 'temporal', binary);
  log(`Temporal CLI ready: ${execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()}`);
  return binary;
}

if (require.main === module) {
  try {
    console.log(`Temporal CLI: ${ensureTemporalCli()}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
