import type { z } from "zod";
import type { Kind, Zod } from "./kinds.ts";

/** One setting of `edgekv serve`, as written once in settings.ts. */
export interface SettingSpec<T> {
  /** Flag and argument, as commander reads them (`--port <port>`). Absent for a secret: environment only. */
  readonly flag?: string;
  readonly env: string;
  /** For `--help` and the README; backticks mark code in both. */
  readonly help: string;
  readonly kind: Kind<T>;
  /** How the default reads where the value alone would not say it (or where there is no value). */
  readonly defaultText?: string;
  /** Never echoed back, not even in an error message. */
  readonly secret?: boolean;
}

export interface Setting<S extends z.ZodType = z.ZodType> extends SettingSpec<unknown> {
  /** The value used when neither a flag nor the environment gives one; undefined: none. */
  readonly default: unknown;
  /** Builds the kind's schema with the default applied, or made optional. */
  readonly schema: (zod: Zod) => S;
}

/** How a setting is named when the source is unknown (code): its flag, else its variable. */
export const settingLabel = (setting: Setting): string => setting.flag?.split(" ")[0] ?? setting.env;

export function setting<T>(spec: SettingSpec<T> & { default: NoInfer<T> }): Setting<z.ZodType<T>> {
  const fallback = spec.default;
  return {
    ...spec,
    // The default goes through the kind's schema as well, so a wrong default fails every test.
    schema: (z) => z.preprocess((value) => (value === undefined ? fallback : value), spec.kind.schema(z)),
  };
}

export function optionalSetting<T>(spec: SettingSpec<T>): Setting<z.ZodOptional<z.ZodType<T>>> {
  return { ...spec, default: undefined, schema: (z) => spec.kind.schema(z).optional() };
}
