import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { isHuman, type OutputOptions } from "./answer.ts";
import type { CliContext } from "./context.ts";
import { type ClientCredentials, sendSigned, type Transport } from "./edgegrid-client.ts";
import { hostLine, locateCredentials } from "./locate-credentials.ts";
import { localNow, type ServerNow, serverTimeOf } from "./server-time.ts";
import { UserError } from "./user-error.ts";
import { parseTimeout } from "./wait.ts";

export const API_BASE = "/edgekv/v1";
/** edgekv-server's own endpoints, beside Akamai's API. */
export const SERVER_BASE = "/_edgekv/v1";

/** The options of every command that calls the API; the names are the official CLI's. */
export interface ConnectionOptions extends OutputOptions {
  edgerc?: string;
  section?: string;
  accountkey?: string;
  caCert?: string;
  /** Seconds to wait for each answer (and, with --wait, for the activation). */
  timeout?: string;
}

export const JSON_HELP =
  "With --json, stdout holds one JSON document on success and stays empty on failure; errors go to stderr as one line.\n" +
  "--jsonout prints the official CLI's {cliStatus, msg, data} instead; --json <file.json|dir/> writes it to a file.\n" +
  "Without them, stderr names the host the command talks to.";

/** How the examples in help point at a local server. */
export const CONNECTION_EXAMPLE = "--edgerc .edgekv/edgerc --ca-cert .edgekv/tls/cert.pem";

/** Help that ends with the --json contract and an example. */
export function addExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText(
    "after",
    `\n${JSON_HELP}\n\n${examples.length === 1 ? "Example" : "Examples"}:\n${examples.map((line) => `  $ ${line}`).join("\n")}`,
  );
}

export function addConnectionOptions(command: Command): Command {
  command
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
    .option(
      "--ca-cert <file>",
      "trust this CA certificate, e.g. .edgekv/tls/cert.pem (or NODE_EXTRA_CA_CERTS)",
    )
    .option("--json", "print one JSON document on stdout")
    .option("--jsonout", "print the official CLI's {cliStatus, msg, data} on stdout")
    // Written `--json <path>` as in the official CLI; global-options.ts turns that into this.
    .addOption(new Option("--json-file <path>", "write {cliStatus, msg, data} to this file").hideHelp())
    .addOption(new Option("--debug", "accepted for the official CLI; no effect").hideHelp());
  // Commands that --wait already have a --timeout, which limits each request as well.
  if (!command.options.some((option) => option.long === "--timeout")) {
    command.option("--timeout <seconds>", "give up on an answer after this many seconds");
  }
  return command;
}

/** A non-2xx answer: one line with the server's detail, its error code and the trace id. */
export class ApiResponseError extends UserError {
  override name = "ApiResponseError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Below `base`, with every segment already encoded (see `segment`). */
  path: string;
  /** API_BASE (the default), or SERVER_BASE for the server's own endpoints. */
  base?: typeof API_BASE | typeof SERVER_BASE;
  query?: Record<string, string | undefined>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as is, with this content type. */
  raw?: { body: string; contentType: string };
  /** Whether a non-2xx response is an answer rather than an error. */
  accept?: (response: { status: number; text: string }) => boolean;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface EdgeKvApi {
  /** The host the credentials name: where the requests go. */
  readonly host: string;
  send(request: ApiRequest): Promise<ApiResponse>;
  /** The JSON body of a 2xx answer. */
  json(request: ApiRequest): Promise<unknown>;
  /**
   * The server's time as its latest answer (an error too) gave it, for relative dates; this
   * computer's clock, marked so, before any answer or when none said a time.
   */
  now(): ServerNow;
}

/** A path segment from user input: encoded, so a name never changes the path's shape. */
export const segment = (value: string) => encodeURIComponent(value);

async function readCa(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(
      `Cannot read the CA certificate ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}). ` +
        "Give the server's certificate, e.g. --ca-cert .edgekv/tls/cert.pem.",
    );
  }
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The parsed body, or undefined when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const stringField = (value: unknown, key: string): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" || typeof field === "number" ? String(field) : undefined;
};

/**
 * `<detail> (<errorCode>, trace id <id>)`. Gateway errors (authentication) have no errorCode, so the
 * status stands in for it; a body that is not problem+json is quoted briefly.
 */
