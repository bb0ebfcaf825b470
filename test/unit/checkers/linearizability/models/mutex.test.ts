import { describe, expect, it } from 'vitest';
import { mutexModel as m } from '../../../../../src/checkers/linearizability/models/mutex.js';

const acquire = { f: 'acquire' } as const;
const release = { f: 'release' } as const;

describe('mutex model (Knossos)', () => {
  it('starts free; acquire is illegal while held, release while free', () => {
    expect(m.init()).toBe(false);
    expect(m.step(false, acquire, {}, false)).toBe(true);
    expect(m.step(true, acquire, {}, false)).toBeUndefined();
    expect(m.step(true, release, {}, false)).toBe(false);
    expect(m.step(false, release, {}, false)).toBeUndefined();
  });

  it('an unknown acquire or release must be legal where it is placed, like a known one', () => {
    expect(m.step(true, acquire, {}, true)).toBeUndefined();
    expect(m.step(false, release, {}, true)).toBeUndefined();
  });

  it('validates operations and describes them', () => {
    expect(m.validate!(acquire, {}, false)).toBeUndefined();
    expect(m.validate!({ f: 'read' }, {}, false)).toBe(
      'expected an operation "acquire" or "release", found "read"',
    );
    expect(m.describe(acquire, {}, false)).toBe('acquire() -> ok');
    expect(m.describe(release, {}, true)).toBe('release() -> ?');
  });
});
