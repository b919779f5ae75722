// Error details and other texts of this area, in English (see en/messages/core.ts for the conventions):
// the setup wizard, the admin's settings, prompts and the shipped-text switch.
export const setup = {
  setupTokenUnset: "the SETUP_TOKEN secret is not set on this Worker",
  alreadyInitialized: "setup has already been completed",
  invalidSetupToken: "X-Setup-Token does not match the SETUP_TOKEN secret",
  nothingToUpdate: "no setting given",
  invalidThresholds: "patrol.timeout_critical_minutes must be above timeout_warning_minutes",
  channelNotFound: "no notification channel with that id",
  promptNotFound: (p: { slug: string }) => `agent prompt ${p.slug} does not exist`,
  invalidRole: (p: { roles: string }) => `role must be one of ${p.roles}`,
  templateNotFound: (p: { name: string }) => `no template named ${p.name}`,
  templateNames: (p: { roles: string }) =>
    `Template names: ${p.roles}, also with upstream's task- prefix (task-planner); GET /api/admin/prompts/templates lists the stored ones.`,
  promptExists: (p: { slug: string }) => `agent prompt ${p.slug} already exists`,
  promptNothingToUpdate: "give at least one of name, role, description, content, example",
  promptChanged: "the prompt changed while saving; reload and try again",
  shippedTextsChanged: "a shipped text changed while switching languages; nothing was written",
  shippedTextsChangedHint:
    "Run the dry run again (GET /api/admin/shipped-texts) to see the current rows, then switch again.",
};
