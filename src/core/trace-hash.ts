/**
 * A streaming 64-bit trace hash. Every event the engine runs is folded in as it happens, so a
 * run's identity is one string without keeping the trace. Two 32-bit lanes of a multiply-rotate
 * mix (in the manner of MurmurHash3's fmix) keep it to integer arithmetic: fast, and identical on
 * every platform and worker thread. Not cryptographic; it detects divergence, it does not resist
 * forgery.
 */
export class TraceHash {
  private h1 = 0x9e3779b9 | 0;
  private h2 = 0x85ebca6b | 0;
  private count = 0;

  /** Folds one 32-bit integer (larger safe integers are folded as two halves). */
  int(x: number): void {
    if (x > 0x7fffffff || x < -0x80000000) {
      this.word(Math.floor(x / 0x1_0000_0000) | 0);
      this.word(x >>> 0);
    } else {
      this.word(x | 0);
    }
  }

  /** Folds a string, character by character. */
  str(s: string): void {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }

  private word(w: number): void {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let a = this.h1 ^ k;
    a = (a << 13) | (a >>> 19);
    this.h1 = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = this.h2 ^ Math.imul(k, 0x85ebca77);
    b = (b << 17) | (b >>> 15);
    this.h2 = (Math.imul(b, 0xc2b2ae3d) + this.h1) | 0;
    this.count++;
  }

  /** The hash so far, as 16 hex digits. Does not disturb the stream. */
  hex(): string {
    let a = this.h1 ^ this.count;
    let b = this.h2 ^ (this.count >>> 3);
    a = fmix(a + b);
    b = fmix(b + a);
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
