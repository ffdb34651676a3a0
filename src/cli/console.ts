import { Command } from "commander";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  SERVER_BASE,
} from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { UserError } from "./user-error.ts";

/** POST /_edgekv/v1/console/keys: a login key, and the console URL that carries it. */
interface ConsoleKey {
  key: string;
  url: string;
  expiresAt: string;
}

const isConsoleKey = (value: unknown): value is ConsoleKey =>
  typeof value === "object" &&
  value !== null &&
  ["key", "url", "expiresAt"].every((name) => typeof (value as Record<string, unknown>)[name] === "string");

/** `edgekv console`: a fresh URL that opens the web console of a running server, once. */
export function consoleCommand(context: CliContext): Command {
  const command = new Command("console").description(
    "Print a URL that opens the server's web console (once, within 24 hours).",
  );
  addConnectionOptions(command);
  command.addHelpText(
    "after",
    `
The console shows tokens, namespaces and items, API clients and the audit log. Its URL carries a
login key in its fragment (#key=…), which browsers never send to a server, so it reaches no log.
The key opens one session: it is valid once and for 24 hours, and the session acts as the server's
first-run administrator client. Asking for a key takes a client with SERVER_ADMIN (the first-run
client in .edgekv/edgerc has it). The URL names the host the request went to: open it in a browser
that trusts the server's certificate. \`edgekv serve\` prints one such URL when it starts.`,
  );
  return addExamples(
    command,
    "edgekv console",
    `edgekv console ${CONNECTION_EXAMPLE}`,
    "edgekv console --json",
  ).action(async (options: ConnectionOptions) => {
    const api = await connect(options, context);
    const answer = await api.json({ method: "POST", base: SERVER_BASE, path: "/console/keys" });
    if (!isConsoleKey(answer)) {
      throw new UserError(
        `${api.host} answered POST ${SERVER_BASE}/console/keys with something that is not a login key; is it an edgekv-server with a web console?`,
      );
    }
    const text = `${answer.url}\n(opens the console once; valid until ${answer.expiresAt})`;
    await printAnswer(context, options, {
      json: answer,
      text,
      msg: `Open the console at ${answer.url}`,
      data: answer,
    });
  });
}
