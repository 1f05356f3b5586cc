/**
 * Full-text search for Chinese without a segmenter: FTS5's unicode61 tokenizer keeps a run of Han
 * characters as one token, so "可疑快艇靠岸" would only match itself. We index each CJK run as
 * overlapping bigrams plus its last character, and split queries the same way:
 * a 2+ character query is a phrase of bigrams, a single character is a prefix query.
 * Latin letters and digits stay words (codes like GS-2026-000123 split into gs / 2026 / 000123).
 */
// Han characters are letters too: the word alternative must stop at them, or "13万元" would be one word.
const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

export function searchBody(...parts: string[]): string {
  const tokens: string[] = [];
  for (const part of parts) {
    for (const match of part.matchAll(RUN)) {
      if (match[1]) {
        const chars = Array.from(match[1]);
        for (let i = 0; i < chars.length - 1; i += 1) tokens.push(chars[i]! + chars[i + 1]!);
        tokens.push(chars[chars.length - 1]!);
      } else if (match[2]) {
        tokens.push(match[2].toLowerCase());
      }
    }
  }
  return tokens.join(' ');
}

/** An FTS5 MATCH expression, or null when the text holds nothing searchable. Tokens are letters and digits only, so quoting is safe. */
export function searchQuery(text: string): string | null {
  const groups: string[] = [];
  for (const match of text.matchAll(RUN)) {
    if (match[1]) {
      const chars = Array.from(match[1]);
      if (chars.length === 1) groups.push(`"${chars[0]}"*`);
      else groups.push(`"${chars.slice(0, -1).map((c, i) => c + chars[i + 1]).join(' ')}"`);
    } else if (match[2]) {
      groups.push(`"${match[2].toLowerCase()}"*`);
    }
  }
  return groups.length ? groups.join(' AND ') : null;
}
