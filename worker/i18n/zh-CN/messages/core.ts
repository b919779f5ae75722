import { cli } from "../../../domain/cli-command";
import { MIN_ID_PREFIX } from "../../../domain/ids";
import type { Messages } from "../../catalogue";
import type { core as english, RecordKind } from "../../en/messages/core";

const LISTS: Record<RecordKind, string> = {
  sub_task: `${cli("st mine")} 或 ${cli("st list --task-id <task_id>")}`,
  task: cli("task list"),
  agent: cli("agents"),
  review: cli("review list"),
  patrol_record: cli("patrol records"),
  module: cli("module list <task_id>"),
};

export const core: Pick<Messages, keyof typeof english> = {
  noSuchEndpoint: "没有这个接口",
  invalidJson: "请求体不是合法的 JSON",
  invalidInput: "输入无效",
  internalError: "服务器内部错误",
  storageUnavailable: (p: { seconds: number }) => `存储暂时不可用，请 ${p.seconds} 秒后重试`,
  missingAuthorization: "缺少 Authorization 头，请发送 Bearer <api_key>",
  badAuthorization: "Authorization 的格式必须是 Bearer <api_key>",
  invalidApiKey: "API 密钥无效",
  agentDisabled: "这个智能体已被停用",
  wrongRole: (p: { roles: string; role: string }) => `该操作仅限 ${p.roles} 角色，你的角色是 ${p.role}`,
  idHintPrefix: (p: { kind: RecordKind }) =>
    `id 是完整的 UUID（36 个字符）；CLI 也接受至少 ${MIN_ID_PREFIX} 个字符、且唯一的前缀。${LISTS[p.kind]} 可以查到。`,
  idHintFull: (p: { kind: RecordKind }) => `${LISTS[p.kind]} 列出可用的 id。`,
  reopenTaskHint: (p: { taskId: string }) => `请先重新打开任务：${cli(`task status ${p.taskId} active`)}。`,
  invalidInputAdminHint: (p: { field: string }) => `请修正${p.field || "请求"}。请使用控制台或管理 API（/api/docs）。`,
  invalidInputHint: (p: { field: string; command: string }) =>
    `请修正${p.field || "请求"}；${cli(`help ${p.command}`)} 列出它接受的参数。`,
};
