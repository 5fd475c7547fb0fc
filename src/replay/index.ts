export { planReplay, deliveryUrlOf, type ReplayOptions, type ReplayPlan, type PlannedDelivery, type PlanClock } from "./plan.js";
export { runReplay, type ReplayAttempt, type ReplayEvent, type ReplayResult, type RunOptions } from "./run.js";
export { selectEvents, type ReplaySelector, type Selection } from "./select.js";
export { parseRetrySpec, retryPlanOf, type RetrySpec, type RetryPlan } from "./schedule.js";
export { orderItems, shuffle, seededRandom, ORDERS, type ReplayOrder } from "./order.js";
export { buildRequest, messageIdOf, signatureHeaderOf, type RequestRecipe, type Tamper } from "./build-request.js";
export { parseExpectation, type Expectation } from "./expectation.js";
export {
  parseReplayChoices,
  replayOptionsOf,
  type ReplayChoices,
  type ReplayChoiceTexts,
  type ReplayRunSettings,
  type ReplaySurface,
} from "./replay-choices.js";
