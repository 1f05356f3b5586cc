/** The analysis workspace is its own page of the same renderer: `index.html?view=analysis`. */
export const ANALYSIS_QUERY = 'view=analysis';

export function isAnalysisPage(search: string = window.location.search): boolean {
  return new URLSearchParams(search).get('view') === 'analysis';
}

/** The workspace's address next to the current page (works for http:// in the Node host and file:// in Electron). */
export function analysisUrl(href: string = window.location.href): string {
  const url = new URL(href);
  url.search = `?${ANALYSIS_QUERY}`;
  url.hash = '';
  return url.toString();
}
