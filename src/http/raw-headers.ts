/** How many times a header came on the wire; Node keeps only the first of some (Host, Authorization). */
export function headerCount(rawHeaders: readonly string[], name: string): number {
  const wanted = name.toLowerCase();
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === wanted) count += 1;
  }
  return count;
}
