import { z } from "zod";
import { EdgeKvError } from "./errors.ts";

/**
 * Every setting of `edgekv serve`, validated once. The command line and environment variables are
 * mapped onto this shape in main.ts; nothing else reads argv or env.
 */
export const serveConfigSchema = z.object({
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8443),
  dataDir: z.string().min(1).default(".edgekv"),
  /** A SQLite file path, or `memory`. Default: `<dataDir>/edgekv.db`. */
  database: z.string().min(1).optional(),
  dbPoolSize: z.coerce.number().int().min(1).max(200).default(10),
  dbStatementTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(5_000),
  tls: z.boolean().default(true),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  clock: z.enum(["system", "manual"]).default("system"),
  activationDelaySeconds: z.coerce.number().min(0).max(86_400).default(5),
  refreshIntervalDays: z.coerce.number().int().min(1).max(365).default(60),
  tokenLimit: z.coerce.number().int().min(1).max(100_000).default(500),
  activationFailureRate: z.coerce.number().min(0).max(1).default(0),
  keyRotationDays: z.coerce.number().int().min(1).max(3650).default(30),
  maxSkewSeconds: z.coerce.number().int().min(1).max(3600).default(30),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  logFormat: z.enum(["pretty", "json"]).optional(),
  secretKey: z.string().optional(),
});

export type ServeConfig = z.infer<typeof serveConfigSchema>;

export class ConfigError extends EdgeKvError {
  override name = "ConfigError";
}

/** Parses raw settings (strings from flags or env), turning schema failures into one readable message. */
export function parseServeConfig(raw: Record<string, unknown>): ServeConfig {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  const result = serveConfigSchema.safeParse(defined);
  if (result.success) {
    const config = result.data;
    if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
      throw new ConfigError(
        "--tls-cert and --tls-key go together: give both, or neither for a generated certificate.",
      );
    }
    return config;
  }
  const lines = result.error.issues.map((issue) => `  --${kebab(issue.path.join("."))}: ${issue.message}`);
  throw new ConfigError(`Invalid settings:\n${lines.join("\n")}`);
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
