/**
 * The scenario parser: a full document resolves to the right units and defaults, and each kind
 * of mistake is reported at the line, column and field path where the author has to fix it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../../src/faults/registry.js';
import {
  buildWorldConfig,
  formatScenarioError,
  parseScenario,
  validateBugs,
  type Scenario,
  type ScenarioError,
} from '../../../src/scenario/index.js';

const FULL = readFileSync(new URL('./fixtures/pb-full.yaml', import.meta.url), 'utf8');

function parsed(text: string, file = 'scenarios/test.yaml'): Scenario {
  const r = parseScenario(text, file);
  if (!r.ok)
    throw new Error(
      `expected a valid scenario, got:\n${r.errors.map(formatScenarioError).join('\n')}`,
    );
  return r.scenario;
}

function errors(text: string, file = 's.yaml'): readonly ScenarioError[] {
  const r = parseScenario(text, file);
  if (r.ok) throw new Error('expected errors, the scenario parsed');
  return r.errors;
}

/** `line:col` of the first occurrence of `needle` in `text` (after `after`, if given). */
function pos(text: string, needle: string, after = ''): string {
  const offset = text.indexOf(needle, after === '' ? 0 : text.indexOf(after) + after.length);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1] as string).length + 1}`;
}

/** The only error, as `line:col path: message`. */
function onlyError(text: string): { where: string; path: string; message: string } {
  const es = errors(text);
  expect(es.map(formatScenarioError)).toHaveLength(1);
  const e = es[0] as ScenarioError;
  return { where: `${e.line}:${e.column}`, path: e.path, message: e.message };
}

/** The engine options every protocol with `storage:` fills in when a scenario gives none. */
const LSM_DEFAULTS = {
  sync: { kind: 'always' },
  memtableBytesMax: 65536,
  blockBytes: 4096,
  bloomBitsPerKey: 10,
  levelFanout: 10,
  level1BytesMax: 262144,
  level0CompactionTrigger: 4,
  tableBytesMax: 65536,
};

describe('a full scenario', () => {
  const s = parsed(FULL, 'scenarios/pb-full.yaml');

  it('keeps the descriptive fields, options with defaults, bugs and seeds', () => {
    expect(s.file).toBe('scenarios/pb-full.yaml');
    expect(s.name).toBe('pb-full');
    expect(s.description).toMatch(/^Primary\/backup/);
    expect(s.lesson).toBe(
      "A synchronous primary waits for every backup's fsync before it acknowledges.\n",
    );
    expect(s.protocol.name).toBe('primary-backup');
    expect(s.options).toEqual({
      mode: 'sync',
      heartbeatMs: 25,
      electionTimeoutMs: 150,
      batchMax: 64,
      storage: 'memory',
      lsm: LSM_DEFAULTS,
      checkpointEvery: 0,
    });
    expect(s.bugs).toEqual(['primary-backup.ack-before-fsync']);
    expect(s.seed).toBe(42);
    expect(s.seeds).toEqual({ from: 1, to: 1000 });
    expect(s.checkers.map((c) => c.name)).toEqual(['durability', 'liveness']);
    expect(s.workload.definition.name).toBe('kv');
    expect(s.contentHash).toMatch(/^[0-9a-f]{16}$/);
    expect(s.nodes).toBe(3);
  });

  it('converts the network to microseconds and ppm, links to directed node indices', () => {
    expect(s.network.defaults).toEqual({
      delay: { dist: 'uniform', minUs: 1000, maxUs: 5000, slowTail: { ppm: 1000, factor: 20 } },
      lossPpm: 10_000,
      duplicatePpm: 2000,
      reorderPpm: 50_000,
    });
    const link = {
      delay: { dist: 'constant', us: 20_000 },
      lossPpm: 100_000,
      duplicatePpm: 2000,
      reorderPpm: 50_000,
    };
    expect(s.network.links).toEqual([
      { from: 0, to: 1, config: link },
      { from: 1, to: 0, config: link },
      {
        from: 2,
        to: 0,
        config: {
          delay: { dist: 'exponential', minUs: 0, meanUs: 2000 },
          lossPpm: 10_000,
          duplicatePpm: 2000,
          reorderPpm: 50_000,
        },
      },
    ]);
  });

  it('leaves replay off unless network.replay is given, and converts it when it is', () => {
    expect(s.network.replay).toBeUndefined();
    const on = parsed(
      'protocol: paxos\nnetwork:\n  replay: { ratio: 0.25, delay: { dist: uniform, min: 5ms, max: 15ms } }\n',
    );
    expect(on.network.replay).toEqual({
      ratioPpm: 250_000,
      delay: { dist: 'uniform', minUs: 5000, maxUs: 15_000 },
    });
  });

  it('a replay ratio outside [0, 1] is an error at its position', () => {
    const text = 'protocol: paxos\nnetwork:\n  replay: { ratio: 2, delay: 10ms }\n';
    expect(onlyError(text)).toMatchObject({
      where: pos(text, '2'),
      path: 'network.replay.ratio',
    });
    expect(onlyError('protocol: paxos\nnetwork:\n  replay: { ratio: 0.5 }\n')).toMatchObject({
      path: 'network.replay.delay',
    });
  });

  it('converts the disk, clocks, workload, phases and limits', () => {
    expect(s.disk).toEqual({
      writeLatency: { dist: 'constant', us: 50 },
      syncLatency: { dist: 'uniform', minUs: 500, maxUs: 2000 },
      config: {
        sectorBytes: 4096,
        crash: { keepUnsyncedPpm: 500_000, tornPpm: 250_000, dirOpsKeepPpm: 1_000_000 },
        faults: {
          bitFlipOnReadPpm: 100,
          bitFlipOnWritePpm: 0,
          latentSectorErrorPpm: 0,
          misdirectedWritePpm: 0,
          fsyncFailPpm: 1000,
          faultsPerBlockMax: 2,
        },
      },
      faultyNodesMax: 1,
    });
    expect(s.clocks).toEqual({
      skewUsMax: 10_000,
      driftPpmMax: 50,
      perNode: [
        { node: 0, offsetUs: 50_000, driftPpm: 100 },
        { node: 2, offsetUs: -50_000, driftPpm: -100 },
      ],
    });
    expect(s.workload.options).toEqual({ keys: 7, mix: { get: 1, put: 1, append: 2, delete: 0 } });
    expect(s.clients).toEqual({
      count: 4,
      timeoutUs: 400_000,
      thinkUs: { dist: 'uniform', minUs: 1000, maxUs: 20_000 },
      retries: 2,
      opsPerClientMax: 5000,
    });
    expect(s.phases).toEqual({ faultyUs: 12_000_000, healedUs: 4_000_000, finalUs: 6_000_000 });
    expect(s.limits).toEqual({
      eventsMax: 5_000_000,
      virtualTimeUsMax: 60_000_000,
      pendingEventsMax: 1_000_000,
      historyOpsMax: 20_000,
      historyBytesMax: 64 * 1024 * 1024,
      faultRecordsMax: 50_000,
    });
  });

  it('turns a partition cut into index pairs, both ways or one-way, and an empty cut into no links', () => {
    const s = parsed(
      'protocol: primary-backup\ncluster: { nodes: 4 }\nfaults:\n  schedule:\n    - { at: 1.2s, partition: { cut: [[n1, n3], [n2, n4]] }, for: 100ms }\n    - { at: 2s, partition: { cut: [[n4, n1]] }, oneWay: true }\n    - { at: 3s, partition: { cut: [] }, for: 1ms }\n',
    );
    expect(s.faults.schedule).toEqual([
      {
        atUs: 1_200_000,
        action: {
          kind: 'partition',
          spec: {
            shape: 'links',
            links: [
              [0, 2],
              [1, 3],
            ],
            oneWay: false,
          },
        },
        forUs: 100_000,
      },
      {
        atUs: 2_000_000,
        action: { kind: 'partition', spec: { shape: 'links', links: [[3, 0]], oneWay: true } },
      },
      {
        atUs: 3_000_000,
        action: { kind: 'partition', spec: { shape: 'links', links: [], oneWay: false } },
        forUs: 1_000,
      },
    ]);
  });

  it('turns the schedule into fault actions on node indices', () => {
    expect(s.faults.schedule).toEqual([
      {
        atUs: 2_000_000,
        action: { kind: 'partition', spec: { shape: 'halves', oneWay: false } },
        forUs: 3_000_000,
      },
      {
        atUs: 2_500_000,
        action: { kind: 'partition', spec: { shape: 'isolate', node: 1, oneWay: true } },
      },
      {
        atUs: 3_000_000,
        action: {
          kind: 'partition',
          spec: { shape: 'explicit', components: [[0], [1, 2]], oneWay: false },
        },
        forUs: 1_000_000,
      },
      { atUs: 4_000_000, action: { kind: 'crash', node: 0 }, forUs: 1_000_000 },
      { atUs: 5_000_000, action: { kind: 'restart', node: 0 } },
      { atUs: 1_000_000, action: { kind: 'pause', node: 1 }, forUs: 500_000 },
      { atUs: 1_800_000, action: { kind: 'resume', node: 1 } },
      { atUs: 6_000_000, action: { kind: 'heal' } },
      { atUs: 1_000_000, action: { kind: 'clog', node: 1, forUs: 1_000_000 } },
      { atUs: 7_000_000, action: { kind: 'clog', link: [0, 2], forUs: 250_000 } },
      {
        atUs: 8_000_000,
        action: { kind: 'skew', node: 0, bumpUs: -200_000, driftPpm: 100 },
        forUs: 2_000_000,
      },
    ]);
  });

  it('turns random nemeses into specs: every as exponential, for as constant, unless given as distributions', () => {
    expect(s.faults.nemeses).toEqual([
      {
        kind: 'crash',
        everyUs: { dist: 'exponential', minUs: 0, meanUs: 2_000_000 },
        forUs: { dist: 'constant', us: 500_000 },
        target: { role: 'primary' },
      },
      {
        kind: 'partition',
        everyUs: { dist: 'exponential', minUs: 0, meanUs: 3_000_000 },
        forUs: { dist: 'constant', us: 1_000_000 },
        target: 'random',
        params: { shapes: ['halves', 'bridge'], oneWay: false },
      },
      {
        kind: 'skew',
        everyUs: { dist: 'uniform', minUs: 1_000_000, maxUs: 5_000_000 },
        forUs: { dist: 'constant', us: 1_000_000 },
        target: 'random',
        params: { bumpUsMax: 500_000 },
      },
    ]);
    expect(s.faults.maxDown).toBe(1);
  });

  it('hashes the text stably', () => {
    expect(parsed(FULL).contentHash).toBe(s.contentHash);
    expect(parsed(`${FULL}\n# changed\n`).contentHash).not.toBe(s.contentHash);
  });
});

