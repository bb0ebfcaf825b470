/** The types by name, and the list of named bugs. */
import { describe, expect, it } from 'vitest';
import { CRDT_TYPE_NAMES, crdtTypeNamed } from '../../../../src/components/crdt/crdt-types.js';
import { CRDT_NAMED_BUGS } from '../../../../src/components/crdt/named-bugs.js';

describe('crdtTypeNamed', () => {
  it('makes every listed type, and its name is the name that made it', () => {
    for (const name of CRDT_TYPE_NAMES) {
      const concrete = name.replace('<T>', '<or-set>');
      expect(crdtTypeNamed(concrete)?.name).toBe(concrete);
    }
    expect(crdtTypeNamed('or-map<or-map<mv-register>>')?.name).toBe('or-map<or-map<mv-register>>');
  });

  it('has no type for unknown names or non-causal values in a map', () => {
    expect(crdtTypeNamed('counter')).toBeUndefined();
    expect(crdtTypeNamed('or-map<g-counter>')).toBeUndefined();
    expect(crdtTypeNamed('or-map<>')).toBeUndefined();
  });

  it('passes named bugs to the types they live in', () => {
    const buggy = crdtTypeNamed('pn-counter', { bugs: new Set(['g-counter.merge-sums']) });
    const s = buggy?.apply(buggy.empty(), { f: 'inc' }, { node: 'n1' }).state;
    expect(buggy?.value(buggy.merge(s, s))).toBe(2);
  });
});

describe('CRDT_NAMED_BUGS', () => {
  it('names each bug once, with a summary and a source', () => {
    const names = CRDT_NAMED_BUGS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    for (const b of CRDT_NAMED_BUGS) expect(b.summary.length && b.source.length).toBeTruthy();
    expect(
      CRDT_NAMED_BUGS.filter((b) => b.catalogue !== undefined).map((b) => b.catalogue),
    ).toEqual([36, 37, 39]);
  });
});
