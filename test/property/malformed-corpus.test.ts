/**
 * The malformed-input corpus the project keeps for itself (issue 9's "done means"): hundreds of
 * scenario files, result.json files and history files no one would write on purpose, generated
 * here with fast-check from a fixed seed, plus the fixed ones in test/fixtures/malformed/, and
 * fed to the CLI. Whatever the input, `run`, `replay`, `shrink` and `check` end with a documented
 * exit code and a message, never a stack trace, an internal error (70), a crash of the process
 * or a hang. Inputs known to be bad must get 64 or 65.
 *
 * The bulk goes through one process (cli-corpus-driver.ts calls the commands as main.ts does);
 * a handful of the worst are spawned as a user would run them, through dist/cli/main.js.
 *
 * What it covers: wrong types, huge and non-finite numbers, NaN-ish strings, deep nesting, huge
 * lists and maps, binary garbage, empty files, a byte-order mark, duplicate keys, truncation,
 * CRLF and tabs, several documents, alias bombs, tags, absurd values and names; for results,
 * every field deleted or replaced, truncation and garbage; for histories (faultline JSON,
 * Porcupine kv, Jepsen etcd logs, Knossos EDN), the same done to fields, tokens and bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { cli, ROOT, show, STACK_LINE, useTempDirs } from '../e2e/cli.js';
import { CORPUS_DRIVER, type CorpusJob, type CorpusOutcome } from './cli-corpus-driver.js';

const temp = useTempDirs();

/** Small and fast (the event limit ends any run within milliseconds), and valid. */
const BASE = `# the corpus base
name: corpus
protocol: primary-backup
options: { mode: sync, heartbeatMs: 20 }
cluster: { nodes: 3 }
network: { delay: { dist: uniform, min: 1ms, max: 3ms }, loss: 0.01 }
workload: { type: kv, clients: 2, keys: 2, timeout: 100ms }
faults:
  schedule:
    - { at: 50ms, crash: n1, for: 50ms }
  random:
    - { kind: partition, every: 100ms, for: 20ms }
phases: { faulty: 200ms, healed: 100ms, final: 200ms }
checkers: [durability, linearizability, liveness, invariants]
limits: { events: 20000 }
`;

/** Nine messages in ten are lost and final reads get 60 ms: liveness fails on every seed. */
const FAILING = `name: failing
protocol: primary-backup
network: { loss: 0.9 }
workload: { clients: 2, timeout: 20ms }
phases: { faulty: 300ms, healed: 100ms, final: 60ms }
`;

const GENERATED_SCENARIOS = 300;
const GENERATED_RESULTS = 60;
const GENERATED_HISTORIES = 120;

/** Fixed nasty files: `scenario-*` are run, `history-*` checked; every one must be exit 65. */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'malformed');

// ------------------------------------------------------------------------------ values

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
};

const NASTY: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  'NaN',
  '.nan',
  '.inf',
  '-.inf',
  'Infinity',
  '1e999',
  1e308,
  -1e308,
  Number.MIN_VALUE,
  2 ** 53 + 2,
  -0,
  -1,
  0,
  1.1,
  '0x10',
  '1_000',
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  'a'.repeat(300),
  'ünï',
  '600m',
  '100000m',
  '1e308ms',
  '-5ms',
  'n99',
  '../../../etc/passwd',
  '__proto__',
  'constructor',
  null,
  true,
  [],
  {},
  'raft',
  'ping',
  'none',
  'all',
  'minority',
];

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 20 })) },
  { weight: 1, arbitrary: fc.integer({ min: 33, max: 200 }).map(deep) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1000, max: 20_000 })
      .map((n) => Array.from({ length: n }, () => 1)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 3000 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  },
);

// ------------------------------------------------------------------------------ scenario mutations

interface Mutation {
  readonly kind: 'delete' | 'replace' | 'insert';
  readonly pick: number;
  readonly key: string;
  readonly value: unknown;
}

const KEYS = ['protocol', 'options', 'phases', 'final', 'loss', 'events', 'name', 'nodes', 'at'];
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete' as const, 'replace' as const, 'insert' as const),
  pick: fc.nat(1000),
  key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
  value,
});

function collectionPaths(doc: Document): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (path.length > 6) return;
    if (isMap(node)) {
      out.push(path);
      for (const pair of node.items)
        walk(pair.value, [...path, String((pair.key as { value?: unknown } | null)?.value)]);
    } else if (isSeq(node)) {
      out.push(path);
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return out;
}

