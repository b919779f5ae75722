// A recurring task's round template, pure: checking a template as a whole, taking one from the task's
// current sub-tasks (`from_sub_tasks`), storing the config in its normal form, and filling in one
// round's sub-tasks. The cron's batch (worker/db/round-batch.ts) and PUT …/schedule use these.
import type {
  RecurringConfig,
  RecurringPolicy,
  RecurringSchedule,
  RoundTemplate,
  RoundTemplateInput,
} from "../../contract/api/recurring";
import { MAX_TEMPLATE_MODULES, MAX_TEMPLATE_SUB_TASKS } from "../../contract/api/recurring";
import type { Priority } from "../../contract/vocabulary";
import { type Text, text } from "../i18n";
import { localDate } from "../lib/zoned-time";
import { findDependencyCycle } from "./dependencies";

/** The longest name and text a sub-task may have (routes/define.ts `name`, `longText`). */
const NAME_MAX = 200;
const TEXT_MAX = 10_000;

/**
 * What is wrong with a template as a whole, or null: keys must be unique, a sub-task's module and
 * dependencies must name keys of this template, and the dependencies must not form a cycle.
 */
export function templateProblem(template: RoundTemplateInput): Text | null {
  const moduleKeys = new Set<string>();
  for (const m of template.modules) {
    if (moduleKeys.has(m.key)) return text("templateDuplicateKey", { key: m.key });
    moduleKeys.add(m.key);
  }
  const subTaskKeys = new Set<string>();
  for (const s of template.sub_tasks) {
    if (subTaskKeys.has(s.key)) return text("templateDuplicateKey", { key: s.key });
    subTaskKeys.add(s.key);
  }
  for (const s of template.sub_tasks) {
    if (s.module !== null && !moduleKeys.has(s.module))
      return text("templateUnknownModule", { key: s.key, module: s.module });
    if (new Set(s.depends_on).size !== s.depends_on.length) return text("templateRepeatedDependency", { key: s.key });
    const unknown = s.depends_on.find((d) => !subTaskKeys.has(d));
    if (unknown !== undefined) return text("templateUnknownDependency", { key: s.key, depends_on: unknown });
  }
  const edges = template.sub_tasks.flatMap((s) => s.depends_on.map((d) => ({ subTaskId: s.key, dependsOn: d })));
  for (const s of template.sub_tasks) {
    const cycle = findDependencyCycle(edges, s.key, s.depends_on);
    if (cycle) return text("templateCycle", { path: cycle.join(" → ") });
  }
  return null;
}

/** A task's current work as read for `from_sub_tasks` (sub-tasks of rounds and cancelled ones excluded). */
export interface CurrentWork {
  modules: { id: string; name: string; description: string }[];
  subTasks: {
    id: string;
    moduleId: string | null;
    name: string;
    description: string;
    deliverable: string;
    acceptance: string;
    priority: Priority;
    assignedAgent: string | null;
  }[];
  dependencies: { subTaskId: string; dependsOn: string }[];
}

/**
 * The template made from a task's current sub-tasks, or the reason there is none (nothing to copy,
 * too many). Keys are generated (`s1`, `s2`… and `m1`…) in creation order; only modules some sub-task
 * uses are kept; dependencies on sub-tasks left out are dropped.
 */
export function templateFromWork(work: CurrentWork): { template: RoundTemplateInput } | { problem: Text } {
  if (work.subTasks.length === 0) return { problem: text("templateNothingToCopy") };
  if (work.subTasks.length > MAX_TEMPLATE_SUB_TASKS)
    return { problem: text("templateTooManySubTasks", { count: work.subTasks.length, max: MAX_TEMPLATE_SUB_TASKS }) };
  const used = new Set(work.subTasks.map((s) => s.moduleId).filter((id): id is string => id !== null));
  const modules = work.modules.filter((m) => used.has(m.id));
  if (modules.length > MAX_TEMPLATE_MODULES)
    return { problem: text("templateTooManyModules", { count: modules.length, max: MAX_TEMPLATE_MODULES }) };
  const moduleKey = new Map(modules.map((m, i) => [m.id, `m${i + 1}`]));
  const subTaskKey = new Map(work.subTasks.map((s, i) => [s.id, `s${i + 1}`]));
  return {
    template: {
      modules: modules.map((m) => ({ key: moduleKey.get(m.id)!, name: m.name, description: m.description })),
      sub_tasks: work.subTasks.map((s) => ({
        key: subTaskKey.get(s.id)!,
        module: s.moduleId === null ? null : (moduleKey.get(s.moduleId) ?? null),
        name: s.name,
        description: s.description,
        deliverable: s.deliverable,
        acceptance: s.acceptance,
        priority: s.priority,
        assigned_agent: s.assignedAgent,
        depends_on: work.dependencies
          .filter((d) => d.subTaskId === s.id && subTaskKey.has(d.dependsOn))
          .map((d) => subTaskKey.get(d.dependsOn)!),
      })),
    },
  };
}

/**
 * The config as stored: every default filled, an `every` schedule anchored (its start_at, else the
 * minute it was set), and each template module carrying the id of the task's module of that name.
 */
export function normalisedConfig(
  input: { schedule: RecurringSchedule; template: RoundTemplateInput; policy: RecurringPolicy },
  moduleIds: ReadonlyMap<string, string>,
  now: Date,
): RecurringConfig {
  const schedule: RecurringSchedule =
    input.schedule.kind === "every"
      ? { ...input.schedule, start_at: input.schedule.start_at ?? minuteOf(now) }
      : input.schedule;
  return {
    version: 1,
    schedule,
    template: {
      modules: input.template.modules.map((m) => ({ ...m, module_id: moduleIds.get(m.name) })),
      sub_tasks: input.template.sub_tasks,
    },
    policy: input.policy,
  };
}

/** One sub-task of a round, ready to insert. `dependsOn` holds template keys of the same round. */
export interface RoundSubTask {
  key: string;
  moduleId: string | null;
  name: string;
  description: string;
  deliverable: string;
  acceptance: string;
  priority: Priority;
  assignedAgent: string | null;
  dependsOn: string[];
}

/**
 * The sub-tasks of round `roundNo` for the slot `slot`: `{round}` becomes the round number and
 * `{date}` the slot's local date in `tz`, in every text field; results are cut to the field limits.
 */
export function roundSubTasks(
  template: RoundTemplate,
  round: { roundNo: number; slot: Date; tz: string },
): RoundSubTask[] {
  const date = localDate(round.slot, round.tz);
  const fill = (s: string, max: number) =>
    s.replaceAll("{round}", String(round.roundNo)).replaceAll("{date}", date).slice(0, max);
  const moduleIds = new Map(template.modules.map((m) => [m.key, m.module_id ?? null]));
  return template.sub_tasks.map((s) => ({
    key: s.key,
    moduleId: s.module === null ? null : (moduleIds.get(s.module) ?? null),
    name: fill(s.name, NAME_MAX),
    description: fill(s.description, TEXT_MAX),
    deliverable: fill(s.deliverable, TEXT_MAX),
    acceptance: fill(s.acceptance, TEXT_MAX),
    priority: s.priority,
    assignedAgent: s.assigned_agent,
    dependsOn: s.depends_on,
  }));
}

/** The minute an instant falls in, as stored ISO: anchors are kept to the minute. */
const minuteOf = (at: Date): string => new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
