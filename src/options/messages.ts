/**
 * Message builders shared by the scenario schemas: show a value from the file briefly, name the
 * allowed choices, and suggest the nearest one. Kept apart so every schema words its errors the
 * same way ("unknown checker \"durabilty\": expected one of … (did you mean durability?)").
 */
import { didYouMean } from './suggest.js';

/** A value as it appeared in the file, short enough for a one-line message. */
export function show(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === 'string'
        ? JSON.stringify(value)
        : value === undefined
          ? 'nothing'
          : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

interface RawIssue {
  readonly input?: unknown;
}

/** A schema-level message, except for a missing field, which the shared error map words. */
export const unlessMissing =
  (message: string) =>
  (issue: RawIssue): string | undefined =>
    issue.input === undefined ? undefined : message;

/** For enums: `unknown <what> "x": expected one of a, b, c (did you mean a?)`. */
export const oneOf =
  (what: string, names: readonly string[]) =>
  (issue: RawIssue): string | undefined => {
    if (issue.input === undefined) return undefined;
    const hint = typeof issue.input === 'string' ? didYouMean(issue.input, names) : '';
    return `unknown ${what} ${show(issue.input)}: expected one of ${names.join(', ')}${hint}`;
  };

/** For discriminated unions, whose issue carries the whole object as input. */
export const discriminatorError =
  (key: string, what: string, names: readonly string[]) =>
  (issue: RawIssue): string | undefined => {
    const input = issue.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) return `missing ${key}: expected one of ${names.join(', ')}`;
    const hint = typeof value === 'string' ? didYouMean(value, names) : '';
    return `unknown ${what} ${show(value)}: expected one of ${names.join(', ')}${hint}`;
  };

/** `unknown bug x: primary-backup has a, b, c`, for the file's `bugs:` and the `--bug` flag alike. */
export function unknownBugMessage(
  protocol: { readonly name: string; readonly bugs: readonly { readonly name: string }[] },
  bug: string,
): string {
  const names = protocol.bugs.map((b) => b.name);
  if (names.length === 0) return `unknown bug ${bug}: ${protocol.name} has no named bugs`;
  return `unknown bug ${bug}: ${protocol.name} has ${names.join(', ')}${didYouMean(bug, names)}`;
}
