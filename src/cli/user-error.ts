import { EdgeKvError } from "../errors.ts";
/** A mistake the user can fix: printed as one line, exit code 1. Anything else is a bug: stack, exit 2. */
export class UserError extends EdgeKvError {
  override name = "UserError";
}
