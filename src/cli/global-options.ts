/** Connection options the official CLI takes before its command (`akamai edgekv --section s list tokens`). */
const WITH_VALUE = new Set(["--edgerc", "--section", "--accountkey", "--ca-cert"]);
const FLAGS = new Set(["--json"]);
const CONNECTED = new Set(["token", "namespace", "item", "group", "init", "status", "request"]);

/**
 * Moves connection options written before the command to its end, where every command that talks to
 * a server defines them: `edgekv --edgerc f token list` runs as `edgekv token list --edgerc f`.
 * `argv` is process.argv (node, script, then the user's words).
 */
export function hoistConnectionOptions(argv: readonly string[]): string[] {
  const [node = "", script = "", ...words] = argv;
  const hoisted: string[] = [];
  let index = 0;
  while (index < words.length) {
    const word = words[index] ?? "";
    const name = word.split("=")[0] ?? "";
    if (WITH_VALUE.has(name)) {
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
  if (hoisted.length === 0 || !CONNECTED.has(rest[0] ?? "")) return [...argv];
  return [node, script, ...rest, ...hoisted];
}