describe('defaults', () => {
  it('fills in everything a minimal scenario leaves out', () => {
    const s = parsed('protocol: primary-backup\n', 'scenarios/lessons/pb-min.yml');
    expect(s.name).toBe('pb-min');
    expect(s.description).toBeUndefined();
    expect(s.bugs).toEqual([]);
    expect(s.seed).toBeUndefined();
    expect(s.options).toEqual({
      mode: 'sync',
      heartbeatMs: 20,
      electionTimeoutMs: 150,
      batchMax: 64,
      storage: 'memory',
      lsm: LSM_DEFAULTS,
      checkpointEvery: 0,
    });
    expect(s.nodes).toBe(3);
    expect(s.network).toEqual({
      defaults: {
        delay: { dist: 'uniform', minUs: 1000, maxUs: 5000 },
        lossPpm: 0,
        duplicatePpm: 0,
        reorderPpm: 0,
      },
      links: [],
    });
    expect(s.disk).toEqual({
      writeLatency: { dist: 'constant', us: 100 },
      syncLatency: { dist: 'uniform', minUs: 500, maxUs: 2000 },
      config: {
        sectorBytes: 512,
        crash: { keepUnsyncedPpm: 250_000, tornPpm: 500_000, dirOpsKeepPpm: 500_000 },
        faults: undefined,
      },
      faultyNodesMax: 0,
    });
    expect(s.clocks).toEqual({ skewUsMax: 0, driftPpmMax: 0 });
    expect(s.workload.definition.name).toBe('kv');
    expect(s.workload.options).toEqual({ keys: 5, mix: { get: 1, put: 0, append: 2, delete: 0 } });
    expect(s.clients).toEqual({
      count: 3,
      timeoutUs: 500_000,
      thinkUs: { dist: 'uniform', minUs: 1000, maxUs: 20_000 },
      retries: 3,
      opsPerClientMax: 100_000,
    });
    expect(s.faults).toEqual({ schedule: [], nemeses: [], maxDown: 1, kinds: FAULT_KINDS });
    expect(s.phases).toEqual({ faultyUs: 10_000_000, healedUs: 3_000_000, finalUs: 5_000_000 });
    expect(s.limits).toEqual({
      eventsMax: 20_000_000,
      virtualTimeUsMax: 28_000_000,
      pendingEventsMax: 1_000_000,
      historyOpsMax: 20_000,
      historyBytesMax: 64 * 1024 * 1024,
      faultRecordsMax: 50_000,
    });
    expect(s.checkers.map((c) => c.name)).toEqual([
      'durability',
      'linearizability',
      'liveness',
      'invariants',
    ]);
  });

  it('gives a protocol without a kv workload no clients and only workload-independent checkers', () => {
    const s = parsed('protocol: ping\ncluster: { nodes: 5 }\n');
    expect(s.workload.definition.name).toBe('none');
    expect(s.clients).toBeUndefined();
    expect(s.checkers.map((c) => c.name)).toEqual(['invariants']);
  });

  it('resolves minority for maxDown and faulty disks, all for disks, and partial mixes as zero', () => {
    const s = parsed(
      'protocol: primary-backup\ncluster: { nodes: 5 }\ndisk: { faults: { fsyncFail: 0.5 } }\nworkload: { mix: { put: 1 } }\n',
    );
    expect(s.faults.maxDown).toBe(2);
    expect(s.disk.faultyNodesMax).toBe(2);
    expect(s.disk.config.faults).toEqual({
      bitFlipOnReadPpm: 0,
      bitFlipOnWritePpm: 0,
      latentSectorErrorPpm: 0,
      misdirectedWritePpm: 0,
      fsyncFailPpm: 500_000,
      faultsPerBlockMax: 1,
    });
    expect(s.workload.options).toMatchObject({ mix: { get: 0, put: 1, append: 0 } });
    expect(
      parsed('protocol: primary-backup\ndisk: { faults: { nodes: all } }\n').disk.faultyNodesMax,
    ).toBe(3);
  });

  it('reads bare numbers as milliseconds and signed durations either way', () => {
    const s = parsed(
      'protocol: primary-backup\nnetwork: { delay: 2.5 }\nclocks: { nodes: { n2: { offset: -1.5s } } }\n',
    );
    expect(s.network.defaults.delay).toEqual({ dist: 'constant', us: 2500 });
    expect(s.clocks.perNode).toEqual([{ node: 1, offsetUs: -1_500_000, driftPpm: 0 }]);
  });

  it('leaves out bridge from random partitions of two nodes', () => {
    const s = parsed(
      'protocol: primary-backup\ncluster: { nodes: 2 }\nfaults: { random: [{ kind: partition, every: 1s, for: 100ms }] }\n',
    );
    expect(s.faults.nemeses[0]?.params?.shapes).toEqual([
      'halves',
      'random-halves',
      'isolate',
      'majorities-ring',
    ]);
  });
});

