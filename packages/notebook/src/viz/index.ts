/** `viz`: drawings for teaching, as `torch.viz`-style helpers in every notebook. */
export { type GraphElement, type GraphOptions, graph } from "./graph.js";
export { type Layout, type LayoutInput, layeredLayout, type Placement } from "./layered-layout.js";
export { type LossCurve, type LossCurveOptions, type LossPoint, lossCurve } from "./loss-curve.js";
