/**
 * Crash and restart: a power loss of one node, some nodes or the whole cluster (`crash: all`, as
 * Jepsen's lazyfs nemesis does). The node loses its state, timers and unsynced disk bytes (kept,
 * lost or torn per the disk's crash model), its incarnation is bumped so old events die, and a
 * restart hands the protocol the durable image through `onRecover`.
 */
import type { Draft, FaultKind } from './fault-kind.js';
import { processFault } from './process-fault.js';

export const crashFault: FaultKind = {
  ...processFault({
    down: 'crash',
    up: 'restart',
    summary:
      'power loss: state, timers and unsynced disk bytes lost (kept, lost or torn per the crash model); restart calls onRecover',
    downDoc:
      'crash a node (n1..nN, random, primary, role:<name>, all for a whole-cluster power loss, or a fault domain: { zone: z1 } or { rack: r1 }); with for, restart it after',
    upDoc: 'restart a crashed node (or every crashed node of { zone: z1 } or { rack: r1 })',
    nemesisDoc: 'crash a node, restart it after for',
    takeDown: (host, node) => host.crash(node),
    bringBack: (host, node) => host.restart(node),
    downStatus: 'down',
  }),
  coalesce: powerLosses,
};

/** Every node crashed at one instant and restarted at one instant is one `crash: all`. */
function powerLosses(drafts: readonly Draft[], nodes: number): Draft[] {
  const out: Draft[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const group = drafts.slice(i, i + nodes);
    const crashes = group.filter((g) => typeof g.entry.crash === 'string');
    const all =
      nodes > 1 &&
      crashes.length === nodes &&
      crashes.every((g) => g.atUs === d.atUs && g.forUs === d.forUs) &&
      new Set(crashes.map((g) => g.entry.crash)).size === nodes;
    if (!all) {
      out.push(d);
      continue;
    }
    const text = `crash all`;
    out.push(
      d.forUs === undefined
        ? { atUs: d.atUs, entry: { crash: 'all' }, text }
        : { atUs: d.atUs, entry: { crash: 'all' }, text, forUs: d.forUs },
    );
    i += nodes - 1;
  }
  return out;
}
