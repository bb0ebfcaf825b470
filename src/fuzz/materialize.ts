/**
 * Turns the faults a run actually fired (result.json's `faults`, the nemesis log) back into an
 * explicit `faults.schedule`, so the same seed can be rerun without random nemeses and its faults
 * removed one by one while shrinking.
 *
 * Each entry is a scenario-file entry (`{ at: 1234567us, crash: n2, for: 350ms }`), written at
 * microsecond precision. A fault is paired with the inverse the log shows (a crash with its
 * restart, a partition with the heal that ended it) into one entry with `for`; an inverse with no
 * fault before it stays an entry of its own. A whole-cluster power loss becomes `crash: all`.
 *
 * What it cannot say exactly: bridge and majorities-ring partitions are not components, so they
 * become their shape and are redrawn; and faults fire from the schedule at their microsecond
 * before other events of the same microsecond, which a nemesis need not have. The shrinker
 * therefore reruns the materialized schedule first and says so when it no longer fails.
 */
import { formatDuration, type Micros } from '../core/time.js';
import type { FaultRecord } from '../sim/world.js';

/** A `faults.schedule` entry as it is written in a scenario file. */
export type ScheduleEntry = { readonly at: string } & Readonly<Record<string, unknown>>;

export interface MaterializedFault {
  readonly atUs: Micros;
  readonly entry: ScheduleEntry;
  /** One line for people: `1.2s crash n2 for 350ms`. */
  readonly text: string;
  /** False where the entry cannot reproduce the fault exactly (bridge, majorities ring). */
  readonly exact: boolean;
}

/** A duration as scenario text, in the largest unit that keeps it exact. */
export function durationText(us: Micros): string {
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}

interface Draft {
  atUs: Micros;
  action: string;
  target: unknown;
  extra: Record<string, unknown>;
  forUs?: Micros;
  exact: boolean;
}

export function materializeFaults(records: readonly FaultRecord[], nodes: number): MaterializedFault[] {
  const drafts: Draft[] = [];
  /** The drafts still waiting for their inverse, by what they hold down. */
  const open = new Map<string, Draft>();
  const push = (d: Draft, key?: string) => {
    drafts.push(d);
    if (key !== undefined) open.set(key, d);
  };
  const close = (key: string, t: Micros): boolean => {
    const d = open.get(key);
    if (d === undefined) return false;
    d.forUs = t - d.atUs;
    open.delete(key);
    return true;
  };
  for (const r of records) {
    const base = { atUs: r.t, extra: {}, exact: true };
    switch (r.action) {
      case 'crash':
      case 'pause':
        push({ ...base, action: r.action, target: r.detail }, `${r.action}:${r.detail}`);
        break;
      case 'restart':
      case 'resume':
        if (!close(`${r.action === 'restart' ? 'crash' : 'pause'}:${r.detail}`, r.t)) push({ ...base, action: r.action, target: r.detail });
        break;
      case 'partition': {
        const p = partitionOf(r.detail);
        // A new cut replaces the one before; whichever heal comes next ends the new one.
        open.delete('partition');
        push({ ...base, action: 'partition', target: p.target, extra: p.oneWay ? { oneWay: true } : {}, exact: p.exact }, 'partition');
        break;
      }
      case 'heal':
        if (!close('partition', r.t)) push({ ...base, action: 'heal', target: true });
        break;
      case 'clog': {
        const m = /^(n\d+)(?:<->(n\d+))? for (\d+)us$/.exec(r.detail);
        if (m) push({ ...base, action: 'clog', target: m[2] === undefined ? m[1] : [m[1], m[2]], forUs: Number(m[3]) });
        break;
      }
      case 'skew': {
        const m = /^(n\d+) clock ([+-]?)(\d+)us(?: drift (-?\d+)ppm)?$/.exec(r.detail);
        if (m) push({ ...base, action: 'skew', target: m[1], extra: { by: `${m[2] === '-' ? '-' : ''}${durationText(Number(m[3]))}`, ...(m[4] !== undefined ? { driftPpm: Number(m[4]) } : {}) } }, `skew:${m[1]}`);
        break;
      }
      case 'unskew': {
        const node = /^(n\d+)/.exec(r.detail)?.[1];
        if (node !== undefined) close(`skew:${node}`, r.t);
        break;
      }
      // 'phase' lines are not faults.
    }
  }
  return groupPowerLosses(drafts, nodes).map(finish);
}

/** A crash of every node at one instant, each restarted at one instant, is one `crash: all`. */
function groupPowerLosses(drafts: Draft[], nodes: number): Draft[] {
  const out: Draft[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const group = drafts.slice(i, i + nodes);
    const all =
      nodes > 1 &&
      d.action === 'crash' &&
      group.length === nodes &&
      group.every((g) => g.action === 'crash' && g.atUs === d.atUs && g.forUs === d.forUs) &&
      new Set(group.map((g) => g.target)).size === nodes;
    if (all) {
      out.push({ ...d, target: 'all' });
      i += nodes - 1;
    } else out.push(d);
  }
  return out;
}

function finish(d: Draft): MaterializedFault {
  const entry: Record<string, unknown> = { at: durationText(d.atUs), [d.action]: d.target, ...d.extra };
  if (d.forUs !== undefined) entry['for'] = durationText(d.forUs);
  const what = Array.isArray(d.target) ? (d.target.every(Array.isArray) ? d.target.map((c: string[]) => c.join(' ')).join(' | ') : d.target.join('<->')) : String(d.target);
  const extra = Object.entries(d.extra).map(([k, v]) => ` ${k} ${String(v)}`).join('');
  const text = `${formatDuration(d.atUs)} ${d.action}${d.action === 'heal' ? '' : ` ${what}`}${extra}${d.forUs !== undefined ? ` for ${formatDuration(d.forUs)}` : ''}`;
  return { atUs: d.atUs, entry: entry as ScheduleEntry, text, exact: d.exact };
}

/** `n1 | n2 n3` or `n1 -/-> n2 n3` are components; a bridge or a ring is only its shape. */
function partitionOf(detail: string): { target: unknown; oneWay: boolean; exact: boolean } {
  if (detail.includes('(bridge)')) return { target: 'bridge', oneWay: false, exact: false };
  if (detail.startsWith('majorities ring')) return { target: 'majorities-ring', oneWay: false, exact: false };
  const oneWay = detail.includes(' -/-> ');
  const components = detail.split(oneWay ? ' -/-> ' : ' | ').map((c) => c.trim().split(/\s+/));
  return { target: components, oneWay, exact: true };
}
