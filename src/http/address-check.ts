import net from "node:net";

/**
 * Fails as the server's own listen would (EADDRNOTAVAIL, ENOTFOUND, EADDRINUSE, EACCES), but before
 * the database is opened: a wrong HOST or a taken PORT is said at once, not after seconds of
 * opening the embedded database or minutes of waiting for PostgreSQL. The port is let go at once;
 * the real listen comes once the read model is loaded.
 */
export function checkAddress(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
