// Values from the API are shown in a terminal: control characters (a suspend reason could
// carry ANSI escapes or newlines) are shown escaped, never interpreted.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(value: string): string {
  return value.replace(CONTROL_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An API timestamp to the second: 2025-01-02T03:04:05Z. */
export function shortTimestamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
