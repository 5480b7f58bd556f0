/** Hyperparameter validation with PyTorch's messages (`Invalid learning rate: -1`). */
export function checkNonNegative(label: string, value: number): void {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new RangeError(`Invalid ${label}: ${value}`);
  }
}

export function checkBetas(betas: readonly [number, number]): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new TypeError(`betas must be a pair of numbers, e.g. [0.9, 0.999], but got ${betas}`);
  }
  betas.forEach((beta, i) => {
    if (typeof beta !== "number" || !(beta >= 0 && beta < 1)) {
      throw new RangeError(`Invalid beta parameter at index ${i}: ${beta}`);
    }
  });
}
