/**
 * On every response: the server's own time, ISO-8601 with milliseconds. It is the domain clock's,
 * so under `--clock manual` it is the time the clock was moved to. `Date` stays real time, as HTTP
 * caches and proxies expect; a client that shows relative dates ("expired", "in 12 days") reads this.
 */
export const SERVER_TIME_HEADER = "X-EdgeKV-Time";