function mutateDoc(doc: Document, m: Mutation): void {
  const paths = collectionPaths(doc);
  const path = paths[m.pick % Math.max(1, paths.length)] ?? [];
  const target = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(target)) {
    const keys = target.items.map((p) => String((p.key as { value?: unknown } | null)?.value));
    const existing = keys[m.pick % Math.max(1, keys.length)];
    if (m.kind === 'delete' && existing !== undefined) target.delete(existing);
    else if (m.kind === 'replace' && existing !== undefined)
      target.set(existing, doc.createNode(m.value));
    else target.set(m.key, doc.createNode(m.value));
  } else if (isSeq(target)) {
    const index = m.pick % Math.max(1, target.items.length);
    if (m.kind === 'delete') target.delete(index);
    else target.set(index, doc.createNode(m.value));
  }
}

/** A generated file that parses would run for as long as its limits allow: keep them small. */
function keepRunsShort(doc: Document): void {
  if (!isMap(doc.contents)) return;
  const limits = doc.get('limits', true);
  if (limits === undefined) doc.set('limits', doc.createNode({ events: 20_000 }));
  else if (isMap(limits)) limits.set('events', 20_000);
}

type Corruption = 'none' | 'truncate' | 'splice' | 'bom' | 'crlf' | 'tabs' | 'dup-line';
const corruption: fc.Arbitrary<{ kind: Corruption; at: number; bytes: Uint8Array }> = fc.record({
  kind: fc.constantFrom<Corruption>(
    'none',
    'none',
    'truncate',
    'splice',
    'bom',
    'crlf',
    'tabs',
    'dup-line',
  ),
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
});

function corrupt(text: string, c: { kind: Corruption; at: number; bytes: Uint8Array }): Buffer {
  const buf = Buffer.from(text, 'utf8');
  const at = c.at % (buf.length + 1);
  switch (c.kind) {
    case 'none':
      return buf;
    case 'truncate':
      return buf.subarray(0, at);
    case 'splice':
      return Buffer.concat([buf.subarray(0, at), c.bytes, buf.subarray(at)]);
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]);
    case 'crlf':
      return Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
    case 'tabs':
      return Buffer.from(text.replace(/^ {2}/gm, '\t'), 'utf8');
    case 'dup-line': {
      const lines = text.split('\n');
      const i = c.at % Math.max(1, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return Buffer.from(lines.join('\n'), 'utf8');
    }
  }
}

const generatedScenario = fc
  .record({
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    json: fc.boolean(),
    corruption,
  })
  .map(({ mutations, json, corruption: c }) => {
    const doc = parseDocument(BASE);
    for (const m of mutations) mutateDoc(doc, m);
    keepRunsShort(doc);
    const text = json ? (JSON.stringify(doc.toJS()) ?? 'null') : doc.toString();
    return corrupt(text, c);
  });

// ------------------------------------------------------------------------------ known-bad files

function knownBad(): [string, Buffer | string][] {
  let keys = 'protocol: raft\nnetwork:\n';
  for (let i = 0; i < 30_000; i++) keys += `  k${i}: 1\n`;
  let indented = 'protocol: raft\noptions:\n';
  for (let i = 1; i <= 1_000; i++) indented += `${' '.repeat(i)}k:\n`;
  let garbage = Buffer.alloc(0);
  for (const seed of [1, 2, 3]) {
    const bytes = fc.sample(fc.uint8Array({ minLength: 1000, maxLength: 1000 }), {
      seed,
      numRuns: 1,
    });
    garbage = Buffer.concat([garbage, bytes[0] as Uint8Array]);
  }
  return [
    ['empty.yaml', ''],
    ['bom-only.yaml', '\uFEFF'],
    ['comments-only.yaml', '# nothing here\n'],
    ['null.yaml', 'null\n'],
    ['number.json', '42'],
    ['list.json', '[]'],
    ['two-docs.yaml', 'protocol: raft\n---\nprotocol: raft\n'],
    ['garbage.bin', garbage],
    ['nul.yaml', 'protocol: raft\u0000\n'],
    ['deep.json', `{"protocol":"raft","options":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`],
    ['deep-unclosed.json', '['.repeat(500_000)],
    ['deep.yaml', indented],
    ['deep-dash.yaml', `protocol: raft\noptions:\n  x: ${'- '.repeat(20_000)}1\n`],
    ['keys.yaml', keys],
    ['dup.yaml', 'protocol: raft\nprotocol: raft\n'],
    ['dup.json', '{"protocol":"raft","protocol":"ping"}'],
    ['long-name.yaml', `name: ${'a'.repeat(300)}\nprotocol: raft\n`],
    ['bad-name.yaml', 'name: ../../etc\nprotocol: raft\n'],
    ['huge.yaml', `protocol: raft\ndescription: "${'x'.repeat(1_100_000)}"\n`],
    ['alias-bomb.yaml', aliasBomb()],
    ['tags.yaml', 'protocol: !!binary aGVsbG8=\noptions: !!set { a }\n'],
    ['timeout.yaml', 'protocol: raft\noptions: { electionTimeoutMs: 1e308 }\n'],
    ['fraction.yaml', 'protocol: raft\noptions: { electionTimeoutMs: 1.1 }\n'],
    ['final0.yaml', 'protocol: raft\nphases: { final: 0 }\n'],
    ['loss1.yaml', 'protocol: raft\nnetwork: { loss: 1 }\n'],
    ['nan.yaml', 'protocol: raft\nnetwork: { loss: .nan }\nphases: { faulty: .inf }\n'],
    ['huge-number.yaml', 'protocol: raft\ncluster: { nodes: 1e999 }\nlimits: { events: 1e300 }\n'],
    [
      'huge-list.yaml',
      `protocol: raft\nbugs: [${Array.from({ length: 50_000 }, () => 'x').join(',')}]\n`,
    ],
    ['seeds.yaml', 'protocol: raft\nseeds: 99999999999999999999..1\n'],
    ['crlf-bad.yaml', 'protocol: raft\r\nnetwork: { loss: 2 }\r\n'],
    ['tab.yaml', 'protocol: raft\nnetwork:\n\tloss: 0.1\n'],
  ];
}

