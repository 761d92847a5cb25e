// The tests' one HTTP client: every test that talks to a server over HTTP asks through it, so a
// request is written one way (JSON body, Bearer key) and an answer reads one way.

/** One answer over HTTP: its status and headers, the body parsed when it is JSON (else null), its text, and how long it took. */
export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
  ms: number;
}

export interface PostOptions {
  /** An API key, sent as `authorization: Bearer …`. */
  token?: string;
  /** More headers; content-type is application/json unless given here. */
  headers?: Record<string, string>;
}

/** Sends a request and reads the whole answer. */
export async function send<T = any>(url: string, init: RequestInit = {}): Promise<HttpAnswer<T>> {
  const begun = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  let body: any = null;
  if ((response.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body, text, ms: performance.now() - begun };
}

export interface GraphQLClient {
  /** The endpoint, e.g. http://127.0.0.1:PORT/graphql. */
  readonly url: string;
  /** POSTs `{ query, variables }`, as `token` when given (else the client's own). */
  ask<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<HttpAnswer<T>>;
  /** POSTs any body: a string as it is, anything else as JSON. */
  post<T = any>(body: unknown, options?: PostOptions): Promise<HttpAnswer<T>>;
}

/** A client of one GraphQL endpoint; `token` is sent with every request that names none. */
export function graphqlClient(url: string, token?: string): GraphQLClient {
  const post = <T>(body: unknown, options: PostOptions = {}) => {
    const key = options.token ?? token;
    return send<T>(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  };
  return {
    url,
    post,
    ask: (query, variables = {}, asToken) => post({ query, variables }, { token: asToken }),
  };
}
