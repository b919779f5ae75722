// The setup wizard's texts (pages/setup.tsx).
import { params } from "@nanostores/i18n";
import { i18n } from "../index";

export const setupText = i18n("setup", {
  title: "Setup",
  stepToken: "Setup token",
  stepPassword: "Admin password",
  stepProject: "Project",
  stepAgents: "Agents",
  enterToken: "Enter the setup token.",
  passwordTooShort: "The password needs at least 6 characters.",
  passwordsDiffer: "The two passwords differ.",
  enterProjectName: "Enter a project name.",
  enterWorkspace: "Enter the workspace directory.",
  registrationTooShort: "The registration token needs at least 8 characters.",
  urlScheme: "The URL must start with http:// or https://.",
  checking: "Checking the server…",
  noAnswer: "The server did not answer",
  done: "Setup complete",
  /** `{header}` is X-Registration-Token in code type; `{roles}` the roles as a list in the language. */
  doneText:
    "The shared registration token (header {header}) registers: {roles}. Enroll other roles with one-time tokens (Prompts, or Settings → Agents). You can rotate it later in Settings.",
  noRole: "no role",
  copyToken: "Copy token",
  goToLogin: "Go to login",
  heading: "Set up OpenMOSS Edge",
  steps: "Setup steps",
  stepOf: params("Step {step} of {steps}: {name}"),
  tokenHint: "The SETUP_TOKEN secret of this Worker (npm start keeps it in .dev.vars).",
  passwordHint: "At least 6 characters.",
  confirmPassword: "Confirm password",
  projectName: "Project name",
  workspace: "Workspace directory",
  workspaceHint: "Where the agents keep their work, e.g. /srv/agents/workspace.",
  language: "Language of agent texts",
  languageHint:
    "The language of the skills, role prompts, rules, briefings and hints the server gives agents. You can change it later in Settings.",
  registrationToken: "Agent registration token",
  registrationHint: "Agents send it to register themselves.",
  regenerate: "Regenerate",
  allowRegistration: "Allow agents to register themselves",
  externalUrl: "Service access URL (optional)",
  externalUrlHint: "The address agents use to reach this server, e.g. https://moss.example.com.",
  back: "Back",
  next: "Next",
  initializing: "Initializing…",
  initialize: "Initialize",
});
