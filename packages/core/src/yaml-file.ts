import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { AnnealError, type Issue, type Location } from './errors.ts';
import { isForbiddenKey, limits } from './limits.ts';
import type { Sources } from './sources.ts';

export interface YamlFile {
  file: string;
  data: unknown;
  sources: Sources;
}

/** Parse a YAML file, keeping the line and column of every key and value. */
export function readYamlFile(file: string): YamlFile {
  let text: string;
  try {
    if (statSync(file).isDirectory())
      throw new AnnealError('CONFIG_NOT_FOUND', `${file} is a directory, not a config file`, {
        hint: 'name the YAML file inside it',
      });
    if (statSync(file).size > limits.fileBytes) throw tooBig(file);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof AnnealError) throw error;
    throw new AnnealError('CONFIG_NOT_FOUND', `cannot read config file ${file}`, {
      hint:
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist; check the path' : String(error),
    });
  }
  return parseYaml(text, file);
}

function tooBig(file: string): AnnealError {
  return new AnnealError('CONFIG_LIMIT', `${file} is larger than ${limits.fileBytes / 1024} KiB`, {
    hint: 'a config names data files rather than holding data (docs/config.md#limits)',
  });
}

export function parseYaml(text: string, file: string): YamlFile {
  if (Buffer.byteLength(text) > limits.fileBytes) throw tooBig(file);
  const lineCounter = new LineCounter();
  // yaml's own `uniqueKeys` check compares every pair of keys in a mapping (60k keys: 78 s);
  // the walk below finds duplicates with a Set instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number): Location => ({ file, ...lineCounter.linePos(offset) });
  if (doc.errors.length > 0) {
    throw new AnnealError('CONFIG_YAML', `${file} is not valid YAML`, {
      issues: doc.errors.map((e) => ({
        path: '',
        message: e.message.split('\n')[0],
        location: at(e.pos[0]),
      })),
      hint: 'check indentation and that every key is followed by `: `',
    });
  }
  const sources: Sources = new Map();
  const duplicates: Issue[] = [];
  let keyCount = 0;
  const limit = (what: string, node: Node | null | undefined, path: string) =>
    new AnnealError('CONFIG_LIMIT', `${file}: ${what}`, {
      issues: [{ path, message: what, location: node?.range ? at(node.range[0]) : { file } }],
      hint: 'see docs/config.md#limits',
    });
  const visitNode = (node: Node | null | undefined, path: string) => {
    if (!node) return;
    if (isMap(node)) {
      const seen = new Map<string, Location | undefined>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = path ? `${path}.${key}` : key;
        const keyLoc = keyNode?.range ? at(keyNode.range[0]) : undefined;
        if (++keyCount > limits.keys) throw limit(`more than ${limits.keys} keys`, keyNode, child);
        if (isForbiddenKey(key))
          throw new AnnealError('CONFIG_INVALID', `${file}: \`${key}\` cannot be a key`, {
            issues: [{ path: child, message: `\`${key}\` is not allowed as a key`, location: keyLoc ?? { file } }],
            hint: '`__proto__`, `constructor` and `prototype` are not config keys; rename or remove it',
          });
        if (seen.has(key)) {
          const first = seen.get(key);
          duplicates.push({
            path: child,
            message: `duplicate key \`${key}\`${first?.line ? ` (first at line ${first.line})` : ''}`,
            location: keyLoc,
          });
          continue;
        }
        seen.set(key, keyLoc);
        const valueNode = pair.value as Node | null;
        sources.set(child, { key: keyLoc, value: valueNode?.range ? at(valueNode.range[0]) : (keyLoc ?? { file }) });
        visitNode(valueNode, child);
      }
    } else if (isSeq(node)) {
      if (node.items.length > limits.listLength)
        throw limit(`a list of more than ${limits.listLength} items`, node, path);
      node.items.forEach((item, i) => {
        const child = path ? `${path}.${i}` : String(i);
        const itemNode = item as Node;
        if (itemNode?.range) sources.set(child, { value: at(itemNode.range[0]) });
        visitNode(itemNode, child);
      });
    }
  };
  sources.set('', { value: { file, line: 1, col: 1 } });
  visitNode(doc.contents as Node, '');
  if (duplicates.length)
    throw new AnnealError('CONFIG_YAML', `${file} has duplicate keys`, {
      issues: duplicates,
      hint: 'keep one of each; the later one would otherwise silently win',
    });
  return { file, data: toJS(doc, file, at) ?? {}, sources };
}

/** Expand aliases with yaml's bound on their count: a "billion laughs" file is a config error, not a hang. */
function toJS(doc: ReturnType<typeof parseDocument>, file: string, at: (offset: number) => Location): unknown {
  try {
    return doc.toJS({ maxAliasCount: limits.aliases });
  } catch (error) {
    let first: Location = { file, line: 1, col: 1 };
    visit(doc, {
      Alias(_, node) {
        if (node.range) first = at(node.range[0]);
        return visit.BREAK;
      },
    });
    throw new AnnealError('CONFIG_YAML', `${file}: aliases expand to too much data`, {
      issues: [{ path: '', message: (error as Error).message, location: first }],
      hint: `a file may expand at most ${limits.aliases} aliases (\`*name\`); write the values out, or use \`extends:\``,
      cause: error,
    });
  }
}
