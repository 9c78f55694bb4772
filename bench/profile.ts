/**
 * Summarises the CPU profiles `--profile` collects (bench/profile-preload.cjs): where a process's busy time went,
 * by package. A sample is charged to the nearest package or app folder on its stack, so Node's own functions,
 * native code and WebAssembly count for whoever called them (Prisma's query compiler is Wasm called by
 * @prisma/client); what no package called stays "node (event loop, I/O)".
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled seconds that were not idle. */
  busySeconds: number;
  areas: { name: string; seconds: number; share: number }[];
  functions: { name: string; seconds: number; share: number }[];
}

const SPECIAL: Record<string, string> = {
  '(idle)': '(idle)',
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 (program)',
};

function ownArea(url: string): string | undefined {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const app =
    /^(?:file:\/\/)?\/.*?\/(api|activities|access|bench|carriers|db|domain|inventory|lib|mail|orders|payments|worker|workflows)\//.exec(
      url,
    );
  return app ? `app: ${app[1]}/` : undefined;
}

const wasm = (area: string) => (area.endsWith(' (Wasm)') ? area : `${area} (Wasm)`);

export function summariseProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const areaCache = new Map<number, string>();
  const areaOf = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached) return cached;
    const { functionName, url } = byId.get(id)!.callFrame;
    const parent = parentOf.get(id);
    const caller = () =>
      parent === undefined || byId.get(parent)!.callFrame.functionName === '(root)'
        ? 'node (event loop, I/O)'
        : areaOf(parent);
    const area = SPECIAL[functionName] ?? ownArea(url) ?? (url.startsWith('wasm://') ? wasm(caller()) : caller());
    areaCache.set(id, area);
    return area;
  };

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const area = areaOf(id);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    if (area === '(idle)') return;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? ` (${url.split('/').slice(-2).join('/')}:${lineNumber + 1})` : '';
    const name = `${functionName || '(anonymous)'}${where} [${area}]`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  });
  const busy = [...areas].filter(([name]) => name !== '(idle)').reduce((sum, [, micros]) => sum + micros, 0);
  const ranked = (entries: Map<string, number>) =>
    [...entries]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({
        name,
        seconds: Math.round(micros / 1e4) / 100,
        share: Math.round((micros / busy) * 1000) / 10,
      }));
  return { busySeconds: Math.round(busy / 1e4) / 100, areas: ranked(areas), functions: ranked(functions) };
}
