/** The two functions a stack deploys for launched campaigns, as the local run invokes them. */

export interface EnrollmentHandOff {
  /** The line the enrollment function handed on to its next chunk; absent when the audience is done. */
  nextLine?: number;
}

export interface CampaignFunctions {
  /** One invocation of the enrollment function: the upload's event, or a hand-off from `fromLine`. */
  enroll(audienceKey: string, fromLine?: number): Promise<EnrollmentHandOff>;
  /** One scheduled invocation of the ticker, at the clock's instant. */
  tick(): Promise<unknown>;
}
