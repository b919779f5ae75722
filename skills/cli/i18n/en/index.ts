// The English catalogue, the source of truth: its type is the Catalogue every language must fill.
import { briefing } from "./briefing";
import { common } from "./common";
import { files } from "./files";
import { help } from "./help";
import { log, patrol, rules, update, version } from "./journal";
import { schedule } from "./recurring";
import { retro } from "./retro";
import { search } from "./search";
import { agents, register, review, score } from "./team";
import { module, st, task } from "./work";

export const en = {
  common,
  help,
  briefing,
  task,
  schedule,
  module,
  st,
  files,
  register,
  agents,
  review,
  score,
  log,
  retro,
  search,
  patrol,
  rules,
  update,
  version,
};

export type Catalogue = typeof en;
