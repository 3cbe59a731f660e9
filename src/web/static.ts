/**
 * The portal's one stylesheet and one small script (progressive enhancement only: every page works
 * without it). Colours meet WCAG AA contrast on white (text #1a1a1a, links #0b57a4, errors #a4000f).
 */
export const PORTAL_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;color:#1a1a1a;background:#fff}
a{color:#0b57a4}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f2a900;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px;z-index:2}
header.top{background:#123456;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:16px;align-items:center}
header.top a{color:#fff}
header.top nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:12px}
header.top nav a[aria-current=page]{font-weight:bold;text-decoration:underline}
.brand{font-weight:bold;font-size:1.2em;text-decoration:none}
.who{margin-left:auto;display:flex;gap:12px;align-items:center}
.who form{display:inline}
.who button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:2px 8px;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.6em;margin:.4em 0}
h2{font-size:1.25em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.5em 0;width:100%}
th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6}
caption{text-align:left;font-weight:bold;padding:4px 0}
form.box,fieldset{border:1px solid #999;border-radius:6px;padding:12px;margin:12px 0}
label{display:block;font-weight:600;margin-top:8px}
input,select,textarea{font:inherit;padding:4px 6px;border:1px solid #555;border-radius:4px;max-width:100%}
button,.button{font:inherit;background:#0b57a4;color:#fff;border:0;border-radius:4px;padding:6px 14px;margin-top:10px;cursor:pointer}
button.danger{background:#a4000f}
.inline{display:inline}
ul.tabs{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0}
ul.tabs a[aria-current=page]{font-weight:bold}
.notice{border-left:6px solid #1b7a2f;background:#eef8f0;padding:8px 12px}
.error{border-left:6px solid #a4000f;background:#fdeeee;padding:8px 12px;color:#5c0008}
.muted{color:#555}
.tree,.tree ul{list-style:none;padding-left:1.2em}
.tree li{margin:4px 0}
meter{width:160px;height:14px;vertical-align:middle}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.85em;border:1px solid #555}
.valid{background:#dff3e3}.invalid{background:#fbe0e0}.not-found{background:#eee}
.approve{background:#dff3e3}.deny{background:#fbe0e0}.waitlist{background:#fff2cc}
dl.obj{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}
dl.obj dt{font-weight:600}
dl.obj dd{margin:0}
.redacted{font-style:italic;color:#555}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
figure{margin:0;border:1px solid #ccc;border-radius:6px;padding:8px}
figcaption{font-weight:bold}
pre{background:#f4f4f4;padding:8px;overflow:auto}
`;

export const PORTAL_JS = `
document.addEventListener('submit', function (e) {
  var f = e.target;
  if (f && f.dataset && f.dataset.confirm && !window.confirm(f.dataset.confirm)) e.preventDefault();
});
`;
