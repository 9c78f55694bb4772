/** The benchmark baseline's activity (bench/): does nothing, so the baseline measures the engine alone. */
export function createBenchActivities() {
  return {
    async benchNoop(): Promise<void> {
      // no work on purpose
    },
  };
}
