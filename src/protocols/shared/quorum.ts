/**
 * Quorum arithmetic shared by the replication protocols. A majority of n is ⌊n/2⌋+1: any two
 * majorities intersect, which is what every election and commit rule here leans on.
 */
export const majority = (n: number): number => Math.floor(n / 2) + 1;
