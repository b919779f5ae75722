// Starts Swagger UI on /api/docs (served by the Worker) with this server's OpenAPI document. A file of
// its own, not an inline script, so the page's CSP can stay at script-src 'self'.
window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
