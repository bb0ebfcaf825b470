/**
 * The README's TypeScript example of a protocol of one's own, run as written (the README block
 * is this file from its first import on, importing from 'faultline'; test/e2e/readme.test.ts
 * keeps the two the same). It needs `Protocol` without type arguments, and `parseScenario`'s
 * result as it is: `{ ok: true, scenario }` or `{ ok: false, errors }`.
 */
// readme: typed-protocol
import { expect, it } from 'vitest';
import {
  formatScenarioError,
  parseScenario,
  runSeed,
  type ClientRequest,
  type KvInput,
  type NodeContext,
  type Protocol,
  type ProtocolDefinition,
} from 'faultline';

type Store = Map<string, string>;

function apply(kv: Store, op: KvInput): string | null {
  if (op.f === 'put') kv.set(op.key, op.value);
  if (op.f === 'append') kv.set(op.key, `${kv.get(op.key) ?? ''} ${op.value}`.trim());
  return kv.get(op.key) ?? null;
}

// Protocol's state and message types default to unknown, its client operations to the kv
// workload's: each handler names the types it uses.
const gossip: Protocol = {
  name: 'typed-gossip',
  init: () => ({ state: new Map(), effects: [] }),
  onRecover: () => ({ state: new Map(), effects: [] }),
  onRequest(kv: Store, req: ClientRequest<KvInput>, ctx: NodeContext) {
    const value = apply(kv, req.op);
    const tell = req.op.f === 'get' ? [] : ctx.peers;
    return {
      state: kv,
      effects: [
        ...tell.map((to) => ({ type: 'send' as const, to, msg: req.op })),
        { type: 'reply', requestId: req.id, outcome: { type: 'ok', value } },
      ],
    };
  },
  onMessage(kv: Store, _from, op: KvInput) {
    apply(kv, op);
    return { state: kv, effects: [] };
  },
  onTimer: (kv) => ({ state: kv, effects: [] }),
  onDiskDone: (kv) => ({ state: kv, effects: [] }),
};

const definition: ProtocolDefinition = {
  name: 'typed-gossip',
  summary: 'apply locally, acknowledge at once, tell every peer once',
  workloads: ['kv'],
  bugs: [],
  create: () => gossip,
};

const text = `
protocol: ./typed-gossip.js
cluster: { nodes: 3 }
workload: { type: kv, clients: 2, keys: 2, mix: { get: 1, put: 0, append: 2 } }
phases: { faulty: 1s, healed: 500ms, final: 1s }
checkers: [durability, liveness]
`;

it('a protocol written in TypeScript runs from a scenario', () => {
  const parsed = parseScenario(text, 'gossip.yaml', {
    protocolModules: new Map([['./typed-gossip.js', definition]]),
  });
  if (!parsed.ok) throw new Error(parsed.errors.map(formatScenarioError).join('\n'));
  const { result } = runSeed(parsed.scenario, 1);
  expect(result.checks.map((c) => `${c.checker} ${c.verdict}`)).toEqual([
    'durability ok',
    'liveness ok',
  ]);
});
