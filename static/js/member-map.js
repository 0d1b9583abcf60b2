// Draws the member map when a tile server is configured; otherwise the list stays alone.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("member-map");
  var data = document.getElementById("map-points");
  if (!el || !data || !window.L || !el.dataset.tiles) { return; }
  var points = JSON.parse(data.textContent);
  el.hidden = false;
  var map = L.map(el).setView([48.45, -71.6], 8);
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.lon]).addTo(map);
    var link = document.createElement("a");
    link.href = p.url; link.textContent = p.name;
    marker.bindPopup(link);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); }
});
