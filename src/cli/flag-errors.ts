/**
 * Bad flags end the command with one message and exit 64 (DESIGN §6). A misspelt flag or bug
 * name gets the nearest known one suggested, as yargs already does for command names: `--sede`
 * → `--seed`, and a bug named without its protocol (`ack-before-fsync`) → the qualified names
 * that end that way. Suggestions come from the names the command really accepts, never a guess.
 */
import leven from 'leven';
import { EXIT, UserError } from '../runner/exit-codes.js';

/** How far a name may be from a known one and still be suggested (typos, not other words). */
const distanceMax = (word: string): number => Math.max(2, Math.floor(word.length / 3));

/** The nearest of `known` to `word`, if it is close enough to be a typo of it. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const limit = distanceMax(word);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const d = leven(word.toLowerCase(), k.toLowerCase(), { maxDistance: limit + 1 });
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The flags a command accepts, as typed: `--seed`, `--check-determinism`. yargs hands a failure
 * handler its usage object, whose (untyped) descriptions name every documented flag.
 */
function knownFlags(usage: unknown): string[] {
  const u = usage as { getDescriptions?: () => Record<string, unknown> };
  const keys = Object.keys(u.getDescriptions?.() ?? {});
  return keys.filter((k) => !/[A-Z]/.test(k) && k.length > 1);
}

/** yargs' "Unknown arguments: sede, wrkers" with the nearest flag of each, when there is one. */
function withSuggestions(message: string, flags: readonly string[]): string {
  const m = /^(Unknown arguments?): (.*)$/.exec(message);
  if (m === null) return message;
  const named = (m[2] as string).split(', ').map((w) => {
    const hit = nearest(w.replace(/^-+/, ''), flags);
    return hit === undefined ? w : `${w} (did you mean --${hit}?)`;
  });
  return `${m[1]}: ${named.join(', ')}`;
}

/** yargs' failure handler: a user error with exit 64, or the error a handler threw. */
export function failure(msg: string | undefined, err: Error | undefined, usage: unknown): never {
  if (err) throw err;
  throw new UserError(withSuggestions(msg ?? 'bad arguments', knownFlags(usage)), EXIT.usage);
}

/** What follows a protocol's name in a bug's: `ack-before-fsync` of `raft.ack-before-fsync`. */
const unqualified = (bug: string): string => bug.slice(bug.indexOf('.') + 1);

/**
 * The hint after "unknown bug X": the nearest bug of the scenario's protocol (by full name or by
 * the part after the protocol), and the other protocols' bugs of that same name, which apply to
 * their own scenarios only.
 */
export function bugHint(
  bug: string,
  own: readonly string[],
  others: readonly string[],
): string | undefined {
  const hit = nearest(bug, own) ?? own.find((b) => unqualified(b) === unqualified(bug));
  const byPart = nearest(unqualified(bug), own.map(unqualified));
  const mine = hit ?? own.find((b) => byPart !== undefined && unqualified(b) === byPart);
  const elsewhere = others.filter((b) => unqualified(b) === unqualified(mine ?? bug));
  const parts: string[] = [];
  if (mine !== undefined) parts.push(`did you mean ${mine}?`);
  if (elsewhere.length > 0)
    parts.push(`(${elsewhere.join(', ')}: another protocol's, for its own scenarios)`);
  return parts.length === 0 ? undefined : parts.join(' ');
}
