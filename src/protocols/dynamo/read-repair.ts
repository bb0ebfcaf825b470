/**
 * Read repair (Dynamo §4.7 / §5): once a get has resolved the versions of its replies, every
 * replica that answered with less is sent the resolved versions, which it merges. Replies that
 * arrive after the client was answered are repaired too, until the request expires. Stale
 * replicas catch up on the keys clients read, without waiting for anti-entropy.
 *
 * Named bug `dynamo.stale-read-repair`: the repair is sent late, when the get expires, with the
 * versions the client was answered with, to every replica that answered, and each replaces what
 * it holds with them (replica.ts): a write that reached the replicas since is overwritten.
 */
import type { DynamoConfig } from './dynamo-config.js';
import type { DynamoEffect, DynamoState, PendingGet } from './dynamo-state.js';
import { onRepair } from './replica.js';
import { sameVersions, syncVersions } from './versions.js';

export function repairReplicas(
  cfg: DynamoConfig,
  s: DynamoState,
  get: PendingGet,
  fx: DynamoEffect[],
): void {
  if (get.resolved === undefined || cfg.bugs.repairOverwrites) return;
  let resolved = get.resolved;
  for (const vs of get.replies.values()) resolved = syncVersions(cfg.resolver, resolved, vs);
  get.resolved = resolved;
  for (const [node, vs] of get.replies) {
    if (sameVersions(vs, resolved)) continue;
    get.replies.set(node, resolved);
    fx.push({ type: 'mark', name: 'dynamo.read-repair' });
    const msg = { type: 'Repair' as const, key: get.key, versions: resolved, hlc: s.hlc };
    if (node === s.id) onRepair(cfg, s, msg, fx);
    else fx.push({ type: 'send', to: node, msg });
  }
}

/** The named bug: what the client got, long after, over whatever each replica holds now. */
export function staleRepair(s: DynamoState, get: PendingGet, fx: DynamoEffect[]): void {
  if (get.resolved === undefined) return;
  const msg = { type: 'Repair' as const, key: get.key, versions: get.resolved, hlc: s.hlc };
  for (const node of get.replies.keys())
    if (node !== s.id) fx.push({ type: 'send', to: node, msg });
}