function aliasBomb(): string {
  let text = 'protocol: raft\nx0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n';
  for (let i = 1; i < 10; i++) {
    const refs = Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ');
    text += `x${i}: &a${i} [${refs}]\n`;
  }
  return text;
}

// ------------------------------------------------------------------------------ result mutations

function resultPaths(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (path.length > 5) return out;
  if (Array.isArray(v)) {
    out.push(path);
    v.slice(0, 5).forEach((x, i) => {
      resultPaths(x, [...path, i], out);
    });
  } else if (typeof v === 'object' && v !== null) {
    out.push(path);
    for (const [k, x] of Object.entries(v)) resultPaths(x, [...path, k], out);
  }
  return out;
}

function mutateResult(doc: unknown, ms: readonly Mutation[]): unknown {
  const root = structuredClone(doc) as Record<string, unknown>;
  for (const m of ms) {
    const paths = resultPaths(root);
    const path = paths[m.pick % paths.length] ?? [];
    let target: unknown = root;
    for (const seg of path) target = (target as Record<string | number, unknown>)[seg];
    const v = typeof m.value === 'number' && !Number.isFinite(m.value) ? String(m.value) : m.value;
    if (Array.isArray(target)) {
      const i = m.pick % Math.max(1, target.length);
      if (m.kind === 'delete') target.splice(i, 1);
      else target[i] = v;
    } else if (typeof target === 'object' && target !== null) {
      const o = target as Record<string, unknown>;
      const keys = Object.keys(o);
      const existing = keys[m.pick % Math.max(1, keys.length)];
      if (m.kind === 'delete' && existing !== undefined) delete o[existing];
      else o[m.kind === 'replace' && existing !== undefined ? existing : m.key] = v;
    }
  }
  return root;
}

const generatedResult = (bases: readonly unknown[]) =>
  fc
    .record({
      base: fc.nat(bases.length - 1),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      corruption,
    })
    .map(({ base, mutations, corruption: c }) => {
      const doc = mutateResult(bases[base], mutations);
      return corrupt(JSON.stringify(doc, null, 2), {
        ...c,
        kind: c.kind === 'tabs' ? 'none' : c.kind,
      });
    });

// ------------------------------------------------------------------------------ history files

/** A Porcupine kv history and a Jepsen etcd log, a few operations each (both well formed). */
const PORCUPINE_KV = `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
{:process 1, :type :invoke, :f :get, :key "0", :value nil}
{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}
{:process 1, :type :ok, :f :get, :key "0", :value "x 0 0 y"}
`;
const JEPSEN_ETCD = `INFO  jepsen.util - 0\t:invoke\t:write\t4
INFO  jepsen.util - 1\t:invoke\t:read\tnil
INFO  jepsen.util - 0\t:ok\t:write\t4
INFO  jepsen.util - 1\t:ok\t:read\t4
INFO  jepsen.util - 2\t:invoke\t:cas\t[4 5]
INFO  jepsen.util - 2\t:fail\t:cas\t[4 5]
`;

