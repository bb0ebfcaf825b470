/**
 * The README, `--help` and the code agree: the defaults the README's usage lines show are the
 * ones `--help` shows, the scenario table's `protocol` row names every registered protocol, the
 * `check` sample output is what `check` prints (times aside, `…` ending a shortened line), the
 * library examples are the test files that run them (test/readme/), and the editor set-up names
 * a schema that ships, under an `$id` that resolves to it; and the cap lesson's table is what
 * `compare` prints.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, faultline, linesOf, ROOT, show } from './cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The lines of the fenced block that starts with `$ <command>`, without that line. */
function sampleAfter(command: string): string[] {
  const start = README.indexOf(`$ ${command}\n`);
  if (start < 0) throw new Error(`the README has no sample of: ${command}`);
  const body = README.slice(start + command.length + 3);
  return body
    .slice(0, body.indexOf('```'))
    .split('\n')
    .map((l) => l.replace(/^ {2}/, ''))
    .filter((l) => l.trim() !== '');
}

/** Wall-clock times differ between runs; nothing else may. */
const timeless = (s: string) => s.replace(/\d+(\.\d+)?(us|ms|s)\)/g, 'T)');

describe('the README agrees with the CLI', () => {
  it('fuzz and shrink: the --runs default of the usage lines is the one --help gives', () => {
    const help = cli(['fuzz', '--help']);
    const runs = /--runs\s.*\[default: (\d+)\]/.exec(help.stdout.replace(/\n\s+/g, ' '))?.[1];
    expect(runs, show(help)).toBeDefined();
    const usage = [...README.matchAll(/\[--runs (\d+)\]/g)].map((m) => m[1]);
    expect(usage.length).toBeGreaterThan(0);
    for (const n of usage) expect(n).toBe(runs);
    expect(README).toContain(`\`--runs\` (${runs})`);
  });

  it('the protocol row of the scenario table names every registered protocol', () => {
    const list = cli(['list', '--json']);
    const names = (JSON.parse(list.stdout) as { protocols: { name: string }[] }).protocols.map(
      (p) => p.name,
    );
    const row = README.split('\n').find((l) => l.startsWith('| `protocol` '));
    expect(row).toBeDefined();
    for (const n of names) expect(row).toContain(`\`${n}\``);
  });

  it('the check sample output is what check prints', () => {
    const file = '../shared/conformance/porcupine/kv/c10-bad.txt';
    const sample = sampleAfter(`node dist/cli/main.js check ${file}`);
    const r = cli(['check', file]);
    expect(r.code, show(r)).toBe(1);
    const actual = linesOf(r.stdout);
    expect(sample.length).toBeGreaterThan(1);
    for (const [i, line] of sample.entries()) {
      const real = timeless((actual[i] ?? '').trimStart());
      const want = timeless(line.trimStart());
      if (want.endsWith('…')) expect(real.startsWith(want.slice(0, -1)), real).toBe(true);
      else expect(real).toBe(want);
    }
  });
});

describe('the README’s lesson tables are what compare prints', () => {
  it.each(['cap', 'sync-policy', 'paxos-vs-raft', '2pc-blocks', 'fencing', 'failure-detectors'])(
    'the %s table, its lesson text and its footnote, the header aside (workers vary)',
    async (name) => {
      const command = `node dist/cli/main.js compare scenarios/lessons/${name}.yaml`;
      const marker = `${command}\n\`\`\`\n\n\`\`\`\n`;
      const start = README.indexOf(marker);
      expect(
        start,
        `the README shows the ${name} lesson’s command and then its output`,
      ).toBeGreaterThan(0);
      const body = README.slice(start + marker.length);
      const shown = body.slice(0, body.indexOf('```')).trimEnd().split('\n');
      const r = await faultline(['compare', `scenarios/lessons/${name}.yaml`, '--workers', '2']);
      expect(r.code, show(r)).toBe(0);
      const printed = r.stdout.trimEnd().split('\n');
      const noWorkers = (l: string) => l.replace(/ workers=\d+$/, '');
      expect(printed.map(noWorkers)).toEqual(shown.map(noWorkers));
    },
  );
});

