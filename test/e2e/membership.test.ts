/**
 * Membership changes from the command line (issue 16, "nodes can join and leave during a run"):
 * the shipped ping scenario with spares runs clean and prints its joins and leaves among the
 * faults fired; a protocol that takes no membership changes, or joins and leaves that do not fit
 * the cluster as it stands at that moment, are exit 65 with one positioned message each.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, linesOf, runBadScenario, show, useTempDirs } from './cli.js';

const temp = useTempDirs();

const NOT_OPTED_IN = `protocol: raft
cluster: { nodes: 3, spares: 1 }
faults:
  schedule:
    - { at: 1s, join: n4 }
`;

const OUT_OF_ORDER = `protocol: ping
cluster: { nodes: 2, spares: 2 }
workload: none
faults:
  schedule:
    - { at: 1s, join: n2 }
    - { at: 1s, leave: n4 }
    - { at: 2s, join: n9 }
    - { at: 3s, leave: n1 }
    - { at: 4s, leave: n2 }
    - { at: 5s, join: n1 }
`;

const bad = (name: string, text: string) => runBadScenario(temp(name), name, text);

describe('membership changes', () => {
  it('the shipped scenario runs clean and prints its joins and leaves', async () => {
    const dir = temp('membership');
    const r = await faultline([
      'run',
      'scenarios/smoke/ping-membership.yaml',
      '--seed',
      '1',
      '--out',
      join(dir, 'out'),
    ]);
    expect(r.code, show(r)).toBe(0);
    const fired = linesOf(r.stdout).map((l) => l.trim());
    expect(fired).toEqual(
      expect.arrayContaining([
        '200ms join n6',
        '400ms leave n3, draining for 200ms',
        '500ms crash n5 for 100ms',
        '700ms join n7',
        '800ms leave n1, draining',
      ]),
    );
  });

  it('against a protocol that takes none is exit 65 at each entry', async () => {
    const { f, lines } = await bad('raft', NOT_OPTED_IN);
    const why =
      'raft takes no membership changes: spares, join and leave need a protocol whose definition says membership: true (ping, cluster do)';
    expect(lines).toEqual([
      `${f}:2:30 cluster.spares: ${why}`,
      `${f}:5:23 faults.schedule.0.join: ${why}`,
    ]);
  });

  it('joins and leaves that do not fit the cluster at their moment are exit 65', async () => {
    const { f, lines } = await bad('order', OUT_OF_ORDER);
    expect(lines).toEqual([
      `${f}:6:23 faults.schedule.0.join: n2 is already in the cluster at 1s; a join names a spare: n3, n4`,
      `${f}:7:24 faults.schedule.1.leave: n4 is not in the cluster at 1s: it is a spare until a join names it`,
      `${f}:8:23 faults.schedule.2.join: unknown node n9: the cluster has n1..n4`,
      `${f}:10:24 faults.schedule.4.leave: leaving n2 at 4s would leave no node: a cluster keeps at least 1`,
      `${f}:11:23 faults.schedule.5.join: n1 left at 3s: a node that left does not join again`,
    ]);
  });
});
