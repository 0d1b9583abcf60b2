// Draws the member map when a tile server is configured (data-tiles); without it, or
// without JavaScript, the list under the map is the whole page. Strings come translated
// from the template's data attributes; no inline script or style (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("member-map");
  var data = document.getElementById("map-points");
  if (!el || !data || !window.L || !el.dataset.tiles) { return; }
  var points = JSON.parse(data.textContent);
  el.hidden = false;
  var credit = document.createElement("a");
  credit.href = el.dataset.attributionUrl;
  credit.rel = "noopener";
  credit.textContent = el.dataset.attributionText;
  var map = L.map(el, { zoomControl: false }).setView([48.45, -71.6], 8);
  L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
  L.tileLayer(el.dataset.tiles, { attribution: credit.outerHTML, maxZoom: 18 }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.lon], { alt: p.name, title: p.name }).addTo(map);
    var link = document.createElement("a");
    link.href = p.url; link.textContent = p.name;
    marker.bindPopup(link);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 }); }
  // The page's own credit line repeats Leaflet's once the map shows it.
  var line = document.getElementById("map-attribution");
  if (line) { line.hidden = true; }
});
