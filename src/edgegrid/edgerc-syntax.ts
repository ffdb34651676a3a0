// The line grammar shared by the .edgerc reader and writer, so both agree on what a section is.

const SECTION_HEADER = /^\s*\[([^\]]*)\]\s*(?:[#;].*)?$/;

/** The trimmed name of a `[name]` line, or null for any other line. */
export function sectionHeaderName(line: string): string | null {
  const name = SECTION_HEADER.exec(line)?.[1];
  return name === undefined ? null : name.trim();
}

/** Blank lines and whole-line `#` / `;` comments carry no setting. */
export function isBlankOrComment(line: string): boolean {
  return /^\s*(?:[#;].*)?$/.test(line);
}
