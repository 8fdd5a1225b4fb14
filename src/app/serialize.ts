/**
 * Evaluations of the same head commit in one process run one after the other, so two deliveries arriving
 * together (pull_request.synchronize and a redelivery) see each other's published result instead of both
 * creating a check run. Across replicas the fingerprint check makes repeats converge.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.tails.set(key, next);
    const cleanup = () => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  get size(): number {
    return this.tails.size;
  }
}
