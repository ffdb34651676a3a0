import type { Account, ApiClient } from "./model.ts";

/** Who calls the admin API, once EdgeGrid verification has passed, and the account it acts on. */
export interface Caller {
  readonly client: ApiClient;
  readonly account: Account;
  /** Set when the request came from the web console: the session's hash, never its secret. */
  readonly consoleSession?: string;
}
