// The API documentation (Swagger UI): its operation groups are <h3> right under the page's
// <h1>; announce them as level 2 so the headings outline has no gap (axe heading-order).
(function () {
  function level() {
    document.querySelectorAll("h3.opblock-tag").forEach(function (h) {
      if (h.getAttribute("aria-level") !== "2") { h.setAttribute("aria-level", "2"); }
    });
  }
  new MutationObserver(level).observe(document.body, { childList: true, subtree: true });
  level();
})();
