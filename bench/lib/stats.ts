// Small statistics for noisy machines: medians and quartiles, never means.

export interface Summary {
  n: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function summarize(values: number[]): Summary {
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** "median (p25–p75)", the form every timing in RESULTS.md takes. */
export function msSpread(summary: Summary): string {
  return `${ms(summary.median)} (${summary.p25.toFixed(1)}–${summary.p75.toFixed(1)})`;
}

export function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(2)}×`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
