// The Simplified Chinese catalogue: typed as the English one, so a missing or extra key, or a message
// taking other parameters, fails `tsc`. Written natively, not line by line, in the project's terms
// (任务, 子任务, 智能体, 审查, 返工, 积分 …).
import type { Catalogue } from "../en/index";
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

export const zhCN: Catalogue = {
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
