// Entry point of the CLI bundle.
import { main } from './main';

process.exitCode = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(`${s}\n`),
  env: process.env,
  cwd: process.cwd()
});
