import { type Command, Option } from "commander";
import { type Setting, settingLabel } from "./setting.ts";
import { SETTING_KEYS, SETTINGS, type SettingKey } from "./settings.ts";

/** A raw value for one setting and where it came from, as a user would write it: `--port`, `EDGEKV_PORT`. */
export interface SettingInput {
  readonly value: unknown;
  readonly from: string;
}

export type SettingInputs = Partial<Record<SettingKey, SettingInput>>;

/**
 * The commander option of a setting, with its help, environment variable, default and choices; none
 * for a secret. Commander keeps every value a raw string: the setting's schema checks it, so that
 * all bad values are reported alike, naming the flag or variable they came from.
 */
export function settingOption(key: SettingKey): Option | undefined {
  const setting: Setting = SETTINGS[key];
  if (setting.flag === undefined) return undefined;
  const option = new Option(setting.flag, setting.help);
  if (option.required) {
    option.env(setting.env);
    if (setting.default !== undefined) option.default(setting.default, setting.defaultText);
  } else {
    // A flag without a value (`--no-tls`): commander would set it from the mere presence of its
    // variable, so EDGEKV_TLS=true would turn TLS off. settingInputs reads the variable as a value.
    option.description += ` (env: ${envHint(setting)})`;
  }
  if (setting.default === undefined && setting.defaultText !== undefined) {
    option.description += ` (default: ${setting.defaultText})`;
  }
  const choices = setting.kind.choices;
  if (choices !== undefined) {
    // Listed in help by commander, checked by the schema like every other value.
    option.choices(choices).argParser((value: string) => value);
  }
  return option;
}

/** How the environment variable is written: `EDGEKV_TLS=false` for a flag that turns something off. */
export const envHint = (setting: Setting): string =>
  setting.flag?.startsWith("--no-") === true ? `${setting.env}=false` : setting.env;

/** The options of every setting that has a flag, in declaration order. */
export const settingOptions = (keys: readonly SettingKey[] = SETTING_KEYS): Option[] =>
  keys.flatMap((key) => settingOption(key) ?? []);

/**
 * What a parsed command's flags and the environment give for each setting, and from where. A flag
 * wins over its variable (commander's order); defaults are left to the schema. Variables that
 * commander does not read (a secret's, a flag's without a value) are read here, from the same
 * process.env.
 */
export function settingInputs(command: Command): SettingInputs {
  const env = process.env;
  const inputs: SettingInputs = {};
  for (const key of SETTING_KEYS) {
    const setting: Setting = SETTINGS[key];
    const option = settingOption(key);
    const name = option?.attributeName();
    const source = name === undefined ? undefined : command.getOptionValueSource(name);
    const value = name === undefined ? undefined : command.getOptionValue(name);
    if (source === "cli") {
      inputs[key] = { value, from: settingLabel(setting) };
    } else if (source === "env") {
      inputs[key] = { value, from: setting.env };
    } else if (option?.envVar === undefined && env[setting.env] !== undefined) {
      inputs[key] = { value: env[setting.env], from: setting.env };
    }
  }
  return inputs;
}
