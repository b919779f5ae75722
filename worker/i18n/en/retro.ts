// The texts of a retrospective, rendered once when it is generated (worker/domain/retro-text.ts) and
// stored in the project's language at the time, like patrol descriptions.
export const retro = {};
