// The options of `npm run bench` (scripts/bench.ts): its help text, and the command line parsed and
// checked into one configuration (defaults as the help lists them).
import path from "node:path";
import { parseArgs } from "node:util";
import { root } from "./wrangler.ts";

const HELP = `Usage: npm run bench -- [options]

  --scenario S          load, patrol, briefing, soak, cpu, files, search or all
                        (all: not cpu, not files, not search)                    [all]

Load scenario:
  --teams, --agents N   concurrent teams (planner + executor + reviewer each)   [20]
  --duration S          seconds during which planners start new tasks            [60]
                        (when only --rounds is given, there is no time limit)
  --rounds R            tasks each planner creates at most                       [unbounded]
  --sub-tasks K         sub-tasks per task                                       [2]
  --drain S             seconds allowed after planning stops for open work       [60]

Patrol and briefing scenarios:
  --total N             patrol: sub-tasks in the large database                  [100000]
  --active N            open sub-tasks in every database (a multiple of 100);
                        the briefing's databases hold 1×, 10× and 100× as many
                        sub-tasks in all                                         [1000]
  --tasks N             tasks in every database (a multiple of 10)               [1000]
  --max-ratio R         fail when the largest database reads more than R times
                        the rows of the smallest one                             [1.2]

Soak scenario:
  --soak-agents N       agents in all: 10 % planners, 70 % executors, 12.5 %
                        reviewers, 7.5 % patrols                                 [200]
  --soak-duration S     seconds of load                                          [60]
  --cron-every S        seconds between cron runs during the load (0: none)      [10]

Search scenario: GET /api/search rows read, statements and time at 10,000 and
  100,000 indexed entries (no options)

Files scenario: upload and download MB/s of 64 KiB, 1 MiB, 10 MiB and 25 MiB files
  against loopback HTTP to a plain Node server (no options)

CPU scenario:
  --cpu-duration S      seconds of lifecycle load, and of baseline load           [15]
  --max-cpu-ms MS       fail when ours minus the baseline is more CPU ms per call [3]
  --min-throughput R    fail when our calls/s are below R × the baseline's       [0.6]
  --profile FILE        also write a .cpuprofile of the lifecycle load and print
                        its top functions and packages by self time

All:
  --port P              port for wrangler dev (the next free one if taken)       [8799]
  --output FILE         where to write the results                   [docs/benchmarks.md]
  --no-write            print the results only
  --keep                keep the temporary directory (state and wrangler.log)
`;

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
  return n;
}

export type Scenario = "load" | "patrol" | "briefing" | "soak" | "cpu" | "files" | "search";
const SCENARIO_SETS: Record<string, Scenario[] | undefined> = {
  all: ["load", "patrol", "briefing", "soak"],
  load: ["load"],
  patrol: ["patrol"],
  briefing: ["briefing"],
  soak: ["soak"],
  cpu: ["cpu"],
  files: ["files"],
  search: ["search"],
};

/** The options of this run from the command line: prints the help and exits 0 on --help, exits 2 on a bad value. */
export function benchOptions() {
  const { values: argv } = parseArgs({
    options: {
      scenario: { type: "string", default: "all" },
      total: { type: "string" },
      active: { type: "string" },
      tasks: { type: "string" },
      "max-ratio": { type: "string" },
      teams: { type: "string" },
      agents: { type: "string" },
      duration: { type: "string" },
      rounds: { type: "string" },
      "sub-tasks": { type: "string" },
      drain: { type: "string" },
      "soak-agents": { type: "string" },
      "soak-duration": { type: "string" },
      "cron-every": { type: "string" },
      "cpu-duration": { type: "string" },
      "max-cpu-ms": { type: "string" },
      "min-throughput": { type: "string" },
      profile: { type: "string" },
      port: { type: "string" },
      output: { type: "string" },
      "no-write": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (argv.help) {
    console.log(HELP);
    process.exit(0);
  }

  const scenarios = SCENARIO_SETS[argv.scenario];
  if (!scenarios) {
    console.error("--scenario must be load, patrol, briefing, soak, cpu, files, search or all");
    process.exit(2);
  }

  const config = {
    teams: Math.floor(positiveInt(argv.teams ?? argv.agents, 20, "teams")),
    rounds: argv.rounds === undefined ? Infinity : Math.floor(positiveInt(argv.rounds, 0, "rounds")),
    durationS: positiveInt(argv.duration, argv.rounds !== undefined ? Infinity : 60, "duration"),
    subTasks: Math.floor(positiveInt(argv["sub-tasks"], 2, "sub-tasks")),
    drainS: positiveInt(argv.drain, 60, "drain"),
    port: Math.floor(positiveInt(argv.port, 8799, "port")),
    output: path.resolve(root, argv.output ?? "docs/benchmarks.md"),
    scenarios,
    total: Math.floor(positiveInt(argv.total, 100_000, "total")),
    active: Math.floor(positiveInt(argv.active, 1_000, "active")),
    tasks: Math.floor(positiveInt(argv.tasks, 1_000, "tasks")),
    maxRatio: positiveInt(argv["max-ratio"], 1.2, "max-ratio"),
    soakAgents: Math.max(4, Math.floor(positiveInt(argv["soak-agents"], 200, "soak-agents"))),
    soakDurationS: positiveInt(argv["soak-duration"], 60, "soak-duration"),
    cronEveryS: argv["cron-every"] === "0" ? 0 : positiveInt(argv["cron-every"], 10, "cron-every"),
    cpuDurationS: positiveInt(argv["cpu-duration"], 15, "cpu-duration"),
    maxCpuMs: positiveInt(argv["max-cpu-ms"], 3, "max-cpu-ms"),
    minThroughput: positiveInt(argv["min-throughput"], 0.6, "min-throughput"),
    profile: argv.profile === undefined ? undefined : path.resolve(argv.profile),
  };
  if (config.active % 100 !== 0 || config.tasks % 10 !== 0 || config.total <= config.active) {
    console.error("--active must be a multiple of 100, --tasks a multiple of 10, and --total larger than --active");
    process.exit(2);
  }
  return { ...config, write: !argv["no-write"], keep: argv.keep };
}
