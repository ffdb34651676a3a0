import type { LightMyRequestResponse } from "fastify";
import { checkAgainstDocument } from "../support/openapi-check.ts";
import type { Generated } from "./generate.ts";
import { onDataPlane, operationAt } from "./operations.ts";
import { type FuzzRequest, wireTarget } from "./wire.ts";

type Json = Record<string, unknown>;

/**
 * Under these prefixes EdgeGrid decides before anything else (Akamai's gateway does), so a request
 * it refuses learns nothing but 400 or 401 (or 413: the body is read first): no 2xx, no 404 that
 * tells which paths exist. The prefixes are compared with the decoded path, as the router reads it
 * (`/%65dgekv/v1/nope` is below `/edgekv/v1/`).
 */
const GATED_PREFIXES = ["/edgekv/v1/", "/_edgekv/v1/"];
const REFUSED_STATUSES = [400, 401, 413];

function decodedOr(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const mediaTypeOf = (type: string) => type.split(";")[0]?.trim().toLowerCase() ?? "";

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with one response: where it differs from the API document (checked here too, as the
 * harness's hook does not see what is refused before routing), a 5xx, a missing trace id, an answer
 * to a refused signature that says more than "refused", and any error whose body does not carry its
 * status and the trace id in its contract's shape. Empty when nothing is.
 */
export async function problemsOf(generated: Generated, response: LightMyRequestResponse): Promise<string[]> {
  const { request } = generated;
  const target = wireTarget(request.url);
  const documented = await checkAgainstDocument({
    method: request.method,
    url: target,
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
  }).then(
    () => [],
    (error: unknown) => [`differs from the document: ${(error as Error).message.split("\n")[0]}`],
  );
  const path = target.split("?")[0] ?? "/";
  const routed = decodedOr(path);
  const gated =
    generated.refused &&
    GATED_PREFIXES.some((prefix) => routed.startsWith(prefix)) &&
    !REFUSED_STATUSES.includes(response.statusCode);
  return [
    ...documented,
    ...(gated ? [`status ${response.statusCode} to a request EdgeGrid must refuse`] : []),
    ...shapeProblems(request, path, response),
  ];
}

function shapeProblems(request: FuzzRequest, path: string, response: LightMyRequestResponse): string[] {
  const status = response.statusCode;
  const trace = response.headers["x-trace-id"];
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status}`);
  if (typeof trace !== "string" || !/^[0-9a-f]{16}$/.test(trace)) {
    problems.push(`X-Trace-Id ${JSON.stringify(trace)}`);
  }
  if (status < 400 || request.method === "HEAD") return problems;

  const type = String(response.headers["content-type"] ?? "");
  const dataPlane = onDataPlane(path);
  // An admin answer the document declares as a body of its own, not an error (e.g. the 404 of an
  // uninitialised account's status): every admin error is problem+json.
  const declared = operationAt(request.method, path)?.responses[String(status)] ?? [];
  if (!dataPlane && mediaTypeOf(type) !== "application/problem+json") {
    if (declared.some((candidate) => mediaTypeOf(candidate) === mediaTypeOf(type))) return problems;
  }
  const body = parse(response.body);
  if (!isObject(body)) return [...problems, `an error body that is not a JSON object (${type})`];
  if (body.status !== status) problems.push(`body status ${JSON.stringify(body.status)}`);

  if (mediaTypeOf(type) === "application/problem+json") {
    const detail = body.additionalDetail;
    const requestId =
      "errorCode" in body ? (isObject(detail) ? detail.requestId : undefined) : body.requestId;
    if (requestId !== trace) problems.push(`requestId ${JSON.stringify(requestId)} is not the trace id`);
    // Token authentication and permissions belong to the data plane's routes: its shape, not a problem.
    if (dataPlane && (status === 401 || status === 403))
      problems.push("a data-plane refusal as problem+json");
    return problems;
  }
  if (!dataPlane || mediaTypeOf(type) !== "application/json") {
    return [...problems, `an error as ${type || "no content type"}${dataPlane ? "" : " on the admin API"}`];
  }
  const keys = Object.keys(body).sort().join(",");
  if (keys !== "detail,error,requestId,status") problems.push(`data-plane error fields ${keys}`);
  if (body.requestId !== trace)
    problems.push(`requestId ${JSON.stringify(body.requestId)} is not the trace id`);
  return problems;
}
