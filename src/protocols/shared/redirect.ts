/**
 * The answer of a node that is not the one to serve a request: a definite `fail` (nothing
 * happened), naming the node to try instead when it knows one, so the client retries there.
 */
import type { NodeId } from '../../core/ids.js';
import type { Effect } from '../../core/protocol.js';

export function redirect(
  requestId: number,
  code: string,
  hint: NodeId | null | undefined,
): Extract<Effect<never, never>, { type: 'reply' }> {
  return {
    type: 'reply',
    requestId,
    outcome:
      hint === null || hint === undefined ? { type: 'fail', code } : { type: 'fail', code, hint },
  };
}
