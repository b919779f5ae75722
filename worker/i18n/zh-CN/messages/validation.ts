// 输入错误：zod 拒绝的字段按 issue 类型自己写中文（不用 zod 的全局 locale：它是所有请求共享的状态）。
import type { Messages } from "../../catalogue";
import type { AtField, validation as english, FieldIssue } from "../../en/messages/validation";

const at = (p: AtField) => (p.field ? `${p.field}：` : "");

const TEXT_HINT = "文本可以包含换行和制表符，但不能有其他控制字符、双向文本控制符或隐藏的标签字符";
const NAME_HINT = "名称和 id 只能是一行可见字符";
const AGENT_NAME_HINT = "智能体名称只能包含字母、数字 0-9、单个空格、'-'、'_' 和 '.'（按 NFKC 规范化后检查）";

/** What is wrong with the field, by zod's issue code and the issue's own fields. */
function issueText(p: FieldIssue): string {
  switch (p.issue) {
    case "invalid_type":
      return p.received === "undefined"
        ? `缺少这个字段（应为 ${p.expected}）`
        : `类型不对：应为 ${p.expected}，实际是 ${p.received}`;
    case "too_small":
      if (p.origin === "string") return p.minimum === 1 ? "不能为空" : `至少 ${p.minimum} 个字符`;
      if (p.origin === "array" || p.origin === "set") return `至少 ${p.minimum} 项`;
      return `不能小于 ${p.minimum}`;
    case "too_big":
      if (p.origin === "string") return `最多 ${p.maximum} 个字符`;
      if (p.origin === "array" || p.origin === "set") return `最多 ${p.maximum} 项`;
      return `不能大于 ${p.maximum}`;
    case "invalid_value":
      return `取值只能是 ${p.values}`;
    case "invalid_format":
      if (p.format === "datetime") return "不是合法的 ISO 8601 日期时间";
      if (p.format === "date") return "不是合法的日期（YYYY-MM-DD）";
      return p.format === "regex" ? "格式不符合要求" : `格式不对，应为 ${p.format}`;
    case "unrecognized_keys":
      return `有不认识的字段：${p.values}`;
    case "not_multiple_of":
      return "不是允许的倍数";
    default:
      return "取值无效";
  }
}

export const validation: Pick<Messages, keyof typeof english> = {
  invalidField: (p: FieldIssue) => `${at(p)}${issueText(p)}`,
  charNotAllowedInText: (p: AtField & { char: string }) => `${at(p)}不允许 ${p.char}：${TEXT_HINT}`,
  charNotAllowedInName: (p: AtField & { char: string }) => `${at(p)}不允许 ${p.char}：${NAME_HINT}`,
  charNotAllowedInAgentName: (p: AtField & { char: string }) => `${at(p)}不允许 ${p.char}：${AGENT_NAME_HINT}`,
  agentNameMixesScripts: (p: AtField & { char: string; script: string; firstScript: string; firstChar: string }) =>
    `${at(p)}${p.char} 是 ${p.script} 字母，而名称里已有 ${p.firstScript} 字母（${p.firstChar}）：拉丁、希腊、西里尔、亚美尼亚和切罗基字母长得像，一个智能体名称只能用其中一种`,
  agentNameDoubleSpace: (p: AtField) => `${at(p)}不能连续两个空格：${AGENT_NAME_HINT}`,
  invalidDateTime: (p: AtField) => `${at(p)}不是合法的 ISO 8601 日期时间`,
  repeatedDependency: (p: AtField) => `${at(p)}depends_on 里的 id 不能重复`,
  zeroScoreDelta: (p: AtField) => `${at(p)}score_delta 不能为 0`,
  bodyTooDeep: (p: { depth: number }) => `请求体中数组和对象的嵌套超过了 ${p.depth} 层`,
  bodyLoneSurrogate: "请求体中有字符串不是合法的 Unicode（孤立的代理项）",
  bodyTooLarge: (p: { bytes: number }) => `请求体超过 ${p.bytes} 字节`,
  idempotencyKeyLength: (p: { max: number }) => `Idempotency-Key 的长度必须在 1 到 ${p.max} 个字符之间`,
  idempotencyKeyOtherRequest: (p: { method: string; path: string }) =>
    `这个 Idempotency-Key 已用于 ${p.method} ${p.path}；不同的请求请换一个新的 key`,
  idempotencyKeyOtherBody: "这个 Idempotency-Key 已用于另一个请求体；不同的请求请换一个新的 key",
  idempotencyInProgress: "使用这个 Idempotency-Key 的请求还在处理中，请稍后重试",
  originNotAllowed: "这个来源（Origin）的网页不能调用本服务器",
};
