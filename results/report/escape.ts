/**
 * Escaping of user-supplied text (study, workload and parameter names, values) for each
 * output format. A study named `<script>alert(1)</script>` must show as text everywhere.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and attribute values (quoted). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * JSON safe to place inside `<script type="application/json">`: every `<`, `>` and `&` is
 * written as a \u escape (still the same JSON), so neither `</script>` nor `<!--` can appear,
 * and U+2028/U+2029 are escaped for old JavaScript parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * Text inside a Markdown table cell or paragraph: HTML-significant characters become entities
 * (Markdown renderers pass raw HTML through), the Markdown punctuation that can start emphasis, code, links or a table cell is
 * backslash-escaped (numbers like 0.5 stay readable in the source), and
 * line breaks become spaces so a cell stays on its row.
 */
export function escapeMarkdown(text: unknown): string {
  return String(text)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!)
    .replace(/([\\`*_{}[\]|~])/g, '\\$1');
}

/**
 * Text for a plotly label (axis titles, hover text, legend names). Plotly renders a subset of
 * HTML tags in labels, so the tag characters are written as entities, which plotly shows as text.
 */
export function escapePlotlyText(text: unknown): string {
  return String(text).replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]!);
}
