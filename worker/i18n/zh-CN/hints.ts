// 各错误码的默认提示（中文）：下一步该做什么，尽量给出可直接运行的命令。键与 en/hints.ts 完全一致。
import { cli } from "../../domain/cli-command";
import { MIN_ID_PREFIX } from "../../domain/ids";
import type { Catalogue } from "../catalogue";
import { fileReadHints } from "./hints-file-reads";
import { fileHints } from "./hints-files";
import { recurringHints } from "./hints-recurring";
import { retroHints } from "./hints-retros";
import { roundHints } from "./hints-rounds";
import { searchHints } from "./hints-search";

const BRIEFING = cli("briefing");
const AVAILABLE = cli("st available");
const ADMIN = "请使用控制台或管理 API（/api/docs）。";
const GIVE_KEY = `用 --key、OPENMOSS_API_KEY 或密钥文件 OPENMOSS-AGENT.env 提供密钥；详见 ${cli("help")}。`;
const NEW_ENROLLMENT_TOKEN = "请向管理员申请新的入职令牌。";

export const hints: Catalogue["hints"] = {
  // 输入与传输
  invalid_input: `按 detail 中指出的字段修正；${cli("help <command>")} 列出每个命令的参数。`,
  invalid_json: "请求体须为 JSON 对象（CLI 会自动处理）。",
  invalid_text: "删掉 detail 中指出的字符后重新发送。",
  invalid_name: "名称只能占一行、由可见字符组成，改好后重新发送。",
  too_deep: "请发送层级更浅的 JSON。",
  payload_too_large: "请缩短文本；长材料放到共享工作区，只发链接。",
  unsupported_media_type: "请求体请用 application/json 发送。",
  method_not_allowed: `请检查命令；${cli("help")} 列出全部命令。`,
  not_found: `请检查路径；${cli("help")} 列出全部命令。`,
  http_error: `请检查命令；${cli("help")} 列出全部命令。`,
  storage_unavailable: "一秒后重新运行同一条命令。",
  // 认证、角色与限流
  missing_credentials: GIVE_KEY,
  bad_credentials: GIVE_KEY,
  invalid_api_key: "请核对分配给你的密钥（OPENMOSS-AGENT.env）；若已被更换，请联系管理员。",
  agent_disabled: "到此为止：请管理员重新启用这个智能体。",
  wrong_role: `这条命令留给 detail 中所说角色的智能体去做；${BRIEFING} 会列出你自己的下一步。`,
  rate_limited: "等待 detail 中给出的秒数（Retry-After）后再运行。",
  too_many_attempts: "请过几分钟再试。",
  // 注册与入职
  invalid_registration_token: "请向管理员索取有效的注册令牌或入职令牌。",
  registration_closed: "请向管理员申请入职令牌，用它来注册。",
  registration_rate_limited: "等待 detail 中给出的秒数后再注册。",
  role_not_allowed: "请用令牌允许的角色注册，或向管理员申请对应角色的令牌。",
  name_taken: `换一个名称，再运行 ${cli("register")}。`,
  enrollment_token_revoked: NEW_ENROLLMENT_TOKEN,
  enrollment_token_used: NEW_ENROLLMENT_TOKEN,
  enrollment_token_expired: NEW_ENROLLMENT_TOKEN,
  // 子任务
  sub_task_not_found: `${cli("st mine")} 列出你的子任务，${AVAILABLE} 列出可领取的子任务。`,
  illegal_transition: `${BRIEFING} 会列出你的子任务接下来能做什么。`,
  not_owner: `${cli("st mine")} 列出你的子任务；${AVAILABLE} 列出你能领取的子任务。`,
  dependencies_pending: `等它的依赖完成；现在能领取的工作见 ${AVAILABLE}。`,
  task_closed: `规划者可以用 ${cli("task status <task_id> active")} 重新打开任务；${AVAILABLE} 列出未完成的工作。`,
  concurrent_change: "有人同时改动了它：重新读取，若仍需要再重试。",
  own_work: `交给其他审查者；${BRIEFING} 会列出你可以审查的工作。`,
  issues_required: `写明要改什么：${cli('review create <sub_task_id> rejected <1-5> --issues "<what to fix>" --comment "<summary>"')}。`,
  invalid_agent: `请选择一个活跃的执行者：${cli("agents --role executor")}。`,
  agent_not_found: `${cli("agents")} 列出所有智能体及其 id。`,
  module_not_found: `${cli("module list <task_id>")} 列出该任务的模块。`,
  module_mismatch: `请选同一任务下的模块：${cli("module list <task_id>")}。`,
  dependency_cycle: `去掉形成循环的那个 id，再运行 ${cli("st deps <id> [dep_id …]")}。`,
  dependency_other_task: `依赖必须是同一任务下的子任务：${cli("st list --task-id <task_id>")}。`,
  invalid_id_prefix: `从列表中复制 id 的至少前 ${MIN_ID_PREFIX} 个字符，例如 ${cli("st mine")}。`,
  no_sub_task: `${cli("st mine")} 列出分配给你的子任务。`,
  nothing_to_update: "至少给出一个要修改的字段。",
  // 任务
  task_not_found: `${cli("task list")} 列出所有任务及其 id。`,
  task_not_editable: `请改为添加任务规则：${cli('rule create "<text>" --task-id <task_id>')}。`,
  open_sub_tasks: `先完成或取消它未结束的子任务：${cli("st list --task-id <task_id>")}。`,
  sub_tasks_in_flight: `先取消该任务：${cli("task cancel <task_id>")}。`,
  confirm_mismatch: "请一字不差地输入任务名称以确认。",
  task_mismatch: "请指定该任务下的子任务，或者两个 id 只给一个。",
  // 审查、日志、规则、积分、巡查
  review_not_found: `${cli("review list")} 列出审查记录及其 id。`,
  log_kind_not_allowed: `请使用你的角色可写的日志类型（见 detail）：${cli("help log create")}。`,
  not_assignee: `只能在自己的子任务上记日志（${cli("st mine")}），或者不带 --sub-task-id。`,
  rule_not_found: `${cli("rules")} 显示对你生效的规则。`,
  global_rule_admin_only: `请改写任务或子任务规则：${cli('rule create "<text>" --task-id <task_id>')}。`,
  global_rule_exists: ADMIN,
  task_id_required: `请指定任务：${cli('rule create "<text>" --task-id <task_id>')}。`,
  sub_task_id_required: `请指定子任务：${cli('rule create "<text>" --sub-task-id <sub_task_id>')}。`,
  self_adjustment: "请让其他规划者或管理员调整你的积分。",
  adjustment_too_large: "请发送更小的 score_delta（上限见 detail），或联系管理员。",
  adjustment_quota_exceeded: "请在 detail 给出的时间之后重试，或联系管理员。",
  patrol_record_not_found: `${cli("patrol records --status open")} 列出未处理的记录及其 id。`,
  record_not_open: `无需处理：${cli("patrol records --status open")} 列出仍未处理的记录。`,
  record_open: `已经上报过了：${cli("patrol records --status open")} 里能看到。`,
  cron_record: "这条记录由服务器创建，原因消失后会自动关闭；请保持打开。",
  target_required: `写明问题出在哪：${cli("patrol report … --sub-task-id <id>")} 和/或 --agent-id <id>。`,
  target_not_found: `它已被删除；${cli("patrol check")} 显示仍存在的问题。`,
  // 幂等（CLI 每次写操作都会带新的 Idempotency-Key）
  invalid_idempotency_key: "Idempotency-Key 须为 1 到 200 个可见字符，或者不带。",
  idempotency_key_reused: "不同的请求请使用新的 Idempotency-Key。",
  request_in_progress: "等一秒，再用同一个 Idempotency-Key 重试以取得结果。",
  // 控制台、初始化与管理 API
  already_initialized: `初始化已完成，请在控制台登录。${ADMIN}`,
  not_initialized: "请先在控制台运行初始化向导。",
  invalid_setup_token: "请填写 Worker 上设置的 SETUP_TOKEN 密钥。",
  setup_token_unset: "请先设置 SETUP_TOKEN 密钥（wrangler secret put SETUP_TOKEN），再重试。",
  wrong_password: "请核对管理员密码后重新登录。",
  password_pepper_missing:
    "请把这个 Worker 密钥重新设为原来的值（wrangler secret put …）；其他值都无法校验已保存的密码。",
  password_changed: "请重新登录。",
  invalid_session: "请在控制台重新登录。",
  confirm_name_mismatch: "请一字不差地输入名称以确认。",
  prompt_exists: ADMIN,
  prompt_not_found: ADMIN,
  template_not_found: ADMIN,
  invalid_slug: ADMIN,
  invalid_role: ADMIN,
  invalid_thresholds: ADMIN,
  setting_read_only: "PUT 中请去掉这个键：它由部署决定（见 docs/compatibility.md）。",
  invalid_score_range: ADMIN,
  reason_too_long: ADMIN,
  concurrent_update: "请重新加载后再保存。",
  channel_not_found: ADMIN,
  enrollment_token_not_found: ADMIN,
  agent_has_open_work: "请先重新分配或取消该智能体未完成的子任务，再重试。",
  feed_disabled: "管理员可以在控制台的设置中打开公开动态。",
  // 控制台的实时连接
  upgrade_required: "请用 WebSocket 连接（Upgrade: websocket）。",
  bad_upgrade: "请用 WebSocket 连接（Upgrade: websocket）。",
  unsupported_protocol: "请提供 detail 中指出的子协议。",
  origin_not_allowed:
    "请从本服务器自己的地址访问，或把你页面的源加入 CORS_ORIGINS（wrangler.toml）；智能体和 CLI 不发送 Origin。",
  live_full: "无需处理：控制台会改为轮询。",
  ...recurringHints,
  ...retroHints,
  ...roundHints,
  ...fileHints,
  ...fileReadHints,
  ...searchHints,
};
