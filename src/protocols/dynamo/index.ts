/**
 * The dynamo protocol's definition: options (N, W, R, the ring, conflict resolution, sloppy
 * quorum, read repair), the workload it serves, named bugs with their canaries, and how to build
 * it. Options that cannot work together are refused with the field, the allowed values and a fix:
 * W or R above N, N above the cluster's nodes, and a resolution the workload cannot use.
 */
import { z } from 'zod';
import type { OptionsMisfit, ProtocolDefinition } from '../../core/protocol-definition.js';
import { oneOf } from '../../options/messages.js';
import { intSchema } from '../../options/units.js';
import { createDynamo } from './dynamo.js';
import { type DynamoOptions, type QuorumSpec, quorumSize } from './dynamo-config.js';
import { DYNAMO_COVERAGE, DYNAMO_NAMED_BUGS } from './named-bugs.js';
import { CRDT_TYPES } from './crdt-values.js';
import { checkResolution } from './resolution-fit.js';
import { RESOLUTIONS } from './versions.js';

const QUORUM_NAMES = ['one', 'quorum', 'all'] as const;
const QUORUM_HINT = `expected one of ${QUORUM_NAMES.join(', ')} or a whole number from 1 to 64`;

const quorumSchema = (what: string, dflt: QuorumSpec) =>
  z
    .union([z.enum(QUORUM_NAMES), intSchema(1, 64)], { error: oneOf(what, [...QUORUM_NAMES]) })
    .default(dflt)
    .describe(`${what}: ${QUORUM_HINT} (default ${dflt})`);

const optionsSchema = z.strictObject({
  n: intSchema(1, 64)
    .default(3)
    .describe('replicas per key: the preference list’s length (default 3)'),
  w: quorumSchema('write quorum', 'quorum'),
  r: quorumSchema('read quorum', 'quorum'),
  vnodes: intSchema(1, 1024)
    .default(8)
    .describe('tokens (virtual nodes) per node on the ring (default 8)'),
  resolution: z
    .enum(RESOLUTIONS as readonly [string, ...string[]], {
      error: oneOf('resolution', RESOLUTIONS),
    })
    .default('siblings')
    .describe(
      'siblings: concurrent versions are all kept and returned; lww-hlc / lww-wall: the greatest timestamp wins, by hybrid logical clock or by the coordinator’s wall clock; crdt: a key’s value is a CRDT state (crdtType) that replicas merge, for the counter and set workloads (default siblings)',
    ),
  crdtType: z
    .enum(CRDT_TYPES, { error: oneOf('crdtType', CRDT_TYPES) })
    .optional()
    .describe(
      'under resolution: crdt, the type of every key’s value: pn-counter for the counter workload, or-set for the set workload',
    ),
  sloppyQuorum: z
    .boolean()
    .default(false)
    .describe('stand fallbacks in for silent home nodes, with hints (default false)'),
  readRepair: z
    .boolean()
    .default(true)
    .describe('ship resolved versions back to stale replicas on a get (default true)'),
  fallbackAfterMs: intSchema(1, 10_000)
    .default(20)
    .describe(
      'how long a coordinator waits for home nodes before it asks fallbacks, in ms (default 20)',
    ),
  handoffIntervalMs: intSchema(1, 10_000)
    .default(50)
    .describe('how often a fallback offers its hints to their home nodes, in ms (default 50)'),
  antiEntropyMs: intSchema(0, 60_000)
    .default(0)
    .describe(
      'how often a node compares Merkle trees with a random peer, in ms; 0 for never (default 0)',
    ),
  requestTimeoutMs: intSchema(1, 60_000)
    .default(150)
    .describe(
      'how long a coordinator waits for a quorum before it gives a request up, in ms (default 150)',
    ),
});

/** W and R against N, and N against the cluster: each misfit with its field and a fix. */
function checkFit(
  options: DynamoOptions,
  cluster: { readonly nodes: number },
): OptionsMisfit | undefined {
  const { n } = options;
  if (n > cluster.nodes)
    return {
      path: ['n'],
      message: `n is ${n} but the ring has ${cluster.nodes} nodes: a preference list needs n distinct nodes; expected n from 1 to ${cluster.nodes}, or set cluster.nodes to at least ${n}`,
    };
  for (const field of ['w', 'r'] as const) {
    const q = options[field];
    if (quorumSize(q, n) <= n) continue;
    return {
      path: [field],
      message: `${field} is ${q}, more than n (${n}) replicas: no request could ever reach it; expected one of ${QUORUM_NAMES.join(', ')} or a number from 1 to ${n} (did you mean all?)`,
    };
  }
  return undefined;
}

export const dynamo: ProtocolDefinition<DynamoOptions> = {
  name: 'dynamo',
  summary:
    'A Dynamo-style key-value store: a consistent-hash ring with a preference list of N per key, W/R quorums, sloppy quorum with hinted handoff, read repair, Merkle-tree anti-entropy, versions as dotted version vectors resolved as siblings or last-writer-wins.',
  workloads: ['kv-context', 'counter', 'set'],
  bugs: DYNAMO_NAMED_BUGS,
  coverage: DYNAMO_COVERAGE,
  optionsSchema: optionsSchema as z.ZodType<DynamoOptions>,
  checkWorkload: (options, workload, cluster) =>
    checkFit(options, cluster) ?? checkResolution(options, workload),
  create: ({ options, bugs, nodes }) => createDynamo(options, bugs, nodes),
};