describe('errors name the line, column and field', () => {
  it('a bad duration', () => {
    expect(onlyError('protocol: primary-backup\nphases:\n  faulty: 10 seconds\n')).toEqual({
      where: '3:11',
      path: 'phases.faulty',
      message:
        'expected a duration like 150ms or 2s (units us, ms, s, m; a bare number means ms), got "10 seconds"',
    });
  });

  it('an unknown key at the top level, pointing at the key', () => {
    expect(onlyError('protocol: primary-backup\nnetwrok: { loss: 0.1 }\n')).toEqual({
      where: '2:1',
      path: 'netwrok',
      message: 'unknown field netwrok (did you mean network?)',
    });
  });

  it('unknown keys nested, one error per key', () => {
    const es = errors('protocol: primary-backup\nnetwork:\n  loss: 0.1\n  lossy: 0.2\n  zzz: 1\n');
    expect(es.map(formatScenarioError)).toEqual([
      's.yaml:4:3 network.lossy: unknown field lossy (did you mean loss?)',
      's.yaml:5:3 network.zzz: unknown field zzz; expected one of delay, loss, duplicate, reorder, links, crossZone, replay',
    ]);
  });

  it('an unknown key inside a list entry', () => {
    expect(
      onlyError(
        'protocol: primary-backup\nfaults:\n  schedule:\n    - at: 1s\n      crash: n1\n      fro: 2s\n',
      ),
    ).toMatchObject({ where: '6:7', path: 'faults.schedule.0.fro' });
  });

  it('an unknown protocol', () => {
    expect(onlyError('name: x\nprotocol: primary-bakup\n')).toEqual({
      where: '2:11',
      path: 'protocol',
      message:
        'unknown protocol "primary-bakup": expected one of primary-backup, raft, paxos, multi-paxos, crdt, dynamo, ping, kv-store, two-phase-commit, saga, lock-service, cluster, or a module path like ./my-protocol.js (did you mean primary-backup?)',
    });
  });

  it('an unknown bug', () => {
    expect(
      onlyError(
        'protocol: primary-backup\nbugs:\n  - primary-backup.ack-before-fsync\n  - primary-backup.ack-early\n',
      ),
    ).toEqual({
      where: '4:5',
      path: 'bugs.1',
      message:
        'unknown bug primary-backup.ack-early: primary-backup has primary-backup.ack-before-fsync, primary-backup.fail-when-deposed, primary-backup.unfenced-epochs, primary-backup.retry-fsync, primary-backup.ack-before-backups',
    });
  });

  it('an unknown node, in a fault, a link and a clock', () => {
    expect(
      onlyError(
        'protocol: primary-backup\nfaults:\n  schedule:\n    - { at: 4s, crash: n7, for: 1s }\n',
      ),
    ).toEqual({
      where: '4:24',
      path: 'faults.schedule.0.crash',
      message: 'unknown node n7: the cluster has n1..n3',
    });
    const link = 'protocol: primary-backup\nnetwork:\n  links: [{ from: n1, to: n4 }]\n';
    expect(onlyError(link)).toMatchObject({ where: pos(link, 'n4'), path: 'network.links.0.to' });
    expect(
      onlyError('protocol: primary-backup\nclocks:\n  nodes:\n    n9: { offset: 5ms }\n'),
    ).toEqual({
      where: '4:5',
      path: 'clocks.nodes.n9',
      message: 'unknown node n9: the cluster has n1..n3',
    });
  });

  it('a bad partition shape', () => {
    expect(
      onlyError(
        'protocol: primary-backup\nfaults:\n  schedule:\n    - { at: 2s, partition: thirds, for: 3s }\n',
      ),
    ).toEqual({
      where: '4:28',
      path: 'faults.schedule.0.partition',
      message:
        'expected a partition shape (halves, random-halves, isolate, bridge, majorities-ring), components like [[n1, n2], [n3]], cut links like { cut: [[n1, n3]] }, or zones like { zones: [[z1], [z2]] }',
    });
    const text =
      'protocol: primary-backup\nfaults:\n  random:\n    - { kind: partition, every: 1s, for: 1s, shapes: [halves, thirds] }\n';
    expect(onlyError(text)).toMatchObject({
      where: pos(text, 'thirds'),
      path: 'faults.random.0.shapes.1',
    });
  });

  it('a partition cut: node pairs, each two different nodes of the cluster', () => {
    const entry = (cut: string, extra = '') =>
      `protocol: primary-backup\ncluster: { nodes: 4 }\nfaults:\n  schedule:\n    - { at: 1s, partition: { cut: ${cut} }${extra}, for: 100ms }\n`;
    const unknown = entry('[[n1, n3], [n2, n9]]');
    expect(onlyError(unknown)).toEqual({
      where: pos(unknown, 'n9'),
      path: 'faults.schedule.0.partition.cut.1.1',
      message: 'unknown node n9: the cluster has n1..n4',
    });
    const same = entry('[[n1, n3], [n2, n2]]');
    expect(onlyError(same)).toEqual({
      where: pos(same, 'n2]]'),
      path: 'faults.schedule.0.partition.cut.1.1',
      message: 'a cut pair joins two different nodes, not n2 and itself',
    });
    const one = entry('[[n1, n3], [n2]]');
    expect(onlyError(one)).toEqual({
      where: pos(one, '[n2]'),
      path: 'faults.schedule.0.partition.cut.1',
      message: 'expected a pair of two nodes, like [n1, n3]',
    });
    const three = entry('[[n1, n2, n3]]');
    expect(onlyError(three)).toMatchObject({
      path: 'faults.schedule.0.partition.cut.0',
      message: 'expected a pair of two nodes, like [n1, n3]',
    });
    const flat = entry('[n1, n3]');
    // A flat list is a list of two non-pairs: each name is pointed at.
    expect(errors(flat).map(formatScenarioError)).toEqual([
      `s.yaml:${pos(flat, 'n1')} faults.schedule.0.partition.cut.0: expected a pair of two nodes, like [n1, n3]`,
      `s.yaml:${pos(flat, 'n3')} faults.schedule.0.partition.cut.1: expected a pair of two nodes, like [n1, n3]`,
    ]);
    const notList = entry('n1');
    expect(onlyError(notList)).toMatchObject({
      path: 'faults.schedule.0.partition.cut',
      message: 'expected a list of node pairs, like [[n1, n3], [n2, n4]]',
    });
    const typo =
      'protocol: primary-backup\nfaults:\n  schedule:\n    - { at: 1s, partition: { cuts: [[n1, n2]] } }\n';
    expect(errors(typo).map(formatScenarioError)).toEqual([
      's.yaml:4:30 faults.schedule.0.partition.cuts: unknown field cuts (did you mean cut?)',
    ]);
    const node = entry('[[n1, n2]]', ', node: n1');
    expect(onlyError(node)).toMatchObject({
      path: 'faults.schedule.0.node',
      message: 'node only goes with partition: isolate',
    });
  });

  it('a missing protocol, at the mapping it belongs in', () => {
    expect(onlyError('# a comment\n\nname: x\ncluster: { nodes: 3 }\n')).toEqual({
      where: '3:1',
      path: 'protocol',
      message: 'missing required field protocol',
    });
  });

  it('a missing field of a nested object, at that object', () => {
    expect(
      onlyError('protocol: primary-backup\nnetwork:\n  delay: { dist: uniform, min: 1ms }\n'),
    ).toEqual({ where: '3:10', path: 'network.delay.max', message: 'missing required field max' });
  });

  it('a YAML syntax error, at its own position', () => {
    expect(onlyError('protocol: primary-backup\ncluster:\n  nodes: 3\n bad: 1\n')).toEqual({
      where: '4:1',
      path: '',
      message: 'All mapping items must start at the same column',
    });
    expect(onlyError('protocol: primary-backup\nname: "abc\n')).toMatchObject({
      where: '3:1',
      path: '',
    });
  });

  it('a duplicate key, at the repeated key', () => {
    expect(onlyError('protocol: primary-backup\ncluster:\n  nodes: 3\n  nodes: 4\n')).toEqual({
      where: '4:3',
      path: 'cluster.nodes',
      message: 'duplicate key nodes: each key may appear only once in a mapping',
    });
  });

  it('a protocol option error, at options.<field>', () => {
    expect(onlyError('protocol: primary-backup\noptions:\n  mode: fast\n')).toEqual({
      where: '3:9',
      path: 'options.mode',
      message: 'expected sync or async, got "fast"',
    });
    expect(
      onlyError('protocol: primary-backup\noptions: { heartbeatMs: 20, batchMx: 3 }\n'),
    ).toEqual({
      where: '2:29',
      path: 'options.batchMx',
      message: 'unknown field batchMx (did you mean batchMax?)',
    });
  });

  it('min greater than max', () => {
    const text =
      'protocol: primary-backup\ndisk:\n  syncLatency: { dist: uniform, min: 5ms, max: 1ms }\n';
    expect(onlyError(text)).toEqual({
      where: pos(text, '5ms'),
      path: 'disk.syncLatency.min',
      message: 'min (5ms) is greater than max (1ms)',
    });
  });

  it('schedule entries with no action, two actions, or a clog without for', () => {
    const es = errors(
      'protocol: primary-backup\nfaults:\n  schedule:\n    - { at: 1s }\n    - { at: 1s, crash: n1, pause: n2 }\n    - { at: 1s, clog: [n1, n2] }\n',
    );
    expect(es.map(formatScenarioError)).toEqual([
      's.yaml:4:7 faults.schedule.0: expected one action: partition, heal, crash, restart, pause, resume, clog, skew, join, leave, backup, disaster, restore',
      's.yaml:5:35 faults.schedule.1.pause: one action per entry: this entry already has crash',
      's.yaml:6:7 faults.schedule.2: clog needs for: how long messages are held',
    ]);
  });

  it('checkers that do not fit the workload', () => {
    expect(onlyError('protocol: ping\ncheckers: [invariants, durability]\n')).toEqual({
      where: '2:24',
      path: 'checkers.1',
      message:
        'durability checks kv histories (writes of unique values, final reads), but not this scenario: it reads kv histories (writes and final reads)',
    });
  });

  it('a time limit shorter than the phases', () => {
    expect(onlyError('protocol: primary-backup\nlimits: { virtualTime: 5s }\n')).toMatchObject({
      where: '2:24',
      path: 'limits.virtualTime',
    });
  });

  it('an empty file and a file that is not a mapping', () => {
    expect(onlyError('# nothing here\n')).toEqual({
      where: '1:1',
      path: '',
      message: 'the scenario is empty: it needs at least protocol:',
    });
    expect(onlyError('- protocol: ping\n')).toEqual({
      where: '1:1',
      path: '',
      message: 'expected a mapping, got [{"protocol":"ping"}]',
    });
    expect(onlyError('null\n')).toEqual({
      where: '1:1',
      path: '',
      message: 'expected a mapping, got null',
    });
  });

  it('reports every problem of a stage, sorted by position', () => {
    const es = errors(
      'protocol: primary-backup\nworkload: { clients: 0 }\nnetwork: { loss: 2 }\ncluster: { nodes: 0 }\n',
    );
    expect(es.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      '2:22 workload.clients',
      '3:18 network.loss',
      '4:19 cluster.nodes',
    ]);
  });
});

