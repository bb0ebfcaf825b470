/**
 * `--option KEY=VALUE` on the command line: a protocol option set for this run over what the
 * scenario file says, so any existing scenario runs with another setting (`storage=lsm`) without
 * a copied file. KEY is a field of the scenario's `options:`, dotted for a nested one
 * (`lsm.sync=none`); VALUE is read as a YAML scalar or flow collection, as it would be written in
 * the file (`24` a number, `true` a boolean, `{ sync: none }` a mapping). The scenario parser sets
 * each override into the document before checking it against the protocol's own option schema,
 * and a problem with an overridden field is the flag's, not the file's (the CLI's exit 64).
 * The flag's text is kept as written: replay commands and result.json repeat it verbatim.
 */
import { parse, parseDocument } from 'yaml';
import type { PathSegment } from './problem.js';

export interface OptionOverride {
  /** The flag's value as written: `storage=lsm`. */
  readonly text: string;
  /** The field under `options:`, split at dots: `['lsm', 'sync']`. */
  readonly path: readonly string[];
  readonly value: unknown;
}

export type OverrideRead =
  | { readonly ok: true; readonly override: OptionOverride }
  | { readonly ok: false; readonly message: string };

const KEY = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

/** One flag value, read; a malformed one says what a good one looks like. */
export function readOptionOverride(text: string): OverrideRead {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (eq < 0 || !KEY.test(key))
    return { ok: false, message: `--option ${text}: expected KEY=VALUE, like storage=lsm` };
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = raw.trim() === '' ? '' : parse(raw, { maxAliasCount: 0 });
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ok: false, message: `--option ${text}: cannot read the value (${why})` };
  }
  return { ok: true, override: { text, path: key.split('.'), value } };
}

/** The document's field an override sets: `options.lsm.sync`. */
const overridePath = (o: OptionOverride): readonly PathSegment[] => ['options', ...o.path];

/**
 * The scenario data with each override set in `options:` (in flag order, so a later flag for the
 * same field wins). Mappings on the way are copied, never changed in place; a field on the way
 * that is not a mapping is replaced by one.
 */
export function withOverrides(data: unknown, overrides: readonly OptionOverride[]): unknown {
  if (overrides.length === 0 || !isMapping(data)) return data;
  let out: Record<string, unknown> = data;
  for (const o of overrides) out = setIn(out, overridePath(o) as string[], o.value);
  return out;
}

function setIn(
  target: Record<string, unknown>,
  [key, ...rest]: readonly string[],
  value: unknown,
): Record<string, unknown> {
  if (key === undefined) return target;
  if (rest.length === 0) return { ...target, [key]: value };
  const inner = target[key];
  return { ...target, [key]: setIn(isMapping(inner) ? inner : {}, rest, value) };
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The override whose field a problem at `path` is about, if any. */
export function overrideAt(
  path: readonly PathSegment[],
  overrides: readonly OptionOverride[],
): OptionOverride | undefined {
  return [...overrides].reverse().find((o) => {
    const own = overridePath(o);
    return own.every((seg, i) => String(path[i]) === String(seg));
  });
}

/**
 * Scenario text with the overrides written into its `options:` (comments and layout kept), for
 * a file that must hold them itself: a scenario shrunk from a run that set them.
 */
export function textWithOverrides(text: string, overrides: readonly OptionOverride[]): string {
  if (overrides.length === 0) return text;
  const doc = parseDocument(text);
  for (const o of overrides) doc.setIn(overridePath(o), o.value);
  return doc.toString();
}
