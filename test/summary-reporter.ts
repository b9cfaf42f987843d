// Prints one plain closing line after vitest's own summary, e.g.
// `tests: 494 passed, 0 failed, 2 skipped`, so that whatever reads the end of a
// CI log (and any person) sees the counts on the last line. Each failure is
// named just above it, one `failed: <file> > <test>: <first line of the error>`
// line each, so that a log cut to its last lines still says what failed
// (.ci/run repeats these lines in its recap).
import type { Reporter, TestModule } from 'vitest/node';

function firstLine(error: { message?: string } | undefined): string {
  const line = (error?.message ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const named: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'failed') {
          failed += 1;
          named.push(`failed: ${module.relativeModuleId} > ${test.fullName}: ${firstLine(result.errors[0])}`);
        } else skipped += 1;
      }
      // A file that could not even be loaded has no tests; count it as a failure.
      if (module.state() === 'failed' && ![...module.children.allTests()].some((t) => t.result().state === 'failed')) {
        failed += 1;
        // Named by the suite whose hook failed (its tests are then skipped), else by the file.
        const suites = [...module.children.allSuites()].filter((suite) => suite.errors().length > 0);
        for (const suite of suites) named.push(`failed: ${module.relativeModuleId} > ${suite.fullName}: ${firstLine(suite.errors()[0])}`);
        if (suites.length === 0) named.push(`failed: ${module.relativeModuleId}: ${firstLine(module.errors()[0])}`);
      }
    }
    for (const error of unhandledErrors) named.push(`failed: unhandled error: ${firstLine(error as { message?: string })}`);
    failed += unhandledErrors.length;
    process.stdout.write(`\n${named.map((line) => `${line}\n`).join('')}tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
