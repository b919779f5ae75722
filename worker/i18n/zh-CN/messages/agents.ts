import type { Messages } from "../../catalogue";
import type { agents as english } from "../../en/messages/agents";

export const agents: Pick<Messages, keyof typeof english> = {};
