import { HooktapeError } from "../../src/core/errors.js";

/** The HooktapeError that `fn` throws (a test fails if it throws nothing, or something else). */
export function thrown(fn: () => unknown): HooktapeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HooktapeError) return error;
    throw error;
  }
  throw new Error("did not throw");
}
