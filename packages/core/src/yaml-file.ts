import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { AnnealError, type Location } from './errors.ts';
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
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AnnealError('CONFIG_NOT_FOUND', `cannot read config file ${file}`, {
      hint:
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist; check the path' : String(error),
    });
  }
  return parseYaml(text, file);
}

export function parseYaml(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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
  const visit = (node: Node | null | undefined, path: string) => {
    if (!node) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = path ? `${path}.${key}` : key;
        const valueNode = pair.value as Node | null;
        const keyLoc = keyNode?.range ? at(keyNode.range[0]) : undefined;
        sources.set(child, { key: keyLoc, value: valueNode?.range ? at(valueNode.range[0]) : (keyLoc ?? { file }) });
        visit(valueNode, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = path ? `${path}.${i}` : String(i);
        const itemNode = item as Node;
        if (itemNode?.range) sources.set(child, { value: at(itemNode.range[0]) });
        visit(itemNode, child);
      });
    }
  };
  sources.set('', { value: { file, line: 1, col: 1 } });
  visit(doc.contents as Node, '');
  return { file, data: doc.toJS() ?? {}, sources };
}
