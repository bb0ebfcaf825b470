/**
 * A problem found in a scenario document, before it is given a line and column: a field path
 * into the document and a message. The parser locates it in the file; fault kinds and other
 * pieces that check a part of the document report through it.
 */
export type PathSegment = string | number;

export interface ScenarioProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** Point at the field's value (the default), or at its key (unknown fields, node names as keys). */
  readonly at?: 'value' | 'key';
}
