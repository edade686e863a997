export { planPromotion, environmentNames } from './planPromotion';
export type {
  PromotionPlan,
  PromotionRequest,
  WorkloadPromotion,
} from './planPromotion';
export { renderWorkloads } from './renderWorkloads';
export type { RenderedWorkloads } from './renderWorkloads';
export { renderedWorkloadsDiff, diffAsMarkdown } from './renderedDiff';
export type { RenderedDiff } from './renderedDiff';
