// Sub-task dependencies as pure rules: whether replacing one sub-task's dependency set would close a
// cycle in its task's dependency graph. No I/O here.

/** One edge: `subTaskId` waits for `dependsOn`. */
export interface DependencyEdge {
  subTaskId: string;
  dependsOn: string;
}

/**
 * The cycle that giving `subTaskId` exactly the dependencies `dependsOn` would create, as a path that
 * starts and ends at `subTaskId` (e.g. [A, B, C, A]); null when the graph stays acyclic. `edges` are
 * the task's current edges; those leaving `subTaskId` are replaced by the new set.
 */
export function findDependencyCycle(
  edges: readonly DependencyEdge[],
  subTaskId: string,
  dependsOn: readonly string[],
): string[] | null {
  const next = new Map<string, string[]>();
  const add = (from: string, to: string) => {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  };
  for (const e of edges) if (e.subTaskId !== subTaskId) add(e.subTaskId, e.dependsOn);
  for (const d of dependsOn) add(subTaskId, d);

  // Depth-first from subTaskId; any path back to it is a cycle. Iterative, so a long chain cannot
  // overflow the stack; every node is expanded at most once.
  const seen = new Set<string>();
  const parent = new Map<string, string>();
  const stack: string[] = [subTaskId];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const to of next.get(node) ?? []) {
      if (to === subTaskId) {
        const back = [node];
        for (let at = node; at !== subTaskId; ) {
          at = parent.get(at)!;
          back.push(at);
        }
        return [...back.reverse(), subTaskId];
      }
      if (seen.has(to)) continue;
      seen.add(to);
      parent.set(to, node);
      stack.push(to);
    }
  }
  return null;
}
