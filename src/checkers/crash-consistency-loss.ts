/**
 * Which lost writes a lax sync policy allows. Under `interval` or `none` a store acknowledges a
 * write before its WAL record is fsynced, so a power loss may take it, but only as a log loses
 * data: the records after the last one that reached the disk, up to the crash. So a lost write is
 * allowed when a crash came after it was sent and no write sent after its acknowledgement (so
 * logged after it) and acknowledged before that crash survived: a later record
 * that survived means this one was on the disk too (a write merely acknowledged later is no
 * witness: the times are the clients', and network delays reorder replies). A loss with no crash
 * after it, or with such a witness, is a violation whatever the policy. The single-node store
 * has one WAL, so "after" is across all keys.
 *
 * What this does not judge: whether the crash could lose unsynced bytes at all (a process crash
 * keeps the page cache), and `interval`'s bound on how old a lost write may be.
 */
import type { History, KvInput, Operation } from '../core/history.js';
import type { Micros } from '../core/time.js';

interface Lost {
  readonly key: string;
  readonly value: string;
  readonly invokeUs: number;
  readonly completeUs: number | undefined;
}

/** The lost writes a log-order loss before a crash cannot explain. */
export function lossesNotAllowed<L extends Lost>(
  lost: readonly L[],
  history: History,
  crashesUs: readonly Micros[],
): L[] {
  const survivors = survivingWrites(history);
  return lost.filter((w) => {
    if (w.completeUs === undefined) return false;
    const t = w.completeUs;
    // The store logged w somewhere between its send and its receipt, so the crash that took it
    // is this one or a later one (a reply can arrive after the crash that followed it).
    const crash = crashesUs.find((c) => c >= w.invokeUs);
    if (crash === undefined) return true;
    // Sent after w was acknowledged, so logged after it; acknowledged before that crash.
    return survivors.some((s) => s.invokeUs > t && (s.completeUs as number) < crash);
  });
}

/** The acknowledged writes that are in the last read of their key. */
function survivingWrites(history: History): Operation[] {
  const lastRead = new Map<string, Set<string>>();
  for (const op of history) {
    if (op.f !== 'get' || op.outcome !== 'ok' || typeof op.output !== 'string') continue;
    lastRead.set((op.input as KvInput).key, new Set(op.output.split(' ')));
  }
  return history.filter((op) => survived(op, lastRead));
}

function survived(op: Operation, lastRead: ReadonlyMap<string, Set<string>>): boolean {
  if (op.f === 'get' || op.outcome !== 'ok' || op.completeUs === undefined) return false;
  const i = op.input as KvInput;
  return (i.f === 'put' || i.f === 'append') && lastRead.get(i.key)?.has(i.value) === true;
}
