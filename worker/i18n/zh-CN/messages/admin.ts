import type { Messages } from "../../catalogue";
import type { admin as english } from "../../en/messages/admin";

export const admin: Pick<Messages, keyof typeof english> = {};
