import type { Command } from "commander";
import { z } from "zod";
import { EdgeKvError } from "../errors.ts";
import { type SettingInput, type SettingInputs, settingInputs } from "./options.ts";
import { type Setting, settingLabel } from "./setting.ts";
import { BOUNDS, PAIRS, SETTING_KEYS, SETTINGS, type SettingKey } from "./settings.ts";

type Shape = { [K in SettingKey]: ReturnType<(typeof SETTINGS)[K]["schema"]> };

// Object.fromEntries forgets which keys an object has; the assertion restores exactly what it holds.
const shape = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].schema(z)])) as Shape;

export const serveConfigSchema = z.object(shape);

export type ServeConfig = z.infer<typeof serveConfigSchema>;

export class ConfigError extends EdgeKvError {
  override name = "ConfigError";
}

/**
 * Validates every setting and applies defaults. A wrong value throws a ConfigError whose one-line
 * message names each wrong setting as the user gave it, so they know what to edit.
 */
export function parseSettings(inputs: SettingInputs): ServeConfig {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    const input = inputs[key];
    if (input !== undefined) values[key] = input.value;
  }
  const result = serveConfigSchema.safeParse(values);
  if (!result.success) {
    const wrong = SETTING_KEYS.filter((key) => result.error.issues.some((issue) => issue.path[0] === key));
    throw new ConfigError(wrong.map((key) => invalid(key, inputs[key])).join(" "));
  }
  for (const [first, second, advice] of PAIRS) {
    const firstGiven = result.data[first] !== undefined;
    if (firstGiven !== (result.data[second] !== undefined)) {
      const given = firstGiven ? first : second;
      const from = inputs[given]?.from ?? settingLabel(SETTINGS[given]);
      const names = `${settingLabel(SETTINGS[first])} and ${settingLabel(SETTINGS[second])}`;
      throw new ConfigError(`${names} go together, but only ${from} is given: ${advice}.`);
    }
  }
  const config = result.data;
  for (const [key, bound, reason] of BOUNDS) {
    if (config[key] <= config[bound]) continue;
    if (inputs[key] === undefined) {
      config[key] = config[bound];
      continue;
    }
    const given = `${inputs[key].from} ${JSON.stringify(inputs[key].value)}`;
    const limit = `${inputs[bound]?.from ?? settingLabel(SETTINGS[bound])} (${config[bound]})`;
    throw new ConfigError(`Invalid ${given}: must be at most ${limit}, as ${reason}.`);
  }
  return config;
}

function invalid(key: SettingKey, input: SettingInput | undefined): string {
  const setting: Setting = SETTINGS[key];
  const from = input?.from ?? settingLabel(setting);
  // JSON keeps the message on one line whatever the value holds.
  const shown = setting.secret === true ? "" : ` ${JSON.stringify(input?.value)}`;
  return `Invalid ${from}${shown}: must be ${setting.kind.rule}.`;
}

/** The `ServeConfig` of a parsed `serve` command; a ConfigError names where each wrong value came from. */
export const readServeConfig = (command: Command): ServeConfig => parseSettings(settingInputs(command));

/**
 * Settings given by code (tests, the benchmark) keyed by `ServeConfig` field, as strings or values;
 * unknown keys are ignored. Errors name each setting by its flag.
 */
export function parseServeConfig(values: Record<string, unknown>): ServeConfig {
  const inputs: SettingInputs = {};
  for (const key of SETTING_KEYS) {
    const value = values[key];
    if (value !== undefined) inputs[key] = { value, from: settingLabel(SETTINGS[key]) };
  }
  return parseSettings(inputs);
}
