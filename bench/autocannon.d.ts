/**
 * The part of autocannon's programmatic API the benchmarks use (the package ships no types, and
 * @types/autocannon describes an older major version).
 */
declare module 'autocannon' {
  interface Options {
    readonly url: string;
    readonly connections?: number;
    /** Seconds. */
    readonly duration?: number;
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string | Buffer;
    readonly pipelining?: number;
    /** Seconds before a request counts as timed out. */
    readonly timeout?: number;
  }

  interface Histogram {
    readonly average: number;
    readonly mean: number;
    readonly total: number;
    readonly p50: number;
    readonly p99: number;
  }

  interface Result {
    /** Seconds the load ran. */
    readonly duration: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>;
    readonly requests: Histogram;
    /** Milliseconds. */
    readonly latency: Histogram;
  }

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
