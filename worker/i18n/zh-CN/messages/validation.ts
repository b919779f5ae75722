import type { Messages } from "../../catalogue";
import type { validation as english } from "../../en/messages/validation";

export const validation: Pick<Messages, keyof typeof english> = {};