describe('JSON scenarios', () => {
  const json = JSON.stringify(
    {
      protocol: 'primary-backup',
      cluster: { nodes: 5 },
      network: { delay: { dist: 'constant', value: '3ms' } },
    },
    null,
    2,
  );

  it('parse like YAML', () => {
    const s = parsed(json, 'scenarios/x.json');
    expect(s.name).toBe('x');
    expect(s.nodes).toBe(5);
    expect(s.network.defaults.delay).toEqual({ dist: 'constant', us: 3000 });
  });

  it('carry positions in errors', () => {
    const bad =
      '{\n  "protocol": "primary-backup",\n  "cluster": { "nodes": 65 },\n  "network": { "los": 0.1 }\n}\n';
    expect(errors(bad, 'x.json').map(formatScenarioError)).toEqual([
      'x.json:3:25 cluster.nodes: expected a whole number from 1 to 64, got 65',
      'x.json:4:16 network.los: unknown field los (did you mean loss?)',
    ]);
  });

  it('accept $schema for editors', () => {
    expect(
      parsed('{ "$schema": "../schema/scenario.schema.json", "protocol": "ping" }').protocol.name,
    ).toBe('ping');
  });
});

describe('formatScenarioError', () => {
  it('prints file:line:col path: message, leaving out an empty path', () => {
    expect(
      formatScenarioError({
        file: 'a.yaml',
        line: 9,
        column: 11,
        path: 'faults.1.kind',
        message: 'bad',
      }),
    ).toBe('a.yaml:9:11 faults.1.kind: bad');
    expect(
      formatScenarioError({ file: 'a.yaml', line: 1, column: 1, path: '', message: 'empty' }),
    ).toBe('a.yaml:1:1 empty');
  });
});

