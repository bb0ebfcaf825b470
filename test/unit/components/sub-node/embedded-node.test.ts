/**
 * The embedding of a node inside a node (components/sub-node): Raft's own handlers and ping's,
 * hosted under a namespace inside a wrapper node in a real world, must behave as they do on
 * their own: a Raft group elects a leader and commits what its host submits, through a crash
 * of the leader's host; ping's rounds come back; every file, timer and mark carries the
 * namespace, and disk completions find their way back by tag.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { NodeId } from '../../../../src/core/ids.js';
import type { Effect, NodeContext, Protocol } from '../../../../src/core/protocol.js';
import { NO_EFFECTS } from '../../../../src/core/protocol.js';
import {
  EmbeddedNode,
  type InnerReply,
  SteppedNodes,
  SubNodeTags,
  splitSubTimer,
  SubTimerNames,
  namespacesIn,
  subNamespaces,
  type SubEnvelope,
} from '../../../../src/components/sub-node/embedded-node.js';
import { pingBroadcast } from '../../../../src/protocols/ping/index.js';
import { raft } from '../../../../src/protocols/raft/index.js';
import type { ScheduledFault } from '../../../../src/sim/faults.js';
import { quietWorldConfig } from '../../../support/quiet-world.js';
import { testContext } from '../../../support/step-harness.js';
import { World } from '../../../../src/sim/world.js';
import type { AnyProtocol } from '../../../../src/core/protocol.js';

interface HostState {
  readonly tags: SubNodeTags;
  readonly inner: EmbeddedNode;
  seq: number;
  readonly boot: number;
}

type Fx = Effect<SubEnvelope, unknown>;

/** What the hosts saw, outside the nodes: every reply to their own submissions. */
interface Seen {
  /** When each of the hosts' own submissions was answered ok. */
  readonly ok: number[];
  readonly files: Set<string>;
}

/**
 * A wrapper node hosting `inner` (built for `nodes`) under namespace `g`; every `submitMs` it
 * submits `append k <node>:<n>` to it and notes the replies.
 */
function host(
  inner: () => AnyProtocol,
  nodes: readonly NodeId[],
  seen: Seen,
  submitMs: number,
): Protocol<HostState, SubEnvelope, unknown, unknown> {
  const boot = (ctx: NodeContext, recover: boolean) => {
    const tags = new SubNodeTags();
    const s: HostState = {
      tags,
      inner: new EmbeddedNode(inner(), 'g', nodes, tags),
      seq: 0,
      boot: ctx.random.int(1, 1_000_000),
    };
    const fx: Fx[] = [{ type: 'setTimer', name: 'submit', afterUs: submitMs * 1000 }];
    note(recover ? s.inner.recover(ctx, fx) : s.inner.init(ctx, fx), ctx);
    return { state: s, effects: fx };
  };
  const note = (replies: readonly InnerReply<unknown>[], ctx: NodeContext) => {
    for (const r of replies) if (r.outcome.type === 'ok') seen.ok.push(ctx.now);
  };
  const files = (fx: readonly Fx[]) => {
    for (const f of fx) if (f.type === 'diskWrite') seen.files.add(f.file);
    return fx;
  };
  return {
    name: 'host',
    init: (ctx) => boot(ctx, false),
    onRecover: (ctx) => boot(ctx, true),
    onMessage(s, from, m, ctx) {
      const fx: Fx[] = [];
      expect(m.sub).toBe('g');
      note(s.inner.message(from, m.msg, ctx, fx), ctx);
      return { state: s, effects: files(fx) };
    },
    onTimer(s, name, ctx) {
      const fx: Fx[] = [];
      const sub = splitSubTimer(name);
      if (sub !== undefined) {
        expect(sub.ns).toBe('g');
        note(s.inner.timer(sub.name, ctx, fx), ctx);
      } else {
        s.seq++;
        const id = -(s.boot * 1000 + s.seq);
        const op = { f: 'append', key: 'k', value: `${ctx.node}:${s.seq};` };
        const req = { id, client: `h-${ctx.node}-${s.boot}`, seq: s.seq, op };
        note(s.inner.submit(req, ctx, fx), ctx);
        fx.push({ type: 'setTimer', name: 'submit', afterUs: submitMs * 1000 });
      }
      return { state: s, effects: files(fx) };
    },
    onRequest: (s) => ({ state: s, effects: NO_EFFECTS }),
    onDiskDone(s, done, ctx) {
      const fx: Fx[] = [];
      const who = s.tags.take(done.tag);
      expect(who?.ns).toBe('g');
      if (who !== undefined) note(s.inner.diskDone(done, who.tag, ctx, fx), ctx);
      return { state: s, effects: files(fx) };
    },
    checkInvariants: (s, ctx) => s.inner.checkInvariants(ctx),
  };
}

