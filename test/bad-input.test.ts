import { it } from "vitest";
import { call } from "./helpers";
it("dump", async () => {
  const doc = await call("GET", "/api/openapi.json");
  console.log("STATUS", doc.status);
  const fs = await import("node:fs");
  console.log(JSON.stringify(doc.body).length);
  console.log("DOC:" + JSON.stringify(doc.body));
});
