/** Durations in configuration: a whole number and a unit, e.g. `5s`, `10m`, `2h`, `7d`. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!match) {
    throw new Error(`"${text}" is not a duration: use a whole number and a unit, e.g. 5s, 10m, 2h or 7d`);
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
