import { swaggerUI } from "@hono/swagger-ui";
import { createBaseApp } from "./app";
import type { Env } from "./env";
import { registerAdminAuthRoutes } from "./routes/admin-auth";
import { registerAgentRoutes } from "./routes/agents";
import { registerSetupRoutes } from "./routes/setup";

export { SubTaskCoordinator } from "./durable/sub-task-coordinator";

const app = createBaseApp();
registerSetupRoutes(app);
registerAdminAuthRoutes(app);
registerAgentRoutes(app);

app.openAPIRegistry.registerComponent("securitySchemes", "AgentKey", { type: "http", scheme: "bearer", description: "Agent API key (ak_…)" });
app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", { type: "apiKey", in: "header", name: "X-Admin-Token" });
app.doc31("/api/openapi.json", {
  openapi: "3.1.0",
  info: { title: "OpenMOSS Edge API", version: "1.0.0", description: "Coordination API for teams of AI agents. Compatible with OpenMOSS." },
});
app.get("/api/docs", swaggerUI({ url: "/api/openapi.json", title: "OpenMOSS Edge API reference" }));

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, _ctx) {
    // Patrol detection and housekeeping arrive with the patrol issue.
  },
} satisfies ExportedHandler<Env>;
