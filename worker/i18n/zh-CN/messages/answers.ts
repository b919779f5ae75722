import type { Messages } from "../../catalogue";
import type { answers as english } from "../../en/messages/answers";

export const answers: Pick<Messages, keyof typeof english> = {
  loginSuccess: "登录成功",
  loggedOut: "已退出登录",
  passwordChanged: "密码已修改，请重新登录",
  settingsUpdated: "设置已更新",
  taskDeleted: "任务已删除",
  heartbeatRecorded: "心跳已记录",
  rulesMerged: "已合并的规则（变量已替换）",
  ruleDeleted: "规则已删除",
  initializationComplete: "初始化完成",
};
