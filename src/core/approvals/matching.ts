/**
 * Maximum bipartite matching (augmenting paths, Kuhn's algorithm) between people and approval slots. Every
 * slot takes one person and every person fills at most one slot, so adding a person can never lower the number
 * of filled slots: a gate satisfied before stays satisfied. Slots and people are tried in the order given,
 * which callers make canonical (rule order, sorted logins), so the result never depends on input order.
 *
 * @param eligible eligible[slot] = the people (indices) who may fill that slot
 * @returns for each slot, the person filling it, or -1
 */
export function maximumMatching(eligible: readonly (readonly number[])[], people: number): number[] {
  const slotOf = new Array<number>(people).fill(-1);
  const personOf = new Array<number>(eligible.length).fill(-1);
  const augment = (slot: number, seen: boolean[]): boolean => {
    for (const p of eligible[slot]!) {
      if (seen[p]) continue;
      seen[p] = true;
      if (slotOf[p] === -1 || augment(slotOf[p]!, seen)) {
        slotOf[p] = slot;
        personOf[slot] = p;
        return true;
      }
    }
    return false;
  };
  for (let s = 0; s < eligible.length; s++) augment(s, new Array<boolean>(people).fill(false));
  return personOf;
}
