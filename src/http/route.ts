import type { z } from "zod";
import type { ErrorCode } from "../errors.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** What arrived before the body: enough for a scheme to refuse a stranger without reading more. */
export type RequestHead = Omit<IncomingRequest, "body">;

/** A request as the pipeline hands it to authentication: exactly as it arrived. */
export interface IncomingRequest {
  readonly method: string;
  /** The raw request target, never decoded or re-encoded (EdgeGrid signs it byte for byte). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Header names and values as sent, in order. */
  readonly rawHeaders: readonly string[];
  /** The parsed query, before the route's schema (for what authentication itself reads). */
  readonly query: Readonly<Record<string, unknown>>;
  /** The raw body bytes; empty when there is none. */
  readonly body: Buffer;
}

/** One line of an OpenAPI `security` list: scheme name → scopes. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** How a route's caller is authenticated; `C` is who the caller turns out to be. */
export interface AuthScheme<C> {
  readonly name: string;
  /** The OpenAPI security schemes this stands for, by name. */
  readonly securitySchemes: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Any one of these requirements is enough (OpenAPI `security`). */
  readonly security: readonly SecurityRequirement[];
  /**
   * Whether unknown paths and wrong methods next to this scheme's routes are answered only after
   * authentication, as Akamai's gateway does: otherwise anyone could map the API without a credential.
   */
  readonly beforeRouting: boolean;
  /** Errors authentication itself can answer with. */
  readonly errors: readonly ErrorCode[];
  /**
   * Whether `authenticate` needs the body (EdgeGrid signs it). When it does not, the pipeline
   * authenticates before the body is read; when it does, `screen` runs first, so that a request
   * nobody could have signed is refused without buffering its body.
   */
  readonly needsBody: boolean;
  screen?(request: RequestHead): Promise<void>;
  authenticate(request: IncomingRequest): Promise<C>;
}

/** No authentication: health, the JWKS, the API document. */
export const PUBLIC: AuthScheme<null> = {
  name: "none",
  securitySchemes: {},
  security: [],
  beforeRouting: false,
  errors: [],
  needsBody: false,
  authenticate: async () => null,
};

/** What a caller must hold for a route, checked after the path parameters are read. */
export interface Access<C, P> {
  /** For the API document: e.g. "VIEW_TOKEN or VIEW_STAGING_TOKEN". */
  readonly describe: string;
  readonly errors: readonly ErrorCode[];
  check(caller: C, params: P): void;
}

/** A JSON body, parsed strictly (422 on syntax errors or duplicate keys), then by its schema. */
export interface JsonBody<S extends z.ZodType> {
  readonly kind: "json";
  readonly schema: S;
  /** When true, an empty body is `undefined` instead of an error. */
  readonly optional: boolean;
  readonly description: string;
}

/** Bytes kept exactly as sent (item values), with their Content-Type. */
export interface RawBody {
  readonly kind: "raw";
  readonly description: string;
  readonly mediaTypes: readonly string[];
}

export interface RawContent {
  readonly bytes: Buffer;
  readonly contentType: string | undefined;
}

export type BodySpec = JsonBody<z.ZodType> | RawBody;

type BodyOf<B> =
  B extends JsonBody<infer S>
    ? B["optional"] extends true
      ? z.output<S> | undefined
      : z.output<S>
    : B extends RawBody
      ? RawContent
      : undefined;

/** A response of one status: JSON (checked by a schema), text, or bytes of a per-reply type. */
export type ResponseSpec =
  | { readonly kind: "json"; readonly description: string; readonly schema: z.ZodType }
  | {
      readonly kind: "text";
      readonly description: string;
      readonly mediaType: string;
      readonly schema: z.ZodType<string>;
    }
  | { readonly kind: "bytes"; readonly description: string; readonly mediaTypes: readonly string[] };

export type Responses = Readonly<Partial<Record<number, ResponseSpec>>>;

/** Bodies may be built from readonly domain objects; a schema's arrays are mutable only by accident. */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends Buffer | Date
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * A JSON body serialised already, for a handler that keeps the text of an answer it gives often (a
 * long token list): sent as it is, with the JSON media type. `T` is the body it stands for.
 */
export class JsonText<T> {
  declare readonly stands: T;
  constructor(readonly text: string) {}
}

type PayloadOf<S> = S extends { kind: "json"; schema: infer Z extends z.ZodType }
  ? DeepReadonly<z.input<Z>> | JsonText<DeepReadonly<z.input<Z>>>
  : S extends { kind: "text" }
    ? string
    : Buffer;

