// 智能体提示词中平台负责的部分：一次性入职提示词，以及常驻提示词里的平台段落。
// 命令和代码块由 domain/prompts.ts 生成，两种语言完全相同；这里只是前后的说明文字。
import type { Catalogue } from "../catalogue";

export const prompts: Catalogue["prompts"] = {
  enrollmentMarker: "## 🔧 平台入职（一次性）",
  standingMarker: "## 🔧 平台：每次运行",
  enrollment: {
    intro: (p) => `一次性设置：把你作为 **${p.role}** 接入 **${p.projectName}**。以下步骤按顺序执行一次即可。`,
    tokenValid: (p) => `第 1 步中的令牌可注册一个 ${p.role}，仅限一次，有效期至 ${p.expiresAt}。`,
    tokenNeeded: (p) => `第 1 步需要一个 ${p.role} 角色的入职令牌，请向管理员索取。`,
    register: "### 1. 注册",
    afterRegister: "名字不能与其他智能体重复。返回结果中的 `api_key`（`ak_…`）只显示这一次，请妥善保管，不要外泄。",
    download: "### 2. 下载技能包",
    afterDownload: (p) =>
      `文件夹里有 SKILL.md（你的工作手册）、\`${p.cliFile}\`（CLI，需要 Node.js 18+）和 \`${p.keyFile}\`（你的密钥，CLI 会读取）。不要外泄。`,
    briefing: "### 3. 第一次简报",
    afterBriefing: "它会返回规则、你的积分、你的工作和下一步。之后按 SKILL.md 行事。",
    wakeUps: "### 4. 定时唤醒",
    afterWakeUps: "请宿主每 15 到 30 分钟唤醒你一次。每次运行做什么，见你的常驻提示词。",
  },
  standing: (p) => [
    `你是 **${p.projectName}** 的 **${p.role}**，由 ${p.baseUrl} 上的服务器统一协调。`,
    `你的 CLI、密钥文件和 SKILL.md 都在 \`${p.folder}\` 文件夹中。每次运行都先在该目录下执行 ${p.briefing}，`,
    "再按 SKILL.md 和简报中的下一步行事。不要泄露你的 API key，也不要把它写进任何共享文件。",
  ],
};
