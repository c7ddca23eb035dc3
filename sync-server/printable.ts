/**
 * Text from users (reasons, names, details) as one field of one line of the admin CLI's output:
 * a backslash, tab, newline or any other control or line-separating character is written as an
 * escape (`\n`, `\t`, `\u2028`), so no stored text can split a field or forge a line.
 */
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
