/** One sample line of Prometheus' text format: `name{label="value",…} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** Metric family → its declared type (`counter`, `gauge`, `histogram`, …). */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
  /** The samples named `name` whose labels include every one of `labels`. */
  find(name: string, labels?: Readonly<Record<string, string>>): Sample[];
  /** The value of the one sample named `name` with exactly these labels; throws unless there is one. */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);

const unescapeLabel = (text: string) =>
  text.replace(/\\(.)/g, (_, char: string) => (char === "n" ? "\n" : char));

// Prometheus reads these words in any case, as Go's ParseFloat does (prom-client writes `Nan`).
const SPECIAL: Readonly<Record<string, number>> = {
  "+inf": Number.POSITIVE_INFINITY,
  "-inf": Number.NEGATIVE_INFINITY,
  nan: Number.NaN,
};

function parseValue(text: string, line: string): number {
  const special = SPECIAL[text.toLowerCase()];
  if (special !== undefined) return special;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`not a number in: ${line}`);
  return value;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) throw new Error(`bad labels in: ${line}`);
    const [, name = "", value = ""] = match;
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name] = unescapeLabel(value);
  }
  return labels;
}

/**
 * Parses Prometheus' text exposition format 0.0.4 strictly: a line that is not a comment, a HELP,
 * a TYPE or a well-formed sample throws, and so does a family typed twice or a sample series twice.
 */
export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# TYPE ")) {
      const [, name = "", kind = ""] = TYPE.exec(line) ?? [];
      if (name === "") throw new Error(`bad TYPE line: ${line}`);
      if (types.has(name)) throw new Error(`${name} is typed twice`);
      types.set(name, kind);
      continue;
    }
    if (line.startsWith("# HELP ") && !HELP.test(line)) throw new Error(`bad HELP line: ${line}`);
    if (line.startsWith("#")) continue;
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`not a sample: ${line}`);
    const [, name = "", labelText = "", valueText = ""] = sample;
    const labels = parseLabels(labelText, line);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) throw new Error(`series twice: ${line}`);
    seen.add(series);
    samples.push({ name, labels, value: parseValue(valueText, line) });
  }
  const find = (name: string, labels: Readonly<Record<string, string>> = {}) =>
    samples.filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  return {
    types,
    samples,
    find,
    value(name, labels = {}) {
      const exact = find(name, labels).filter(
        (sample) => Object.keys(sample.labels).length === Object.keys(labels).length,
      );
      if (exact.length !== 1 || exact[0] === undefined) {
        throw new Error(`${exact.length} samples of ${name} ${JSON.stringify(labels)}`);
      }
      return exact[0].value;
    },
  };
}
