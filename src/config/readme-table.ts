import { envHint } from "./options.ts";
import type { Setting } from "./setting.ts";
import { SETTING_KEYS, SETTINGS } from "./settings.ts";

export const TABLE_START = "<!-- config-table:start -->";
export const TABLE_END = "<!-- config-table:end -->";

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replaceAll("|", "\\|");

function row(setting: Setting): string {
  const defaultText =
    setting.defaultText ?? (setting.default === undefined ? "" : code(String(setting.default)));
  const choices = setting.kind.choices?.map(code).join(", ");
  const meaning = choices === undefined ? setting.help : `${setting.help}; one of ${choices}`;
  const columns = [
    setting.flag === undefined ? "(environment only)" : code(setting.flag),
    code(envHint(setting)),
    defaultText,
    meaning,
  ];
  return `| ${columns.map(cell).join(" | ")} |`;
}

/** The README's configuration table, one row per setting. */
export function renderConfigTable(): string {
  const rows = SETTING_KEYS.map((key) => row(SETTINGS[key]));
  return ["| flag | environment | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the rendered table. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(
      `README.md needs the markers ${TABLE_START} and ${TABLE_END} around the configuration table`,
    );
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderConfigTable()}\n${readme.slice(end)}`;
}
