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
 * Bridge and majorities-ring partitions are not components: they become the exact links they
 * cut (`partition: { cut: [[n1, n3]] }`), taken from the record's `blocked` field, or, for a
 * result written before records had one, rebuilt from the description (`n1 | n3 (bridge) | n2`,
 * `majorities ring n2-n1-n3`). Only a description neither form matches is left to its shape
 * and redrawn, marked inexact.
 *
 * What it still cannot say exactly: faults fire from the schedule at their microsecond before
 * other events of the same microsecond, which a nemesis need not have. The shrinker therefore
 * reruns the materialized schedule first and says so when it no longer fails.
 */
import { formatDuration, type Micros } from '../core/time.js';
import {
  blockedLinks,
  bridgeCut,
  majoritiesRingCut,
  nodeName,
  type Cut,
} from '../net/partitions.js';
import type { FaultRecord } from '../sim/world.js';

/** A `faults.schedule` entry as it is written in a scenario file. */
export type ScheduleEntry = { readonly at: string } & Readonly<Record<string, unknown>>;

export interface MaterializedFault {
  readonly atUs: Micros;
  readonly entry: ScheduleEntry;
  /** One line for people: `1.2s crash n2 for 350ms`. */
  readonly text: string;
  /** False where the entry cannot reproduce the fault exactly (a bridge or ring whose record it cannot read). */
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

export function materializeFaults(
  records: readonly FaultRecord[],
  nodes: number,
): MaterializedFault[] {
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
        if (!close(`${r.action === 'restart' ? 'crash' : 'pause'}:${r.detail}`, r.t))
          push({ ...base, action: r.action, target: r.detail });
        break;
      case 'partition': {
        const p = partitionOf(r, nodes);
        // A new cut replaces the one before; whichever heal comes next ends the new one.
        open.delete('partition');
        push(
          {
            ...base,
            action: 'partition',
            target: p.target,
            extra: p.oneWay ? { oneWay: true } : {},
            exact: p.exact,
          },
          'partition',
        );
        break;
      }
      case 'heal':
        if (!close('partition', r.t)) push({ ...base, action: 'heal', target: true });
        break;
      case 'clog': {
        const m = /^(n\d+)(?:<->(n\d+))? for (\d+)us$/.exec(r.detail);
        if (m)
          push({
            ...base,
            action: 'clog',
            target: m[2] === undefined ? m[1] : [m[1], m[2]],
            forUs: Number(m[3]),
          });
        break;
      }
      case 'skew': {
        const m = /^(n\d+) clock ([+-]?)(\d+)us(?: drift (-?\d+)ppm)?$/.exec(r.detail);
        if (m)
          push(
            {
              ...base,
              action: 'skew',
              target: m[1],
              extra: {
                by: `${m[2] === '-' ? '-' : ''}${durationText(Number(m[3]))}`,
                ...(m[4] !== undefined ? { driftPpm: Number(m[4]) } : {}),
              },
            },
            `skew:${m[1]}`,
          );
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
  const entry: Record<string, unknown> = {
    at: durationText(d.atUs),
    [d.action]: d.target,
    ...d.extra,
  };
  if (d.forUs !== undefined) entry.for = durationText(d.forUs);
  const what = Array.isArray(d.target)
    ? d.target.every(Array.isArray)
      ? d.target.map((c: string[]) => c.join(' ')).join(' | ')
      : d.target.join('<->')
    : isCut(d.target)
      ? cutText(d.target.cut, d.extra.oneWay === true)
      : String(d.target);
  const extra = Object.entries(d.extra)
    .map(([k, v]) => ` ${k} ${String(v)}`)
    .join('');
  const text = `${formatDuration(d.atUs)} ${d.action}${d.action === 'heal' ? '' : ` ${what}`}${extra}${d.forUs !== undefined ? ` for ${formatDuration(d.forUs)}` : ''}`;
  return { atUs: d.atUs, entry: entry as ScheduleEntry, text, exact: d.exact };
}

type Pairs = readonly (readonly [string, string])[];
const isCut = (t: unknown): t is { cut: Pairs } =>
  typeof t === 'object' && t !== null && 'cut' in t;
const cutText = (pairs: Pairs, oneWay: boolean): string =>
  pairs.length === 0
    ? 'no links cut'
    : pairs.map(([a, b]) => `${a} ${oneWay ? '-x->' : '-x-'} ${b}`).join(', ');

/**
 * `n1 | n2 n3` or `n1 -/-> n2 n3` are components; a bridge or a ring is the links it cut (from the
 * record, else rebuilt from its description), and only an unreadable one stays a redrawn shape.
 */
function partitionOf(
  r: FaultRecord,
  nodes: number,
): { target: unknown; oneWay: boolean; exact: boolean } {
  const detail = r.detail;
  const bridge = /^(.+) \| (n\d+) \(bridge\) \| (.+)$/.exec(detail);
  const ring = /^majorities ring (n\d+(?:-n\d+)*)$/.exec(detail);
  if (r.blocked !== undefined) return { ...linksOf(r.blocked), exact: true };
  if (bridge !== null || ring !== null) {
    const index = (name: string) => Number(name.slice(1)) - 1;
    const names = (text: string) => text.trim().split(/\s+/);
    let cut: Cut | undefined;
    if (bridge !== null) {
      const order = [
        bridge[2] as string,
        ...names(bridge[1] as string),
        ...names(bridge[3] as string),
      ].map(index);
      if (order.length === nodes && order.every((i) => i >= 0 && i < nodes))
        cut = bridgeCut(nodes, order);
    } else if (ring !== null) {
      const order = (ring[1] as string).split('-').map(index);
      if (order.length === nodes && order.every((i) => i >= 0 && i < nodes))
        cut = majoritiesRingCut(nodes, order);
    }
    if (cut === undefined)
      return {
        target: bridge !== null ? 'bridge' : 'majorities-ring',
        oneWay: false,
        exact: false,
      };
    return {
      ...linksOf(blockedLinks(cut).map(([a, b]) => [nodeName(a), nodeName(b)] as const)),
      exact: true,
    };
  }
  const oneWay = detail.includes(' -/-> ');
  const components = detail.split(oneWay ? ' -/-> ' : ' | ').map((c) => c.trim().split(/\s+/));
  return { target: components, oneWay, exact: true };
}

/**
 * Directed links as a `cut` entry: when every link's reverse is cut too, each pair once (lower
 * node first) and both ways; otherwise every directed link, one-way.
 */
function linksOf(blocked: Pairs): { target: { cut: [string, string][] }; oneWay: boolean } {
  const key = (a: string, b: string) => `${a}>${b}`;
  const all = new Set(blocked.map(([a, b]) => key(a, b)));
  const symmetric = blocked.every(([a, b]) => all.has(key(b, a)));
  const byNode = (x: readonly [string, string], y: readonly [string, string]) =>
    order(x[0]) - order(y[0]) || order(x[1]) - order(y[1]);
  const pairs = (symmetric ? blocked.filter(([a, b]) => order(a) < order(b)) : [...blocked])
    .sort(byNode)
    .map(([a, b]): [string, string] => [a, b]);
  return { target: { cut: pairs }, oneWay: !symmetric };
}

const order = (name: string): number => Number(name.slice(1));
