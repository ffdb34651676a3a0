// The package's programmatic entry: `import { startEdgeKV } from "edgekv-server"`.
export {
  type Duration,
  type EdgeKV,
  EdgeKVRequestError,
  type ResetOptions,
  type ResetResult,
  type StartEdgeKVOptions,
  startEdgeKV,
} from "./testing/start-edgekv.ts";
