// Types for the parts of Akamai's npm client the tests use (the package ships none).
declare module "akamai-edgegrid" {
  interface EdgeGridResponse {
    status: number;
    headers: Record<string, string>;
    data: unknown;
  }
  class EdgeGrid {
    constructor(options: { path: string; section?: string });
    request: { headers: Record<string, string> };
    auth(request: Record<string, unknown>): EdgeGrid;
    send(callback: (error: unknown, response?: EdgeGridResponse, body?: string) => void): EdgeGrid;
  }
  export default EdgeGrid;
}
