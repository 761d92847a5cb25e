// Before any test: builds dist/ once (src/, then bench/ and test/ over it: tsconfig.bench.json
// references tsconfig.build.json), which type-checks everything once: a type error fails
// `npm test` here. The tests run src/ and bench/ from dist/ (test/resolver.js), as the commands
// and server processes they start do; ts-jest compiles only the test files, each alone, unchecked
// (tsconfig.test.json).
//
// Once src/ is built, beside the build of bench/ and test/, it makes the embedded databases the
// tests start from (test/helpers/database.ts), once, in PASSERELLE_TEST_DATA: empty/ (PostgreSQL's
// initdb, no table yet), migrated/ (the tables) and seeded/ (the Corrèze seed, what a first
// `npm start` leaves). A new one costs some 5 s of initdb and 1 s of migrations, a copy of one a
// tenth of a second, and some sixty test files and server or command processes each need one.
const { execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  const root = path.join(__dirname, "..");
  // One tsc for everything: it builds src/ (the reference) first, then bench/ and test/, reading
  // the libraries' declarations once (on a fresh clone 10.8 s, against 16.3 s for src/ and then the
  // rest in two runs). `tsc -b` does nothing (in a third of a second) when no file changed.
  const built = new Promise((resolve, reject) =>
    execFile(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "tsconfig.bench.json"], { cwd: root }, (error, stdout, stderr) => {
      if (!error) return resolve();
      process.stdout.write(stdout);
      process.stderr.write(stderr);
      reject(new Error("tsc -b tsconfig.bench.json found type errors (above)"));
    }),
  );
  // The databases are made by src/'s migrations and seed: as soon as src/ is built (tsc writes its
  // build info last), beside the build of bench/ and test/ — two cores, both busy; else once tsc is done.
  const srcInfo = rewritten(path.join(root, "dist", ".tsbuildinfo"));
  const made = Promise.race([built, srcInfo.promise]).then(() => makeDatabases(root));
  const [types, databases] = await Promise.allSettled([built.finally(srcInfo.stop), made]);
  if (types.status === "rejected") {
    // No test runs, and global-teardown.js neither: the databases are removed here.
    if (databases.status === "fulfilled") fs.rmSync(databases.value, { recursive: true, force: true });
    throw types.reason;
  }
  if (databases.status === "fulfilled") process.env.PASSERELLE_TEST_DATA = databases.value; // read by the workers, removed by global-teardown.js
  if (databases.status === "rejected") throw databases.reason;
};

/** Resolves when `file` is written (from now on); stop() stops watching it. */
function rewritten(file) {
  let stop = () => {};
  const promise = new Promise((resolve) => {
    const changed = (current) => current.mtimeMs > 0 && (stop(), resolve());
    fs.watchFile(file, { interval: 100 }, changed);
    stop = () => fs.unwatchFile(file, changed);
  });
  return { promise, stop };
}

async function makeDatabases(root) {
  require("reflect-metadata");
  const { createDataDir, openDatabase, LOCK_FILE } = require(path.join(root, "dist/src/db/data-source.js"));
  const { seedIfEmpty } = require(path.join(root, "dist/src/db/seed/seed.js"));
  // In memory where there is a /dev/shm: a copy there takes a quarter of the time it takes on disk.
  const base = fs.existsSync("/dev/shm") && isWritable("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, "passerelle-test-"));
  fs.mkdirSync(path.join(dir, "copies"));
  const empty = path.join(dir, "empty");
  await createDataDir(empty, false);
  const migrated = path.join(dir, "migrated");
  fs.cpSync(empty, migrated, { recursive: true });
  const db = await openDatabase({ dataDir: migrated });
  await db.destroy();
  const seeded = path.join(dir, "seeded");
  fs.cpSync(migrated, seeded, { recursive: true });
  const again = await openDatabase({ dataDir: seeded }, seedIfEmpty);
  await again.destroy();
  for (const folder of [empty, migrated, seeded]) {
    if (fs.existsSync(path.join(folder, LOCK_FILE))) throw new Error(`${folder} kept its lock file after closing`);
  }
  return dir;
}

function isWritable(folder) {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