function world(protocol: AnyProtocol, schedule: ScheduledFault[], faultyUs: number) {
  return new World(
    quietWorldConfig({
      seed: 7,
      nodes: 3,
      protocol,
      schedule,
      phases: { faultyUs, healedUs: 100_000, finalUs: 0 },
      over: { limits: { eventsMax: 1_000_000, virtualTimeUsMax: 10_000_000 } },
    }),
  );
}

const NODES = ['n1', 'n2', 'n3'];
const raftOf = () =>
  raft.create({
    options: raft.optionsSchema?.parse({}) as never,
    bugs: new Set(),
    nodes: NODES,
  });

describe('a node embedded in a node', () => {
  it('an embedded Raft group elects a leader and commits what its hosts submit', () => {
    const seen: Seen = { ok: [], files: new Set() };
    const r = world(host(raftOf, NODES, seen, 40), [], 1_000_000).run();
    expect(r.marks['g.role.primary']).toBeGreaterThanOrEqual(1);
    expect(r.marks['role.primary']).toBeUndefined();
    // Submissions at the leader commit; at followers they are redirected (fail not-leader).
    expect(seen.ok.length).toBeGreaterThan(10);
    expect([...seen.files].every((f) => f.startsWith('g.'))).toBe(true);
    expect(seen.files).toContain('g.wal');
  });

  it('the group goes on committing after its leader host crashes and recovers from disk', () => {
    const seen: Seen = { ok: [], files: new Set() };
    const crash: ScheduledFault[] = [
      { atUs: 300_000, action: { kind: 'crash', node: 0 }, forUs: 200_000 },
      { atUs: 300_000, action: { kind: 'crash', node: 1 }, forUs: 200_000 },
    ];
    const quiet = world(host(raftOf, NODES, { ok: [], files: new Set() }, 40), [], 1_500_000);
    const before = quiet.run().marks['g.role.primary'] ?? 0;
    const r = world(host(raftOf, NODES, seen, 40), crash, 1_500_000).run();
    // Two of three hosts down for 200 ms: a new election once they are back.
    expect(r.marks['g.role.primary'] ?? 0).toBeGreaterThan(before);
    expect(seen.ok.filter((t) => t > 500_000).length).toBeGreaterThan(10);
  });

  it('an embedded ping round-trips through the envelope', () => {
    const seen: Seen = { ok: [], files: new Set() };
    const ping = () =>
      pingBroadcast.create({ options: { intervalMs: 10 }, bugs: new Set(), nodes: NODES });
    let pongs = 0;
    const counting = host(ping, NODES, seen, 1000);
    const proto: typeof counting = {
      ...counting,
      onMessage(s, from, m, ctx) {
        if ((m.msg as { type: string }).type === 'Pong') pongs++;
        return counting.onMessage(s, from, m, ctx);
      },
    };
    world(proto, [], 200_000).run();
    // Three nodes, two peers each, a round every 10 ms for 200 ms (+ the healed 100 ms).
    expect(pongs).toBeGreaterThan(2 * 3 * 20);
  });

  it('lists the namespaces with files, and strips them for the inner node', () => {
    const disk = {
      list: () => ['a.meta', 'a.wal', 'b.wal', 'own'],
      size: (f: string) => (f === 'a.wal' ? 3 : undefined),
      read: () => ({ ok: true as const, data: new Uint8Array() }),
    };
    expect(subNamespaces(disk)).toEqual(['a', 'b']);
    // Names that extend another's (`a-b`, `ab`) sort around its files; each listed once.
    const names = ['a-b.wal', 'a.meta', 'a.wal', 'ab.meta', 'a-b.meta', 'a.x', 'own.', '.x'];
    const listing = { ...disk, list: () => names };
    expect(subNamespaces(listing)).toEqual(['a', 'a-b', 'ab', 'own']);
    const inner = new EmbeddedNode(raftOf(), 'a', NODES, new SubNodeTags());
    const ctx = inner.context({
      node: 'n2',
      peers: ['n1', 'n3', 'n4'],
      now: 0,
      random: undefined as never,
      disk,
    });
    expect(ctx.peers).toEqual(['n1', 'n3']);
    expect(ctx.disk.list()).toEqual(['meta', 'wal']);
    expect(ctx.disk.size('wal')).toBe(3);
  });

  it('hands the inner node the outer reading of the clock on every call, and a new disk', () => {
    const disk = (files: string[]) => ({
      list: () => files,
      size: () => undefined,
      read: () => ({ ok: false as const, error: 'ENOENT' }),
    });
    const inner = new EmbeddedNode(raftOf(), 'a', NODES, new SubNodeTags());
    const outer = { node: 'n1', peers: [], now: 5, random: undefined as never, disk: disk([]) };
    expect(inner.context(outer)).toMatchObject({ node: 'n1', now: 5, peers: ['n2', 'n3'] });
    expect(inner.context({ ...outer, now: 9 }).now).toBe(9);
    const moved = inner.context({ ...outer, now: 12, disk: disk(['a.wal']) });
    expect([moved.now, moved.disk.list()]).toEqual([12, ['wal']]);
  });

  it('routes a completion to the asker by tag, the outer node’s own to nobody', () => {
    const tags = new SubNodeTags();
    const a = tags.wrap('a', 0);
    const own = tags.own();
    const b = tags.wrap('b', 0);
    expect(tags.take(b)).toEqual({ ns: 'b', tag: 0 });
    expect(tags.take(own)).toBeUndefined();
    expect(tags.take(a)).toEqual({ ns: 'a', tag: 0 });
    expect(tags.take(a)).toBeUndefined();
  });

  it('notes each node that stepped since its embedder last checked, and a new one', () => {
    const stepped = new SteppedNodes();
    const tags = new SubNodeTags();
    const a = new EmbeddedNode(raftOf(), 'a', NODES, tags, { stepped });
    const b = new EmbeddedNode(raftOf(), 'b', NODES, tags, { stepped });
    // Never checked yet: both are listed.
    expect(steppedList(stepped)).toEqual([a, b]);
    stepped.clear();
    const ctx = testContext('n1', NODES);
    b.init(ctx, []);
    expect(steppedList(stepped)).toEqual([b]);
    a.init(ctx, []);
    b.timer('no-such-timer', ctx, []);
    expect(steppedList(stepped)).toEqual([b, a]);
    stepped.clear();
    // A node that is not running takes no step.
    const idle = new EmbeddedNode(raftOf(), 'c', NODES, tags, { stepped });
    stepped.clear();
    idle.timer('election', ctx, []);
    idle.message('n2', { type: 'AppendEntries' }, ctx, []);
    expect(stepped.size).toBe(0);
  });

  it('refuses a namespace that would break file or timer names', () => {
    expect(() => new EmbeddedNode(raftOf(), 'a.b', NODES, new SubNodeTags())).toThrow(/namespace/);
    expect(() => new EmbeddedNode(raftOf(), 'a/b', NODES, new SubNodeTags())).toThrow(/namespace/);
  });
});

