/**
 * Every history in ../shared/conformance/knossos gets the verdict Knossos's own test suite
 * expects (`good/` linearizable, `bad/` not), under the model and initial state its README gives
 * for the folder. The files are found on disk, not listed here: a file added to a folder is
 * checked, and one in a folder without a model fails the test instead of being skipped. Every
 * violation's evidence window is itself confirmed non-linearizable by a fresh search.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../src/checkers/linearizability/check.js';
import { cutHistory } from '../../../../src/checkers/linearizability/evidence.js';
import { jepsenCodecFor } from '../../../../src/checkers/linearizability/formats/jepsen/index.js';
import { initialStateFor } from '../../../../src/checkers/linearizability/formats/jepsen/initial.js';
import { parseJepsenEdn } from '../../../../src/checkers/linearizability/formats/jepsen/parse.js';
import { createModel } from '../../../../src/checkers/linearizability/models/index.js';
import type { LinOp } from '../../../../src/checkers/linearizability/types.js';

const ROOT = fileURLToPath(new URL('../../../../../shared/conformance/knossos', import.meta.url));

/** The README's table: folder, Knossos model, initial state (as `--initial` takes it). */
const FOLDERS: Record<string, { model: string; initial?: string }> = {
  'cas-register': { model: 'cas-register', initial: '0' },
  'multi-register': { model: 'multi-register', initial: '{:x 0 :y 0}' },
  mutex: { model: 'mutex' },
};

function ednFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return ednFiles(path);
    return e.name.endsWith('.edn') ? [relative(ROOT, path)] : [];
  });
}

const files = ednFiles(ROOT).sort();
const EMPTY = [
  'cas-register/good/mongodb-v0-ack-rollback-10.edn',
  'cas-register/good/mongodb-v0-ack-rollback-9.edn',
];

function check(file: string) {
  const [folder, verdictDir] = file.split('/') as [string, string];
  const spec = FOLDERS[folder];
  if (spec === undefined)
    throw new Error(`${file}: no model for folder ${folder} (see the README)`);
  const initial =
    spec.initial === undefined ? undefined : initialStateFor(spec.model, spec.initial);
  if (initial !== undefined && 'error' in initial) throw new Error(initial.error);
  const model = createModel(spec.model, initial === undefined ? {} : { initial: initial.initial })!;
  const parsed = parseJepsenEdn(
    readFileSync(join(ROOT, file), 'utf8'),
    jepsenCodecFor(spec.model)!,
  );
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  const ops = parsed.ops as LinOp[];
  return { ops, model, good: verdictDir === 'good', result: checkLinearizable(ops, model) };
}

describe('Knossos conformance histories', () => {
  it('finds every file: 61 cas-register (57 good, 4 bad), 1 multi-register, 1 mutex', () => {
    expect(files.filter((f) => f.startsWith('cas-register/good/'))).toHaveLength(57);
    expect(files.filter((f) => f.startsWith('cas-register/bad/'))).toHaveLength(4);
    expect(files.filter((f) => f.startsWith('multi-register/'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('mutex/'))).toHaveLength(1);
    expect(files.every((f) => /\/(good|bad)\//.test(f))).toBe(true);
  });

  for (const file of files) {
    it(`${file} is ${file.includes('/good/') ? '' : 'NOT '}linearizable`, () => {
      const { ops, model, good, result } = check(file);
      // Two mongodb files hold only failed operations: nothing happened, which Knossos calls
      // valid (and `faultline check` "nothing could be judged", exit 2).
      expect(ops.length === 0).toBe(EMPTY.includes(file));
      expect(result.verdict).toBe(good ? 'ok' : 'violation');
      if (good) return;
      const ev = result.evidence!;
      const verdict = (known: readonly number[]) =>
        checkLinearizable(cutHistory(ops, new Set(known), ev.cut), model, { evidence: false })
          .verdict;
      expect(verdict(ev.prefix)).toBe('violation');
      expect(verdict(ev.windowIds)).toBe('violation');
    });
  }
});
