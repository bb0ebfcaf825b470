/**
 * YAML-level problems (syntax errors, duplicate keys, several documents in one file, aliases
 * with no anchor), worded for the person fixing the file and located at their own position
 * rather than at a field path. A duplicate key also gets the path of the field it repeats.
 *
 * Duplicate keys are found here, one set of keys per mapping, rather than by `yaml`'s
 * `uniqueKeys`, which compares each key with every earlier one: 30,000 keys took a minute. Keys
 * are compared as the object they become will see them, so `1:` and `"1":` are duplicates too.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type YAMLError,
} from 'yaml';
import type { ScenarioError } from './scenario-error.js';
import type { PathSegment } from './scenario-problem.js';

export function yamlSyntaxError(
  err: YAMLError,
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): ScenarioError {
  const offset = err.pos[0];
  const { line, col } = lineCounter.linePos(offset);
  let path = '';
  let message = err.message.split('\n')[0] ?? err.message;
  switch (err.code) {
    case 'DUPLICATE_KEY': {
      const found = findKeyAt(doc.contents, offset, []);
      if (found !== undefined) {
        path = found.join('.');
        message = `duplicate key ${String(found[found.length - 1])}: each key may appear only once in a mapping`;
      } else {
        message = 'duplicate key: each key may appear only once in a mapping';
      }
      break;
    }
    case 'MULTIPLE_DOCS':
      message = 'a scenario file holds one YAML document; remove the second ---';
      break;
    default:
      break;
  }
  return { file, line: Math.max(1, line), column: Math.max(1, col), path, message };
}

/** The error `doc.toJS()` threw, located at the first alias whose anchor is missing if that is the cause. */
export function yamlValueError(
  cause: unknown,
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): ScenarioError {
  const alias = findUnresolvedAlias(doc, doc.contents, []);
  if (alias !== undefined) {
    const { line, col } = lineCounter.linePos(alias.offset);
    return {
      file,
      line: Math.max(1, line),
      column: Math.max(1, col),
      path: alias.path.join('.'),
      message: `alias *${alias.source} has no anchor &${alias.source} before it`,
    };
  }
  const text = cause instanceof Error ? cause.message : String(cause);
  return { file, line: 1, column: 1, path: '', message: `cannot read the document: ${text}` };
}

function findKeyAt(node: unknown, offset: number, path: PathSegment[]): PathSegment[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) return [...path, key];
      const inner = findKeyAt(pair.value, offset, [...path, key]);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const inner = findKeyAt(node.items[i], offset, [...path, i]);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function findUnresolvedAlias(
  doc: Document,
  node: unknown,
  path: PathSegment[],
): { offset: number; source: string; path: PathSegment[] } | undefined {
  if (isAlias(node)) {
    let target: unknown;
    try {
      target = node.resolve(doc);
    } catch {
      target = undefined;
    }
    return target === undefined
      ? { offset: node.range?.[0] ?? 0, source: node.source, path }
      : undefined;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const found =
        findUnresolvedAlias(doc, pair.key, path) ??
        findUnresolvedAlias(doc, pair.value, [...path, key]);
      if (found !== undefined) return found;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = findUnresolvedAlias(doc, node.items[i], [...path, i]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Every key that repeats an earlier key of its mapping, at the repeat, with its field path. */
export function duplicateKeyErrors(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): ScenarioError[] {
  const errors: ScenarioError[] = [];
  // The document is at most SCENARIO_NESTING_MAX deep (scenario-text.ts), so recursion is safe.
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isSeq(node))
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    if (!isMap(node)) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (isScalar(pair.key) && seen.has(key)) {
        const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
        errors.push({
          file,
          line: Math.max(1, line),
          column: Math.max(1, col),
          path: [...path, key].join('.'),
          message: `duplicate key ${key}: each key may appear only once in a mapping`,
        });
      }
      seen.add(key);
      walk(pair.value, [...path, key]);
    }
  };
  walk(doc.contents, []);
  return errors;
}
