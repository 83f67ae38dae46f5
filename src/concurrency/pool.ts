import PQueue from "p-queue";
import { intakeStop, outsideIntake } from "./stop.js";

/**
 * Runs `work` over a stream with at most `concurrency` in flight, pulling from the stream only as
 * workers free up — so a project of any size is never held in memory at once. The first error
 * stops the intake and is rethrown once the items in flight have settled. So does a stop (see
 * stop.ts): the loop throws rather than returns, so its caller never takes the unread items for gone.
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = new PQueue({ concurrency });
  const stop = intakeStop();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure || stop?.aborted) break;
    await queue.onSizeLessThan(concurrency);
    // The stop may have come while this item waited for a free worker.
    if (stop?.aborted) break;
    queue
      .add(() => outsideIntake(() => work(item)))
      .catch((error: unknown) => {
        failure ??= { error };
      });
  }
  await queue.onIdle();
  if (failure) throw failure.error;
  if (stop?.aborted) throw stop.reason;
}
