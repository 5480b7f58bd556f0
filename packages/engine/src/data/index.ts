/** `torch.utils.data`: datasets, samplers, batching; plus torchvision-style `transforms`. */

export { type Collated, default_collate, default_convert } from "./collate.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export { Dataset, type DatasetLike, Subset, TensorDataset } from "./dataset.js";
export { random_split } from "./random_split.js";
export {
  BatchSampler,
  RandomSampler,
  Sampler,
  SequentialSampler,
  type SizedIterable,
} from "./sampler.js";
export { TransformedDataset } from "./transformed_dataset.js";
export * as transforms from "./transforms.js";
