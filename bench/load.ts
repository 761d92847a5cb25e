// What the benchmarks share: a loopback HTTP client on kept-alive connections, quantiles, a
// process's resident memory, and a markdown table. One copy, so every bench measures the same way.
import fs from "node:fs";
import http from "node:http";

export const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
export const fixed = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

/** Resident memory now and at its peak, in MB, of a process (Linux). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

export interface Answer {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** POSTs JSON bodies to http://127.0.0.1:port/path over at most `connections` kept-alive sockets. */
export function httpClient(port: number, connections: number, path = "/graphql") {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const send = (body: string, authorization?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
      if (authorization) headers.authorization = authorization;
      const request = http.request({ host: "127.0.0.1", port, path, method: "POST", agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: response.headers }));
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** A markdown table, first column left-aligned, the others right-aligned. */
export function markdownTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

/** CPU seconds (user + system, every thread) a process has used so far (Linux). */
export function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
