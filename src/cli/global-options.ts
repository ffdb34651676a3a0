/**
 * The official CLI's global options, which it takes before its command
 * (`akamai edgekv --section s list tokens`); every command here that talks to a server takes them
 * after it.
 */
const WITH_VALUE = new Set(["--edgerc", "--section", "--accountkey", "--ca-cert", "--timeout"]);
const FLAGS = new Set(["--json", "--jsonout", "--debug"]);
const CONNECTED = new Set([
  // This CLI's nouns.
  ...["token", "namespace", "item", "group", "auth-group", "db", "init", "status", "request", "audit"],
  // The official CLI's verbs and their aliases.
  ...["initialize", "show", "list", "l", "create", "modify", "write", "read", "delete", "del"],
  ...["download", "dnld", "refresh", "revoke"],
]);

/**
 * Whether the word after `--json` is the official CLI's `--json <path>` rather than the next
 * argument: it names a file or directory (`out.json`, `./out/`). Names of namespaces, groups, items
 * and tokens have neither a `/` nor a `.json` end; `--json=<path>` is never ambiguous.
 */
const isJsonPath = (word: string | undefined): word is string =>
  word !== undefined && !word.startsWith("-") && !CONNECTED.has(word) && /\/|\.json$/i.test(word);

/**
 * The official CLI's spellings that commander cannot take as they are: `--json <path>` becomes
 * `--json-file <path>` and `-incewg` (a multi-letter short option) `--include_ew_groups`.
 */
function respell(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? "";
    const next = words[index + 1];
    if (word === "--") {
      out.push(...words.slice(index));
      break;
    }
    if (word.startsWith("--json=")) out.push("--json-file", word.slice("--json=".length));
    else if (word === "--json" && isJsonPath(next)) {
      out.push("--json-file", next);
      index += 1;
    } else out.push(word === "-incewg" ? "--include_ew_groups" : word);
  }
  return out;
}

/**
 * Moves connection options written before the command to its end, where every command that talks to
 * a server defines them: `edgekv --edgerc f token list` runs as `edgekv token list --edgerc f`.
 * `argv` is process.argv (node, script, then the user's words).
 */
export function hoistConnectionOptions(argv: readonly string[]): string[] {
  const [node = "", script = "", ...given] = argv;
  const words = respell(given);
  const hoisted: string[] = [];
  let index = 0;
  while (index < words.length) {
    const word = words[index] ?? "";
    const name = word.split("=")[0] ?? "";
    if (WITH_VALUE.has(name) || name === "--json-file") {
      const takesNext = !word.includes("=");
      hoisted.push(...words.slice(index, index + (takesNext ? 2 : 1)));
      index += takesNext ? 2 : 1;
    } else if (FLAGS.has(word)) {
      hoisted.push(word);
      index += 1;
    } else {
      break;
    }
  }
  const rest = words.slice(index);
  if (hoisted.length === 0 || !CONNECTED.has(rest[0] ?? "")) return [node, script, ...words];
  return [node, script, ...rest, ...hoisted];
}
