/**
 * `faultline check` on a Jepsen/Knossos EDN history (test/fixtures/lin): with --format edn and
 * with the format detected (the file opens with `;` comments), the verdict, the exit code, the
 * model-specific sentence and, with --json, the evidence's window. Times are the lines of the
 * file (Knossos orders a history by position; `:time` is not used).
 */
import { describe, expect, it } from 'vitest';
import { faultline, show } from './cli.js';

const FIXTURE = 'test/fixtures/lin/register-stale-read.edn';

describe('faultline check --format edn', () => {
  it('finds the stale read, says why and exits 1', async () => {
    const r = await faultline(['check', FIXTURE, '--model', 'cas-register', '--format', 'edn']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toContain('NOT linearizable (4 operations, model cas-register');
    expect(r.stdout).toContain(
      'read() returned 1 at 8, but write(2) completed at 6 and nothing that could come after it wrote 1',
    );
  });

  it('detects EDN behind leading comments, and --json carries the window', async () => {
    const r = await faultline(['check', FIXTURE, '--model', 'cas-register', '--json']);
    expect(r.code, show(r)).toBe(1);
    const doc: unknown = JSON.parse(r.stdout);
    const text = JSON.stringify(doc);
    expect(text).toContain('"verdict":"violation"');
    expect(text).toMatch(/"windowIds":\[0,1,2\]/);
  });
});
