import { z } from "zod";
import type { ErrorRule } from "../errors.ts";

/** EdgeKV's problem+json: what every admin API error looks like. */
export const edgeKvProblem = z
  .object({
    type: z.string().meta({ description: "`/edgekv/error-types/edgekv-<kind>`" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: "What was wrong, naming the field or rule." }),
    instance: z.string(),
    errorCode: z
      .string()
      .meta({ description: "EKV_0000 internal, EKV_1000 forbidden, EKV_2000 validation, …" }),
    additionalDetail: z.object({
      requestId: z.string().meta({ description: "The X-Trace-Id of the response." }),
    }),
    field: z.string().optional().meta({
      description:
        "On web console requests only: the request body's field the error is about (`name`, `namespacePermissions.default`).",
    }),
  })
  .meta({ id: "EdgeKvProblem" });

/** The API gateway's problem+json: what authentication failures look like (no errorCode). */
export const gatewayProblem = z
  .object({
    type: z
      .string()
      .meta({ description: "`https://problems.<domain>/-/pep-authn/deny` or `…/request-error`" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    method: z.string(),
    serverIp: z.string(),
    clientIp: z.string(),
    requestId: z.string(),
    requestTime: z.string(),
  })
  .meta({ id: "GatewayProblem" });

/** The data plane's small error object: `edgekv.js` only reads the status. */
export const dataPlaneError = z
  .object({
    status: z.number().int(),
    error: z.string(),
    detail: z.string(),
    requestId: z.string(),
  })
  .meta({ id: "DataPlaneError" });

export const PROBLEM_JSON = "application/problem+json";

/** The media type and schema of an error rule's body. */
export function errorBody(rule: ErrorRule): { mediaType: string; schema: z.ZodType } {
  if (rule.shape === "gateway") return { mediaType: PROBLEM_JSON, schema: gatewayProblem };
  if (rule.shape === "dataplane") return { mediaType: "application/json", schema: dataPlaneError };
  return { mediaType: PROBLEM_JSON, schema: edgeKvProblem };
}
