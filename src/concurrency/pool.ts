import PQueue from "p-queue";

/**
 * Runs `work` over a stream with at most `concurrency` in flight, pulling from the stream only as
 * workers free up — so a project of any size is never held in memory at once. The first error
 * stops the intake and is rethrown once the items in flight have settled.
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = new PQueue({ concurrency });
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure) break;
    await queue.onSizeLessThan(concurrency);
    queue
      .add(() => work(item))
      .catch((error: unknown) => {
        failure ??= { error };
      });
  }
  await queue.onIdle();
  if (failure) throw failure.error;
}
