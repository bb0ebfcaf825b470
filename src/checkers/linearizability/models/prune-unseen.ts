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

export function pruneKvUnknowns<O extends string | null>(
  ops: readonly LinOp<KvInput, O>[],
  tokens: boolean,
): Pruning {
  const reads: { text: string; words: Set<string> | undefined; ret: number }[] = [];
  const writes = new Map<string, number>();
  for (const o of ops) {
    if (o.input.f === 'get') {
      if (!o.unknown && o.output !== null)
        reads.push({
          text: o.output,
          words: tokens ? new Set(o.output.split(' ')) : undefined,
          ret: o.ret,
        });
    } else writes.set(o.input.value, (writes.get(o.input.value) ?? 0) + 1);
  }
  const drop = new Set<number>();
  const happenedBy = new Map<number, number>();
  for (const o of ops) {
    if (!o.unknown) continue;
    if (o.input.f === 'get') {
      drop.add(o.id);
      continue;
    }
    const value = o.input.value;
    // A space-free value in kv-list is visible only as a whole token; otherwise test substrings.
    const whole = tokens && !value.includes(' ');
    if (!reads.some((r) => (whole ? r.words!.has(value) : r.text.includes(value)))) {
      drop.add(o.id);
      continue;
    }
    if (tokens && o.input.f === 'append' && !value.includes(' ') && writes.get(value) === 1) {
      let first = Infinity;
      for (const r of reads) if (r.ret < first && r.words!.has(value)) first = r.ret;
      if (first < Infinity) happenedBy.set(o.id, first);
    }
  }
  return { drop, happenedBy };
}
