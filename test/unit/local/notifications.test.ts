import { describe, expect, it } from "vitest";
import { NOTIFICATION_ID_ATTRIBUTE } from "../../../providers/aws/runtime/notifier";
import { notificationIdOf } from "../../../providers/local/clouds/aws-notifications";
import { notificationsOf } from "../../../providers/local/run/figures";

describe("notifications as the local run counts them", () => {
  it("counts every delivery, the distinct ids, and the distinct ones per pattern", () => {
    const ids = ["evt-1:unhappy", "evt-1:unhappy", "evt-1:complaint", "evt-2:unhappy", "evt:3:odd:unhappy"];
    expect(notificationsOf(ids)).toEqual({
      delivered: 5,
      distinct: 4,
      byPattern: { unhappy: 3, complaint: 1 },
    });
  });

  it("counts nothing when nothing arrived", () => {
    expect(notificationsOf([])).toEqual({ delivered: 0, distinct: 0, byPattern: {} });
  });

  it("reads the notification id off an SNS envelope as an SQS subscriber receives it", () => {
    const envelope = JSON.stringify({
      Type: "Notification",
      Message: "reply",
      MessageAttributes: { [NOTIFICATION_ID_ATTRIBUTE]: { Type: "String", Value: "evt-9:complaint" } },
    });
    expect(notificationIdOf(envelope)).toBe("evt-9:complaint");
    expect(notificationIdOf(JSON.stringify({ Type: "Notification", Message: "x" }))).toBe("");
  });
});
