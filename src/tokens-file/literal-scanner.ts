import { TokensFileError } from "./errors.ts";

const IDENTIFIER = /[A-Za-z_$][\w$]*/y;
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  v: "\v",
};

/**
 * Reads the few JavaScript tokens an `edgekv_tokens.js` file is made of: punctuation, identifiers
 * and string literals, skipping whitespace and comments. It never evaluates anything.
 */
export class LiteralScanner {
  #pos = 0;

  constructor(private readonly text: string) {}

  /** Position of the next token (after whitespace and comments). */
  get position(): number {
    this.#skipTrivia();
    return this.#pos;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  tryPunct(punct: string): boolean {
    if (!this.text.startsWith(punct, this.position)) return false;
    this.#pos += punct.length;
    return true;
  }

  expectPunct(punct: string, expected: string = JSON.stringify(punct)): void {
    if (!this.tryPunct(punct)) this.fail(expected);
  }

  tryIdentifier(): string | null {
    IDENTIFIER.lastIndex = this.position;
    const match = IDENTIFIER.exec(this.text);
    if (match === null) return null;
    this.#pos = IDENTIFIER.lastIndex;
    return match[0];
  }

  /** Consumes `word` only when it is a whole identifier. */
  tryWord(word: string): boolean {
    const start = this.position;
    if (this.tryIdentifier() === word) return true;
    this.#pos = start;
    return false;
  }

  expectWord(word: string, expected: string = `\`${word}\``): void {
    if (!this.tryWord(word)) this.fail(expected);
  }

  /** A single- or double-quoted string literal, with JavaScript's escapes; null when none is next. */
  tryString(): string | null {
    const start = this.position;
    const quote = this.text[start];
    if (quote !== '"' && quote !== "'") return null;
    let out = "";
    let i = start + 1;
    for (;;) {
      const ch = this.text[i];
      if (ch === undefined || ch === "\n" || ch === "\r") this.fail(`a closing ${quote} for the string`, i);
      if (ch === quote) break;
      if (ch === "\\") {
        const [decoded, next] = this.#escape(i + 1);
        out += decoded;
        i = next;
      } else {
        out += ch;
        i += 1;
      }
    }
    this.#pos = i + 1;
    return out;
  }

  fail(expected: string, at: number = this.position): never {
    return this.reject(`expected ${expected}, found ${this.#describe(at)}`, at);
  }

  /** A problem that is not a missing token, e.g. a duplicate key. */
  reject(problem: string, at: number): never {
    const line = this.lineAt(at);
    throw new TokensFileError(`line ${line}: ${problem}`, { line });
  }

  lineAt(at: number): number {
    return (this.text.slice(0, at).match(LINE_BREAK)?.length ?? 0) + 1;
  }

  #describe(at: number): string {
    if (at >= this.text.length) return "the end of the file";
    // A string literal is shown as written; anything else as its first word or character.
    const token = /^(?:"[^"\n\r]{0,40}"|'[^'\n\r]{0,40}'|[\w$-]{1,40}|\S)/.exec(this.text.slice(at, at + 42));
    const found = token?.[0] ?? this.text[at] ?? "";
    return /^["']/.test(found) && found.length > 1 ? found : JSON.stringify(found);
  }

  #skipTrivia(): void {
    const text = this.text;
    for (;;) {
      const ch = text[this.#pos];
      if (ch !== undefined && /\s/.test(ch)) {
        this.#pos += 1;
      } else if (text.startsWith("//", this.#pos)) {
        const end = text.slice(this.#pos).search(/[\n\r\u2028\u2029]/);
        this.#pos = end === -1 ? text.length : this.#pos + end;
      } else if (text.startsWith("/*", this.#pos)) {
        const end = text.indexOf("*/", this.#pos + 2);
        if (end === -1) this.fail("`*/` closing the comment", this.#pos);
        this.#pos = end + 2;
      } else {
        return;
      }
    }
  }

  /** Decodes the escape whose first character (after the backslash) is at `at`. */
  #escape(at: number): [string, number] {
    const ch = this.text[at];
    if (ch === undefined) this.fail("an escape sequence", at);
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) return [simple, at + 1];
    if (ch === "\r") return ["", this.text[at + 1] === "\n" ? at + 2 : at + 1];
    if (ch === "\n" || ch === "\u2028" || ch === "\u2029") return ["", at + 1];
    if (ch === "x") return [this.#codePoint(at + 1, 2, at), at + 3];
    if (ch === "u" && this.text[at + 1] === "{") {
      const close = this.text.indexOf("}", at + 2);
      if (close === -1) this.fail("`}` closing the \\u{…} escape", at);
      return [this.#codePoint(at + 2, close - at - 2, at), close + 1];
    }
    if (ch === "u") return [this.#codePoint(at + 1, 4, at), at + 5];
    // Module code is strict: octal escapes are syntax errors there, so they are here too.
    if (ch === "0" && !/[0-9]/.test(this.text[at + 1] ?? "")) return ["\0", at + 1];
    if (/[0-9]/.test(ch)) this.fail("an escape other than an octal one", at - 1);
    return [ch, at + 1];
  }

  #codePoint(from: number, length: number, escapeAt: number): string {
    const hex = this.text.slice(from, from + length);
    const value = /^[0-9a-fA-F]+$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
    if (Number.isNaN(value) || value > 0x10ffff || length === 0)
      this.fail("a valid hexadecimal escape", escapeAt - 1);
    return String.fromCodePoint(value);
  }
}
