/**
 * A put given up that no replica took, coordinated by a node outside the key's preference list,
 * stays behind as durable hints for every home node (hinted-handoff.ts), so handoff delivers it
 * instead of leaving it where no anti-entropy round looks (dynamo-crdt-counter seed 5354). A
 * coordinator that is a home node, or a put some replica took, needs none.
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import type { NodeContext } from '../../../../src/core/protocol.js';
import {
  createDynamoConfig,
  type DynamoOptions,
} from '../../../../src/protocols/dynamo/dynamo-config.js';
import {
  type DynamoEffect,
  freshState,
  hinted,
  type PendingPut,
} from '../../../../src/protocols/dynamo/dynamo-state.js';
import { dynamo } from '../../../../src/protocols/dynamo/index.js';
import { keepStrandedWrite } from '../../../../src/protocols/dynamo/hinted-handoff.js';
import { writeVersion } from '../../../../src/protocols/dynamo/versions.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const options = dynamo.optionsSchema?.parse({ n: 3 }) as DynamoOptions;
const cfg = createDynamoConfig(options, new Set(), NODES);

/** A key whose preference list leaves `node` out (or takes it in). */
function keyFor(node: string, home: boolean): string {
  for (let i = 0; ; i++) {
    const key = `k${i}`;
    if (cfg.ring.preferenceList(key, cfg.n).includes(node) === home) return key;
  }
}

function pendingPut(node: string, key: string, acks: readonly string[]): PendingPut {
  const write = { node, context: VectorClock.EMPTY, value: 'v', ts: { l: 0, c: 0 } };
  const { versions, version } = writeVersion(cfg.resolver, [], write);
  const put = { rid: 1, requestId: 1, seq: 1, key, version, versions, replied: false };
  return { ...put, acks: new Set(acks), fallbacks: new Set() };
}

function strand(node: string, key: string, acks: readonly string[]) {
  const s = freshState({ node } as NodeContext);
  const fx: DynamoEffect[] = [];
  const put = pendingPut(node, key, acks);
  keepStrandedWrite(cfg, s, put, fx);
  return { s, fx, put };
}

describe('a stranded write', () => {
  it('is hinted, durably, for every home node when no replica took it', () => {
    const key = keyFor('n1', false);
    const { s, fx, put } = strand('n1', key, []);
    const homes = cfg.ring.preferenceList(key, cfg.n);
    for (const home of homes) expect(hinted(s.workingHints, home, key)).toEqual(put.versions);
    expect(fx.some((e) => e.type === 'diskWrite')).toBe(true);
    expect(s.unsynced[0]?.records.map((r) => r.t)).toEqual(['h', 'h', 'h']);
  });

  it('needs no hint when a replica took it', () => {
    const key = keyFor('n1', false);
    const home = cfg.ring.preferenceList(key, cfg.n)[0] as string;
    const { s, fx } = strand('n1', key, [home]);
    expect(s.workingHints.size).toBe(0);
    expect(fx).toEqual([]);
  });

  it('needs no hint when its coordinator is a home node', () => {
    const key = keyFor('n1', true);
    const { s, fx } = strand('n1', key, ['n1']);
    expect(s.workingHints.size).toBe(0);
    expect(fx).toEqual([]);
  });
});
