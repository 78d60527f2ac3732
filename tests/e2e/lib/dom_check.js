// html_browser.sh's check page: report.html (the page itself has no
// script) loads in an iframe WIDTH px wide; once it has loaded, its rendered
// DOM is checked and one line per check goes into <pre id="dom-check"> for
// the test to read from --dump-dom.
var frame = document.createElement("iframe");
frame.style.cssText = "width:WIDTHpx;height:3000px;border:0";
frame.addEventListener("load", function () {
  var document = frame.contentDocument, window = frame.contentWindow;
  var out = [], judged = JUDGED;
  function check(ok, what) { out.push((ok ? "PASS " : "FAIL ") + what); }
  var all = document.querySelectorAll("[id]"), seen = {}, dup = [];
  for (var i = 0; i < all.length; i++) {
    if (seen[all[i].id]) dup.push(all[i].id);
    seen[all[i].id] = (seen[all[i].id] || 0) + 1;
  }
  check(dup.length === 0, all.length + " ids unique" + (dup.length ? ": " + dup.slice(0, 5).join(" ") : ""));
  var links = document.querySelectorAll('a[href^="#"]'), broken = [];
  for (i = 0; i < links.length; i++) {
    var h = decodeURIComponent(links[i].getAttribute("href").slice(1));
    if (seen[h] !== 1) broken.push(h);
  }
  check(broken.length === 0 && links.length > 0, links.length + " in-page links resolve to one element each" + (broken.length ? ": " + broken.slice(0, 5).join(" ") : ""));
  var svgs = document.querySelectorAll("section svg"), bare = 0;
  for (i = 0; i < svgs.length; i++)
    if (svgs[i].querySelectorAll(".axis-title").length === 0) bare++;
  check(svgs.length >= 4 && bare === 0, svgs.length + " charts, " + bare + " without an axis title");
  var rows = document.querySelectorAll('#query-table tr[id^="q-"]');
  check(rows.length === judged, rows.length + " per-query rows for " + judged + " judged queries");
  var qa = document.querySelectorAll('[id^="q-"]');
  check(qa.length === judged, qa.length + " q- anchors for " + judged + " judged queries");
  var de = document.documentElement, b = document.body;
  check(de.scrollWidth <= de.clientWidth && b.scrollWidth <= b.clientWidth,
    "at " + window.innerWidth + " px: page " + de.scrollWidth + " wide in " + de.clientWidth + ", body " + b.scrollWidth + " in " + b.clientWidth);
  top.document.getElementById("dom-check").textContent = out.join("\n");
});
frame.src = "REPORT";
document.body.appendChild(frame);
