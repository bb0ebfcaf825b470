// A protocol written the way a faultline user writes one: plain JavaScript against the node
// contract, no build step. Each node applies a write locally, acknowledges it at once, and tells
// its peers once. It is fast and always available, and it loses acknowledged writes as soon as a
// Gossip message is dropped: run examples/gossip-kv/gossip.yaml and the durability checker says
// which ones.

/** @typedef {import('faultline').Protocol<Map<string, string>, { type: 'Gossip', op: any }, any, string | null>} GossipProtocol */

/** @param {Map<string, string>} kv @param {{ f: string, key: string, value?: string }} op */
function apply(kv, op) {
  if (op.f === 'put') kv.set(op.key, op.value);
  if (op.f === 'append')
    kv.set(op.key, kv.has(op.key) ? `${kv.get(op.key)} ${op.value}` : op.value);
  return kv.get(op.key) ?? null;
}

/** @type {import('faultline').ProtocolDefinition<Record<string, never>>} */
export default {
  name: 'gossip-kv',
  summary: 'apply locally, acknowledge at once, tell every peer once (no retries, no disk)',
  workloads: ['kv'],
  bugs: [],
  /** @returns {GossipProtocol} */
  create: () => ({
    name: 'gossip-kv',
    init: () => ({ state: new Map(), effects: [] }),
    // Nothing was written to disk, so a restarted node starts empty.
    onRecover: () => ({ state: new Map(), effects: [] }),
    onRequest(kv, req, ctx) {
      const value = apply(kv, req.op);
      const gossip =
        req.op.f === 'get'
          ? []
          : ctx.peers.map((to) => ({
              type: /** @type {const} */ ('send'),
              to,
              msg: { type: /** @type {const} */ ('Gossip'), op: req.op },
            }));
      return {
        state: kv,
        effects: [...gossip, { type: 'reply', requestId: req.id, outcome: { type: 'ok', value } }],
      };
    },
    onMessage(kv, _from, msg) {
      apply(kv, msg.op);
      return { state: kv, effects: [] };
    },
    onTimer: (kv) => ({ state: kv, effects: [] }),
    onDiskDone: (kv) => ({ state: kv, effects: [] }),
  }),
};
