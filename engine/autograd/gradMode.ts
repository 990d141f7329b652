/** Grad mode: whether ops record a backward graph. Restored even when the callback throws. */
let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** `with torch.no_grad():` */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** `with torch.enable_grad():` */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

let anomalyEnabled = false;

/** Anomaly mode: nodes remember their forward location; NaN produced in backward raises. */
export function setDetectAnomaly(enabled: boolean): void {
  anomalyEnabled = enabled;
}

export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

/** `with torch.autograd.detect_anomaly():` */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return fn();
  } finally {
    anomalyEnabled = previous;
  }
}
