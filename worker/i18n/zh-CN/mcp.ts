// MCP 服务器对模型说的话（中文）。工具名、参数名和 schema 与英文完全相同，只有描述和提示语不同。
import type { Catalogue } from "../catalogue";

export const mcp: Catalogue["mcp"] = {
  tools: {
    get_briefing:
      "每次唤醒先调用它。一次返回合并后的规则、你的积分和排名、你的反思、你手上未完成的子任务及其最近一次审查、你角色的队列，以及按紧急程度排序的下一步（下一步里写的是 task-cli 命令，服务器说明里有命令与工具的对应关系）。",
    heartbeat: "告诉服务器你还在线（仪表盘上显示为在线）。",
    get_rules: "需要遵守的规则（变量已填好）：先是全局规则，给出任务和子任务 ID 时再附上它们的规则。",
    list_agents: "已注册的智能体，含角色、状态和积分（不含密钥）。",
    get_notification_config: "通知渠道和事件",
    list_tasks: "任务列表，最新的在前",
    get_task: "任务详情",
    list_modules: "任务下的模块（任务不存在时为空）",
    list_sub_tasks: "按条件列出子任务，最新的在前",
    list_my_sub_tasks: "分配给你的子任务",
    list_available_sub_tasks: "执行者现在就能领取的待领取子任务（所属任务进行中，依赖均已完成）。",
    get_latest_sub_task: "你在某个任务中最近更新的子任务",
    get_sub_task: "子任务全貌：描述、交付物、验收标准、状态、负责人、返工次数以及它依赖的子任务 ID。",
    list_sub_task_events: "子任务的每一次状态变化，按时间先后（上游没有此功能）",
    list_reviews: "审查记录列表，最新的在前",
    get_review: "审查记录详情",
    get_my_score: "我的积分概况",
    list_my_score_logs: "我的积分流水，最新的在前",
    get_leaderboard: "全体智能体积分排行；名次即行号（同分也各占一名，注册早的在前）",
    list_agent_score_logs: "任一智能体的积分流水，最新的在前（ID 不存在时为空）",
    write_log:
      "在你的活动日志里写一条记录。执行者提交前先写一条 `delivery`（交付了什么、放在哪里）；审查之后写 `reflection`，卡住时写 `blocked`，自己的工作可写 `plan`、`review` 或 `patrol`。子任务上的 `coding`、`delivery` 和 `blocked` 只能写在你持有或持有过的子任务上。同时给出两个 ID 时，sub_task_id 必须属于 task_id。读完一份复盘后，写一条 `retro` 记录（今后要怎么改），并附上它的 retrospective_id。",
    list_my_logs: "我最近的活动，最新的在前",
    list_logs:
      "所有智能体最近的活动，最新的在前；每条都注明作者（agent_name）、时间（created_at）、子任务（sub_task_name）和任务（task_name）",
    check_patrol: "按服务器规则检查当前的异常，不写入任何数据",
    find_ids: "ID 以 prefix 开头的记录（kind、id、name）：把 8 位以上的短 ID 换成完整 ID。",
    list_patrol_records: "巡查记录，最新的在前",
    create_task: "创建任务（状态为 planning）。先拆成子任务，再用 set_task_status 设为 active。",
    update_task:
      "修改名称、描述或工作区（仅限 planning 或 active 状态；不传或传 null 的字段保持不变，workspace 传 '' 表示清空）",
    set_task_status: "设置任务状态（没有未完成的子任务时才能设为 completed/archived；已取消的任务可重启或归档）",
    cancel_task: "取消任务及其下所有未完成的子任务",
    create_module: "在进行中的任务里创建模块",
    create_sub_task:
      "在任务中创建子任务：不指定 assigned_agent 时为待领取（任何执行者都可领取），指定时直接分配。写清交付物和验收标准；depends_on 列出同一任务中必须先完成的子任务。",
    update_sub_task: "修改待领取或已分配的子任务（只改传入的字段）。",
    set_sub_task_dependencies: "替换该子任务的依赖（仅限同一任务；会形成循环时返回 409 dependency_cycle）",
    reassign_sub_task: "把阻塞的子任务交给另一位在岗的执行者。",
    cancel_sub_task: "取消尚未完成或取消的子任务。",
    list_rules: "已存的规则（全局、任务、子任务），最早的在前。",
    create_rule:
      "给任务或子任务添加规则：scope 为 task 时需要 task_id，scope 为 sub_task 时需要 sub_task_id（只给这一个）。",
    update_rule: "替换规则内容（规划者只能改任务和子任务规则）",
    delete_rule: "删除规则（规划者只能删任务和子任务规则）",
    resolve_patrol_record:
      "附说明关闭一条由智能体提交的未关闭记录（source 为 agent）；服务器自己的记录（source 为 cron）由服务器关闭",
    adjust_score:
      "手动调整其他智能体的积分，不能调自己；每次和每 24 小时都有上限（设置 score.adjust_max_per_call 和 score.adjust_max_per_day：超出返回 400 adjustment_too_large、429 adjustment_quota_exceeded）",
    claim_sub_task: "领取一个待领取的子任务（pending → 分配给你）。它的依赖必须已完成。",
    start_sub_task: "开始做分配给你的子任务，或继续被打回返工的子任务（→ in_progress）。",
    set_sub_task_session: "在你正在做的子任务上记下当前会话 ID。",
    submit_sub_task: "把进行中的子任务提交审查（→ review）。先用 write_log 写一条 delivery，审查者才能找到你的成果。",
    review_sub_task:
      "审查已提交的子任务：approved（→ done）或 rejected（→ rework），打 1-5 分；驳回必须写明 issues（要修改什么）。审查记录、状态变更和积分一步完成。",
    complete_sub_task: "直接通过已提交的子任务，不打分也不写评语（上游的快捷方式；建议用 review_sub_task）。",
    rework_sub_task: "把已提交的子任务打回返工，不打分也不写问题（上游的快捷方式；建议用 review_sub_task）。",
    block_sub_task: "阻塞一个卡住的子任务（assigned、in_progress 或 rework）并写明原因；由规划者重新分配。",
    create_patrol_record:
      "为你发现的异常提交一条记录；给出 sub_task_id 或 agent_id（或两者）。同一类型、同一对象只能有一条未关闭的记录",
    get_task_schedule:
      "周期任务的调度计划：状态（active、paused、ended）、规则及其时区、下次运行时间（UTC）、已开启和未结束的轮次数（任务没有调度计划时返回 404 schedule_not_found）。",
    list_task_rounds:
      "周期任务的轮次，最新的在前：轮次号（跳过的时段为 null）、状态、时段、跳过原因，以及其子任务完成了多少。",
    list_retrospectives:
      "你能看到的日复盘和周复盘（团队的和你自己的），最新的在前，附各项计数；可按 scope 和 period_kind 筛选。",
    get_retrospective:
      "一份复盘：正文（完成、驳回、返工了什么，哪些问题反复出现）和结构化内容；发现（f1、f2……）指出反复出现的问题。",
    set_task_schedule:
      "把任务设为周期任务：给出调度计划（cron 表达式，或每 N 分钟/小时/天，带时区）、策略和每轮的模板，或用 from_sub_tasks: true 以任务当前的模块、子任务和依赖关系为模板。之后服务器会自行创建每一轮的子任务。",
    pause_task_schedule: "暂停任务的调度计划：恢复之前不再开启新轮次（未结束的轮次照常进行）。",
    resume_task_schedule: "恢复已暂停的调度计划；下次运行时间从现在算起（错过的不会补上）。",
    end_task_schedule: "永久结束任务的调度计划：不再开启新轮次；未结束的轮次保留，全部结束后任务随之收尾。",
    start_task_round:
      "立即为有调度计划的任务开启一轮（不按计划时间，下次运行时间不变）。策略照样生效：之前的轮次未结束时可能被拒绝或跳过。",
    run_retrospective:
      "为最近一个已结束的日（period 为 daily）或周（weekly），或为包含 date 的周期生成复盘；新生成返回 201，已存在返回 200。",
    rule_from_finding:
      "把复盘中的一条发现变成任务规则（默认用它出现最多的任务和建议的正文）；重复操作返回 409 finding_already_ruled。",
    search_memory:
      "搜索团队记忆（反思、交付、阻塞、计划、复盘心得、审查问题、规则、子任务描述；中英文皆可），最相关的在前：每条结果有类型、标签（审查：approved/rejected）、子任务、智能体、日期和摘要，匹配处用 [ ] 标出。可按 kinds 和 task_id 过滤；limit 1-50（默认 10）；capped 为 true 时请缩小范围。",
    list_sub_task_files:
      "子任务的文件（名称、内容类型、大小、SHA-256、版本；提交后冻结），最新版本在前，并附上传限制；可按 version 过滤。",
    get_sub_task_file: "一个文件的详情（不含内容：内容用 read_sub_task_file 读取）。",
    read_sub_task_file:
      "文件内容：文本文件（text/plain、markdown、csv、json）以文本返回前 64 KiB；1 MiB 以内的 PNG/JPEG/GIF/WebP 图片以图片返回；其他类型只返回一条说明和下载它的 CLI 命令。第一块是文件详情的 JSON（被截断时 truncated 为 true）。",
    attach_sub_task_file:
      "给你持有且进行中的子任务附加文件：name，以及 content（UTF-8 文本）或 content_base64（字节），这里最多约 180 KiB（更大的文件用 CLI 的 st attach）；content_type 如 text/markdown。同一版本中同名文件会被替换。返回文件详情。",
    delete_sub_task_file: "删除你给持有且进行中的子任务附加的文件（已提交版本的文件已冻结）。",
  },
  instructions: (p) => [
    "OpenMOSS Edge 通过任务和子任务协调一支 AI 智能体团队（规划者、执行者、审查者、巡查）。" +
      `你是 ${p.name}，角色是 ${p.role}；列出的工具就是你的角色可以调用的操作。`,
    "每次唤醒都先调用 get_briefing：它返回规则、你的积分、你未完成的子任务、你的队列和按紧急程度排序的下一步。" +
      "遵守规则（资源 openmoss://rules）和你角色的技能说明（资源 openmoss://skill）。",
    `简报和技能说明里写的是 task-cli 命令；在这里每条命令对应一个工具：${p.mapped}。`,
    '被拒绝的操作会以工具错误返回，内容是 API 的 JSON {"status", "code", "detail"}（例如 409 illegal_transition）：看 detail，修正调用或跳过。',
  ],
  wrongRole: (p) => `${p.tool} 仅限 ${p.roles} 角色调用；你的角色是 ${p.role}`,
  unknownTool: (p) => `没有这个工具：${p.name}`,
  unknownPrompt: (p) => `没有这个提示词：${p.name}；可用的有 ${p.prompts}`,
  promptArguments: (p) => `${p.name} 的参数是 ${p.known || "（无）"}；不认识的参数：${p.unknown}`,
  resourceNotFound: (p) => `没有这个资源：${p.uri}`,
  unknownArguments: (p) => `不认识的参数 ${p.unknown}；${p.tool} 的参数是 ${p.known || "（无）"}`,
  argumentRequired: (p) => `${p.arg}：必填`,
  expectedString: (p) => `${p.arg}：应为字符串`,
  expectedScalar: (p) => `${p.arg}：应为字符串、数字或布尔值`,
  fileTools: {
    contentOneOf: "content（文本）和 content_base64（字节）必须且只能给一个",
    badBase64: "content_base64：不是有效的 base64",
    notShown: (p) => `这里不显示 ${p.type} 文件的内容（只显示文本文件和 1 MiB 以内的图片）；用 CLI 下载：${p.command}`,
  },
  prompts: {
    briefing: {
      title: "简报",
      description:
        "每次唤醒从这里开始：你是谁、你的积分、下一步（最紧急的在前）、你的子任务、你的队列，规则有变化时附上规则。",
    },
    standing_prompt: {
      title: "常驻提示词",
      description: "你这个角色的长期指令（角色模板加每次运行要做的事）。每次运行都把它作为系统提示词。",
    },
    rules: {
      title: "规则",
      description: "完整的规则：全局规则，给出任务和子任务 ID 时再加上它们的规则。开始做任务前先看一遍。",
    },
    taskIdArg: "加上该任务的规则",
    subTaskIdArg: "加上该子任务（及其所属任务）的规则",
    noRules: "（没有规则）",
  },
  resources: {
    rules: {
      title: "规则",
      description: "每个智能体都要遵守的规则（全局规则，变量已填好）。开始工作前先读。",
    },
    skill: {
      title: "角色技能（SKILL.md）",
      description: "你的角色在这里怎么工作：流程、职责和命令（按 task-cli 写的；本服务器的工具做的是同样的事）。",
    },
    briefing: {
      title: "简报",
      description: "与 get_briefing 工具相同：规则、积分、你的子任务、你的队列和下一步，JSON 格式。",
    },
  },
  briefingText: {
    who: (p) =>
      `你是 ${p.name}（${p.role}${p.status ? `，${p.status}` : ""}）· 积分 ${p.score} · 排名 ${p.rank}${p.total ? ` / ${p.total}` : ""}`,
    stepsAreTools: "下一步里写的是 task-cli 命令，在这里每条命令都对应一个工具（见服务器说明）。",
    nothingToDo: "下一步：暂时没有要做的事。",
    nextSteps: "下一步：",
    mySubTasks: "我的子任务",
    queue: {
      available: "可领取",
      awaiting_review: "待审查",
      blocked: "已阻塞",
      tasks_to_decompose: "待拆分的任务",
      recently_completed: "最近完成",
      open_anomalies: "未关闭的异常",
    },
    anomaly: "异常",
    unnamed: "（未命名）",
    round: (p) => `第 ${p.round} 轮`,
    rulesUnchanged: (p) => `规则自上次简报以来没有变化（版本 ${p.revision}），需要时用 rules 提示词查看。`,
    rulesHeading: (p) => `规则${p.revision ? `（版本 ${p.revision}）` : ""}：`,
    shortened: "（部分列表或文字已截断，用列表类工具可查看全部）",
    retrospective: (p) => `${p.period} 的复盘（只出现一次）· ID:${p.id}：`,
    findings: "重复出现的问题（发现）：",
    ruled: (p) => `规则 ${p.ruleId}`,
    lessons: "类似工作的过往经验（引自其他智能体的原话；search_memory 可查更多）：",
    lessonFor: (p) => `对应 ${p.name}`,
  },
};
