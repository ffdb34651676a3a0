import { EdgeKvError } from "../errors.ts";
/** A mistake the user can fix: printed as one line, exit code 1. Anything else is a bug: stack, exit 2. */
export class UserError extends EdgeKvError {
  override name = "UserError";
}

/**
 * The command has printed all it has to say and only its exit code is left, e.g. `edgekv request`
 * after a non-2xx answer: nothing more is written.
 */
export class QuietExit extends Error {
  override name = "QuietExit";
  readonly exitCode: number;

  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}