/** How a value looks written into a text format: JSON for the structured, as-is for strings. */
const printed = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'nil'));

/** The text with one of its tokens (a run of non-space, non-bracket characters) replaced. */
function replaceToken(text: string, m: Mutation): string {
  const tokens = [...text.matchAll(/[^\s{}[\](),]+/g)];
  const t = tokens[m.pick % Math.max(1, tokens.length)];
  if (t === undefined) return text;
  const start = t.index ?? 0;
  const replacement = m.kind === 'delete' ? '' : printed(m.value);
  return `${text.slice(0, start)}${replacement}${text.slice(start + t[0].length)}`;
}

/** Histories of every format `check` reads, with fields, tokens or bytes gone wrong. */
const generatedHistory = (json: readonly unknown[], texts: readonly string[]) =>
  fc
    .record({
      base: fc.nat(json.length + texts.length - 1),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      corruption,
    })
    .map(({ base, mutations, corruption: c }) => {
      const text =
        base < json.length
          ? JSON.stringify(mutateResult(json[base], mutations), null, 2)
          : mutations.reduce(replaceToken, texts[base - json.length] as string);
      return corrupt(text, c);
    });

// ------------------------------------------------------------------------------ the corpus

interface Entry {
  readonly job: CorpusJob;
  /** Known to be malformed: only 64 or 65 will do. */
  readonly bad: boolean;
}

function runDriver(jobs: readonly CorpusJob[], dir: string): CorpusOutcome[] {
  const jobsFile = join(dir, 'jobs.json');
  const outcomesFile = join(dir, 'outcomes.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', CORPUS_DRIVER, jobsFile, outcomesFile],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 << 20,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const last = r.stderr.trimEnd().split('\n').pop();
  if (r.status !== 0)
    throw new Error(
      `the corpus driver died (${r.status ?? r.signal}) after: ${last}\n${r.stderr.slice(-4000)}`,
    );
  return JSON.parse(readFileSync(outcomesFile, 'utf8')) as CorpusOutcome[];
}

const ALLOWED: Record<CorpusJob['command'], readonly number[]> = {
  run: [0, 1, 2, 64, 65],
  replay: [0, 1, 2, 65, 70],
  shrink: [0, 65],
  check: [0, 1, 2, 65],
};

function problemWith(o: CorpusOutcome, bad: boolean): string | undefined {
  const text = `${o.stdout}\n${o.stderr}`;
  if (STACK_LINE.test(text)) return 'a stack trace';
  if (text.includes('internal error')) return 'an internal error';
  if (!ALLOWED[o.job.command].includes(o.code)) return `exit ${o.code}`;
  if (bad && o.code !== 64 && o.code !== 65) return `exit ${o.code} for a known-bad file`;
  // 70 from replay is only ever the documented mismatch of trace hashes.
  if (o.code === 70 && !o.stderr.includes('replay mismatch')) return 'exit 70 without a mismatch';
  if ((o.code === 64 || o.code === 65) && !/^faultline: \S/.test(o.stderr)) return 'no message';
  if (o.stderr.split('\n').length > 24) return `${o.stderr.split('\n').length} lines of errors`;
  if (o.ms > 20_000) return `${Math.round(o.ms)} ms`;
  return undefined;
}

