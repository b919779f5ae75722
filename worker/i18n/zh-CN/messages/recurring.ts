import type { Messages } from "../../catalogue";
import type { recurring as english } from "../../en/messages/recurring";

export const recurring: Pick<Messages, keyof typeof english> = {};
