import type { Messages } from "../../catalogue";
import type { tasks as english } from "../../en/messages/tasks";

export const tasks: Pick<Messages, keyof typeof english> = {};