describe('the malformed-input corpus', () => {
  let dir: string;
  let bases: unknown[];
  const entries: Entry[] = [];

  beforeAll(() => {
    dir = temp('corpus');
    const out = join(dir, 'reports');
    for (const [name, text] of [
      ['corpus.yaml', BASE],
      ['failing.yaml', FAILING],
    ] as const) {
      writeFileSync(join(dir, name), text);
      const r = cli(['run', join(dir, name), '--seed', '1', '--out', out]);
      if (r.code !== 0 && r.code !== 1) throw new Error(`base run failed:\n${show(r)}`);
    }
    bases = ['corpus', 'failing'].map((n) =>
      JSON.parse(readFileSync(join(out, n, '1', 'result.json'), 'utf8')),
    );
    const files = join(dir, 'files');
    mkdirSync(files);
    const add = (
      name: string,
      data: Buffer | string,
      command: CorpusJob['command'],
      bad: boolean,
    ) => {
      const file = join(files, name);
      writeFileSync(file, data);
      entries.push({ job: { command, file, out: join(dir, 'out') }, bad });
    };
    for (const [name, text] of knownBad()) add(name, text, 'run', true);
    const scenarios = fc.sample(generatedScenario, { seed: 9, numRuns: GENERATED_SCENARIOS });
    scenarios.forEach((b, i) => {
      add(`gen-${i}.${b[0] === 0x7b ? 'json' : 'yaml'}`, b, 'run', false);
    });
    const histories = fc.sample(
      generatedHistory(
        [
          JSON.parse(readFileSync(join(out, 'corpus', '1', 'history.json'), 'utf8')),
          JSON.parse(
            readFileSync(join(ROOT, 'test', 'fixtures', 'lin', 'kv-history.json'), 'utf8'),
          ),
        ],
        [
          PORCUPINE_KV,
          JEPSEN_ETCD,
          readFileSync(join(ROOT, 'test', 'fixtures', 'lin', 'register-stale-read.edn'), 'utf8'),
        ],
      ),
      { seed: 9, numRuns: GENERATED_HISTORIES },
    );
    histories.forEach((b, i) => {
      add(`history-${i}.txt`, b, 'check', false);
    });
    for (const name of readdirSync(FIXTURES).sort()) {
      if (!/^(scenario|history)-/.test(name)) continue;
      const command = name.startsWith('history-') ? 'check' : 'run';
      add(`fixture-${name}`, readFileSync(join(FIXTURES, name)), command, true);
    }
    const results = fc.sample(generatedResult(bases), { seed: 9, numRuns: GENERATED_RESULTS });
    results.forEach((b, i) => {
      add(`result-${i}.json`, b, 'replay', false);
      entries.push({
        job: { command: 'shrink', file: join(files, `result-${i}.json`), out: join(dir, 'shrunk') },
        bad: false,
      });
    });
    for (const [name, text] of [
      ['result-empty.json', ''],
      ['result-deep.json', '['.repeat(100_000)],
      ['result-garbage.json', '\u0000\u0001{'],
      ['result-bugs.json', JSON.stringify({ ...(bases[1] as object), bugs: ['nope', 1] })],
      ['result-seed.json', JSON.stringify({ ...(bases[1] as object), seed: -1.5 })],
      [
        'result-faults.json',
        JSON.stringify({ ...(bases[1] as object), faults: [{ action: 'crash' }, 7] }),
      ],
      ['result-checks.json', JSON.stringify({ ...(bases[1] as object), checks: 'none' })],
      [
        'result-name.json',
        JSON.stringify({ ...(bases[1] as object), scenario: { file: '', name: '../../x' } }),
      ],
    ] as const) {
      add(name, text, 'replay', true);
      entries.push({
        job: { command: 'shrink', file: join(files, name), out: join(dir, 'shrunk') },
        bad: true,
      });
    }
  });

  it('never gets an exit code it should not, a stack trace, or a hang, through one process', () => {
    const outcomes = runDriver(
      entries.map((e) => e.job),
      dir,
    );
    const failures: string[] = [];
    outcomes.forEach((o, i) => {
      const problem = problemWith(o, (entries[i] as Entry).bad);
      if (problem !== undefined)
        failures.push(`${o.job.command} ${o.job.file}: ${problem}\n${o.stderr.slice(0, 600)}`);
    });
    expect(failures, failures.slice(0, 10).join('\n\n')).toEqual([]);
    expect(outcomes.length).toBe(entries.length);
    // A corpus every file of which is turned away at the door tests only the door: some of what
    // is generated must get through to a verdict, for every command.
    const codes = (command: string) =>
      [...new Set(outcomes.filter((o) => o.job.command === command).map((o) => o.code))].sort();
    expect(codes('run')).toEqual(expect.arrayContaining([0, 65]));
    expect(codes('replay')).toEqual(expect.arrayContaining([1, 65]));
    expect(codes('shrink')).toEqual(expect.arrayContaining([0, 65]));
    expect(codes('check')).toEqual(expect.arrayContaining([0, 1, 65]));
  });

  it.each([
    ['run', 'deep.json'],
    ['run', 'deep.yaml'],
    ['run', 'keys.yaml'],
    ['run', 'garbage.bin'],
    ['run', 'huge.yaml'],
    ['check', 'fixture-history-deep.json'],
  ])('%s %s, spawned as a user would: exit 65 with one short message', (command, name) => {
    const file = join(dir, 'files', name);
    const args = command === 'run' ? ['--seed', '1', '--out', join(dir, 'spawned')] : [];
    const r = cli([command, file, ...args]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).toMatch(/^faultline: \S/);
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(23);
  });
});
