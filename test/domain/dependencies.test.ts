import { describe, expect, it } from "vitest";
import { type DependencyEdge, findDependencyCycle } from "../../worker/domain/dependencies";

const edges = (...pairs: [string, string][]): DependencyEdge[] =>
  pairs.map(([subTaskId, dependsOn]) => ({ subTaskId, dependsOn }));

describe("findDependencyCycle", () => {
  it("accepts an acyclic set, including diamonds and an empty set", () => {
    const g = edges(["B", "C"], ["C", "D"], ["E", "D"]);
    expect(findDependencyCycle(g, "A", ["B", "E"])).toBeNull();
    expect(findDependencyCycle(g, "A", [])).toBeNull();
    expect(findDependencyCycle([], "A", ["B"])).toBeNull();
  });

  it("finds A → B → C → A and reports the path", () => {
    expect(findDependencyCycle(edges(["B", "C"], ["C", "A"]), "A", ["B"])).toEqual(["A", "B", "C", "A"]);
  });

  it("treats a self-dependency and a two-cycle as cycles", () => {
    expect(findDependencyCycle([], "A", ["A"])).toEqual(["A", "A"]);
    expect(findDependencyCycle(edges(["B", "A"]), "A", ["B"])).toEqual(["A", "B", "A"]);
  });

  it("replaces the sub-task's existing edges instead of adding to them", () => {
    // A used to depend on C; C → A would be a cycle only with the old edge kept.
    expect(findDependencyCycle(edges(["A", "C"], ["C", "B"]), "C", ["A"])).toEqual(["C", "A", "C"]);
    expect(findDependencyCycle(edges(["A", "C"]), "A", [])).toBeNull();
    expect(findDependencyCycle(edges(["A", "C"], ["C", "D"]), "C", ["B"])).toBeNull();
  });

  it("ignores cycles that do not pass through the sub-task, and handles long chains", () => {
    expect(findDependencyCycle(edges(["X", "Y"], ["Y", "X"]), "A", ["B"])).toBeNull();
    const chain = edges(...Array.from({ length: 50_000 }, (_, i): [string, string] => [`n${i}`, `n${i + 1}`]));
    expect(findDependencyCycle(chain, "n50000", ["x"])).toBeNull();
    expect(findDependencyCycle(chain, "n50000", ["n0"])?.length).toBe(50_002);
  });
});
