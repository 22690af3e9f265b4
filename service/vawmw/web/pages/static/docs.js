// Starts Swagger UI on /docs (web/routes/docs.py). A file, not an inline script, so that the
// page runs under the site's own Content-Security-Policy.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
