export { planPromotion, environmentNames } from './planPromotion';
export type {
  PromotionPlan,
  PromotionRequest,
  WorkloadPromotion,
} from './planPromotion';