/**
 * What a handler returns: one of the declared statuses with its body. (The conditional on the
 * status keeps a literal `200` in the handler from widening to `number`.)
 */
export type Reply<R extends Responses> = {
  [S in keyof R]: {
    readonly status: S extends number ? S : never;
    readonly body: PayloadOf<R[S]>;
    /** For `bytes` responses: the media type of this body. */
    readonly type?: string;
    readonly headers?: Readonly<Record<string, string>>;
    /**
     * Who the handler found the caller to be, for a route that authenticates in its handler (a
     * login): observers (the audit log) see this caller instead of the scheme's.
     */
    readonly caller?: unknown;
  };
}[keyof R];

type ObjectSchema = z.ZodType<Record<string, unknown>>;

export interface HandlerInput<C, P, Q, B> {
  readonly caller: C;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The request as it arrived, for the few handlers that answer from its headers (the Host). */
  readonly head: RequestHead;
}

/** Which error code a failed schema answers with, per part of the request. */
export interface InvalidCodes {
  readonly params?: ErrorCode;
  readonly query?: ErrorCode;
  readonly body?: ErrorCode;
}

/** Path parameters as the router matched them, before the route's schema read them. */
export type MatchedParams = Readonly<Record<string, string | undefined>>;

/**
 * What a state-changing route does, for an audit trail: the action's name and what it acts on. The
 * target is built from the path parameters as matched and the body once its schema accepted it
 * (undefined before that), so a request refused early still names what it tried.
 */
export interface AuditSpec<B> {
  readonly action: string;
  target(input: { readonly params: MatchedParams; readonly body: B | undefined }): string;
}

export interface RouteSpec<
  C,
  P extends ObjectSchema,
  Q extends ObjectSchema,
  B extends BodySpec | undefined,
  R extends Responses,
> {
  readonly operationId: string;
  readonly method: Method;
  /** An OpenAPI path template: `/edgekv/v1/tokens/{tokenName}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: AuthScheme<C>;
  readonly access?: Access<C, z.output<P>>;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Default: the scheme's validation code (`validation` on the admin API). */
  readonly invalid?: InvalidCodes;
  readonly responses: R;
  /** Errors the handler itself may answer with (authentication, access and parsing add theirs). */
  readonly errors: readonly ErrorCode[];
  /** Set on routes that change state: every answer they give is recorded. */
  readonly audit?: AuditSpec<NoInfer<BodyOf<B>>>;
  handler(input: HandlerInput<C, z.output<P>, z.output<Q>, BodyOf<B>>): Promise<NoInfer<Reply<R>>>;
}

/** A route with its types erased, as the pipeline and the document generator see it. */
export interface AnyRoute {
  readonly operationId: string;
  readonly method: Method;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: AuthScheme<unknown>;
  readonly access?: Access<unknown, unknown>;
  readonly params?: ObjectSchema;
  readonly query?: ObjectSchema;
  readonly body?: BodySpec;
  readonly invalid?: InvalidCodes;
  readonly responses: Responses;
  readonly errors: readonly ErrorCode[];
  readonly audit?: AuditSpec<unknown>;
  handler(input: HandlerInput<unknown, unknown, unknown, unknown>): Promise<{
    status: number;
    body: unknown;
    type?: string;
    headers?: Readonly<Record<string, string>>;
    caller?: unknown;
  }>;
}

/**
 * Declares one endpoint: everything the pipeline runs and the API document shows comes from here.
 * The types tie the handler's input to the schemas and its reply to the declared responses.
 */
export function defineRoute<
  C,
  P extends ObjectSchema = ObjectSchema,
  Q extends ObjectSchema = ObjectSchema,
  B extends BodySpec | undefined = undefined,
  R extends Responses = Responses,
>(spec: RouteSpec<C, P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}

export const jsonBody = <S extends z.ZodType>(
  schema: S,
  description: string,
  { optional = false }: { optional?: boolean } = {},
): JsonBody<S> => ({ kind: "json", schema, optional, description });

export const rawBody = (description: string, mediaTypes: readonly string[]): RawBody => ({
  kind: "raw",
  description,
  mediaTypes,
});

export const json = <S extends z.ZodType>(schema: S, description: string) =>
  ({ kind: "json", description, schema }) as const;

export const text = (
  schema: z.ZodType<string>,
  description: string,
  mediaType = "text/plain; charset=utf-8",
) => ({ kind: "text", description, mediaType, schema }) as const;

export const bytes = (description: string, mediaTypes: readonly string[]) =>
  ({ kind: "bytes", description, mediaTypes }) as const;
