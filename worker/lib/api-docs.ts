// The API reference page at /api/docs: Swagger UI, loaded from the dashboard's own static assets
// (dist/api-docs/, copied from the pinned swagger-ui-dist by dashboard/vite.config.ts). Nothing comes
// from a CDN, so the page works offline and its CSP allows this origin only.

export const DOCS_PATH = "/api/docs";

export const API_DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenMOSS Edge API reference</title>
<link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api-docs/swagger-ui-bundle.js"></script>
<script src="/api-docs/init.js"></script>
</body>
</html>
`;

/**
 * Scripts and stylesheets from this origin only, no inline script; inline styles (Swagger UI sets
 * some), data: images (its CSS icons), and fetches to this origin (the document, "Try it out").
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
