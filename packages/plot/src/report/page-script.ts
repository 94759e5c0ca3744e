/**
 * The page's only script, inlined: hover shows a mark's values (vega writes them into each
 * mark's aria-label), a click on a legend entry hides or shows that series in its chart, and a
 * click on a table header sorts the table. No library, no network.
 */
export const pageScript = `
(() => {
  const tip = document.createElement('div');
  tip.id = 'tip';
  document.body.appendChild(tip);
  const fields = (label) => Object.fromEntries(label.split('; ').map((kv) => { const i = kv.indexOf(': '); return [kv.slice(0, i), kv.slice(i + 2)]; }));
  document.addEventListener('mouseover', (e) => {
    const el = e.target.closest && e.target.closest('.chart [role="graphics-symbol"][aria-label]');
    if (!el || el.closest('.role-legend')) { tip.style.display = 'none'; return; }
    tip.textContent = el.getAttribute('aria-label');
    tip.style.display = 'block';
  });
  document.addEventListener('mousemove', (e) => {
    tip.style.left = e.pageX + 12 + 'px';
    tip.style.top = e.pageY + 12 + 'px';
  });
  for (const chart of document.querySelectorAll('.chart')) {
    const field = chart.dataset.series;
    if (!field) continue;
    for (const entry of chart.querySelectorAll('.role-legend-entry .role-scope > g')) {
      const text = entry.querySelector('.role-legend-label text');
      if (!text) continue;
      entry.style.cursor = 'pointer';
      entry.addEventListener('click', () => {
        const name = text.textContent;
        const off = entry.classList.toggle('off');
        entry.style.opacity = off ? 0.35 : 1;
        for (const mark of chart.querySelectorAll('[role="graphics-symbol"][aria-label]'))
          if (fields(mark.getAttribute('aria-label'))[field] === name) mark.style.display = off ? 'none' : '';
      });
    }
  }
  for (const table of document.querySelectorAll('table.sortable')) {
    const heads = [...table.tHead.rows[0].cells];
    heads.forEach((th, col) => {
      th.addEventListener('click', () => {
        const up = th.dataset.dir !== 'asc';
        heads.forEach((h) => delete h.dataset.dir);
        th.dataset.dir = up ? 'asc' : 'desc';
        const body = table.tBodies[0];
        const key = (row) => { const c = row.cells[col]; return c.dataset.v !== undefined ? c.dataset.v : c.textContent; };
        const rows = [...body.rows].sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          const [nx, ny] = [Number(x), Number(y)];
          const cmp = x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny) ? nx - ny : String(x).localeCompare(String(y));
          return up ? cmp : -cmp;
        });
        for (const r of rows) body.appendChild(r);
      });
    });
  }
})();
`;

export const pageStyle = `
body { font: 14px/1.45 Helvetica, Arial, "DejaVu Sans", sans-serif; margin: 24px auto; max-width: 1440px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; white-space: nowrap; font-size: 13px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
th { background: #f4f4f4; } table.sortable th { cursor: pointer; } th[data-dir=asc]::after { content: ' ▲'; } th[data-dir=desc]::after { content: ' ▼'; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
.chart { display: inline-block; margin: 8px 16px 8px 0; vertical-align: top; } .chart svg { max-width: 100%; height: auto; }
#tip { position: absolute; display: none; background: #fff; border: 1px solid #999; padding: 4px 6px; font-size: 12px; pointer-events: none; white-space: pre; box-shadow: 1px 1px 3px #0002; }
/* vega draws legends inert; make each entry (its whole row) a click target for toggling. */
.chart[data-series] .role-legend-entry .background, .chart[data-series] .role-legend-label text { pointer-events: all; }
.muted { color: #777; }
section { display: inline-block; vertical-align: top; margin-right: 24px; } details { margin: 8px 0; }
`;
