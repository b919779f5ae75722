import type { Messages } from "../../catalogue";
import type { setup as english } from "../../en/messages/setup";

export const setup: Pick<Messages, keyof typeof english> = {};
