// The command line of the standalone benches (`npx tsx bench/<name>.ts [model.onnx ...] [--option value] [--switch]`),
// read one way: the models are the arguments ending in .onnx, an option's value is the argument after it.

const args = process.argv.slice(2);

/** The value after `flag` (e.g. '--runs'), or undefined when the flag is absent. */
export function option(flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Whether a switch (e.g. '--no-wasm') is given. */
export const hasSwitch = (flag: string): boolean => args.includes(flag);

/** The path of fixtures/<name>/model.onnx. */
export const fixtureModel = (name: string): string => new URL(`../fixtures/${name}/model.onnx`, import.meta.url).pathname;

/** The .onnx models named on the command line, else the given fixtures' models. */
export function benchModels(...defaultFixtures: string[]): string[] {
  const named = args.filter((a) => a.endsWith('.onnx'));
  return named.length > 0 ? named : defaultFixtures.map(fixtureModel);
}
