// What every command-line tool of Passerelle does around its work: the exit code, and the error
// said on standard error (with the usage when the arguments were wrong).

/** The arguments are wrong: the tool says why, then (unless the fault is in a file given) its usage, and exits with 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** False when the arguments were right but a file they name is not: the usage would bury the reason. */
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** Runs a tool's work and exits with the code it returns; an error exits with 1 (2 with the usage for a UsageError). */
export function runMain(name: string, usage: string, work: () => Promise<number>): void {
  work().then(
    (code) => process.exit(code),
    (error: unknown) => {
      // A configuration refusal names each wrong setting on its own line: each gets the tool's name.
      for (const line of String((error as Error)?.message ?? error).split("\n")) process.stderr.write(`${name}: ${line}\n`);
      if (error instanceof UsageError && error.showUsage) process.stderr.write(`\n${usage}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
