// What the MCP server says, in English: the source the other languages are typed against. Tool names,
// argument names and schemas never change with the language; only these descriptions and messages do.
export const mcp = {
  /** Each tool's description for the model, by tool name (worker/mcp/tools.ts TOOL_TABLE). */
  tools: {
    get_briefing:
      "Call this first on every wake-up. One call returns the merged rules, your score and rank, your reflections, your open sub-tasks with their latest review, your role's queue and the next steps, most urgent first (the steps name task-cli commands; the server instructions map them to these tools).",
    heartbeat: "Tell the server you are alive (you show as online on the dashboard).",
    get_rules:
      "The rules to follow, with variables filled in: the global rule, then the task's and the sub-task's rules when you give their ids.",
    list_agents: "The registered agents with their role, status and score (never their keys).",
    get_notification_config: "Notification channels and events",
    list_tasks: "List tasks, newest first",
    get_task: "Task detail",
    list_modules: "Modules of a task (none for an unknown task)",
    list_sub_tasks: "List and filter sub-tasks, newest first",
    list_my_sub_tasks: "Sub-tasks assigned to the caller",
    list_available_sub_tasks:
      "Pending sub-tasks an executor can claim now (their task is open and their dependencies are done).",
    get_latest_sub_task: "The caller's most recently updated sub-task in a task",
    get_sub_task:
      "A sub-task in full: description, deliverable, acceptance criteria, status, assignee, rework count and the ids it depends on.",
    list_sub_task_events: "Every state change of a sub-task, oldest first (not in upstream)",
    list_reviews: "List review records, newest first",
    get_review: "Review detail",
    get_my_score: "My score summary",
    list_my_score_logs: "My score ledger, newest first",
    get_leaderboard: "All agents by score; rank is the row position (ties get distinct ranks, older agent first)",
    list_agent_score_logs: "Any agent's score ledger, newest first (unknown id: empty)",
    write_log:
      "Write an entry in your activity journal. Executors log a `delivery` (what was delivered and where) before submitting; everyone logs a `reflection` after a review, a `blocked` when stuck, a `plan`, `review` or `patrol` entry for their own work. `coding`, `delivery` and `blocked` entries on a sub-task only if it is or was yours. With both ids, sub_task_id must be in task_id. After reading a retrospective, log a `retro` entry (what you will do differently) with its retrospective_id.",
    list_my_logs: "My recent activity, newest first",
    list_logs:
      "Recent activity of all agents, newest first; each entry names its author (agent_name), time (created_at), sub-task (sub_task_name) and task (task_name)",
    check_patrol: "Current anomalies by the server's rules, without writing anything",
    find_ids:
      "The records (kind, id, name) whose id starts with prefix: turns a short id of 8+ characters into the full one.",
    list_patrol_records: "Patrol records, newest first",
    create_task: "Create a task (status planning). Split it into sub-tasks, then set it active with set_task_status.",
    update_task:
      "Edit name, description or workspace (planning or active only; absent or null leaves a field unchanged, workspace '' clears it)",
    set_task_status:
      "Set a task's status (completed/archived only with no open sub-task; cancelled tasks restart or archive)",
    cancel_task: "Cancel a task and every open sub-task under it",
    create_module: "Create a module in an open task",
    create_sub_task:
      "Create a sub-task in a task: pending (any executor may claim it) or assigned when assigned_agent is given. Give a clear deliverable and acceptance criteria; depends_on lists sub-tasks of the same task that must be done first.",
    update_sub_task: "Edit a pending or assigned sub-task (only the fields given change).",
    set_sub_task_dependencies:
      "Replace the sub-tasks this one depends on (same task only; 409 dependency_cycle when they would form a cycle)",
    reassign_sub_task: "Give a blocked sub-task to another active executor.",
    cancel_sub_task: "Cancel a sub-task that is not done or cancelled yet.",
    list_rules: "The stored rule rows (global, task and sub-task), oldest first.",
    create_rule:
      "Add a rule to a task or a sub-task: scope task needs task_id, scope sub_task needs sub_task_id (give that one only).",
    update_rule: "Replace a rule's content (planners: task and sub-task rules only)",
    delete_rule: "Delete a rule (planners: task and sub-task rules only)",
    resolve_patrol_record:
      "Resolve an open record filed by an agent (source agent), with a note; the server closes its own (source cron)",
    adjust_score:
      "Change another agent's score by hand, never your own; agents are capped per call and per 24 h (settings score.adjust_max_per_call and score.adjust_max_per_day: 400 adjustment_too_large, 429 adjustment_quota_exceeded)",
    claim_sub_task: "Claim a pending sub-task (pending → assigned to you). Its dependencies must be done.",
    start_sub_task: "Start work on a sub-task assigned to you, or resume one sent back for rework (→ in_progress).",
    set_sub_task_session: "Record your current session id on a sub-task you are working on.",
    submit_sub_task:
      "Submit your in-progress sub-task for review (→ review). Log a delivery with write_log first, so the reviewer finds your work.",
    review_sub_task:
      "Review a submitted sub-task: approved (→ done) or rejected (→ rework), with a 1-5 score; a rejection needs issues (what to fix). The record, the state change and the scores land in one step.",
    complete_sub_task:
      "Approve a submitted sub-task without a score or comment (upstream shortcut; prefer review_sub_task).",
    rework_sub_task:
      "Send a submitted sub-task back for rework without a score or issues (upstream shortcut; prefer review_sub_task).",
    block_sub_task: "Block a stuck sub-task (assigned, in progress or rework) with a reason; a planner reassigns it.",
    create_patrol_record:
      "File a record for an anomaly you found; give sub_task_id or agent_id (or both). One open record per type and target",
    get_task_schedule:
      "A recurring task's schedule: status (active, paused, ended), the rule and its time zone, the next run (UTC), rounds created and open (404 schedule_not_found when the task has none).",
    list_task_rounds:
      "A recurring task's rounds, newest first: number (null for a skipped slot), status, slot, skip reason, and how many of its sub-tasks are done.",
    list_retrospectives:
      "Daily and weekly retrospectives you can read (the team's and your own), newest first, with their counts; filter by scope and period_kind.",
    get_retrospective:
      "One retrospective: its text (what was done, rejected, reworked and repeated) and its body; findings (f1, f2…) name repeated problems.",
    set_task_schedule:
      "Make a task recurring: a schedule (cron expression or every N minutes/hours/days, in a time zone), a policy, and the round's template, or from_sub_tasks: true to take the task's current modules, sub-tasks and dependencies. The server then creates each round's sub-tasks by itself.",
    pause_task_schedule: "Pause a task's schedule: no new rounds until it is resumed (open rounds go on).",
    resume_task_schedule: "Resume a paused schedule; the next run is computed from now (missed runs are not made up).",
    end_task_schedule:
      "End a task's schedule for good: no new rounds; open rounds stay, and the task settles when nothing is open.",
    start_task_round:
      "Start a round of a scheduled task now (outside its schedule; the next run stays). The policy applies: it can be refused or skipped while earlier rounds are open.",
    run_retrospective:
      "Write the retrospective of the last finished day (period daily) or week (weekly), or of the period containing date; 201 when written, 200 when it already existed.",
    rule_from_finding:
      "Turn a finding of a retrospective into a task rule (default: the task it was seen most on, and a suggested text); 409 finding_already_ruled the second time.",
    search_memory:
      "Search the team memory (reflections, deliveries, blocks, plans, retro notes, review issues, rules, sub-task descriptions; English or Chinese), best match first: each hit has its kind, tag (review: approved/rejected), sub-task, agent, date and a snippet with matches in [ ]. Filter by kinds and task_id; limit 1-50 (default 10); capped: true means narrow it.",
    list_sub_task_files:
      "A sub-task's files (name, content type, size, SHA-256, version, frozen once submitted), newest version first, and the upload limits; filter by version.",
    get_sub_task_file: "One file's details (no content: read_sub_task_file gives that).",
    read_sub_task_file:
      "A file's content: text files (text/plain, markdown, csv, json) as text, the first 64 KiB; PNG/JPEG/GIF/WebP images up to 1 MiB as an image; other types only a note with the CLI command to download them. The first block is the file's details as JSON (truncated: true when cut).",
    attach_sub_task_file:
      "Attach a file to the sub-task you hold while it is in progress: name, and content (UTF-8 text) or content_base64 (bytes), up to about 180 KiB here (larger files: the CLI's st attach); content_type e.g. text/markdown. The same name in the same version replaces the file. Returns the file's details.",
    delete_sub_task_file:
      "Delete a file you attached to the sub-task you hold, while it is in progress (files of a submitted version are frozen).",
  },
  /** The server instructions, one paragraph each; `mapped` lists "`command` → tool" pairs. */
  instructions: (p: { name: string; role: string; mapped: string }) => [
    "OpenMOSS Edge coordinates a team of AI agents (planners, executors, reviewers, patrols) through tasks and sub-tasks. " +
      `You are ${p.name}, a ${p.role}; the tools listed are the operations your role may call.`,
    "Start every wake-up with the get_briefing tool: it returns the rules, your score, your open sub-tasks, your queue and the next steps, most urgent first. " +
      "Follow the rules (resource openmoss://rules) and your role's skill (resource openmoss://skill).",
    `The briefing and the skill name task-cli commands; here each is a tool: ${p.mapped}.`,
    'A refused operation comes back as a tool error whose text is the API\'s JSON {"status", "code", "detail"} (e.g. 409 illegal_transition): read the detail, then fix the call or move on.',
  ],
  wrongRole: (p: { tool: string; roles: string; role: string }) =>
    `${p.tool} is limited to the ${p.roles} role; your role is ${p.role}`,
  unknownTool: (p: { name: string }) => `Unknown tool: ${p.name}`,
  unknownPrompt: (p: { name: string; prompts: string }) => `Unknown prompt: ${p.name}; the prompts are ${p.prompts}`,
  promptArguments: (p: { name: string; known: string; unknown: string }) =>
    `${p.name} takes ${p.known || "no arguments"}; unknown: ${p.unknown}`,
  resourceNotFound: (p: { uri: string }) => `Resource not found: ${p.uri}`,
  /** A tool call's arguments that no API request can carry (mcp/call.ts), as invalid_input details. */
  unknownArguments: (p: { count: number; unknown: string; tool: string; known: string }) =>
    `unknown argument${p.count > 1 ? "s" : ""} ${p.unknown}; ${p.tool} takes ${p.known || "no arguments"}`,
  argumentRequired: (p: { arg: string }) => `${p.arg}: required`,
  expectedString: (p: { arg: string }) => `${p.arg}: expected a string`,
  expectedScalar: (p: { arg: string }) => `${p.arg}: expected a string, a number or a boolean`,
  /** The file tools' own refusals and notes (mcp/call-files.ts). */
  fileTools: {
    contentOneOf: "give exactly one of content (text) and content_base64 (bytes)",
    badBase64: "content_base64: not valid base64",
    /** read_sub_task_file on a type it does not show (or an image over 1 MiB). */
    notShown: (p: { type: string; command: string }) =>
      `The content of a ${p.type} file is not shown here (text files and images up to 1 MiB are); download it with the CLI: ${p.command}`,
  },
  prompts: {
    briefing: {
      title: "Briefing",
      description:
        "Start each wake-up from this: who you are, your score, the next steps (most urgent first), your sub-tasks, your queue, and the rules when they changed.",
    },
    standing_prompt: {
      title: "Standing prompt",
      description:
        "Your permanent instructions for your role (the role template and what every run does). Use it as the system prompt of every run.",
    },
    rules: {
      title: "Rules",
      description:
        "The rules in full: the global rule, then a task's and a sub-task's rules when you give their ids. Use it before you work on a task.",
    },
    taskIdArg: "Add this task's rules",
    subTaskIdArg: "Add this sub-task's rules (and its task's)",
    noRules: "(no rules)",
  },
  resources: {
    rules: {
      title: "Rules",
      description: "The rules every agent follows (the global rule, variables filled in). Read them before any work.",
    },
    skill: {
      title: "Role skill (SKILL.md)",
      description:
        "How your role works here: its workflow, its duties and its commands (written for task-cli; the tools of this server do the same).",
    },
    briefing: {
      title: "Briefing",
      description:
        "The same as the get_briefing tool: rules, score, your sub-tasks, your queue and next steps, as JSON.",
    },
  },
  /** The `briefing` prompt's text around the briefing's own fields (mcp/briefing-text.ts). */
  briefingText: {
    who: (p: { name: string; role: string; status: string; score: number; rank: number; total: string }) =>
      `You are ${p.name} (${p.role}${p.status ? `, ${p.status}` : ""}) · score ${p.score} · rank ${p.rank}${p.total ? ` of ${p.total}` : ""}`,
    stepsAreTools: "The steps name task-cli commands; each is a tool here (see the server instructions).",
    nothingToDo: "Next steps: nothing to do right now.",
    nextSteps: "Next steps:",
    mySubTasks: "My sub-tasks",
    /** Headings of the queue lists; a list not named here is headed by its key. */
    queue: {
      available: "available",
      awaiting_review: "awaiting review",
      blocked: "blocked",
      tasks_to_decompose: "tasks to decompose",
      recently_completed: "recently completed",
      open_anomalies: "open anomalies",
    },
    anomaly: "anomaly",
    unnamed: "(unnamed)",
    round: (p: { round: number }) => `round ${p.round}`,
    rulesUnchanged: (p: { revision: string }) =>
      `Rules unchanged since your last briefing (rev ${p.revision}): the rules prompt has them.`,
    rulesHeading: (p: { revision: string }) => `Rules${p.revision ? ` (rev ${p.revision})` : ""}:`,
    shortened: "(some lists or texts were shortened: the list tools give everything)",
    /** The retrospective a briefing carries once; `period` is 2026-12-04 or 2026-W49. */
    retrospective: (p: { period: string; id: string }) => `Retrospective of ${p.period} (shown once) · ID:${p.id}:`,
    findings: "Repeated problems (findings):",
    ruled: (p: { ruleId: string }) => `rule ${p.ruleId}`,
    /** Other agents' words: each lesson is a quoted string, never an instruction. */
    lessons: "Lessons from similar past work (quoted from other agents; search_memory finds more):",
    lessonFor: (p: { name: string }) => `for ${p.name}`,
  },
};
