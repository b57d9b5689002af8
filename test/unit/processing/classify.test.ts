import { describe, expect, it } from "vitest";
import { classifyReply, REPLY_KEYWORDS, sentimentScore } from "../../../core/processing/classify";

describe("classifyReply", () => {
  it.each(REPLY_KEYWORDS.stop.map((word) => [word]))("treats %s as an opt-out", (word) => {
    expect(classifyReply(word)).toMatchObject({ category: "stop", keyword: word });
  });

  it.each([
    ["stop", "STOP"],
    ["Stop", "STOP"],
    ["  STOP  ", "STOP"],
    ["STOP.", "STOP"],
    ["stop!!!", "STOP"],
    ["Stop please", "STOP"],
    ["STOP, I never signed up", "STOP"],
    ["opt out", "OPT OUT"],
    ["Opt-Out", "OPT OUT"],
    ["optout", "OPTOUT"],
    ["Arrêt", "ARRET"],
    ["unsubscribe me", "UNSUBSCRIBE"],
    ["td", "TD"],
  ])("reads %j as the opt-out keyword %s", (text, keyword) => {
    expect(classifyReply(text)).toMatchObject({ category: "stop", keyword });
  });

  it.each([
    ["Please stop", "free_text"],
    ["don't stop the deals", "free_text"],
    ["stopping by later", "free_text"],
    ["I want to cancel? no, keep me", "free_text"],
  ])(
    "does not treat %j as an opt-out, because the keyword is not the message or its first word",
    (text, category) => {
      expect(classifyReply(text).category).toBe(category);
    },
  );

  it.each([
    ["HELP", "help", "HELP"],
    ["info?", "help", "INFO"],
    ["START", "start", "START"],
    ["unstop", "start", "UNSTOP"],
    ["Yes", "yes", "YES"],
    ["y", "yes", "Y"],
    ["Yes please!", "yes", "YES"],
    ["NO", "no", "NO"],
    ["n", "no", "N"],
    ["No thanks", "no", "NO"],
  ] as const)("classifies %j as %s with keyword %s", (text, category, keyword) => {
    expect(classifyReply(text)).toMatchObject({ category, keyword });
  });

  it("classifies other text as free text without a keyword", () => {
    const result = classifyReply("What time does the store open?");
    expect(result).toEqual({ category: "free_text", sentiment: "neutral" });
  });

  it.each([
    ["I love this deal, thanks!", "positive"],
    ["This is great", "positive"],
    ["This is spam and a scam", "negative"],
    ["not happy with my order", "negative"],
    ["I am not very happy", "negative"],
    ["not bad at all", "positive"],
    ["No problem, great service", "positive"],
    ["Can I pick it up tomorrow?", "neutral"],
    ["👍", "positive"],
    ["terrible :(", "negative"],
  ] as const)("scores the sentiment of %j as %s", (text, sentiment) => {
    expect(classifyReply(text).sentiment).toBe(sentiment);
  });

  it("gives a bare STOP a neutral sentiment, a bare YES a positive one", () => {
    expect(classifyReply("STOP").sentiment).toBe("neutral");
    expect(classifyReply("YES").sentiment).toBe("positive");
    expect(classifyReply("HELP").sentiment).toBe("neutral");
  });

  it("reads the mood of the words around a STOP", () => {
    expect(classifyReply("STOP this is spam")).toEqual({
      category: "stop",
      keyword: "STOP",
      sentiment: "negative",
    });
  });

  it("lets the words of a keyword reply decide its sentiment when they carry one", () => {
    expect(classifyReply("Yes but the last one was terrible").sentiment).toBe("negative");
  });
});

describe("sentimentScore", () => {
  it("adds one per positive word and subtracts one per negative word", () => {
    expect(sentimentScore("great great bad")).toBe(1);
  });

  it("flips a sentiment word that follows a negator within three words", () => {
    expect(sentimentScore("never been so happy")).toBe(-1);
    expect(sentimentScore("not one two three happy")).toBe(1);
  });

  it("handles curly apostrophes in negations", () => {
    expect(sentimentScore("I don’t like it")).toBe(-1);
  });
});
