/**
 * A storage node's context whose disk holds whole, durable files of shard 0's first
 * configuration epoch (`s0e1.meta`, `s0e1.wal`): the state a node is in when it ran the shard's
 * first group and a later map asks it to move on. Shared by the tests of how such a node picks
 * the source of its copy and routes requests after adopting a new map.
 */
import type { NodeContext } from '../../../../src/core/protocol.js';
import { testContext } from '../../../support/step-harness.js';

export function withEpochOneFiles(node: string, nodes: readonly string[]): NodeContext {
  const ctx = testContext(node, nodes);
  for (const f of ['meta', 'wal']) {
    ctx.disk.write(`s0e1.${f}`, 0, new Uint8Array([1, 2, 3]));
    ctx.disk.sync(`s0e1.${f}`);
  }
  ctx.disk.syncDir();
  return ctx;
}
