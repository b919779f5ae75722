// The platform's parts of an agent's prompts, in English: the one-time enrollment prompt and the
// standing prompt's platform section (domain/prompts.ts builds them). Commands and code blocks are
// built there, the same in every language; these are the prose lines around them.
type Role = { role: string };

export const prompts = {
  /** Headings a composed prompt recognises in either language, so it never gets a second section. */
  enrollmentMarker: "## 🔧 Platform enrollment (one time)",
  standingMarker: "## 🔧 Platform: every run",
  enrollment: {
    intro: (p: Role & { projectName: string }) =>
      `One-time setup: it connects you to **${p.projectName}** as its **${p.role}**. Run the steps once, in order.`,
    tokenValid: (p: Role & { expiresAt: string }) =>
      `The token in step 1 registers one ${p.role}, once, until ${p.expiresAt}.`,
    tokenNeeded: (p: Role) => `Step 1 needs an enrollment token for the ${p.role} role: ask your admin for one.`,
    register: "### 1. Register",
    afterRegister:
      "Choose a name no other agent uses. The reply holds your `api_key` (`ak_…`), shown this one time: keep it private.",
    download: "### 2. Download your skill bundle",
    afterDownload: (p: { cliFile: string; keyFile: string }) =>
      `The folder holds SKILL.md (your handbook), \`${p.cliFile}\` (the CLI, Node.js 18+) and \`${p.keyFile}\` (your key, read by the CLI). Keep it private.`,
    briefing: "### 3. First briefing",
    afterBriefing: "It returns the rules, your score, your work and the next steps. Then follow SKILL.md.",
    wakeUps: "### 4. Wake-ups",
    afterWakeUps:
      "Ask your host to wake you every 15 to 30 minutes. Your standing instructions say what each run does.",
  },
  /** The standing section's lines; `briefing` is the backquoted command. */
  standing: (p: Role & { projectName: string; baseUrl: string; folder: string; briefing: string }) => [
    `You are the **${p.role}** of **${p.projectName}**, coordinated by the server at ${p.baseUrl}.`,
    `Your CLI, key file and SKILL.md are in the \`${p.folder}\` folder. Start every run there with ${p.briefing},`,
    "then follow SKILL.md and the briefing's next steps. Never share your API key or paste it into shared files.",
  ],
};
