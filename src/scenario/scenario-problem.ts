/**
 * Problems found in a scenario document, before they are given a line and column: a field path
 * into the document and a message. Zod issues are turned into these here, with three fixes for
 * people reading them: a union that failed reports the branch the value was evidently meant for
 * (not "Invalid input"), an unknown-fields issue becomes one problem per field that points at
 * the field's key, and a missing field says "missing required field <name>".
 */
import type { z } from 'zod';
import { show } from '../options/messages.js';
import type { PathSegment, ScenarioProblem } from '../options/problem.js';
import { didYouMean } from '../options/suggest.js';

export type { PathSegment, ScenarioProblem };

const MISSING = 'missing required field';

/** Unknown keys of one mapping that get a "did you mean" (the parser shows 20 errors at most). */
const SUGGESTIONS_MAX = 100;

type RawIssue = z.core.$ZodRawIssue;

/** Wording for issues that no schema words itself, passed to every `safeParse` of scenario data. */
export const scenarioErrorMap: z.core.$ZodErrorMap = (issue: RawIssue) => {
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_union':
      if (input === undefined) return MISSING;
      if (issue.code === 'invalid_union') return undefined;
      return `expected ${typeName(issue.expected)}, got ${show(input)}`;
    case 'invalid_value':
      if (input === undefined) return MISSING;
      return `expected ${issue.values.map((v) => String(v)).join(' or ')}, got ${show(input)}${typeof input === 'string' ? didYouMean(input, issue.values.map(String)) : ''}`;
    case 'too_small': {
      const bound =
        issue.inclusive === false ? `more than ${issue.minimum}` : `at least ${issue.minimum}`;
      return issue.origin === 'array'
        ? `expected ${bound} items`
        : `expected ${bound}, got ${show(input)}`;
    }
    case 'too_big': {
      const bound =
        issue.inclusive === false ? `less than ${issue.maximum}` : `at most ${issue.maximum}`;
      return issue.origin === 'array'
        ? `expected ${bound} items`
        : `expected ${bound}, got ${show(input)}`;
    }
    case 'unrecognized_keys': {
      // One line per key, in order; problemsFromZod splits them so each points at its own key.
      // Past the first few, no suggestion: no one reads the 30,000th, and each costs a search.
      const known = knownKeys(issue.inst);
      return issue.keys
        .map((key, i) => {
          const hint =
            known.length === 0 || i >= SUGGESTIONS_MAX
              ? ''
              : didYouMean(key, known) || `; expected one of ${known.join(', ')}`;
          return `unknown field ${key}${hint}`;
        })
        .join('\n');
    }
    default:
      return undefined;
  }
};

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

/** The field names a strict object accepts, from the schema instance that raised the issue. */
function knownKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod
    ?.def?.shape;
  return shape === undefined ? [] : Object.keys(shape).filter((k) => !k.startsWith('$'));
}

/** Zod issues (paths relative to `prefix`) as problems. */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PathSegment[] = [],
): ScenarioProblem[] {
  return issues.flatMap((issue) => fromIssue(issue, prefix));
}

function fromIssue(issue: z.core.$ZodIssue, prefix: readonly PathSegment[]): ScenarioProblem[] {
  const path = [...prefix, ...issue.path.map(segment)];
  switch (issue.code) {
    case 'invalid_union': {
      // The branch that got past the type check is the one the author meant.
      const meant = issue.errors.find((branch) => !isShallow(branch));
      if (meant !== undefined) return problemsFromZod(meant, path);
      break;
    }
    case 'unrecognized_keys': {
      const lines = issue.message.split('\n');
      const own = lines.length === issue.keys.length;
      return issue.keys.map((key, i) => ({
        path: [...path, key],
        message: own ? (lines[i] as string) : `unknown field ${key}`,
        at: 'key' as const,
      }));
    }
    default:
      break;
  }
  const last = path[path.length - 1];
  const message =
    issue.message === MISSING && typeof last === 'string' ? `${MISSING} ${last}` : issue.message;
  return [{ path, message }];
}

/** A branch that failed only because the value was not of its type at all. */
function isShallow(branch: readonly z.core.$ZodIssue[]): boolean {
  return branch.every(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' ||
        i.code === 'invalid_value' ||
        (i.code === 'invalid_union' && i.errors.every(isShallow))),
  );
}

const segment = (s: PropertyKey): PathSegment => (typeof s === 'number' ? s : String(s));
