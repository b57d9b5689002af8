/** The Functions app entry (package.json `main`): registers the consumer SMS_HANDLER names. */
import { handlerNameOf, registerConsumer } from "./functions";

registerConsumer(handlerNameOf(process.env));