describe('buildWorldConfig', () => {
  const s = parsed(FULL);

  it('hands over the resolved pieces and creates the protocol and workload', () => {
    const c = buildWorldConfig(s, 7);
    expect(c.seed).toBe(7);
    expect(c.nodes).toBe(3);
    expect(c.protocol.name).toBe('primary-backup');
    expect(c.network).toEqual(s.network);
    expect(c.disk).toEqual(s.disk);
    expect(c.clocks).toEqual(s.clocks);
    expect(c.faults).toEqual(s.faults);
    expect(c.phases).toEqual(s.phases);
    expect(c.limits).toEqual(s.limits);
    expect(c.trace).toBeUndefined();
    expect(c.clients?.count).toBe(4);
    expect(c.clients?.timeoutUs).toBe(400_000);
    expect(c.clients?.workload.finalOps()).toHaveLength(7);
  });

  it('creates a fresh workload per call, so seeds do not share client counters', () => {
    expect(buildWorldConfig(s, 1).clients?.workload).not.toBe(
      buildWorldConfig(s, 1).clients?.workload,
    );
  });

  it('passes the scenario bugs and extra bugs to the protocol', () => {
    const seen: ReadonlySet<string>[] = [];
    const spy: Scenario = {
      ...s,
      protocol: {
        ...s.protocol,
        create: (cfg) => {
          seen.push(cfg.bugs);
          return s.protocol.create(cfg);
        },
      },
    };
    const sink = (_line: string) => {};
    const c = buildWorldConfig(spy, 3, {
      bugs: ['primary-backup.unfenced-epochs', 'primary-backup.ack-before-fsync'],
      trace: sink,
    });
    expect([...(seen[0] ?? [])].sort()).toEqual([
      'primary-backup.ack-before-fsync',
      'primary-backup.unfenced-epochs',
    ]);
    expect(c.trace).toBe(sink);
  });

  it('gives no workload for workload: none', () => {
    expect(
      buildWorldConfig(parsed('protocol: primary-backup\nworkload: none\n'), 1).clients,
    ).toBeUndefined();
  });

  it('validateBugs names an unknown bug and the known ones', () => {
    expect(validateBugs(s, ['primary-backup.fail-when-deposed'])).toBeUndefined();
    expect(validateBugs(s, ['primary-backup.ack-before-fsnc'])).toBe(
      'unknown bug primary-backup.ack-before-fsnc: primary-backup has primary-backup.ack-before-fsync, primary-backup.fail-when-deposed, primary-backup.unfenced-epochs, primary-backup.retry-fsync, primary-backup.ack-before-backups (did you mean primary-backup.ack-before-fsync?)',
    );
    expect(validateBugs(parsed('protocol: ping\n'), ['x'])).toBe(
      'unknown bug x: ping has no named bugs',
    );
    expect(() => buildWorldConfig(s, 1, { bugs: ['nope'] })).toThrow(/unknown bug nope/);
  });
});
