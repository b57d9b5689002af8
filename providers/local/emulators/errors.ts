/** An emulator problem the user can act on; printed as its message, without a stack trace. */
export class EmulatorError extends Error {
  override name = "EmulatorError";
}
