/**
 * The kv-store's run metrics: recovery time in virtual time, WAL records replayed, bytes written
 * against user bytes, bloom false positives, from a real run of lsm-power-loss; and counts print
 * as counts, not durations.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KV_MARKS } from '../../../../src/protocols/kv-store/kv-store.js';
import { StorageMetrics } from '../../../../src/protocols/kv-store/storage-metrics.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

describe('kv-store storage metrics', () => {
  it('joins restarts to first replies and sums the flush counters', () => {
    const m = new StorageMetrics();
    m.nodeRestarted('n1', 1_000);
    m.mark('n1', KV_MARKS.recovered, 12, 1_000);
    m.mark('n1', KV_MARKS.serving, undefined, 4_500);
    m.mark('n1', KV_MARKS.userBytes, 100, 5_000);
    m.mark('n1', KV_MARKS.bytesWritten, 250, 5_000);
    m.mark('n1', KV_MARKS.bloomFalsePositives, 2, 5_000);
    m.mark('n1', KV_MARKS.userBytes, 100, 9_000);
    m.mark('n1', KV_MARKS.bytesWritten, 150, 9_000);
    const r = m.result();
    expect(r.recovery?.p50Us).toBe(3_500);
    expect(r.walReplay).toMatchObject({ unit: 'count', p50Us: 12, count: 1 });
    expect(r.writeAmplification).toMatchObject({ unit: 'count', maxUs: 200 });
    expect(r.bloomFalsePositives?.maxUs).toBe(2);
  });

  it('a power-loss run reports them', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/lsm-power-loss.yaml'));
    const { metrics } = runSeed(scenario, 1).result;
    expect(Object.keys(metrics)).toEqual([
      'recovery',
      'walReplay',
      'bytesWritten',
      'userBytes',
      'writeAmplification',
      'bloomFalsePositives',
    ]);
    expect(metrics.recovery?.count).toBeGreaterThan(0);
    expect(metrics.writeAmplification?.maxUs).toBeGreaterThan(100);
  });
});
