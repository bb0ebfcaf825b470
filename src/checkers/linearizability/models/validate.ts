/**
 * Small checks the models' `validate` methods are built from. A model is handed whatever an
 * importer made of a file (a faultline kv history given to `--model register`, a Porcupine kv
 * file given to `--model counter`), and must say which operation it does not understand instead
 * of stepping it into a TypeError or, worse, a verdict. Each check returns undefined when the
 * value fits, else the end of a sentence starting "expected …".
 */

export type Fields = Readonly<Record<string, unknown>>;

export const isObject = (v: unknown): v is Fields =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);

/** "a, b or c", each name quoted. */
function nameList(names: readonly string[]): string {
  const q = names.map((n) => JSON.stringify(n));
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`;
}

/** A value in a message: JSON, shortened. */
export function shown(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The input's `f` when it is one of `functions`, or why not. */
export function functionOf<F extends string>(
  input: unknown,
  functions: readonly F[],
): { readonly f: F } | { readonly error: string } {
  const f = isObject(input) ? input.f : undefined;
  if (typeof f === 'string' && (functions as readonly string[]).includes(f)) return { f: f as F };
  return {
    error: `expected an operation ${nameList(functions)}, found ${typeof f === 'string' ? JSON.stringify(f) : shown(input)}`,
  };
}

/** Undefined when `obj[name]` passes `test`, else "expected <name> to be <what>, found …". */
export function expectField(
  obj: unknown,
  name: string,
  what: string,
  test: (v: unknown) => boolean,
): string | undefined {
  const v = isObject(obj) ? obj[name] : undefined;
  if (test(v)) return undefined;
  return `expected "${name}" to be ${what}, found ${v === undefined ? 'nothing' : shown(v)}`;
}
