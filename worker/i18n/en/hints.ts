// Default hints by error code, in English: what an agent (or admin) does next, as the command to run.
// One sentence each; the error's detail already says what is wrong. zh-CN/hints.ts has the same keys
// (the type check and scripts/check-i18n.ts compare them); test/error-hints.test.ts fails when a code
// the Worker can answer with has no entry here.
import { cli } from "../../domain/cli-command";
import { MIN_ID_PREFIX } from "../../domain/ids";
import { fileReadHints } from "./hints-file-reads";
import { fileHints } from "./hints-files";
import { recurringHints } from "./hints-recurring";
import { retroHints } from "./hints-retros";
import { roundHints } from "./hints-rounds";
import { searchHints } from "./hints-search";

const BRIEFING = cli("briefing");
const AVAILABLE = cli("st available");
/** For codes only the dashboard or the admin API meets. */
const ADMIN = "Use the dashboard or the admin API (/api/docs).";

export const hints = {
  // Input and transport
  invalid_input: `Fix the field named in detail; ${cli("help <command>")} lists each command's arguments.`,
  invalid_json: "Send a JSON object as the body (the CLI does this for you).",
  invalid_text: "Remove the character named in detail and send the text again.",
  invalid_name: "Use one line of visible characters and send it again.",
  too_deep: "Send a flatter JSON body.",
  payload_too_large: "Send a shorter text; put long material in the shared workspace and link it.",
  unsupported_media_type: "Send the body as application/json.",
  method_not_allowed: `Check the command; ${cli("help")} lists them.`,
  not_found: `Check the path; ${cli("help")} lists the commands.`,
  http_error: `Check the command; ${cli("help")} lists them.`,
  storage_unavailable: "Run the same command again in a second.",
  // Authentication, roles, limits
  missing_credentials: `Give your key with --key, OPENMOSS_API_KEY or the key file OPENMOSS-AGENT.env; ${cli("help")} explains.`,
  bad_credentials: `Give your key with --key, OPENMOSS_API_KEY or the key file OPENMOSS-AGENT.env; ${cli("help")} explains.`,
  invalid_api_key: "Check the key you were given (OPENMOSS-AGENT.env); ask your admin if it was replaced.",
  agent_disabled: "Stop here: ask your admin to enable this agent again.",
  wrong_role: `Leave this command to an agent of the role named in detail; ${BRIEFING} lists your own next steps.`,
  rate_limited: "Wait the seconds named in detail (Retry-After), then run the command again.",
  too_many_attempts: "Wait a few minutes before trying again.",
  // Registration and enrollment
  invalid_registration_token: "Ask your admin for a valid registration or enrollment token.",
  registration_closed: "Ask your admin for an enrollment token and register with it.",
  registration_rate_limited: "Wait the seconds named in detail, then register again.",
  role_not_allowed: "Register with a role the token allows, or ask your admin for a token for your role.",
  name_taken: `Choose another name and run ${cli("register")} again.`,
  enrollment_token_revoked: "Ask your admin for a new enrollment token.",
  enrollment_token_used: "Ask your admin for a new enrollment token.",
  enrollment_token_expired: "Ask your admin for a new enrollment token.",
  // Sub-tasks
  sub_task_not_found: `${cli("st mine")} lists your sub-tasks, ${AVAILABLE} the claimable ones.`,
  illegal_transition: `${BRIEFING} lists what you can do next with your sub-tasks.`,
  not_owner: `${cli("st mine")} lists your sub-tasks; ${AVAILABLE} lists the ones you can claim.`,
  dependencies_pending: `Wait until its dependencies are done; ${AVAILABLE} lists work you can claim now.`,
  task_closed: `A planner can reopen the task with ${cli("task status <task_id> active")}; ${AVAILABLE} lists open work.`,
  concurrent_change: "Someone changed it at the same moment: read it again, then retry if it still applies.",
  own_work: `Leave it to another reviewer; ${BRIEFING} lists the reviews you can do.`,
  issues_required: `Say what to fix: ${cli('review create <sub_task_id> rejected <1-5> --issues "<what to fix>" --comment "<summary>"')}.`,
  invalid_agent: `Pick an active executor: ${cli("agents --role executor")}.`,
  agent_not_found: `${cli("agents")} lists the agents and their ids.`,
  module_not_found: `${cli("module list <task_id>")} lists the task's modules.`,
  module_mismatch: `Pick a module of the same task: ${cli("module list <task_id>")}.`,
  dependency_cycle: `Drop one of the ids that closes the cycle and run ${cli("st deps <id> [dep_id …]")} again.`,
  dependency_other_task: `Dependencies must be sub-tasks of the same task: ${cli("st list --task-id <task_id>")}.`,
  invalid_id_prefix: `Copy at least the first ${MIN_ID_PREFIX} characters of the id from a list, e.g. ${cli("st mine")}.`,
  no_sub_task: `${cli("st mine")} lists the sub-tasks assigned to you.`,
  nothing_to_update: "Give at least one field to change.",
  // Tasks
  task_not_found: `${cli("task list")} lists the tasks and their ids.`,
  task_not_editable: `Add a task rule instead: ${cli('rule create "<text>" --task-id <task_id>')}.`,
  open_sub_tasks: `Finish or cancel its open sub-tasks first: ${cli("st list --task-id <task_id>")}.`,
  sub_tasks_in_flight: `Cancel the task first: ${cli("task cancel <task_id>")}.`,
  confirm_mismatch: "Repeat the task's exact name to confirm.",
  task_mismatch: "Name a sub-task of that task, or leave one of the two ids out.",
  // Reviews, logs, rules, scores, patrol
  review_not_found: `${cli("review list")} lists the review records and their ids.`,
  log_kind_not_allowed: `Use a log kind your role writes (detail lists them): ${cli("help log create")}.`,
  not_assignee: `Log on your own sub-tasks (${cli("st mine")}), or leave --sub-task-id out.`,
  rule_not_found: `${cli("rules")} shows the rules that apply to you.`,
  global_rule_admin_only: `Write a task or sub-task rule instead: ${cli('rule create "<text>" --task-id <task_id>')}.`,
  global_rule_exists: ADMIN,
  task_id_required: `Give the task: ${cli('rule create "<text>" --task-id <task_id>')}.`,
  sub_task_id_required: `Give the sub-task: ${cli('rule create "<text>" --sub-task-id <sub_task_id>')}.`,
  self_adjustment: "Ask another planner or an admin to adjust your score.",
  adjustment_too_large: "Send a smaller score_delta (the limit is in detail), or ask an admin.",
  adjustment_quota_exceeded: "Retry at the time named in detail, or ask an admin.",
  patrol_record_not_found: `${cli("patrol records --status open")} lists the open records and their ids.`,
  record_not_open: `Nothing to do: ${cli("patrol records --status open")} lists what is still open.`,
  record_open: `It is already reported: ${cli("patrol records --status open")} shows it.`,
  cron_record: "The server opened this record and closes it itself once the cause is gone; leave it open.",
  target_required: `Name what is wrong: ${cli("patrol report … --sub-task-id <id>")} and/or --agent-id <id>.`,
  target_not_found: `It was deleted meanwhile; ${cli("patrol check")} shows what is still wrong.`,
  // Idempotency (the CLI sends a fresh Idempotency-Key with every write)
  invalid_idempotency_key: "Send an Idempotency-Key of 1 to 200 visible characters, or none.",
  idempotency_key_reused: "Send a new Idempotency-Key for a different request.",
  request_in_progress: "Wait a second, then retry with the same Idempotency-Key to get its answer.",
  // Dashboard, setup and admin API
  already_initialized: `Setup is done; log in on the dashboard. ${ADMIN}`,
  not_initialized: "Run the setup wizard on the dashboard first.",
  invalid_setup_token: "Give the SETUP_TOKEN secret set on the Worker.",
  setup_token_unset: "Set the SETUP_TOKEN secret (wrangler secret put SETUP_TOKEN), then retry.",
  wrong_password: "Check the admin password and log in again.",
  password_pepper_missing:
    "Set that Worker secret again with the value it had (wrangler secret put …); no other value can verify the stored password.",
  password_changed: "Log in again.",
  invalid_session: "Log in again on the dashboard.",
  confirm_name_mismatch: "Repeat the exact name to confirm.",
  prompt_exists: ADMIN,
  prompt_not_found: ADMIN,
  template_not_found: ADMIN,
  invalid_slug: ADMIN,
  invalid_role: ADMIN,
  invalid_thresholds: ADMIN,
  setting_read_only: "Leave that key out of the PUT: the deployment sets it (docs/compatibility.md).",
  invalid_score_range: ADMIN,
  reason_too_long: ADMIN,
  concurrent_update: "Reload it and save again.",
  channel_not_found: ADMIN,
  enrollment_token_not_found: ADMIN,
  agent_has_open_work: "Reassign or cancel the agent's open sub-tasks first, then retry.",
  feed_disabled: "An admin can turn the public feed on in the dashboard's settings.",
  // The dashboard's live socket
  upgrade_required: "Connect with a WebSocket (Upgrade: websocket).",
  bad_upgrade: "Connect with a WebSocket (Upgrade: websocket).",
  unsupported_protocol: "Offer the subprotocol named in detail.",
  origin_not_allowed:
    "Call from this server's own address, or add your page's origin to CORS_ORIGINS (wrangler.toml); agents and CLIs send no Origin.",
  live_full: "Nothing to do: the dashboard polls instead.",
  ...recurringHints,
  ...retroHints,
  ...roundHints,
  ...fileHints,
  ...fileReadHints,
  ...searchHints,
};
