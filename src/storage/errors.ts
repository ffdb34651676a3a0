import { EdgeKvError } from "../errors.ts";

/** `--database` names something this server cannot open. */
export class StoreConfigError extends EdgeKvError {
  override name = "StoreConfigError";
}

/** The PostgreSQL server does not answer, or refuses the connection. */
export class DatabaseUnreachableError extends EdgeKvError {
  override name = "DatabaseUnreachableError";
}

/** The database was written by a newer edgekv-server. */
export class SchemaTooNewError extends EdgeKvError {
  override name = "SchemaTooNewError";

  constructor(found: number, known: number) {
    super(
      `The database schema is at version ${found}, but this edgekv-server only knows up to version ${known}. ` +
        "Upgrade edgekv-server, or point --database at another database.",
    );
  }
}
