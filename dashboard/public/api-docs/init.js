// Starts Swagger UI on /api/docs (served by the Worker) with this server's OpenAPI document. A file of
// its own, not an inline script, so the page's CSP can stay at script-src 'self'. Tags start collapsed,
// with a filter box, and the schemas start collapsed: expanded, the whole document (150 operations)
// is more than Swagger UI renders.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  docExpansion: "none",
  filter: true,
  defaultModelsExpandDepth: 0,
});
