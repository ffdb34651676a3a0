/**
 * Every setting of `edgekv serve`, declared once in config/settings.ts: the command line, the
 * environment, defaults, `--help` and the README's table all follow from that declaration.
 */

export { readServeConfig, settingOption, settingOptions } from "./config/options.ts";
export {
  ConfigError,
  parseServeConfig,
  parseSettings,
  type ServeConfig,
  type SettingInputs,
  serveConfigSchema,
} from "./config/parse.ts";
export type { SettingKey } from "./config/settings.ts";