export function describeFailure({
  status,
  text,
  traceId,
  retryAfter,
  host,
}: {
  status: number;
  text: string;
  traceId: string | undefined;
  retryAfter: string | undefined;
  host: string;
}): string {
  const problem = parseJsonText(text);
  const trace =
    traceId ??
    stringField((problem as Record<string, unknown> | undefined)?.additionalDetail, "requestId") ??
    stringField(problem, "requestId");
  const detail = (
    stringField(problem, "detail") ??
    stringField(problem, "title") ??
    (text.trim() === "" ? `HTTP ${status} from ${host}` : text.trim().slice(0, 200))
  ).replace(/\s+/g, " ");
  const code = stringField(problem, "errorCode") ?? `HTTP ${status}`;
  const context = [code, ...(trace === undefined ? [] : [`trace id ${trace}`])].join(", ");
  const hints: string[] = [];
  if (status === 429 && retryAfter !== undefined) hints.push(`retry after ${retryAfter} s`);
  if (status >= 500) hints.push("a server failure: its log has the cause under that trace id");
  return `${detail} (${context})${hints.length === 0 ? "" : `; ${hints.join("; ")}`}`;
}

function target(request: ApiRequest, accountKey: string | undefined): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query.set(key, value);
  }
  if (accountKey !== undefined) query.set("accountSwitchKey", accountKey);
  const search = query.toString();
  return `${request.base ?? API_BASE}${request.path}${search === "" ? "" : `?${search}`}`;
}

function bodyOf(request: ApiRequest): { body: Buffer; contentType: string } | undefined {
  if (request.raw !== undefined) {
    return { body: Buffer.from(request.raw.body, "utf8"), contentType: request.raw.contentType };
  }
  if (request.json === undefined) return undefined;
  return { body: Buffer.from(JSON.stringify(request.json), "utf8"), contentType: "application/json" };
}

export function createApi({
  credentials,
  ca,
  accountKey,
  transport,
  timeoutMs,
}: {
  credentials: ClientCredentials;
  ca: string | undefined;
  accountKey: string | undefined;
  transport: Transport;
  timeoutMs?: number | undefined;
}): EdgeKvApi {
  let latest: ServerNow | null = null;
  const send = async (request: ApiRequest): Promise<ApiResponse> => {
    const payload = bodyOf(request);
    const response = await sendSigned(
      {
        credentials,
        method: request.method,
        target: target(request, accountKey),
        ...(payload === undefined
          ? {}
          : { body: payload.body, headers: { "Content-Type": payload.contentType } }),
        ...(ca === undefined ? {} : { ca }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
      transport,
    );
    latest = serverTimeOf(response.headers) ?? latest;
    const ok =
      (response.status >= 200 && response.status < 300) ||
      request.accept?.({ status: response.status, text: response.body }) === true;
    if (!ok) {
      throw new ApiResponseError(
        response.status,
        describeFailure({
          status: response.status,
          text: response.body,
          traceId: header(response.headers["x-trace-id"]),
          retryAfter: header(response.headers["retry-after"]),
          host: credentials.host,
        }),
      );
    }
    return {
      status: response.status,
      contentType: header(response.headers["content-type"]) ?? "",
      text: response.body,
    };
  };
  return {
    host: credentials.host,
    send,
    now: () => latest ?? localNow(),
    json: async (request) => {
      const response = await send(request);
      const parsed = parseJsonText(response.text);
      if (parsed === undefined) {
        throw new UserError(
          `${credentials.host} answered ${request.method} ${request.base ?? API_BASE}${request.path} with something that is not JSON; is it an EdgeKV server?`,
        );
      }
      return parsed;
    },
  };
}

/**
 * Credentials and CA as the options, the AKAMAI_* variables or a local server's data directory give
 * them, sent through the context. Human output starts with one line on stderr naming the host.
 */
export async function connect(
  options: ConnectionOptions,
  { env, transport, stderr, cwd }: Pick<CliContext, "env" | "transport" | "stderr" | "cwd">,
): Promise<EdgeKvApi> {
  const located = await locateCredentials({ edgerc: options.edgerc, section: options.section, env, cwd });
  const ca = await readCa(options.caCert ?? located.localCa);
  const timeoutSeconds = options.timeout === undefined ? undefined : parseTimeout(options.timeout);
  if (isHuman(options)) stderr.write(hostLine(located));
  return createApi({
    credentials: located.credentials,
    ca,
    accountKey: options.accountkey,
    transport,
    timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
  });
}
