import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: [
    "./worker/db/schema.ts",
    "./worker/db/schema-recurring.ts",
    "./worker/db/schema-retrospectives.ts",
    "./worker/db/schema-files.ts",
    "./worker/db/schema-search.ts",
  ],
  out: "./migrations",
});
