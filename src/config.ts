/**
 * Every setting of `edgekv serve`, declared once in config/settings.ts: the command line, the
 * environment, defaults, `--help` and the README's table all follow from that declaration.
 */

export { type SettingInputs, settingOption, settingOptions } from "./config/options.ts";
export {
  ConfigError,
  parseServeConfig,
  parseSettings,
  readServeConfig,
  type ServeConfig,
  serveConfigSchema,
} from "./config/parse.ts";
export type { SettingKey } from "./config/settings.ts";
