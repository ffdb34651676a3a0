// How long the strict JSON parser takes for a 1 MiB request body, beside JSON.parse on the same
// text in the same run: `npm run bench:json`. (A test checks that it parses right; this, how fast.)
import { parseStrictJson } from "../src/http/strict-json.ts";

const items: unknown[] = [];
for (let size = 0, index = 0; size < 1024 * 1024; index += 1) {
  const item = {
    id: index,
    key: `key-${index}`,
    value: `caf\u00e9 "q" \u{1f600} ${index}\n`,
    flags: [true, null],
  };
  items.push(item);
  size += Buffer.byteLength(JSON.stringify(item)) + 1;
}
const text = JSON.stringify({ items });
const body = Buffer.from(text, "utf8");

/** The median of `runs` timings, after as many warm-up runs. */
function median(work: () => void, runs = 15): number {
  for (let run = 0; run < runs; run += 1) work();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? Number.NaN;
}

const strict = median(() => parseStrictJson(body));
const baseline = median(() => JSON.parse(body.toString("utf8")));
console.log(`body: ${(body.length / 1024 / 1024).toFixed(2)} MiB`);
console.log(`parseStrictJson  ${strict.toFixed(1)} ms (median of 15)`);
console.log(`JSON.parse       ${baseline.toFixed(1)} ms (median of 15, with UTF-8 decoding)`);
console.log(`ratio            ${(strict / baseline).toFixed(2)}x JSON.parse`);
