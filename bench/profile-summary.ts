// Where a server's time went, from a V8 CPU profile (`npm run bench -- --cpu-prof <dir> --only …`):
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--from 5 --to 10]
// --from/--to (seconds since the profile began) keep one phase, the measured load, say, apart from
// start-up and seeding; `--seconds` prints each second's busy share to find that phase.
// Prints self time by layer (the leaf frame's package or source directory), then by the nearest
// frame of our own code (dist/<dir>/…) above each sample, then the heaviest leaf functions.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    seconds: { type: "boolean" },
  },
});
const file = positionals[0];
if (file === undefined) throw new Error("usage: profile-summary <file.cpuprofile>");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const top = Number(values.top ?? 25);
const fromUs = Number(values.from ?? 0) * 1e6;
const toUs = values.to === undefined ? Number.POSITIVE_INFINITY : Number(values.to) * 1e6;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** The layer a frame belongs to. */
function layer({ functionName, url }: Node["callFrame"]): string {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle";
  if (functionName === "(program)") return "program (native, unattributed)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg !== undefined) return `npm ${pkg}`;
  const own = /\/dist\/([^/]+)\//.exec(url)?.[1] ?? /\/src\/([^/]+)\//.exec(url)?.[1];
  if (own !== undefined) return `ours ${own}`;
  if (/_tls|node:tls|internal\/tls|internal\/stream_base|node:net|internal\/net/.test(url))
    return "node tls/net";
  if (/_http|node:http|internal\/http/.test(url)) return "node http";
  if (/internal\/crypto|node:crypto/.test(url)) return "node crypto";
  if (/internal\/streams|node:stream|node:events|internal\/process|internal\/timers|node:timers/.test(url))
    return "node streams/events/timers";
  if (url.startsWith("node:")) return "node other";
  if (url === "") return `native ${functionName}`;
  return url;
}

function ownDirectory(id: number): string {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)?.callFrame.url ?? "";
    const own = /\/dist\/([^/]+(?:\/[^/]+\.js)?)/.exec(url)?.[1];
    if (own !== undefined) return own;
  }
  return "(none of ours)";
}

const selfByLayer = new Map<string, number>();
const byOwn = new Map<string, number>();
const byLeaf = new Map<string, number>();
let total = 0;
let busy = 0;
let at = 0;
const perSecond = new Map<number, { busy: number; idle: number }>();
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  at += delta;
  const node = byId.get(id);
  if (node === undefined || at < fromUs || at > toUs) return;
  total += delta;
  const second = perSecond.get(Math.floor(at / 1e6)) ?? { busy: 0, idle: 0 };
  if (node.callFrame.functionName === "(idle)") second.idle += delta;
  else second.busy += delta;
  perSecond.set(Math.floor(at / 1e6), second);
  const name = layer(node.callFrame);
  selfByLayer.set(name, (selfByLayer.get(name) ?? 0) + delta);
  if (name === "idle") return;
  busy += delta;
  const own = ownDirectory(id);
  byOwn.set(own, (byOwn.get(own) ?? 0) + delta);
  const leaf = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${node.callFrame.lineNumber + 1}`;
  byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + delta);
});

const print = (title: string, map: Map<string, number>, of: number, limit = top) => {
  console.log(`\n${title}`);
  for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(
      `${((time / of) * 100).toFixed(1).padStart(6)}%  ${(time / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
  }
};

console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
if (values.seconds === true) {
  console.log("\nbusy share per second since the profile began");
  for (const [second, { busy: used, idle }] of perSecond) {
    console.log(
      `  ${String(second).padStart(4)} s  ${((used / (used + idle)) * 100).toFixed(0).padStart(3)}% busy`,
    );
  }
}
print("self time by layer (% of busy time; idle excluded from the base)", selfByLayer, busy);
print("busy time by the nearest frame of our code above it", byOwn, busy);
print("heaviest leaf functions", byLeaf, busy);
