import { EdgeKvError } from "../errors.ts";
/**
 * Anything wrong with an `edgekv_tokens.js` file, a bundle holding one, or where to save it: a
 * problem the user can fix, so the message says what was expected or what to do.
 */
export class TokensFileError extends EdgeKvError {
  override name = "TokensFileError";
  /** 1-based line of the offending text, when the problem is in a file's syntax. */
  readonly line: number | undefined;

  constructor(message: string, options: { line?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.line = options.line;
  }
}
