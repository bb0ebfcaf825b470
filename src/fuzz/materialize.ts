/**
 * Turns the faults a run actually fired (result.json's `faults`, the nemesis log) back into an
 * explicit `faults.schedule`, so the same seed can be rerun without random nemeses and its faults
 * removed one by one while shrinking.
 *
 * Each record is turned into an entry by the fault kind that applied it, from the structured
 * facts the record carries (never from its text, which is for people). Here the entries are put
 * in order and paired: a fault that holds something down (a crash, a partition) takes its `for`
 * from the inverse the log shows (the restart, the heal); a new fault holding the same thing
 * replaces the open one (a new partition replaces the last); an inverse with nothing open stays
 * an entry of its own. Then each kind may merge entries a person would write as one (every node
 * crashed at one instant is `crash: all`). Times are written at microsecond precision.
 *
 * What it still cannot say exactly: faults fire from the schedule at their microsecond before
 * other events of the same microsecond, which a nemesis need not have. The shrinker therefore
 * reruns the materialized schedule first and says so when it no longer fails.
 */
import { durationText, formatDuration, type Micros } from '../core/time.js';
import type { Draft, FaultKind, Materialized } from '../faults/fault-kind.js';
import type { FaultRecord } from '../sim/faults.js';

/** A `faults.schedule` entry as it is written in a scenario file. */
type ScheduleEntry = { readonly at: string } & Readonly<Record<string, unknown>>;

export interface MaterializedFault {
  readonly atUs: Micros;
  readonly entry: ScheduleEntry;
  /** One line for people: `1.2s crash n2 for 350ms`. */
  readonly text: string;
}

export interface Materialization {
  readonly faults: MaterializedFault[];
  /** Records no kind could turn into an entry (written by an older faultline, or unknown). */
  readonly skipped: number;
}

export function materializeFaults(
  records: readonly FaultRecord[],
  nodes: number,
  kinds: readonly FaultKind[],
): Materialization {
  const byAction = new Map(kinds.flatMap((k) => k.actions.map((a) => [a, k] as const)));
  const drafts: Draft[] = [];
  /** The drafts still waiting for their inverse, by what they hold down. */
  const open = new Map<string, Draft>();
  let skipped = 0;
  for (const r of records) {
    if (r.action === 'phase') continue;
    const m = readRecord(byAction.get(r.action), r);
    if (m === undefined) skipped++;
    else place(m, r.t, drafts, open);
  }
  let merged = drafts;
  for (const kind of kinds) if (kind.coalesce !== undefined) merged = kind.coalesce(merged, nodes);
  return { faults: merged.map(finish), skipped };
}

/**
 * The entry a kind makes of a record, or undefined when it cannot: records come from a
 * result.json, which someone may have edited, and a kind reads the facts as it wrote them.
 */
function readRecord(kind: FaultKind | undefined, r: FaultRecord): Materialized | undefined {
  try {
    return kind?.materialize(r);
  } catch {
    return undefined;
  }
}

function place(m: Materialized, t: Micros, drafts: Draft[], open: Map<string, Draft>): void {
  if ('holds' in m) {
    const d: Draft = { atUs: t, entry: m.entry, text: m.text };
    drafts.push(d);
    open.set(m.holds, d);
    return;
  }
  if ('closes' in m) {
    const d = open.get(m.closes);
    if (d !== undefined) {
      d.forUs = t - d.atUs;
      open.delete(m.closes);
    } else if (m.entry !== undefined) drafts.push({ atUs: t, entry: m.entry, text: m.text ?? '' });
    return;
  }
  const d: Draft = { atUs: t, entry: m.entry, text: m.text };
  if (m.forUs !== undefined) d.forUs = m.forUs;
  drafts.push(d);
}

function finish(d: Draft): MaterializedFault {
  const entry: Record<string, unknown> = { at: durationText(d.atUs), ...d.entry };
  if (d.forUs !== undefined) entry.for = durationText(d.forUs);
  const length = d.forUs === undefined ? '' : ` for ${formatDuration(d.forUs)}`;
  return {
    atUs: d.atUs,
    entry: entry as ScheduleEntry,
    text: `${formatDuration(d.atUs)} ${d.text}${length}`,
  };
}
