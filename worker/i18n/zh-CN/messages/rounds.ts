import type { Messages } from "../../catalogue";
import type { rounds as english } from "../../en/messages/rounds";

export const rounds: Pick<Messages, keyof typeof english> = {};
