/**
 * A kv or kv-context `script` holds to the workload's `keys`: every step names one of
 * k0..k(keys-1). A step on a key beyond them would run, but the final reads (one per key in
 * `keys`) would never look at it, so whatever happened to it would go unchecked; and `k01` is
 * not `k1`. Refused where the scenario is read, at the step, as one problem each.
 */
import type { z } from 'zod';

interface Scripted {
  readonly keys: number;
  readonly script?: readonly (readonly string[])[] | undefined;
}

/** The key a step names, if it has the shape `op kN`; the shape itself is the step's regex's. */
const KEY = /^\S+ (k\d+)$/;

/** The zod refinement of a workload's options: a problem at each step beyond `keys`. */
export function scriptKeysCheck(options: Scripted, ctx: z.RefinementCtx): void {
  const last = `k${options.keys - 1}`;
  (options.script ?? []).forEach((steps, client) => {
    steps.forEach((step, i) => {
      const key = KEY.exec(step)?.[1];
      if (key === undefined || isKey(key, options.keys)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['script', client, i],
        message: `${key} is not one of the workload's keys k0..${last} (keys: ${options.keys})`,
      });
    });
  });
}

const isKey = (key: string, keys: number): boolean =>
  key === `k${Number(key.slice(1))}` && Number(key.slice(1)) < keys;
