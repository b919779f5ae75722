import type { Messages } from "../../catalogue";
import type { records as english } from "../../en/messages/records";

export const records: Pick<Messages, keyof typeof english> = {};
