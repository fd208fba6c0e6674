/* Supervisor dashboards: draws the charts from the JSON the page embeds (json_script) with
   the vendored Apache ECharts, and the district map from the GeoJSON in static/geo/.
   Every figure is also in a table on the page, so nothing is lost without this file.
   - [data-dash-chart=trend]  : #dash-trend  (period, applications, completed, on_time_rate)
   - [data-dash-chart=stages] : #dash-stages (label, avg, cases)
   - [data-dash-map]          : #dash-map-data (code, name, applications, on_time_rate, href) */
(function () {
  "use strict";
  if (!window.echarts) return;
  var SEAL = "#b3261e", BLUE = "#1d5fb0", GREEN = "#1e7b34", GREY = "#9aa1ab";

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function chart(node) {
    var c = echarts.init(node, null, { renderer: "svg" });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  function trend(node) {
    var rows = data("dash-trend");
    if (!rows) return;
    chart(node).setOption({
      color: [BLUE, GREEN, SEAL],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.period; }) },
      yAxis: [{ type: "value", name: "件", minInterval: 1 },
              { type: "value", name: "%", min: 0, max: 100 }],
      series: [
        { name: "申请量", type: "bar", data: rows.map(function (r) { return r.applications; }) },
        { name: "办结量", type: "bar", data: rows.map(function (r) { return r.completed; }) },
        { name: "按时办结率", type: "line", yAxisIndex: 1, connectNulls: true,
          data: rows.map(function (r) { return r.on_time_rate; }) }
      ]
    });
  }

  function stages(node) {
    var rows = data("dash-stages");
    if (!rows) return;
    var c = chart(node);
    c.setOption({
      color: [BLUE],
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      yAxis: { type: "value", name: "工作日" },
      series: [{ type: "bar", name: "平均用时", data: rows.map(function (r) {
        return { value: r.avg, href: r.href };
      }) }]
    });
    c.on("click", function (p) { if (p.data && p.data.href) window.location.href = p.data.href; });
  }

  function map(node) {
    var rows = data("dash-map-data");
    if (!rows) return;
    var measure = node.getAttribute("data-measure");
    fetch(node.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        echarts.registerMap("districts", geo);
        var values = rows.map(function (r) {
          return { name: r.name, href: r.href, applications: r.applications,
                   rate: r.on_time_rate,
                   value: measure === "volume" ? r.applications : r.on_time_rate };
        });
        var nums = values.map(function (v) { return v.value; })
          .filter(function (v) { return v !== null; });
        var c = chart(node);
        c.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            var d = p.data || {};
            return p.name + "<br>申请量：" + (d.applications || 0) + "<br>按时办结率：" +
              (d.rate === null || d.rate === undefined ? "—" : d.rate + "%");
          } },
          visualMap: {
            // volume from 0; rates over the observed range, so small differences show
            min: measure === "volume" ? 0 : Math.floor(Math.min.apply(null, nums.concat([100]))),
            max: measure === "volume" ? Math.max.apply(null, nums.concat([1]))
              : Math.max(Math.ceil(Math.max.apply(null, nums.concat([0]))),
                         Math.floor(Math.min.apply(null, nums.concat([100]))) + 1),
            left: 8, bottom: 8, calculable: true,
            text: measure === "volume" ? ["多", "少"] : ["高", "低"],
            inRange: { color: measure === "volume" ? ["#fbeceb", SEAL] : ["#fdecea", "#fff4d6", GREEN] },
            outOfRange: { color: GREY }
          },
          series: [{ type: "map", map: "districts", roam: true, nameProperty: "name",
                     label: { show: true, fontSize: 11 }, data: values }]
        });
        c.on("click", function (p) { if (p.data && p.data.href) window.location.href = p.data.href; });
      })
      .catch(function () { node.textContent = "地图数据加载失败，请查看下方表格。"; });
  }

  document.querySelectorAll("[data-dash-chart=trend]").forEach(trend);
  document.querySelectorAll("[data-dash-chart=stages]").forEach(stages);
  document.querySelectorAll("[data-dash-map]").forEach(map);
})();
