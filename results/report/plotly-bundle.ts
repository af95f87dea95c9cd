/**
 * plotly.js (the minified dist bundle) as text to inline into a self-contained HTML page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * The bundle, made safe to sit inside a <script> element: the sequences `</script` and
 * `<!--` would end or confuse the element, so they are written `<\/script` and `<\!--`.
 * In the bundle they occur only inside string literals, where `\/` and `\!` are the same
 * characters; the browser test (test/e2e/report-browser.test.ts) checks the page still runs.
 */
export function plotlyBundle(): string {
  if (cached === undefined) {
    const file = createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js');
    cached = readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
  }
  return cached;
}

export function plotlyVersion(): string {
  const req = createRequire(import.meta.url);
  try {
    return (req('plotly.js-dist-min/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
