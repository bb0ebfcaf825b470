/**
 * Porcupine v1.3.0 on the same machine, for `npm run bench:lin -- --vs-porcupine`: runs
 * ../shared/tools/porcupine/check.sh (Porcupine's own parsers and models, its CheckEventsTimeout,
 * parsing excluded; it builds the Go test binary once and caches it outside the repository) on a
 * set of files, several times, and keeps each file's median check time and its verdict. Absolute
 * times differ between machines; only ratios measured in one run on one machine mean anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

export interface PorcupineResult {
  readonly verdict: 'ok' | 'violation' | 'unknown';
  /** Median check time over the runs, in milliseconds. */
  readonly ms: number;
}

const VERDICTS: Record<string, PorcupineResult['verdict']> = {
  linearizable: 'ok',
  'not-linearizable': 'violation',
  unknown: 'unknown',
};

/** Why Porcupine cannot run here, or undefined when it can. */
export function porcupineMissing(script: string): string | undefined {
  if (!existsSync(script)) return `${script} not found`;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0)
    return 'Go is not installed (apt-get update && apt-get install -y golang-go)';
  return undefined;
}

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Porcupine's verdict and median check time per file (by base name), `runs` runs of the whole
 * set; `model` is check.sh's: `etcd` (a CAS register over Jepsen etcd logs) or `kv`.
 */
export function runPorcupine(
  script: string,
  model: 'etcd' | 'kv',
  files: readonly string[],
  runs: number,
  timeoutS = 20,
): Map<string, PorcupineResult> {
  const samples = new Map<string, { verdict: string; ms: number[] }>();
  for (let r = 0; r < runs; r++) {
    const out = spawnSync('bash', [script, model, ...files], {
      encoding: 'utf8',
      env: { ...process.env, PORCUPINE_TIMEOUT: String(timeoutS) },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`${script} failed: ${out.stderr || out.stdout}`);
    for (const line of out.stdout.split('\n')) {
      const m = /^(\S+) (linearizable|not-linearizable|unknown) ([\d.]+)$/.exec(line);
      if (m === null) continue;
      const entry = samples.get(m[1] as string) ?? { verdict: m[2] as string, ms: [] };
      entry.ms.push(Number(m[3]) * 1000);
      samples.set(m[1] as string, entry);
    }
  }
  const results = new Map<string, PorcupineResult>();
  for (const f of files) {
    const s = samples.get(basename(f));
    if (s !== undefined)
      results.set(basename(f), { verdict: VERDICTS[s.verdict] ?? 'unknown', ms: median(s.ms) });
  }
  return results;
}
