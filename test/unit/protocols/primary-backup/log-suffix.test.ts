/**
 * Catching a node's files up from another's (log-suffix.ts): a lagging backup's files extended
 * by the entries after its last one recover to the same log as the up-to-date node's; a log
 * that does not hold the asker's last entry (a diverged suffix) offers no suffix.
 */
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../../src/protocols/primary-backup/messages.js';
import {
  extendWal,
  lastLogPosition,
  walSuffix,
} from '../../../../src/protocols/primary-backup/log-suffix.js';
import { createPrimaryBackup } from '../../../../src/protocols/primary-backup/primary-backup.js';
import { boot, settle, testContext } from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const p = createPrimaryBackup(
  { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 },
  new Set(),
  nodes,
);
const entries = (from: number, to: number, epoch: number): Entry[] => {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++)
    out.push({ epoch, index: i, cmd: { f: 'append', key: 'k', value: `v${i}` } });
  return out;
};

/** Node `node`'s files after it stored `es` from primary n1. */
function filesAfter(node: string, es: Entry[]) {
  const c = testContext(node, nodes);
  const s = boot(p, c);
  const first = es[0] as Entry;
  settle(
    p,
    c,
    p.onMessage(
      s,
      'n1',
      {
        type: 'Replicate',
        epoch: first.epoch,
        prevIndex: 0,
        prevEpoch: 0,
        entries: es,
        commitIndex: 0,
      },
      c,
    ),
  );
  return c.disk.list().map((name) => {
    const r = c.disk.read(name);
    if (!r.ok) throw new Error(name);
    return { name, data: r.data };
  });
}

describe('catching files up by log suffix', () => {
  it('a lagging node extended by the suffix recovers the up-to-date log', () => {
    const behind = filesAfter('n2', entries(1, 5, 1));
    const ahead = filesAfter('n3', entries(1, 12, 1));
    const at = lastLogPosition(behind);
    expect(at).toEqual({ index: 5, epoch: 1 });
    const suffix = walSuffix(ahead, at);
    expect(suffix).toBeDefined();
    const extended = extendWal(behind, suffix as Uint8Array);
    expect(lastLogPosition(extended)).toEqual({ index: 12, epoch: 1 });
    const c = testContext('n2', nodes);
    for (const f of extended) c.disk.write(f.name, 0, f.data);
    expect(p.onRecover(c).state.log).toEqual(entries(1, 12, 1));
    // Fewer bytes than the whole log.
    const wal = ahead.find((f) => f.name === 'wal')?.data.length ?? 0;
    expect((suffix as Uint8Array).length).toBeLessThan(wal);
  });

  it('offers no suffix when its log does not hold the asker’s last entry', () => {
    const ahead = filesAfter('n3', entries(1, 12, 1));
    expect(walSuffix(ahead, { index: 5, epoch: 2 })).toBeUndefined();
    expect(walSuffix(ahead, { index: 13, epoch: 1 })).toBeUndefined();
    expect(walSuffix(ahead, { index: 0, epoch: 0 })).toBeDefined();
  });
});
