// What the loader's coordinator (loader.js) and its workers (worker.js) share.
"use strict";

const now = () => performance.timeOrigin + performance.now(); // epoch ms, sub-ms: comparable across processes

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// p50/p95/p99/max of raw samples (an array or typed array): the coordinator merges every worker's raw
// samples first, so percentiles are of the whole run, never averages of per-process percentiles.
function summary(samples) {
  const sorted = Float64Array.from(samples).sort();
  const r = (x) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    n: sorted.length,
    p50: r(percentile(sorted, 0.5)),
    p95: r(percentile(sorted, 0.95)),
    p99: r(percentile(sorted, 0.99)),
    max: r(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A growable Float64 sample buffer: millions of fan-out samples cost 8 bytes each (not a boxed number)
// and cross the IPC channel as one typed array.
class Samples {
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
    this.length = 0;
  }

  push(x) {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }

  clear() {
    this.length = 0;
  }

  values() {
    return this.data.subarray(0, this.length);
  }
}

module.exports = { now, percentile, summary, sleep, mulberry32, Samples };
