import { closest, distance } from 'fastest-levenshtein';

/** "did you mean `cosine-warmup`?" — only when the closest name is plausibly a typo. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length === 0) return undefined;
  const best = closest(input, list);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(input.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/** A hint that names the closest candidate when there is one, and otherwise lists them all. */
export function suggestionHint(input: string, candidates: Iterable<string>, what = 'one of'): string {
  const list = [...candidates];
  const near = didYouMean(input, list);
  const all = `${what}: ${list.join(', ')}`;
  return near ? `did you mean \`${near}\`? (${all})` : all;
}
