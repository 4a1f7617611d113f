// The API reference (/api/v1/docs): Swagger UI from static/vendor, reading the OpenAPI
// document the app generates. No validator badge: nothing leaves this site.
/* global SwaggerUIBundle */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    persistAuthorization: false,
  });
})();
