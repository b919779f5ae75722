// 中文目录：与英文目录（en/index.ts）同构，类型 Catalogue 保证键和参数一致。
import type { Catalogue } from "../catalogue";
import { briefing } from "./briefing";
import { hints } from "./hints";
import { mcp } from "./mcp";
import { admin } from "./messages/admin";
import { agents } from "./messages/agents";
import { answers } from "./messages/answers";
import { core } from "./messages/core";
import { fileReads } from "./messages/file-reads";
import { files } from "./messages/files";
import { records } from "./messages/records";
import { recurring } from "./messages/recurring";
import { retros } from "./messages/retros";
import { reviews } from "./messages/reviews";
import { rounds } from "./messages/rounds";
import { search } from "./messages/search";
import { setup } from "./messages/setup";
import { subTasks } from "./messages/sub-tasks";
import { tasks } from "./messages/tasks";
import { validation } from "./messages/validation";
import { notify } from "./notify";
import { patrol } from "./patrol";
import { prompts } from "./prompts";
import { retro } from "./retro";

export const zhCN: Catalogue = {
  hints,
  messages: {
    ...core,
    ...validation,
    ...tasks,
    ...subTasks,
    ...reviews,
    ...agents,
    ...records,
    ...admin,
    ...setup,
    ...answers,
    ...recurring,
    ...retros,
    ...rounds,
    ...files,
    ...fileReads,
    ...search,
  },
  briefing,
  mcp,
  notify,
  prompts,
  patrol,
  retro,
};
