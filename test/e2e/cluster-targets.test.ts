/**
 * A cluster run prints issue 16's four targets with their thresholds and whether the run met
 * them (cluster-metrics.ts), and the placement checker's line: the printed form a reader of the
 * README sees, pinned on seed 1 of the crash scenario (one storage node dead for 3 s).
 */
import { describe, expect, it } from 'vitest';
import { faultline, show, useTempDirs } from './cli.js';

const temp = useTempDirs();
const TIME = /^\d+(\.\d+)?(us|ms|s)$/;

describe('a cluster run', () => {
  it('prints the four targets against their thresholds, and the placement check', async () => {
    const r = await faultline([
      'run',
      'scenarios/cluster-crash.yaml',
      '--seed',
      '1',
      '--out',
      temp(),
    ]);
    expect(r.code, show(r)).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('metrics (virtual time):')) ?? '';
    const targets = [
      ['failure detection', '', '5s'],
      ['recovery per shard', '', '10s'],
      ['replication lag', ' p99', '100ms'],
      ['failover', '', '30s'],
    ] as const;
    for (const [name, on, limit] of targets) {
      const m = new RegExp(
        `${name} \\([^)]*\\) (?:p50 (\\S+) p99 (\\S+) max (\\S+) \\(n=\\d+\\)|(\\S+) \\(n=1\\)) \\(target${on} < ${limit}: met\\)`,
      ).exec(line);
      expect(m, `${name} in ${line}`).not.toBeNull();
      for (const t of m?.slice(1) ?? []) if (t !== undefined) expect(t).toMatch(TIME);
    }
    expect(r.stdout).toMatch(
      /^ {4}placement +ok +16 shards never below 2 live replicas longer than 10s \(longest \S+\), \d+ configurations spread over zones with room, never without a primary longer than 30s \(longest \S+\)$/m,
    );
  });
});
