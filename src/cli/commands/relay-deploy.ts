import { badInput } from "../../core/errors.js";
import type { GlobalFlags } from "../context.js";

export async function runRelayDeploy(_flags: GlobalFlags & { name: string; apiTokenFile?: string }): Promise<void> {
  throw badInput("relay deploy: not yet");
}