/** Every ```ts block of the README, as text. */
const tsBlocks = (): string[] =>
  [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('the README’s library examples are the tests that run them', () => {
  const dir = join(ROOT, 'test/readme');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.test.ts')))('%s', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const body = text.slice(text.indexOf('\nimport ') + 1);
    expect(tsBlocks()).toContain(body);
  });
});

describe('editors', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema/scenario.schema.json'), 'utf8')) as {
    $id: string;
  };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string };

  it('the schema’s $id is a URL that resolves to the schema the package ships', () => {
    expect(schema.$id).toBe(`https://unpkg.com/${pkg.name}/schema/scenario.schema.json`);
  });

  it('the VS Code yaml.schemas snippet parses and names files that exist', () => {
    const m = /```jsonc\n\/\/ \.vscode\/settings\.json\n([\s\S]*?)```/.exec(README);
    expect(m, 'a ```jsonc block starting // .vscode/settings.json').not.toBeNull();
    const settings = JSON.parse((m as RegExpExecArray)[1] as string) as {
      'yaml.schemas': Record<string, string[]>;
    };
    const paths = Object.keys(settings['yaml.schemas']);
    expect(paths).toContain('./node_modules/faultline/schema/scenario.schema.json');
    expect(paths).toContain(schema.$id);
    for (const p of paths.filter((x) => x.startsWith('./node_modules/faultline/')))
      expect(existsSync(join(ROOT, p.replace('./node_modules/faultline/', '')))).toBe(true);
  });
});

describe('the GitHub Actions example', () => {
  interface Step {
    readonly run?: string;
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
  }
  const block = /```yaml\n(jobs:[\s\S]*?)```/.exec(README)?.[1] ?? '';
  const jobs = (parse(block) as { jobs: Record<string, { steps: Step[] }> }).jobs;
  const step = (job: string, uses: string) =>
    jobs[job]?.steps.find((s) => s.uses?.startsWith(uses)) as Step;

  // The shard's own file name, as the workflow writes it (an Actions expression, not a template).
  const shardFile = ['shard-$', '{{ matrix.shard }}.json'].join('');

  it('uploads each shard’s document and the reports of its failing seeds', () => {
    const upload = String(step('fuzz', 'actions/upload-artifact').with?.path).split('\n');
    expect(upload).toContain(shardFile);
    expect(upload).toContain('reports/');
    const fuzz = jobs.fuzz?.steps.find((s) => s.run?.includes(' fuzz ')) as Step;
    expect(fuzz.run).toContain(`> ${shardFile}`);
  });

  it('downloads them into one folder, where merge finds the documents and the reports', () => {
    expect(step('merge', 'actions/download-artifact').with).toMatchObject({
      pattern: 'shard-*',
      'merge-multiple': true,
    });
    const merge = jobs.merge?.steps.find((s) => s.run?.includes(' merge ')) as Step;
    expect(merge.run).toMatch(/ merge shard-\*\.json$/);
  });
});

describe('the test scripts', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };

  it('npm test is what CI runs; npm run test:fast runs the unit and property tests', () => {
    expect(pkg.scripts.test).toBe('vitest run');
    expect(pkg.scripts['test:fast']).toBe('vitest run test/unit test/property');
    expect(README).toContain('npm run test:fast');
  });

  it('a test may take minutes on a loaded machine before it counts as hung', async () => {
    const config = (await import('../../vitest.config.js')).default as {
      test: { testTimeout: number; hookTimeout: number };
    };
    expect(config.test.testTimeout).toBeGreaterThanOrEqual(300_000);
    expect(config.test.hookTimeout).toBeGreaterThanOrEqual(300_000);
  });
});
