/**
 * The `faults:` section of a scenario, built from the registry's fault kinds: faults at fixed
 * times (`schedule`: `at`, one action some kind owns, its modifiers, an optional `for`), random
 * nemeses during the faulty phase (`random`: a kind, `every`, `for`, `target` and the kind's own
 * fields), and how many nodes nemeses may hold down at once (`maxDown`).
 */
import { z } from 'zod';
import type { DelaySpec } from '../../core/delay.js';
import type { EntryAction, FaultKind } from '../../faults/fault-kind.js';
import { nemesisFields } from '../../faults/nemesis-fields.js';
import { discriminatorError } from '../../options/messages.js';
import { durationSchema, intSchema } from '../../options/units.js';

/** Every action a schedule entry can name, with the kind that owns it, in registry order. */
export function scheduleActions(kinds: readonly FaultKind[]): { name: string; kind: FaultKind }[] {
  return kinds.flatMap((kind) => Object.keys(kind.entry.actions).map((name) => ({ name, kind })));
}

export function faultsSchemaFor(kinds: readonly FaultKind[]) {
  return z
    .strictObject({
      schedule: z
        .array(scheduleEntrySchema(kinds), { error: 'expected a list of scheduled faults' })
        .default([])
        .describe('faults at fixed times, e.g. { at: 2s, partition: halves, for: 3s }'),
      random: z
        .array(nemesisSchema(kinds), { error: 'expected a list of nemeses' })
        .default([])
        .describe('random nemeses, e.g. { kind: crash, every: 2s, for: 500ms }'),
      maxDown: z
        .union([z.literal('minority'), intSchema(0)], {
          error: 'expected minority or a whole number of nodes',
        })
        .default('minority')
        .describe(
          'nemeses never take more nodes down (crashed or paused) than this: minority = floor((n-1)/2), or a number (default minority)',
        ),
    })
    .prefault({})
    .describe('what goes wrong, and when');
}

function scheduleEntrySchema(kinds: readonly FaultKind[]) {
  const actions = scheduleActions(kinds);
  const shape: Record<string, z.ZodType> = {
    at: durationSchema.describe('when the fault strikes, from the start of the run'),
    for: durationSchema
      .optional()
      .describe(
        'undo the fault after this long (heal, restart, resume, unskew); required for clog; for leave, the drain period (default 1s)',
      ),
  };
  for (const { name, kind } of actions) {
    const action = kind.entry.actions[name] as EntryAction;
    shape[name] = action.schema.optional();
  }
  for (const kind of kinds) {
    for (const [name, schema] of Object.entries(kind.entry.modifiers ?? {})) {
      shape[name] = schema.optional();
    }
  }
  return z
    .strictObject(shape)
    .superRefine((e, ctx) => checkEntry(e, actions, kinds, ctx))
    .describe('one scheduled fault: at, exactly one action, and an optional for');
}

/** Exactly one action; modifiers only with their kind's actions; `for` as the action allows. */
function checkEntry(
  e: Readonly<Record<string, unknown>>,
  actions: readonly { name: string; kind: FaultKind }[],
  kinds: readonly FaultKind[],
  ctx: z.RefinementCtx,
): void {
  const present = actions.filter((a) => e[a.name] !== undefined);
  const [first, second] = present;
  if (first === undefined) {
    const names = actions.map((a) => a.name).join(', ');
    ctx.addIssue({ code: 'custom', message: `expected one action: ${names}` });
    return;
  }
  const { name: action, kind } = first;
  if (second !== undefined) {
    const message = `one action per entry: this entry already has ${action}`;
    ctx.addIssue({ code: 'custom', path: [second.name], message });
    return;
  }
  for (const other of kinds) {
    if (other === kind) continue;
    const owner = Object.keys(other.entry.actions)[0];
    for (const field of Object.keys(other.entry.modifiers ?? {})) {
      if (e[field] === undefined) continue;
      const message = `${field} only goes with ${owner}, not ${action}`;
      ctx.addIssue({ code: 'custom', path: [field], message });
    }
  }
  checkFor(e, action, kind, ctx);
  for (const issue of kind.entry.refine?.(e, action) ?? []) {
    const path = issue.field === undefined ? [] : [issue.field];
    ctx.addIssue({ code: 'custom', path, message: issue.message });
  }
}

function checkFor(
  e: Readonly<Record<string, unknown>>,
  action: string,
  kind: FaultKind,
  ctx: z.RefinementCtx,
): void {
  const rule = kind.entry.actions[action];
  if (rule?.for === 'required' && e.for === undefined) {
    const message = `${action} needs for: ${rule.forMeans ?? 'how long it lasts'}`;
    ctx.addIssue({ code: 'custom', message });
  }
  if (rule?.for === 'none' && e.for !== undefined) {
    const message = `${action} has no inverse to run after for`;
    ctx.addIssue({ code: 'custom', path: ['for'], message });
  }
}

function nemesisSchema(kinds: readonly FaultKind[]) {
  const drawing = kinds.filter((k) => k.nemesis !== undefined);
  const names = drawing.map((k) => k.name);
  const options = drawing.map((k) =>
    z.strictObject({
      kind: z.literal(k.name).describe(k.nemesis?.summary ?? k.summary),
      ...nemesisFields,
      ...k.nemesis?.fields,
    }),
  );
  return z
    .discriminatedUnion('kind', options as unknown as [z.ZodObject, ...z.ZodObject[]], {
      error: discriminatorError('kind', 'nemesis kind', names),
    })
    .superRefine((n, ctx) => {
      const every = (n as { every: DelaySpec }).every;
      const meanUs =
        every.dist === 'constant'
          ? every.us
          : every.dist === 'uniform'
            ? every.maxUs
            : every.minUs + every.meanUs;
      if (meanUs <= 0)
        ctx.addIssue({ code: 'custom', path: ['every'], message: 'every must be longer than 0' });
    })
    .describe('a random nemesis, active during the faulty phase');
}
