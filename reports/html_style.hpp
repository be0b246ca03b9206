#pragma once
// The stylesheet inlined into report.html (kept apart from the markup code so each reads on its own).

namespace aoeh::reports {

inline constexpr const char* kReportCss = R"css(
:root{--ink:#202124;--muted:#5f6368;--line:#e3e6ea;--bg:#f4f6f9;--card:#fff;--navy:#1b2a47;
--pass:#1e8e3e;--fail:#d93025;--error:#e37400;--skip:#9aa0a6;--na:#b8bec6}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
header.top{background:var(--navy);color:#fff;padding:28px 0 24px}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
header.top h1{margin:0;font-size:26px;font-weight:600;letter-spacing:.2px}
header.top .sub{margin-top:6px;color:#c7d0e0;font-size:14px}
header.top .sub b{color:#fff;font-weight:600}
.headline{display:flex;justify-content:space-between;align-items:center;gap:24px;flex-wrap:wrap}
.outcome{border-radius:8px;padding:12px 18px;min-width:300px;font-size:15px}
.outcome .big{display:block;font-size:22px;font-weight:700;letter-spacing:1px}
.outcome.pass{background:#e6f4ea;color:#0d652d}.outcome.fail{background:#fce8e6;color:#a50e0e}
.outcome.inconclusive{background:#fef7e0;color:#8a4b00}
main{padding:20px 0 40px}
section{margin-top:22px}
h2{font-size:18px;margin:0 0 10px;font-weight:600}
h3{font-size:15px;margin:0 0 8px;font-weight:600}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px}
.tiles{display:grid;grid-template-columns:repeat(7,1fr);gap:12px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;border-top:4px solid var(--muted)}
.tile .n{font-size:24px;font-weight:700;line-height:1.15;white-space:nowrap}.tile .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.6px}
.tile.pass{border-top-color:var(--pass)}.tile.fail{border-top-color:var(--fail)}.tile.error{border-top-color:var(--error)}
.tile.skip{border-top-color:var(--skip)}.tile.na{border-top-color:var(--na)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
table{border-collapse:collapse;width:100%}
table.kv th{text-align:left;color:var(--muted);font-weight:500;width:38%;padding:5px 10px 5px 0;vertical-align:top}
table.kv td{padding:5px 0;overflow-wrap:anywhere}
table.data th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);
font-weight:600;border-bottom:2px solid var(--line);padding:8px 10px}
table.data td{border-bottom:1px solid var(--line);padding:8px 10px;vertical-align:top}
table.data td.num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.results{table-layout:fixed}
table.data tr:last-child td{border-bottom:none}
.mono,code,pre{font-family:"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
.badge{display:inline-block;min-width:52px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;
font-weight:700;color:#fff;text-transform:uppercase;letter-spacing:.4px}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.error{background:var(--error)}
.badge.skip{background:var(--skip)}.badge.na{background:var(--na);color:#3c4043}
.tag{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 6px;font-size:11.5px;color:var(--muted);margin:2px 4px 0 0}
.tag.must{border-color:#c5221f;color:#c5221f}.tag.should{border-color:#b06000;color:#b06000}
.delta{display:inline-block;border-radius:4px;padding:0 6px;font-size:11.5px;font-weight:700;margin-left:6px}
.delta.worse{background:#fce8e6;color:#a50e0e}.delta.better{background:#e6f4ea;color:#0d652d}
.delta.changed{background:#e8eaed;color:#3c4043}.delta.new{background:#e8f0fe;color:#174ea6}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:#eef0f3;min-width:120px}
.bar span{display:block;height:100%}
.ok{color:var(--pass);font-weight:600}.bad{color:var(--fail);font-weight:600}
.name{font-weight:600;overflow-wrap:anywhere}.desc{color:var(--muted);font-size:12.5px;overflow-wrap:anywhere}
.msg{overflow-wrap:anywhere;white-space:pre-wrap}
tr.t-fail td:first-child{box-shadow:inset 3px 0 0 var(--fail)}tr.t-error td:first-child{box-shadow:inset 3px 0 0 var(--error)}
table.data tr.has-ev td{border-bottom:none;padding-bottom:2px}table.data tr.ev td{padding-top:0}
details{margin-top:0}summary{cursor:pointer;color:#174ea6;font-size:12.5px}
.frame{margin-top:8px;border-left:3px solid #4a6fa5;padding-left:10px}
.frame.recv{border-left-color:#7b5ea7}
.frame .head{font-size:12.5px;color:var(--muted)}.frame .note{color:#a50e0e;font-weight:600}
pre{margin:4px 0 0;background:#f8f9fb;border:1px solid var(--line);border-radius:4px;padding:8px 10px;overflow-x:auto;white-space:pre}
.chart{margin-top:6px}
ul.names{margin:4px 0 0;padding-left:18px}ul.names li{overflow-wrap:anywhere}
footer.wrap{color:var(--muted);font-size:12.5px;padding:18px 24px 30px}
footer a,table a{color:#174ea6;text-decoration:none}
@media (max-width:900px){.tiles{grid-template-columns:repeat(3,1fr)}.grid2{grid-template-columns:1fr}}
@media print{body{background:#fff}header.top{background:#fff;color:var(--ink);border-bottom:2px solid var(--ink)}
header.top .sub,header.top .sub b{color:var(--ink)}.card,.tile{break-inside:avoid}details{display:block}}
)css";

}  // namespace aoeh::reports
