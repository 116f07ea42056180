/** A generation step failed; `problems` holds one line per problem, ready to print. */
export class GenerateError extends Error {
  readonly step: string;
  readonly problems: readonly string[];

  constructor(step: string, problems: readonly string[]) {
    super(`${step} failed:\n${problems.join('\n')}`);
    this.name = 'GenerateError';
    this.step = step;
    this.problems = problems;
  }
}
