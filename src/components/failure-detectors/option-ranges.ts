/**
 * Options with the range each may take, in the manner of Akka's failure-detector settings
 * (`akka.remote.watch-failure-detector`): a table a protocol's option schema can quote, and a
 * check that names every option out of its range in one message each. A detector is only built
 * from options that passed.
 */

export interface OptionRange {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** What the option means, for a message or a help line. */
  readonly about: string;
}

export type Ranges<O> = { readonly [K in keyof O]: OptionRange };

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

/** `defaults` overridden by `given`, every value checked against its range. */
export function checkOptions<O extends { readonly [K in keyof O]: number }>(
  ranges: Ranges<O>,
  defaults: O,
  given: Partial<O>,
): Checked<O> {
  const options: O = { ...defaults, ...given };
  const problems: string[] = [];
  for (const name of Object.keys(ranges) as (keyof O & string)[]) {
    const r = ranges[name];
    const v: number = options[name];
    if (!Number.isFinite(v) || v < r.min || v > r.max || (r.integer && !Number.isInteger(v)))
      problems.push(
        `${name}: expected ${r.integer ? 'an integer' : 'a number'} from ${r.min} to ${r.max} (${r.about}), got ${v}`,
      );
  }
  return problems.length === 0 ? { ok: true, value: options } : { ok: false, problems };
}
