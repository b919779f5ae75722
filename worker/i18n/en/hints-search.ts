// Default hints of the error codes about the team memory search, merged into hints.ts.
import { cli } from "../../domain/cli-command";

export const searchHints = {
  empty_query: `Search with words, e.g. ${cli('search "login timeout"')}; punctuation and symbols alone find nothing.`,
  too_many_terms: `Keep the few most telling words, e.g. ${cli('search "login timeout"')}; quote a phrase to count it as one term.`,
  unknown_search_kind: `Give kinds from the list in detail, comma-separated, e.g. ${cli('search "timeout" --kinds reflection,review')}.`,
};
