// Every command, in the order `help` lists them.
import type { Table } from "../args";
import type { Command } from "../context";
import { agentsCommand, heartbeatCommand, notificationCommand } from "./agents";
import { briefingCommand } from "./briefing";
import { logGroup } from "./logs";
import { patrolGroup } from "./patrol";
import { registerCommand } from "./register";
import { retroGroup } from "./retro";
import { reviewGroup } from "./reviews";
import { ruleGroup, rulesCommand } from "./rules";
import { scoreGroup } from "./scores";
import { SEARCH_COMMANDS } from "./search";
import { subTaskGroup } from "./sub-tasks";
import { moduleGroup, taskGroup } from "./tasks";
import { updateCommand } from "./update";
import { versionCommand } from "./version";

export const TABLE: Table<Command> = [
  registerCommand,
  briefingCommand,
  rulesCommand,
  ruleGroup,
  heartbeatCommand,
  taskGroup,
  moduleGroup,
  subTaskGroup,
  reviewGroup,
  scoreGroup,
  logGroup,
  retroGroup,
  ...SEARCH_COMMANDS,
  patrolGroup,
  agentsCommand,
  notificationCommand,
  updateCommand,
  versionCommand,
];
