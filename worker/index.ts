import { createBaseApp } from "./app";
import type { Env } from "./env";
import { API_DOCS_HTML, DOCS_PATH } from "./lib/api-docs";
import { PACKAGE_VERSION } from "./lib/version";
import { onCron } from "./patrol/cron";
import { registerAdminActivityRoutes } from "./routes/admin-activity";
import { registerAdminAgentRoutes } from "./routes/admin-agents";
import { registerAdminAuthRoutes } from "./routes/admin-auth";
import { registerAdminConfigRoutes } from "./routes/admin-config";
import { registerAdminDashboardRoutes } from "./routes/admin-dashboard";
import { registerAdminEnrollmentRoutes } from "./routes/admin-enrollment";
import { registerAdminIntegrityRoutes } from "./routes/admin-integrity";
import { registerAdminPromptComposeRoutes } from "./routes/admin-prompt-compose";
import { registerAdminPromptRoutes } from "./routes/admin-prompts";
import { registerAdminRecordRoutes } from "./routes/admin-records";
import { registerAdminShippedTextRoutes } from "./routes/admin-shipped-texts";
import { registerAdminTaskRoutes } from "./routes/admin-tasks";
import { registerAgentPromptRoutes } from "./routes/agent-prompt";
import { registerAgentRoutes } from "./routes/agents";
import { registerBriefingRoutes } from "./routes/briefing";
import { registerFeedRoutes } from "./routes/feed";
import { registerFileRoutes } from "./routes/files";
import { registerIdRoutes } from "./routes/ids";
import { registerLiveRoutes } from "./routes/live";
import { registerLogRoutes } from "./routes/logs";
import { registerMcpRoutes } from "./routes/mcp";
import { registerPatrolRoutes } from "./routes/patrol";
import { registerRetrospectiveRoutes } from "./routes/retrospectives";
import { registerReviewRoutes } from "./routes/reviews";
import { registerRoundRoutes } from "./routes/rounds";
import { registerRuleRoutes } from "./routes/rules";
import { registerScheduleRoutes } from "./routes/schedules";
import { registerScoreRoutes } from "./routes/scores";
import { registerSearchRoutes } from "./routes/search";
import { registerSetupRoutes } from "./routes/setup";
import { registerSubTaskRoutes } from "./routes/sub-tasks";
import { registerTaskRoutes } from "./routes/tasks";
import { registerToolRoutes } from "./routes/tools";

export { LiveHub } from "./durable/live-hub";
export { ScheduledJobs } from "./durable/scheduled-jobs";
export { SubTaskCoordinator } from "./durable/sub-task-coordinator";

const app = createBaseApp();
registerSetupRoutes(app);
registerAdminAuthRoutes(app);
registerAgentRoutes(app);
registerTaskRoutes(app);
registerScheduleRoutes(app);
registerRoundRoutes(app);
registerSubTaskRoutes(app);
registerFileRoutes(app);
registerReviewRoutes(app);
registerScoreRoutes(app);
registerRuleRoutes(app);
registerRetrospectiveRoutes(app);
registerSearchRoutes(app);
registerToolRoutes(app);
registerBriefingRoutes(app);
registerAgentPromptRoutes(app);
registerIdRoutes(app);
registerLogRoutes(app);
registerFeedRoutes(app);
registerLiveRoutes(app);
registerPatrolRoutes(app);
registerAdminConfigRoutes(app);
registerAdminShippedTextRoutes(app);
registerAdminAgentRoutes(app);
registerAdminTaskRoutes(app);
registerAdminRecordRoutes(app);
registerAdminDashboardRoutes(app);
registerAdminPromptRoutes(app);
registerAdminPromptComposeRoutes(app);
registerAdminEnrollmentRoutes(app);
registerAdminActivityRoutes(app);
registerMcpRoutes(app);
registerAdminIntegrityRoutes(app);

app.openAPIRegistry.registerComponent("securitySchemes", "AgentKey", {
  type: "http",
  scheme: "bearer",
  description: "Agent API key (ak_…)",
});
app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", {
  type: "apiKey",
  in: "header",
  name: "X-Admin-Token",
});
app.doc31("/api/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "OpenMOSS Edge API",
    version: PACKAGE_VERSION,
    description: "Coordination API for teams of AI agents. Compatible with OpenMOSS.",
  },
});
// The reference page: Swagger UI from the dashboard's own assets (dist/api-docs/, see dashboard/vite.config.ts).
app.get(DOCS_PATH, (c) => c.html(API_DOCS_HTML));

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => onCron(env, controller.scheduledTime),
} satisfies ExportedHandler<Env>;
