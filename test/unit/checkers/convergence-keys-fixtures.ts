/**
 * Small hand-made runs of a per-key store (Dynamo) for the convergence checker's tests: a
 * kv-context history of puts and gets, the writes coordinators gave dots, and each key's home
 * replicas, built so each test changes one thing (a home replica behind, a sibling lost, a write
 * last-writer-wins dropped).
 */
import type { Operation, OpOutcome } from '../../../src/core/history.js';
import type {
  KeyedReplicaSet,
  KeyedWrite,
  KeyReplica,
  VersionEntries,
} from '../../../src/core/replica-set.js';

let nextId = 0;

/** A put by `client`, carrying the context its client read (`n1:3` entries). */
export function put(
  client: string,
  key: string,
  value: string,
  outcome: OpOutcome,
  context: readonly string[] = [],
): Operation {
  const id = nextId++;
  return {
    id,
    client,
    f: 'put',
    input: { f: 'put', key, value, context },
    output: outcome === 'ok' ? { context } : undefined,
    invokeUs: id * 10,
    completeUs: outcome === 'info' ? undefined : id * 10 + 5,
    outcome,
    phase: 'faulty',
    node: 'n1',
  };
}

/** An ok get by `client` that showed `values` with `context`. */
export function get(
  client: string,
  key: string,
  values: readonly string[],
  context: readonly string[],
): Operation {
  const id = nextId++;
  return {
    id,
    client,
    f: 'get',
    input: { f: 'get', key },
    output: { values, context },
    invokeUs: id * 10,
    completeUs: id * 10 + 5,
    outcome: 'ok',
    phase: 'faulty',
    node: 'n1',
  };
}

const entries = (context: readonly string[]): VersionEntries =>
  context.map((e) => [e.slice(0, e.lastIndexOf(':')), Number(e.slice(e.lastIndexOf(':') + 1))]);

/** The write a coordinator made for a put: its dot, with the context its client read. */
export function wrote(op: Operation, dot: string): KeyedWrite {
  const input = op.input as { key: string; value: string; context: readonly string[] };
  return { key: input.key, opId: op.id, dot, value: input.value, context: entries(input.context) };
}

/** A home replica keeping `versions` (`[dot, value]`), hashed by them. */
export function home(
  node: string,
  versions: readonly (readonly [string, string])[],
  up = true,
): KeyReplica {
  const hash = up ? versions.map(([d, v]) => `${d}=${v}`).join(',') : '';
  return { node, up, hash, versions, changedAtUs: 100 };
}

export function keyed(
  resolution: string,
  writes: readonly KeyedWrite[],
  keys: Readonly<Record<string, readonly KeyReplica[]>>,
): KeyedReplicaSet {
  return {
    kind: 'per-key',
    resolution,
    keys: Object.entries(keys).map(([key, homes]) => ({ key, homes })),
    writes,
  };
}
