// Registry strings in a terminal or a log: control characters shown as escapes, never obeyed.

/** C0 and C1 controls and DEL: built from code points, so the source holds no control character. */
const CONTROLS = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}-${String.fromCharCode(0x9f)}]`,
  'g',
);

/** `text` with every control character escaped (ESC as \u001b), so a registry cannot drive the terminal. */
export function printable(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