describe('names routed back to an inner node', () => {
  it('hands a completion over under the inner file name, every time, others as they are', () => {
    const seen: string[] = [];
    const inner: AnyProtocol = {
      name: 'files',
      init: () => ({ state: {}, effects: NO_EFFECTS }),
      onRecover: () => ({ state: {}, effects: NO_EFFECTS }),
      onMessage: (s) => ({ state: s, effects: NO_EFFECTS }),
      onTimer: (s) => ({ state: s, effects: NO_EFFECTS }),
      onRequest: (s) => ({ state: s, effects: NO_EFFECTS }),
      onDiskDone(s, done) {
        seen.push(`${done.file}#${done.tag}`);
        return { state: s, effects: NO_EFFECTS };
      },
    };
    const g = new EmbeddedNode(inner, 'g', NODES, new SubNodeTags());
    const ctx = testContext('n1', NODES);
    g.init(ctx, []);
    for (const file of ['g.wal', 'g.wal', 'g.meta', 'gg.wal', 'g', 'g.', ''])
      g.diskDone({ op: 'sync', file, tag: 40, ok: true }, 4, ctx, []);
    expect(seen).toEqual(['wal#4', 'wal#4', 'meta#4', 'gg.wal#4', 'g#4', '#4', '#4']);
  });
});

// A host's remembered split of a timer name is splitSubTimer's, asked once or again.
test.prop([fc.array(fc.string({ maxLength: 6, unit: fc.constantFrom('a', '/', 'b', '-') }))])(
  'SubTimerNames splits as splitSubTimer does',
  (names) => {
    const timers = new SubTimerNames();
    for (const name of [...names, ...names]) expect(timers.of(name)).toEqual(splitSubTimer(name));
  },
);

// namespacesIn reads a sorted listing in one pass, sorting only when a namespace that is a
// prefix of another comes out after it: for any listing, sorted or not, the distinct prefixes
// before a file's first '.', sorted.
test.prop([
  fc.array(fc.string({ maxLength: 5, unit: fc.constantFrom('a', 'b', '-', '.', '+', 'Z') }), {
    maxLength: 30,
  }),
  fc.boolean(),
])('namespacesIn gives the distinct namespaces, sorted', (names, sorted) => {
  const listing = sorted ? [...new Set(names)].sort() : names;
  const want = [
    ...new Set(listing.filter((f) => f.indexOf('.') > 0).map((f) => f.slice(0, f.indexOf('.')))),
  ].sort();
  expect(namespacesIn(listing)).toEqual(want);
});

function steppedList(stepped: SteppedNodes): EmbeddedNode<unknown, unknown>[] {
  return Array.from({ length: stepped.size }, (_, i) => stepped.at(i));
}
