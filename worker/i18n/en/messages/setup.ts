// Error details and other texts of this area, in English (see en/messages/core.ts for the conventions):
// the setup wizard, the admin's settings, prompts and shipped-text switch.
export const setup = {
  shippedTextsChanged: "a shipped text changed while switching languages; nothing was written",
  shippedTextsChangedHint:
    "Run the dry run again (GET /api/admin/shipped-texts) to see the current rows, then switch again.",
};
