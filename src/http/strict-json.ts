import { ApiError } from "../errors.ts";

const MALFORMED = "The JSON request body contained a syntax error or duplicate attributes.";
/** Deeper nesting is refused rather than risking a stack overflow in the recursive descent. */
export const MAX_JSON_DEPTH = 256;

// ignoreBOM keeps a leading U+FEFF in the text, so bytes and strings are judged alike (JSON.parse
// refuses a BOM too).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const malformed = (): ApiError => new ApiError("malformed_json", MALFORMED);

/**
 * RFC 8259 JSON that, unlike JSON.parse, refuses invalid UTF-8 and duplicate keys (after unescaping)
 * in any object, as EdgeKV does (422). Valid input without duplicates parses to what JSON.parse
 * returns, `__proto__` included as an own property. Every refusal is the same malformed_json error.
 */
export function parseStrictJson(body: Uint8Array | string): unknown {
  let text: string;
  try {
    text = typeof body === "string" ? body : utf8.decode(body);
  } catch {
    throw malformed();
  }
  return new Parser(text).document();
}

// Character codes; charCodeAt past the end of the text is NaN, which matches none of them.
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The character a one-letter escape (`\n`, ...) stands for; `\u` is handled apart. */
function simpleEscape(letter: number): string | undefined {
  switch (letter) {
    case QUOTE:
      return '"';
    case BACKSLASH:
      return "\\";
    case SLASH:
      return "/";
    case LOWER_B:
      return "\b";
    case LOWER_F:
      return "\f";
    case LOWER_N:
      return "\n";
    case LOWER_R:
      return "\r";
    case LOWER_T:
      return "\t";
    default:
      return undefined;
  }
}

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

class Parser {
  private readonly text: string;
  private pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  document(): unknown {
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) throw malformed();
    return value;
  }

  private value(depth: number): unknown {
    const code = this.text.charCodeAt(this.pos);
    switch (code) {
      case OPEN_BRACE:
        return this.object(depth + 1);
      case OPEN_BRACKET:
        return this.array(depth + 1);
      case QUOTE:
        return this.string();
      case LOWER_T:
        return this.literal("true", true);
      case LOWER_F:
        return this.literal("false", false);
      case LOWER_N:
        return this.literal("null", null);
      default:
        if (code === MINUS || isDigit(code)) return this.number();
        throw malformed();
    }
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > MAX_JSON_DEPTH) throw malformed();
    this.pos += 1;
    const result: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== QUOTE) throw malformed();
      const key = this.string();
      // The object holds only what this loop added, so an own property means a repeated key.
      if (Object.hasOwn(result, key)) throw malformed();
      this.skipWhitespace();
      this.expect(COLON);
      this.skipWhitespace();
      const member = this.value(depth);
      if (key === "__proto__") {
        // Plain assignment would call the inherited __proto__ setter and swap the prototype.
        Object.defineProperty(result, key, {
          value: member,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        result[key] = member;
      }
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      this.pos += 1;
      if (next === CLOSE_BRACE) return result;
      if (next !== COMMA) throw malformed();
      this.skipWhitespace();
    }
  }

  private array(depth: number): unknown[] {
    if (depth > MAX_JSON_DEPTH) throw malformed();
    this.pos += 1;
    const result: unknown[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      result.push(this.value(depth));
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      this.pos += 1;
      if (next === CLOSE_BRACKET) return result;
      if (next !== COMMA) throw malformed();
      this.skipWhitespace();
    }
  }

  /** Starts on the opening quote; ends after the closing one. */
  private string(): string {
    const text = this.text;
    let pos = this.pos + 1;
    let runStart = pos;
    let result = "";
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code === QUOTE) {
        this.pos = pos + 1;
        return result + text.slice(runStart, pos);
      }
      if (code === BACKSLASH) {
        result += text.slice(runStart, pos);
        const letter = text.charCodeAt(pos + 1);
        if (letter === LOWER_U) {
          result += String.fromCharCode(this.hex4(pos + 2));
          pos += 6;
        } else {
          const decoded = simpleEscape(letter);
          if (decoded === undefined) throw malformed();
          result += decoded;
          pos += 2;
        }
        runStart = pos;
        continue;
      }
      // Control characters must be escaped; NaN (end of input: an unclosed string) also fails the
      // test. Lone surrogates pass, as with JSON.parse.
      if (!(code >= SPACE)) throw malformed();
      pos += 1;
    }
  }

  private hex4(start: number): number {
    let unit = 0;
    for (let index = start; index < start + 4; index += 1) {
      const code = this.text.charCodeAt(index);
      let digit: number;
      if (isDigit(code)) digit = code - ZERO;
      else if (code >= 0x41 && code <= 0x46)
        digit = code - 0x41 + 10; // A-F
      else if (code >= 0x61 && code <= 0x66)
        digit = code - 0x61 + 10; // a-f
      else throw malformed();
      unit = unit * 16 + digit;
    }
    return unit;
  }

  /** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` */
  private number(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    const negative = text.charCodeAt(pos) === MINUS;
    if (negative) pos += 1;
    let integer = 0;
    let code = text.charCodeAt(pos);
    if (code === ZERO) {
      pos += 1;
      code = text.charCodeAt(pos);
    } else {
      if (!isDigit(code)) throw malformed();
      do {
        integer = integer * 10 + (code - ZERO);
        pos += 1;
        code = text.charCodeAt(pos);
      } while (isDigit(code));
    }
    let exact = pos - start <= 15;
    if (code === DOT) {
      exact = false;
      if (!isDigit(text.charCodeAt(pos + 1))) throw malformed();
      pos = this.digits(pos + 1);
      code = text.charCodeAt(pos);
    }
    if (code === LOWER_E || code === UPPER_E) {
      exact = false;
      pos += 1;
      const sign = text.charCodeAt(pos);
      if (sign === PLUS || sign === MINUS) pos += 1;
      if (!isDigit(text.charCodeAt(pos))) throw malformed();
      pos = this.digits(pos);
    }
    this.pos = pos;
    // Up to 15 digits an integer is exact in a double; otherwise Number() reads the token (the
    // grammar above is a subset of its syntax) and rounds as JSON.parse does. `-0` stays -0.
    if (exact) return negative ? -integer : integer;
    return Number(text.slice(start, pos));
  }

  private digits(from: number): number {
    let pos = from;
    while (isDigit(this.text.charCodeAt(pos))) pos += 1;
    return pos;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw malformed();
    this.pos += word.length;
    return value;
  }

  private expect(code: number): void {
    if (this.text.charCodeAt(this.pos) !== code) throw malformed();
    this.pos += 1;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code !== SPACE && code !== LINE_FEED && code !== CARRIAGE_RETURN && code !== TAB) {
        break;
      }
      pos += 1;
    }
    this.pos = pos;
  }
}
