// Error details and other texts of this area, in English (see en/messages/core.ts for the conventions).
export const subTasks = {};
