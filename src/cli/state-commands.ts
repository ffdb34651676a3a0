// The commands about the server's whole state, registered together in program.ts.
export { resetCommand } from "./reset.ts";
export { seedCommand } from "./seed.ts";
export { exportCommand, importCommand } from "./snapshot.ts";
