/**
 * Clock skew: a node's clock jumps by an offset (forwards or backwards) and may start drifting at
 * a new rate, then is restored. Protocols that read `ctx.now` for leases or timeouts see time as
 * that node does; virtual time itself never moves. Restoring puts back the clock the node had
 * before (its own base offset and drift).
 */
import { durationText, type Micros } from '../core/time.js';
import { driftSchema, durationSchema, signedDurationSchema } from '../options/units.js';
import type { FaultAction, FaultHost, FaultStrike, NodeSelector } from '../sim/faults.js';
import type { NodeHost } from '../sim/node-host.js';
import type { EntryDocument, FaultKind, ResolveContext } from './fault-kind.js';
import { resolveTarget } from './nemesis-fields.js';
import type { DomainRef } from './domain-target.js';
import { resolveFaultTarget, targetSchema } from './node-selector.js';

interface SkewAction extends FaultAction {
  readonly kind: 'skew' | 'unskew';
  readonly node: NodeSelector;
  readonly bumpUs?: Micros;
  readonly driftPpm?: number;
}

function applySkew(a: SkewAction, strike: FaultStrike, host: FaultHost): void {
  const bumpUs = a.bumpUs ?? 0;
  for (const i of strike.resolve(a.node)) {
    const clock = (host.nodes[i] as NodeHost).clock;
    clock.offsetUs += bumpUs;
    if (a.driftPpm !== undefined) clock.driftPpm = a.driftPpm;
    const drift = a.driftPpm !== undefined ? ` drift ${a.driftPpm}ppm` : '';
    const node = `n${i + 1}`;
    const data =
      a.driftPpm === undefined ? { node, bumpUs } : { node, bumpUs, driftPpm: a.driftPpm };
    strike.log(`${node} clock ${bumpUs >= 0 ? '+' : ''}${bumpUs}us${drift}`, data);
    strike.undo({ kind: 'unskew', node: i } as SkewAction);
  }
}

function applyUnskew(a: SkewAction, strike: FaultStrike, host: FaultHost): void {
  for (const i of strike.resolve(a.node)) {
    const base = host.baseClock(i);
    const clock = (host.nodes[i] as NodeHost).clock;
    clock.offsetUs = base.offsetUs;
    clock.driftPpm = base.driftPpm;
    strike.log(`n${i + 1} clock restored`, { node: `n${i + 1}` });
  }
}

function resolveSkew(e: EntryDocument, ctx: ResolveContext) {
  const node = resolveFaultTarget(e.skew as string | DomainRef, ctx);
  if (!node.ok) {
    ctx.problems.push({ path: [...ctx.path, 'skew'], message: node.message });
    return undefined;
  }
  const drift = e.driftPpm as number | undefined;
  const bumpUs = (e.by as Micros | undefined) ?? 0;
  const action: SkewAction =
    drift === undefined
      ? { kind: 'skew', node: node.value, bumpUs }
      : { kind: 'skew', node: node.value, bumpUs, driftPpm: drift };
  return e.for === undefined ? { atUs: e.at, action } : { atUs: e.at, action, forUs: e.for };
}

export const skewFault: FaultKind = {
  name: 'skew',
  summary: "bump a node's clock by an offset (and optionally set its drift) for a while",
  actions: ['skew', 'unskew'],
  apply: (action, strike, host) =>
    action.kind === 'skew'
      ? applySkew(action as SkewAction, strike, host)
      : applyUnskew(action as SkewAction, strike, host),
  draw: (spec, rng) => {
    const max = (spec.params?.bumpUsMax as number | undefined) ?? 1_000_000;
    return {
      action: { kind: 'skew', node: spec.target, bumpUs: rng.int(-max, max) } as SkewAction,
    };
  },
  entry: {
    actions: {
      skew: {
        schema: targetSchema.describe(
          'move a node’s clock (or every clock of a zone or rack: { zone: z1 }); with for, restore it after',
        ),
        for: 'optional',
      },
    },
    modifiers: {
      by: signedDurationSchema.describe('with skew: how far to move the clock, e.g. -200ms'),
      driftPpm: driftSchema.describe('with skew: the node’s new drift in ppm'),
    },
    refine: (e) =>
      e.by === undefined && e.driftPpm === undefined
        ? [{ message: 'skew needs by (an offset like -200ms) or driftPpm' }]
        : [],
    resolve: (e, _action, ctx) => resolveSkew(e, ctx),
  },
  nemesis: {
    summary: 'bump a node’s clock, restore it after for',
    fields: {
      bumpMax: durationSchema
        .prefault('1s')
        .describe('largest clock bump, either way (default 1s)'),
    },
    resolve: (doc, ctx) => {
      const target = resolveTarget(doc.target, ctx, true);
      if (target === undefined) return undefined;
      const params = { bumpUsMax: doc.bumpMax as Micros };
      return { kind: 'skew', everyUs: doc.every, forUs: doc.for, target, params };
    },
  },
  materialize: (r) => {
    const node = r.data?.node;
    if (typeof node !== 'string') return undefined;
    if (r.action === 'unskew') return { closes: `skew:${node}` };
    const bumpUs = r.data?.bumpUs as number;
    const drift = r.data?.driftPpm as number | undefined;
    const by = `${bumpUs < 0 ? '-' : ''}${durationText(Math.abs(bumpUs))}`;
    const entry = drift === undefined ? { skew: node, by } : { skew: node, by, driftPpm: drift };
    const text = `skew ${node} by ${by}${drift === undefined ? '' : ` drift ${drift}ppm`}`;
    return { holds: `skew:${node}`, entry, text };
  },
};
