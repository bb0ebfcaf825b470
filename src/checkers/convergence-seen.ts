/**
 * Which writes a later write replaced on purpose: its client had read them. A kv-context put
 * carries the causal context of its client's last get of the key, so a put's context covering a
 * write's dot says its client read that write — except under last-writer-wins, where a winner's
 * context takes in the dots of every version it beat (versions.ts: the key's context must cover
 * every dot it ever held), so a client reading the winner gets the dots of losers it never saw.
 * There a write counts as read only when the get its client took the context from showed the
 * write's value. Without this, every write LWW silently dropped would pass for one a client
 * chose to replace, and the loss would be hidden.
 */
import type { History, Operation } from '../core/history.js';
import type { KeyedWrite } from '../core/replica-set.js';
import { contextCovers } from './convergence-context.js';

interface Put {
  readonly key: string;
  readonly context: readonly string[];
}
interface Read {
  readonly values: readonly string[];
  readonly context: readonly string[];
}

/** What each client's gets showed, by client, key and the context they returned. */
function shown(history: History): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const op of history) {
    if (op.f !== 'get' || op.outcome !== 'ok') continue;
    const out = op.output as Read;
    const id = readId(op, (op.input as { key: string }).key, out.context);
    const values = seen.get(id) ?? new Set();
    for (const v of out.values) values.add(v);
    seen.set(id, values);
  }
  return seen;
}

const readId = (op: Operation, key: string, context: readonly string[]) =>
  `${op.client} ${key} ${context.join(' ')}`;

/** A test of whether a write `w` was replaced on purpose by some other write of its key. */
export function readOverTest(
  history: History,
  writes: readonly KeyedWrite[],
  lww: boolean,
): (w: KeyedWrite) => boolean {
  const ops = new Map(history.map((op) => [op.id, op]));
  const seen = lww ? shown(history) : undefined;
  const sawValue = (o: KeyedWrite, w: KeyedWrite): boolean => {
    if (seen === undefined) return true;
    const op = ops.get(o.opId);
    if (op === undefined) return false;
    const put = op.input as Put;
    return seen.get(readId(op, put.key, put.context))?.has(w.value) ?? false;
  };
  return (w) =>
    writes.some(
      (o) => o !== w && o.key === w.key && contextCovers(o.context, w.dot) && sawValue(o, w),
    );
}
