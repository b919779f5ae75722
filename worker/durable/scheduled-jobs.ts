// The Durable Object that runs the server's scheduled jobs one at a time (one instance, "retro"):
// generating retrospectives, outside the cron's query budget. Filled in by the retrospective generator.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class ScheduledJobs extends DurableObject<Env> {}
