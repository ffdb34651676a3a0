import type { Command } from "commander";
import { isEdgeWorkerId } from "../rules/edgeworker-ids.ts";
import { hasJwtShape, isTokenUuid } from "../rules/token-credential.ts";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  SERVER_BASE,
} from "./api-client.ts";
import { type CommandWords, leafCommand } from "./command-words.ts";
import type { CliContext } from "./context.ts";
import { parseNetwork } from "./kv-path.ts";
import { stdoutPaint } from "./output.ts";
import {
  type AccessQuestion,
  accepted,
  readVerifyAnswer,
  renderVerdict,
  verdictLine,
} from "./token-verify-view.ts";
import { QuietExit, UserError } from "./user-error.ts";

interface VerifyOptions extends ConnectionOptions {
  namespace?: string;
  operation?: string;
  network?: string;
  ewid?: string;
}

const OPERATIONS = ["read", "write", "delete"];

/** What to send for the argument: `{token}` for a JWT, `{reference}` for a uuid; `-` reads stdin. */
async function presented(
  argument: string,
  context: CliContext,
): Promise<{ token: string } | { reference: string }> {
  const credential = argument === "-" ? (await context.readStdin()).trim() : argument;
  if (credential === "")
    throw new UserError("Standard input held no token: pipe a JWT or a token uuid into it.");
  if (isTokenUuid(credential)) return { reference: credential };
  if (hasJwtShape(credential)) return { token: credential };
  const shown = credential.length > 40 ? `${credential.slice(0, 37)}...` : credential;
  throw new UserError(
    `"${shown}" is neither a token JWT (three base64url parts joined by dots) nor a token uuid; ` +
      "for a token by name, take its uuid from: edgekv token show <name>",
  );
}

/** The data-plane request to check, or null when no option asks about one. */
function accessQuestion(options: VerifyOptions): AccessQuestion | null {
  const { namespace, operation, network, ewid } = options;
  if ([namespace, operation, network, ewid].every((option) => option === undefined)) return null;
  if (namespace === undefined || operation === undefined || network === undefined) {
    const missing = [
      ...(namespace === undefined ? ["--namespace"] : []),
      ...(operation === undefined ? ["--operation"] : []),
      ...(network === undefined ? ["--network"] : []),
    ];
    throw new UserError(
      `To check a request, give --namespace, --operation and --network together (missing ${missing.join(", ")}).`,
    );
  }
  if (!OPERATIONS.includes(operation)) {
    throw new UserError(`Invalid --operation "${operation}": give read, write or delete.`);
  }
  if (ewid !== undefined && !isEdgeWorkerId(ewid)) {
    throw new UserError(`Invalid --ewid "${ewid}": an EdgeWorker id is a number, up to 18 digits.`);
  }
  return { namespace, operation, network: parseNetwork(network), edgeWorkerId: ewid ?? null };
}

export function tokenVerifyCommand(context: CliContext, words: CommandWords = "token verify"): Command {
  const command = leafCommand(words)
    .description(
      "Check a token's JWT or uuid: is it valid now, and would the data plane take it for one request?",
    )
    .argument("<jwt|uuid>", "a legacy token's JWT, an enhanced token's uuid (its reference), or - for stdin")
    .option("--namespace <ns>", "check a data-plane request to this namespace (with the two below)")
    .option("--operation <read|write|delete>", "the request's operation")
    .option("--network <staging|production>", "the request's network")
    .option("--ewid <id>", "the EdgeWorker id sending it (for tokens restricted to some)");
  addConnectionOptions(command);
  command.addHelpText(
    "after",
    `
Exit code: 0 when the token is valid (and, with --namespace, --operation and --network, allows that
request); 1 when it is not, after printing why (the verdict, --json included, goes to stdout); 1 with
one line on stderr for a mistake.`,
  );
  return addExamples(
    command,
    `edgekv ${words} 0b4bd9a2-5e0c-4a1e-9d7f-2f6c1c1e8a01 --namespace default --operation read --network production ${CONNECTION_EXAMPLE}`,
    `edgekv ${words} - --json < legacy-token.jwt`,
  ).action(async (argument: string, options: VerifyOptions) => {
    const question = accessQuestion(options);
    const body = {
      ...(await presented(argument, context)),
      ...(question === null
        ? {}
        : {
            namespace: question.namespace,
            operation: question.operation,
            network: question.network,
            ...(question.edgeWorkerId === null ? {} : { edgeWorkerId: question.edgeWorkerId }),
          }),
    };
    const api = await connect(options, context);
    const answer = await api.json({ method: "POST", base: SERVER_BASE, path: "/tokens/verify", json: body });
    const verdict = readVerifyAnswer(answer);
    await printAnswer(context, options, {
      json: answer,
      text: renderVerdict(verdict, question, api.now().at, stdoutPaint(context)),
      msg: verdictLine(verdict, question),
      data: answer,
    });
    if (!accepted(verdict)) throw new QuietExit(1);
  });
}
