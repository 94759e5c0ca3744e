/**
 * Reads back what vega drew in an SVG: every text with its absolute position and the role of
 * the mark group it sits in (axis label, legend label, title, …), and counts of marks. Tests
 * check charts through this, on the produced SVG, rather than on the spec that asked for them.
 */
export interface SvgText {
  text: string;
  x: number;
  y: number;
  /** The vega role of the enclosing mark group: `axis-label`, `legend-label`, `title-text`, `mark` … */
  role: string;
  /** The vega class chain, outermost first (e.g. includes the mark's `name` when it has one). */
  classes: string[];
  angle: number;
  /** `start`, `middle` or `end` (SVG's text-anchor). */
  anchor: string;
  /** Position relative to the enclosing mark group's origin: for a chart's own marks, the plot's top-left corner. */
  local: { x: number; y: number };
}

const TAG = /<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
const attr = (attrs: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];
const translate = (t: string | undefined) => {
  const m = t && /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(t);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
};
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function svgTexts(svg: string): SvgText[] {
  const stack: Array<{ tag: string; x: number; y: number; cls?: string }> = [{ tag: 'root', x: 0, y: 0 }];
  const out: SvgText[] = [];
  let open: SvgText | null = null;
  for (const m of svg.matchAll(TAG)) {
    const [, close, tag, attrs = '', selfClose, content] = m;
    if (content !== undefined) {
      if (open) open.text += unescapeXml(content);
      continue;
    }
    if (close) {
      if (tag === 'text' && open) {
        out.push(open);
        open = null;
      }
      if (tag === 'g' || tag === 'svg' || tag === 'text') stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    const [dx, dy] = translate(attr(attrs, 'transform'));
    const frame = { tag, x: top.x + dx, y: top.y + dy, cls: attr(attrs, 'class') };
    if (tag === 'text') {
      const classes = stack.flatMap((s) => (s.cls ? [s.cls] : []));
      const groupFrame = [...stack].reverse().find((f) => f.cls && /\brole-/.test(f.cls));
      const group = groupFrame?.cls ?? '';
      const angle = Number(/rotate\(([-\d.]+)/.exec(attr(attrs, 'transform') ?? '')?.[1] ?? 0);
      const local = { x: frame.x - (groupFrame?.x ?? 0), y: frame.y - (groupFrame?.y ?? 0) };
      const role = /role-([\w-]+)/.exec(group)?.[1] ?? '';
      open = {
        text: '',
        x: frame.x,
        y: frame.y,
        role,
        classes,
        angle,
        local,
        anchor: attr(attrs, 'text-anchor') ?? 'start',
      };
    }
    if ((tag === 'g' || tag === 'svg' || tag === 'text') && !selfClose) stack.push(frame);
  }
  return out;
}

/** The stroke colour of every line vega drew, in drawing order. */
export function lineColors(svg: string): string[] {
  return [...svg.matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*>/g)].map(
    (m) => /stroke="([^"]*)"/.exec(m[0])?.[1] ?? '',
  );
}

/** How many marks of a kind (`line`, `rule`, `rect`, `symbol`, `text`, …) vega drew. */
export function countMarks(svg: string, kind: string): number {
  return svg.split(`aria-roledescription="${kind} mark"`).length - 1;
}
