import { ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "../../src/root";

export { ROOT };

/**
 * The node options of the server process, as `npm start` gives them (package.json; test/config.test.ts
 * holds the two the same): a young generation of 4 MB semi-spaces, not V8's default 16, which it
 * grows to under the analyses' allocation and never gives back — at Europe scale a peak of 580 MB
 * against 483 (`npm run bench`, README).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=4"];

export interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts the built server (dist/) as `npm start` would, and waits until it listens. `spawned`, when
 * given, gets the process and its output so far at once, before it listens (to watch its start).
 */
export async function startServerProcess(env: Record<string, string>, spawned?: (child: ChildProcess, output: () => string) => void): Promise<Started> {
  // SERVER_NODE_ARGS: node options for the server alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p" to profile it under a bench (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, path.join(ROOT, "dist/src/main.js")], {
    cwd: ROOT,
    // As deployed (NODE_ENV=production), not as jest runs (NODE_ENV=test), which changes signal handling.
    env: { ...process.env, NODE_ENV: "production", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  spawned?.(child, () => output);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // not left running behind a failed start
      reject(new Error(`server did not start within 45 s:\n${output}`));
    }, 45_000);
    const check = () => {
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        // Not left listening: it would search the whole output again at every log line.
        child.stdout!.off("data", check);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", check);
    exited.then((code) => {
      clearTimeout(timer); // no 45 s timer left behind to hold jest open
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return { child, port, output: () => output, exited };
}

/** Resolves once `child`'s output (all of it, as `output` returns it) matches `pattern`; rejects if it exits first. */
export function outputMatches(child: ChildProcess, output: () => string, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(output())) return;
      child.stdout!.off("data", check);
      child.stderr!.off("data", check);
      resolve();
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before its output matched ${pattern}:\n${output()}`)));
    check();
  });
}
