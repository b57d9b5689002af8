// Placeholder until the embedded default lands (issue 5): says what `npm start` will do.
console.log(
  "npm start will run a whole SMS campaign locally: emulators, simulated carrier, the AWS handlers.",
);
