/**
 * CI reporters for sweeps (`run --seeds` and `fuzz`), as vitest has them: `--reporter junit`
 * writes JUnit XML with one test case per scenario and one failure per failing seed carrying its
 * replay command; `--reporter github` prints `::error` annotations and appends a step summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, linesOf, show, useTempDirs } from './cli.js';

const temp = useTempDirs();

const ASYNC_CRASH = 'scenarios/fast/pb-async-crash.yaml';
const PING = 'scenarios/smoke/ping.yaml';

describe('--reporter junit', () => {
  it('fuzz: one test case per scenario, a failure per failing seed with its replay command', async () => {
    const dir = temp('junit');
    const xmlFile = join(dir, 'junit.xml');
    const r = await faultline([
      'fuzz',
      ASYNC_CRASH,
      PING,
      '--seeds',
      '2..3',
      '--workers',
      '1',
      '--reports-max',
      '0',
      '--out',
      dir,
      '--reporter',
      'default',
      '--reporter',
      'junit',
      '--output-file',
      xmlFile,
    ]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toMatch(/^INVALID pb-async-crash over 2 seeds$/m);
    const xml = readFileSync(xmlFile, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml).toContain('tests="2" failures="1" errors="0"');
    const cases = [...xml.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(cases).toEqual(['pb-async-crash (seeds 2..3)', 'ping (seeds 2..3)']);
    const failures = [
      ...xml.matchAll(/<failure type="invalid" message="seed (\d+) [^"]*">([^<]*)</g),
    ];
    expect(failures.map((m) => m[1])).toEqual(['3']);
    expect(failures[0]?.[2]).toBe(`replay: node dist/cli/main.js run ${ASYNC_CRASH} --seed 3`);
  });

  it('run --seeds: the XML on stdout when no --output-file, the text on stderr', async () => {
    const r = await faultline([
      'run',
      PING,
      '--seeds',
      '1..2',
      '--workers',
      '1',
      '--reporter',
      'junit',
    ]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml /);
    expect(r.stdout).toContain('<testcase classname="faultline" name="ping (seeds 1..2)"');
    expect(linesOf(r.stderr)[0]).toMatch(/^seeds=1\.\.2 scenario=/);
  });
});

describe('--reporter github', () => {
  it('prints an ::error annotation per failing seed and appends a step summary', async () => {
    const dir = temp('github');
    const summary = join(dir, 'summary.md');
    const r = await faultline(
      [
        'fuzz',
        ASYNC_CRASH,
        '--seeds',
        '3',
        '--workers',
        '1',
        '--out',
        dir,
        '--reporter',
        'github,default',
      ],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(r.code, show(r)).toBe(1);
    const errors = linesOf(r.stdout).filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^::error file=${ASYNC_CRASH},title=faultline%3A pb-async-crash seed 3 invalid::` +
          `durability: .*%0Areplay: node dist/cli/main.js run ${ASYNC_CRASH} --seed 3$`,
      ),
    );
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| `scenarios/fast/pb-async-crash.yaml` | 1..3 | 2 | 1 | 0 | 3 |');
    expect(md).toContain(`node dist/cli/main.js run ${ASYNC_CRASH} --seed 3`);
  });

  it('with --json on stdout, the annotations go to stderr (the runner reads both)', async () => {
    const r = await faultline([
      'fuzz',
      ASYNC_CRASH,
      '--seeds',
      '3..3',
      '--out',
      temp('github-json'),
      '--reporter',
      'github',
      '--json',
    ]);
    expect(r.code, show(r)).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ lowestFailingSeed: 3 });
    expect(linesOf(r.stderr).filter((l) => l.startsWith('::error '))).toHaveLength(1);
  });
});
