// The explorer's only way to Passerelle: its public GraphQL API and graph downloads, at URLs relative
// to the page (it works behind a path prefix: /explorer/ and /graphql are siblings), with the API
// key the reader gave, kept for this tab only (sessionStorage).

const GRAPHQL = new URL("../graphql", location.href).href;
// One key per Passerelle: two behind different path prefixes of one site do not share it.
const KEY = `passerelle.apiKey:${new URL(GRAPHQL).pathname}`;

/** An answer that is not the data asked: `kind` says what the page should do about it. */
export class ApiProblem extends Error {
  constructor(kind, message, code) {
    super(message);
    /** "key" (no or a wrong key: ask for one), "forbidden" (this key may not), "unreachable", "answer" (an error in the answer). */
    this.kind = kind;
    this.code = code;
  }
}

export const apiKey = {
  get: () => sessionStorage.getItem(KEY) || "",
  set: (value) => (value ? sessionStorage.setItem(KEY, value.trim()) : sessionStorage.removeItem(KEY)),
};

function headers(extra) {
  const key = apiKey.get();
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
}

/** Turns an error answer (GraphQL or not) into an ApiProblem. */
function problemOf(status, errors) {
  const first = errors[0] || {};
  const code = first.extensions && first.extensions.code;
  const message = errors.map((e) => e.message).join("; ");
  if (status === 401 || code === "UNAUTHENTICATED") return new ApiProblem("key", message, code);
  if (status === 403 || code === "FORBIDDEN") return new ApiProblem("forbidden", message, code);
  return new ApiProblem("answer", message, code);
}

async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiProblem("unreachable", error.message || String(error));
  }
}

/** The data of one GraphQL operation; throws ApiProblem. */
export async function ask(query, variables = {}) {
  const response = await send(GRAPHQL, {
    method: "POST",
    headers: headers({ "content-type": "application/json", accept: "application/graphql-response+json, application/json" }),
    body: JSON.stringify({ query, variables }),
  });
  // A proxy's error page is not GraphQL: say what answered.
  if (!/json/.test(response.headers.get("content-type") || "")) throw new ApiProblem("unreachable", `HTTP ${response.status} ${response.statusText}`.trim());
  const body = await response.json();
  if (body.errors && body.errors.length) throw problemOf(response.status, body.errors);
  return body.data;
}

/** Saves a file made in the page. */
export function save(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Downloads /export/network.<extension> with the page's filters, sending the key like any read. */
export async function download(extension, filters) {
  const url = new URL(`../export/network.${extension}`, location.href);
  for (const [name, value] of Object.entries(filters)) if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, String(value));
  const response = await send(url.href, { headers: headers({}) });
  if (!response.ok) {
    const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }));
    throw problemOf(response.status, body.errors || [{ message: `HTTP ${response.status}` }]);
  }
  // Named as the server names it (the filters it holds), as a direct link to the file would be.
  const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
  save(await response.blob(), named ? named[1] : `network.${extension}`);
}

/**
 * CSV as spreadsheets read it: quoted where needed, UTF-8 with a byte-order mark (Excel), separated
 * by `separator` (a spreadsheet where the decimal mark is a comma expects ";").
 */
export function csv(rows, separator = ",") {
  const cell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    // A leading =, +, - or @ would be run as a formula by a spreadsheet: kept as text.
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return new Blob(["\uFEFF" + rows.map((row) => row.map(cell).join(separator)).join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
}
