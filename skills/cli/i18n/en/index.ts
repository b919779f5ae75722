// The English catalogue, the source of truth: its type is the Catalogue every language must fill.
import { briefing } from "./briefing";
import { common } from "./common";
import { help } from "./help";
import { log, patrol, rules, update, version } from "./journal";
import { schedule } from "./recurring";
import { retro } from "./retro";
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
  register,
  agents,
  review,
  score,
  log,
  retro,
  patrol,
  rules,
  update,
  version,
};

export type Catalogue = typeof en;
