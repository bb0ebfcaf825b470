/**
 * (f) Start-up: how long `faultline --version` and `faultline check` of a small history take as
 * a user runs them (a fresh `node dist/cli/main.js` process), against a bare `node -e 0` start
 * measured in the same run. The three are spawned in turn, round after round, so load on the
 * machine falls on all of them alike; each figure is the median of its rounds. The target is
 * the difference, not the ratio: a CLI within 0.15 s of a bare node start feels instant.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
/** A faultline history of four operations, checked for linearizability. */
const SMALL_HISTORY = fileURLToPath(
  new URL('../../test/fixtures/lin/kv-history.json', import.meta.url),
);

export const STARTUP_TARGET_MS = 150;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'node -e 0 (bare start)', args: ['-e', '0'] },
  { name: 'faultline --version', args: [MAIN, '--version'] },
  { name: 'faultline check <4-operation history.json>', args: [MAIN, 'check', SMALL_HISTORY] },
];

export interface StartupFigure {
  readonly name: string;
  readonly medianMs: number;
  /** Milliseconds above the bare start's median. */
  readonly overBareMs: number;
  /** Median over the bare start's median. */
  readonly ratio: number;
  readonly runsMs: readonly number[];
}

function timeOnce(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench f: node ${args.join(' ')} exited ${r.status}`);
  return ms;
}

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export function startupFigures(rounds: number): StartupFigure[] {
  for (const c of CASES) timeOnce(c.args); // warm the file cache
  const times = CASES.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++)
    for (const [k, c] of CASES.entries()) times[k]?.push(timeOnce(c.args));
  const bare = median(times[0] as number[]);
  return CASES.map((c, k) => {
    const runs = times[k] as number[];
    const m = median(runs);
    return {
      name: c.name,
      medianMs: Math.round(m),
      overBareMs: Math.round(m - bare),
      ratio: Number((m / bare).toFixed(2)),
      runsMs: runs.map(Math.round),
    };
  });
}
