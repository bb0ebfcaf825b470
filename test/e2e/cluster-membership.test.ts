/**
 * Joins and leaves of the cluster protocol from the command line (issue 16): a join naming a
 * node the cluster does not have, a storage node leaving when fewer than replicasMin would stay,
 * and a manager leaving are exit 65, each one positioned message with a suggestion, no stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBadScenario, useTempDirs } from './cli.js';

const temp = useTempDirs();
const JOIN = readFileSync(join(ROOT, 'scenarios/cluster-join.yaml'), 'utf8');
const LEAVE = readFileSync(join(ROOT, 'scenarios/cluster-leave.yaml'), 'utf8');

const bad = (name: string, text: string) => runBadScenario(temp(name), name, text);

describe('cluster membership changes that do not fit', () => {
  it('a join naming an unknown node is exit 65 at its entry', async () => {
    const text = JOIN.replace('- { at: 6s, join: n11 }', '- { at: 6s, join: n12 }');
    const { f, lines } = await bad('join', text);
    expect(lines).toEqual([
      `${f}:40:23 faults.schedule.2.join: unknown node n12: the cluster has n1..n11`,
    ]);
  });

  it('a leave below replicasMin storage nodes, and a manager leaving, are exit 65', async () => {
    const leaves = ['n5', 'n6', 'n7', 'n8', 'n9', 'n2'].map((n) => `    - { at: 3s, leave: ${n} }`);
    const text = LEAVE.replace(
      '- { at: 2s, leave: n4, for: 3s }',
      `- { at: 2s, leave: n4, for: 3s }\n${leaves.join('\n')}`,
    );
    const { f, lines } = await bad('leave', text);
    expect(lines).toEqual([
      `${f}:43:24 faults.schedule.5.leave: n9 leaving would keep 1 storage node, fewer than replicasMin 2: join a spare first, or lower replicasMin`,
      `${f}:44:24 faults.schedule.6.leave: n2 is a manager (the first 3 nodes are), and the managers' Raft group is fixed: let a storage node leave (n4 or later)`,
    ]);
  });
});
