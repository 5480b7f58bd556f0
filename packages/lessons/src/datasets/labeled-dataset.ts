import { type Tensor, utils } from "@gradbook/engine";

/**
 * A dataset of feature rows and their targets, as `torch.utils.data.TensorDataset(data,
 * targets)`: `dataset.__getitem__(i)` is `[data[i], targets[i]]`, so DataLoader and
 * random_split take it as it is. Named as torchvision's and scikit-learn's datasets are:
 * `data`, `targets`, `classes`, `feature_names`.
 */
export class LabeledDataset extends utils.data.TensorDataset {
  /** float32 features, one row per sample: `[N, features]`. */
  readonly data: Tensor;
  /** int64 class indices `[N]` for classification; float32 `[N, 1]` for regression. */
  readonly targets: Tensor;
  /** Class names by index (empty for regression). */
  readonly classes: readonly string[];
  readonly feature_names: readonly string[];

  constructor(
    data: Tensor,
    targets: Tensor,
    info: { classes?: readonly string[]; feature_names?: readonly string[] } = {},
  ) {
    super(data, targets);
    this.data = data;
    this.targets = targets;
    this.classes = info.classes ?? [];
    this.feature_names = info.feature_names ?? data.shape.slice(1).map((_, i) => `x${i}`);
  }

  override toString(): string {
    const classes = this.classes.length ? `, classes=${this.classes.length}` : "";
    return `LabeledDataset(samples=${this.data.shape[0]}, features=${this.data.shape[1]}${classes})`;
  }
}
