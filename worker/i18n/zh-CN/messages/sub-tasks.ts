import type { Messages } from "../../catalogue";
import type { subTasks as english } from "../../en/messages/sub-tasks";

export const subTasks: Pick<Messages, keyof typeof english> = {};
