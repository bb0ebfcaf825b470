/**
 * The marks a replicated cluster emits so the `placement` checker can judge it from outside
 * (checkers/placement.ts): where each storage node sits, each configuration a manager proposed
 * with the nodes it then counted live, each configuration that took effect, and on each
 * storage node which shard groups run and which of them lead. A mark carries one number, so
 * the facts are in the name after the prefix, space-separated; this file writes and reads them,
 * and is the one place both sides agree on.
 */
import { groupNamespace, parseNamespace } from './configuration-id.js';
import type { NodeId } from './ids.js';

export const PLACEMENT_MARK_PREFIX = 'cluster.';

/** A storage node booted, in `zone`; the value is how many replicas it may hold. */
const STORAGE_NODE = 'cluster.storage-node';
/** A manager proposed configuration `s<shard>e<epoch>`: its replicas, and the live nodes. */
const PROPOSED = 'cluster.proposed';
/** Configuration `s<shard>e<epoch>` took effect (the manager leader read it in the map). */
const EPOCH = 'cluster.epoch';
/** The group of configuration `s<shard>e<epoch>` runs here (value 1) or stopped (0). */
const RUNNING = 'cluster.running';
/** The group of configuration `s<shard>e<epoch>` has its primary here (1), or no more (0). */
const PRIMARY = 'cluster.primary';

/** The names that head a placement fact's mark. */
const FACT_HEADS: ReadonlySet<string> = new Set([STORAGE_NODE, PROPOSED, EPOCH, RUNNING, PRIMARY]);

export interface ConfigurationId {
  readonly shard: number;
  readonly epoch: number;
}

export type PlacementFact =
  | { readonly kind: 'storage-node'; readonly zone: string }
  | {
      readonly kind: 'proposed';
      readonly config: ConfigurationId;
      readonly replicas: readonly NodeId[];
      readonly live: readonly NodeId[];
    }
  | {
      readonly kind: 'epoch';
      readonly config: ConfigurationId;
      readonly replicas: readonly NodeId[];
    }
  | { readonly kind: 'running' | 'primary'; readonly config: ConfigurationId };

const id = (c: ConfigurationId): string => groupNamespace(c.shard, c.epoch);
const nodes = (ns: readonly NodeId[]): string => (ns.length === 0 ? '-' : [...ns].sort().join('+'));

export const storageNodeMark = (zone: string): string => `${STORAGE_NODE} ${zone}`;
export const proposedMark = (
  c: ConfigurationId,
  replicas: readonly NodeId[],
  live: readonly NodeId[],
): string => `${PROPOSED} ${id(c)} ${nodes(replicas)} live ${nodes(live)}`;
export const epochMark = (c: ConfigurationId, replicas: readonly NodeId[]): string =>
  `${EPOCH} ${id(c)} ${nodes(replicas)}`;
export const runningMark = (c: ConfigurationId): string => `${RUNNING} ${id(c)}`;
export const primaryMark = (c: ConfigurationId): string => `${PRIMARY} ${id(c)}`;

const parseConfig = (s: string | undefined): ConfigurationId | undefined =>
  s === undefined ? undefined : parseNamespace(s);

const parseNodes = (s: string | undefined): NodeId[] =>
  s === undefined || s === '-' ? [] : s.split('+');

/** The fact a mark states, or undefined for any other mark. */
export function parsePlacementMark(name: string): PlacementFact | undefined {
  // Most `cluster.` marks state no placement fact: turned away before the name is split.
  const space = name.indexOf(' ');
  if (!FACT_HEADS.has(space < 0 ? name : name.slice(0, space))) return undefined;
  const [head, a, b, c, d] = name.split(' ');
  if (head === STORAGE_NODE && a !== undefined) return { kind: 'storage-node', zone: a };
  const config = parseConfig(a);
  if (config === undefined) return undefined;
  if (head === PROPOSED && c === 'live')
    return { kind: 'proposed', config, replicas: parseNodes(b), live: parseNodes(d) };
  if (head === EPOCH) return { kind: 'epoch', config, replicas: parseNodes(b) };
  if (head === RUNNING) return { kind: 'running', config };
  if (head === PRIMARY) return { kind: 'primary', config };
  return undefined;
}

/**
 * The configuration a `cluster.primary` mark names, or undefined for any other mark: for a
 * reader that wants that kind alone, without splitting every mark's name.
 */
export function primaryMarkConfig(name: string): ConfigurationId | undefined {
  if (!name.startsWith(PRIMARY) || name[PRIMARY.length] !== ' ') return undefined;
  const f = parsePlacementMark(name);
  return f?.kind === 'primary' ? f.config : undefined;
}
