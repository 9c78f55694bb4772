/**
 * The production Temporal parts a cluster runs, built once with `go install` into the same cache as the CLI
 * (scripts/temporal-cli.ts), pinned: the Temporal server, its schema tool and the Web UI server. The versions are
 * the ones the pinned CLI embeds, so the server a cluster runs is the one every test already runs, and most of the
 * Go build is already in the build cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { goInstall, MissingToolError, onPath, toolsDir } from './temporal-cli';

export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_UI_SERVER_VERSION = '2.42.1';

interface ClusterTool {
  /** The binary's name in the cache. */
  name: string;
  module: string;
  /** The name `go install` gives the binary (its package folder's). */
  built: string;
  version: string;
}

const TOOLS = {
  server: {
    name: 'temporal-server',
    module: 'go.temporal.io/server/cmd/server',
    built: 'server',
    version: TEMPORAL_SERVER_VERSION,
  },
  sqlTool: {
    name: 'temporal-sql-tool',
    module: 'go.temporal.io/server/cmd/tools/sql',
    built: 'sql',
    version: TEMPORAL_SERVER_VERSION,
  },
  uiServer: {
    name: 'temporal-ui-server',
    module: 'github.com/temporalio/ui-server/v2/cmd/server',
    built: 'server',
    version: TEMPORAL_UI_SERVER_VERSION,
  },
} satisfies Record<string, ClusterTool>;

export type ClusterTools = Record<keyof typeof TOOLS, string>;

function ensureTool(tool: ClusterTool, log: (line: string) => void): string {
  const binary = path.join(toolsDir(), `${tool.name}-${tool.version}`, tool.name);
  if (fs.existsSync(binary)) return binary;
  const go = onPath('go');
  if (!go)
    throw new MissingToolError(
      `A cluster needs ${tool.name} v${tool.version}, built with Go: install Go 1.24 or newer`,
    );
  log(`Building ${tool.name} v${tool.version} with Go into ${path.dirname(binary)} (first run only; a few minutes)...`);
  goInstall(go, `${tool.module}@v${tool.version}`, tool.built, binary);
  return binary;
}

/** The three binaries, built where missing (one at a time: the machine has two cores). */
export function ensureClusterTools(log: (line: string) => void = console.log): ClusterTools {
  return {
    server: ensureTool(TOOLS.server, log),
    sqlTool: ensureTool(TOOLS.sqlTool, log),
    uiServer: ensureTool(TOOLS.uiServer, log),
  };
}

if (require.main === module) {
  try {
    for (const [what, binary] of Object.entries(ensureClusterTools())) console.log(`${what}: ${binary}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
