import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import type { CliContext } from "./context.ts";
import { sendSigned } from "./edgegrid-client.ts";
import { locateCredentials } from "./locate-credentials.ts";
import { QuietExit, UserError } from "./user-error.ts";

async function readCa(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`Cannot read the CA certificate ${path}: ${(error as Error).message}`);
  }
}

async function readBody(data: string | undefined): Promise<Buffer | undefined> {
  if (data === undefined) return undefined;
  if (!data.startsWith("@")) return Buffer.from(data, "utf8");
  try {
    return await readFile(data.slice(1));
  } catch (error) {
    throw new UserError(`Cannot read the body file ${data.slice(1)}: ${(error as Error).message}`);
  }
}

/** `edgekv request`: one EdgeGrid-signed request to any path, like curl with the signature added. */
export function requestCommand(context: CliContext): Command {
  return new Command("request")
    .description("Send one EdgeGrid-signed request and print the response body.")
    .argument("<method>", "HTTP method, e.g. GET")
    .argument("<path>", "path and query, e.g. /edgekv/v1/tokens")
    .option("--data <json>", "request body, or @file to read it from a file")
    .addOption(
      new Option(
        "--edgerc <file>",
        "the .edgerc file (default: ./.edgekv/edgerc if there, else ~/.edgerc)",
      ).env("AKAMAI_EDGERC"),
    )
    .addOption(
      new Option("--section <name>", "the .edgerc section (default: default)").env("AKAMAI_EDGERC_SECTION"),
    )
    .option("--accountkey <id>", "act on another account (adds accountSwitchKey)")
    .option("--ca-cert <file>", "trust this CA certificate (the server's self-signed one)")
    .option("-i, --include", "print the status line and headers too", false)
    .addHelpText(
      "after",
      `
Exit code: 0 for a 2xx answer, 1 otherwise.

Examples:
  $ edgekv request GET /edgekv/v1/initialize --edgerc .edgekv/edgerc --ca-cert .edgekv/tls/cert.pem
  $ edgekv request POST /edgekv/v1/tokens --data '{"name":"t1","allowOnStaging":true,"allowOnProduction":false,"namespacePermissions":{"default":["r"]}}'`,
    )
    .action(async (method: string, path: string, options) => {
      if (!path.startsWith("/")) throw new UserError(`The path must start with "/": ${path}`);
      const located = await locateCredentials({
        edgerc: options.edgerc,
        section: options.section,
        env: context.env,
        cwd: context.cwd,
      });
      const ca = await readCa(options.caCert ?? located.localCa);
      // No host line: like --json elsewhere, the output is the answer as it came, for a script.
      const body = await readBody(options.data);
      const target =
        options.accountkey === undefined
          ? path
          : `${path}${path.includes("?") ? "&" : "?"}accountSwitchKey=${encodeURIComponent(options.accountkey)}`;
      const response = await sendSigned(
        {
          credentials: located.credentials,
          method: method.toUpperCase(),
          target,
          ...(body === undefined ? {} : { body, headers: { "Content-Type": "application/json" } }),
          ...(ca === undefined ? {} : { ca }),
        },
        context.transport,
      );
      const { stdout } = context;
      if (options.include) {
        stdout.write(`HTTP ${response.status}\n`);
        for (const [name, value] of Object.entries(response.headers)) {
          stdout.write(`${name}: ${Array.isArray(value) ? value.join(", ") : value}\n`);
        }
        stdout.write("\n");
      }
      stdout.write(
        response.body.endsWith("\n") || response.body === "" ? response.body : `${response.body}\n`,
      );
      // Like curl --fail-with-body: the answer is printed whatever it is, the exit code tells.
      if (response.status < 200 || response.status > 299) throw new QuietExit(1);
    });
}
