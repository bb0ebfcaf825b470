/**
 * Pruning for key-value models, where unknown (`info`) operations are what makes the search
 * explode: each may take effect at any point after its call, or never.
 * - An unknown get constrains nothing and changes nothing: it goes.
 * - An unknown put or append whose value appears in no completed get of its key goes too: had it
 *   taken effect, every later read would show its value until a put replaced it, so it can only
 *   have taken effect where no read could see it, which is the same as not at all. "Appears" is a
 *   substring test (conservative: it may keep what it could drop, never the reverse), or with
 *   `tokens` a whole-word test for values without spaces, which is exact there.
 * - With `tokens` (faultline's kv-list, values joined by spaces), an unknown append whose value
 *   is unique among the key's writes and is a whole token of some read certainly happened, no
 *   later than the first such read returned: it becomes a known operation ending there. That
 *   removes the branching of operations left open to the end of the history.
 */
import type { KvInput } from '../../../core/history.js';
import type { LinOp, Pruning } from '../types.js';

/** Joins the texts reads saw; no value can span two of them unless it holds this character. */
const APART = '\u0000';

export function pruneKvUnknowns<O extends string | null>(
  ops: readonly LinOp<KvInput, O>[],
  tokens: boolean,
): Pruning {
  const texts = new Set<string>();
  /** With `tokens`: each word any read saw, and the earliest return of a read that saw it. */
  const firstSeen = new Map<string, number>();
  const writes = new Map<string, number>();
  for (const o of ops) {
    if (o.input.f === 'put' || o.input.f === 'append')
      writes.set(o.input.value, (writes.get(o.input.value) ?? 0) + 1);
    else if (!o.unknown && o.output !== null) {
      texts.add(o.output);
      if (tokens)
        for (const w of o.output.split(' '))
          if (!(o.ret >= (firstSeen.get(w) ?? Infinity))) firstSeen.set(w, o.ret);
    }
  }
  // One search of every text at once (native, fast) instead of one per read.
  const seen = [...texts].join(APART);
  const inSomeRead = (value: string): boolean =>
    texts.size > 0 &&
    (value.includes(APART) ? [...texts].some((t) => t.includes(value)) : seen.includes(value));
  const drop = new Set<number>();
  const happenedBy = new Map<number, number>();
  for (const o of ops) {
    if (!o.unknown) continue;
    if (o.input.f === 'get') {
      drop.add(o.id);
      continue;
    }
    // An unknown delete may have happened whatever the reads saw: it stays in the search.
    if (o.input.f === 'delete') continue;
    const value = o.input.value;
    // A space-free value in kv-list is visible only as a whole token; otherwise test substrings.
    const whole = tokens && !value.includes(' ');
    if (!(whole ? firstSeen.has(value) : inSomeRead(value))) {
      drop.add(o.id);
      continue;
    }
    if (whole && o.input.f === 'append' && writes.get(value) === 1)
      happenedBy.set(o.id, firstSeen.get(value) as number);
  }
  return { drop, happenedBy };
}
