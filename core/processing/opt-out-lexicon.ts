/**
 * The opt-out lexicon: every rule the intent engine knows, in plain regular expressions over the
 * normalized reply (lower case, no accents, no punctuation inside a clause, "n't" kept as "nt").
 * Support staff read a decision by its rule id; adding a phrasing is adding one line here.
 *
 * Sources for the phrasings: the CTIA opt-out keyword list, carrier guidance on free-text
 * revocation, and the FCC 24-24 order's "any reasonable means" examples, translated into the
 * ways people actually write them in Spanish, French, Portuguese and German.
 */

export type Language = "en" | "es" | "fr" | "pt" | "de";

export interface IntentRule {
  /** Stable id shown to support staff: `<kind>.<language>.<name>`. */
  id: string;
  pattern: RegExp;
  /** How sure a match makes us that the sender revokes consent, 0-1. */
  confidence: number;
}

/**
 * Words the engine corrects misspellings towards ("unsubscibe" -> "unsubscribe", "stopp" -> "stop").
 * Only these: correcting towards any dictionary would turn "step" into "stop".
 */
export const VOCABULARY = [
  // en
  "stop",
  "stopall",
  "unsubscribe",
  "unsub",
  "cancel",
  "remove",
  "quit",
  "optout",
  "revoke",
  "texts",
  "texting",
  "messages",
  "messaging",
  "message",
  "contact",
  "contacting",
  "sending",
  "please",
  "anymore",
  "subscription",
  "subscribe",
  "subscribed",
  "nummer",
  "list",
  "number",
  "interested",
  "alone",
  "harassing",
  "bother",
  // es
  "mensajes",
  "mensaje",
  "envien",
  "envies",
  "manden",
  "mandes",
  "escriban",
  // the endings "(?:me)?" adds to a group of verbs, which the rule-word reader does not spell out
  "enviarme",
  "mandarme",
  "escribirme",
  "molestarme",
  "contactarme",
  "quiero",
  "suscripcion",
  "desuscribir",
  "desuscribirme",
  "cancelar",
  "eliminar",
  "borrar",
  "borren",
  "baja",
  "molesten",
  "paz",
  "lista",
  "contacten",
  "contactes",
  "llamen",
  // fr
  "arret",
  "arrete",
  "arreter",
  "arretez",
  "envoyer",
  "envoyez",
  "desabonner",
  "desinscrire",
  "desabonnement",
  "desinscription",
  "messages",
  "supprimer",
  "supprimez",
  "retirer",
  "tranquille",
  "contacter",
  // pt
  "parar",
  "pare",
  "mensagens",
  "mensagem",
  "enviar",
  "mandar",
  "cancelar",
  "descadastrar",
  "descadastre",
  "descadastro",
  "remover",
  "remova",
  "removam",
  "mande",
  "mandem",
  "envie",
  "enviem",
  "sair",
  "incomodar",
  "quero",
  // de
  "stoppen",
  "abmelden",
  "abbestellen",
  "nachrichten",
  "nachricht",
  "keine",
  "mehr",
  "schicken",
  "senden",
  "schreiben",
  "austragen",
  "kontaktieren",
  "loschen",
  "bitte",
  "aufhoren",
  "abmeldung",
] as const;

/**
 * Words a word list knows that are still read as the keyword: German STOPP is a carrier keyword,
 * and "stpo" is in a list only as an abbreviation.
 */
export const KEYWORD_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ["stopp", "stop"],
  ["stpo", "stop"],
]);

/** Real words one edit away from a vocabulary word; never "corrected". */
export const PROTECTED_WORDS = new Set([
  "remote",
  "cancer",
  "sender",
  "senders",
  "step",
  "shop",
  "stomp",
  "stoop",
  "quiz",
  "quite",
  "quiet",
  "lost",
  "alot", // "thanks alot" is not ALTO
  "last",
  "mess",
  "alike",
  "along",
  "mehl",
  "keins",
  "pare",
  "para",
  "paras",
  "passer",
  "parer",
  "saber",
  "mandar",
  "mandara",
  "baje",
  "bajo",
  "lisa",
  "listo",
  "lista",
  "number",
  "numbers",
  "texas",
  "context",
  "contract",
  "messy",
  "sending",
  "ending",
  "bitter",
  "senden",
  "pleased",
]);

/** Words that carry no intent around a keyword: "stop please", "STOP now!!", "unsubscribe thanks". */
const FILLER =
  "(?:please|pls|plz|plse|now|thanks|thank you|thx|ty|ok|okay|asap|already|again|immediately|right now|" +
  "por favor|porfa|gracias|ya|ahora|merci|svp|s il vous plait|s il te plait|maintenant|obrigado|obrigada|" +
  "agora|ja|bitte|danke|sofort|jetzt|me|all|everything|it)";
const fillers = `(?: ${FILLER})*`;

/** The carrier keyword family, in every language we serve (CTIA list plus ARRET, BAJA, PARE...). */
const KEYWORDS =
  "(?:stop|stopall|stop all|unsubscribe|unsub|cancel|end|quit|revoke|optout|opt out|arret|arrete|td|remove|" +
  "baja|alto|basta|parar|pare|para|sair|cancelar|descadastrar|stoppen|abmelden|abbestellen|austragen|halt|" +
  "desabonner|desinscrire|desuscribir|desuscribirme|fin|ende|chega)";

const MESSAGES =
  "(?:texts?|texting|messages?|messaging|sms|msgs?|txts?|marketing|promos?|promotions?|ads|notifications?|alerts?)";
const SEND_VERBS =
  "(?:text|texting|message|messaging|contact|contacting|send|sending|call|calling|spam|spamming|email|bother|bothering)";
const NEGATOR_EN =
  "(?:dont|do not|never|cant|cannot|wont|will not|not|no need to|didnt|did not|shouldnt|wouldnt)";
const STOP_VERB_EN = "(?:stop|unsubscribe|cancel|quit|opt out|optout|end|remove)";

export const HARD_NEGATIVES: readonly IntentRule[] = [
  // English: "stop" as an ordinary verb, and the opt-out verb negated.
  {
    id: "neg.en.negated-stop",
    confidence: 0.02,
    pattern: new RegExp(
      `\\b${NEGATOR_EN} (?:\\w+ ){0,3}?(?:want to |wanna |need to |going to |gonna |ever |to )?${STOP_VERB_EN}\\b`,
    ),
  },
  {
    id: "neg.en.stop-by",
    confidence: 0.03,
    pattern: /\bstop (?:and |n )?shop\b|\bstop(?:ping|ped)? (?:by|in|at|over|off at|for|on the way|and)\b/,
  },
  { id: "neg.en.cant-stop", confidence: 0.02, pattern: /\b(?:cant|can not|cannot|couldnt|never) stop\b/ },
  {
    id: "neg.en.stop-feeling",
    confidence: 0.03,
    pattern:
      /\bstop (?:smiling|laughing|thinking|eating|worrying|crying|talking about|looking|buying|shopping|using)\b/,
  },
  {
    id: "neg.en.bus-stop",
    confidence: 0.03,
    pattern: /\b(?:bus|next|last|first|one|pit|truck|full|rest) stop\b/,
  },
  {
    id: "neg.en.is-it-over",
    confidence: 0.05,
    pattern:
      /\b(?:is|was|when|does|did|will|has) (?:the )?(?:sale|offer|deal|promo|promotion|event|discount) (?:over|end|ending|ended|stop)\b|\bwhen does (?:it|this) (?:end|stop)\b/,
  },
  {
    id: "neg.en.cancel-order",
    confidence: 0.15,
    pattern:
      /\bcancel (?:my |the |our |this )?(?:order|appointment|reservation|booking|delivery|subscription box|plan|payment)\b/,
  },
  {
    id: "neg.en.end-of",
    confidence: 0.05,
    pattern: /\b(?:end|ending) of (?:the )?(?:month|week|day|year|sale|season)\b|\bby the end\b/,
  },
  {
    id: "neg.en.remove-item",
    confidence: 0.1,
    pattern:
      /\bremove (?:the |an |one |that )?(?:item|items|product|charge|fee|it from my cart|from my cart)\b/,
  },
  {
    id: "neg.en.keep-sending",
    confidence: 0.02,
    pattern:
      /\b(?:keep|keep on|continue) (?:sending|texting|messaging)\b|\bstay subscribed\b|\b(?:love|like|enjoy) (?:these|your|the) (?:texts|messages|deals)\b/,
  },
  // Spanish
  {
    id: "neg.es.negated-stop",
    confidence: 0.02,
    pattern:
      /\bno (?:quiero |deseo |me (?:quiero )?)?(?:cancelar|dar(?:me)? de baja|desuscribir(?:me)?|parar|pares|paren|pare|cancelen)\b(?! (?:los |de )?(?:mensajes|sms))/,
  },
  {
    id: "neg.es.para-que",
    confidence: 0.05,
    pattern: /\bpara (?:que|cuando|mi|el|la|los|las|mañana|manana|hoy)\b/,
  },
  { id: "neg.es.sigan", confidence: 0.02, pattern: /\b(?:sigan|sigue|siga) (?:enviando|mandando)\b/ },
  // French
  {
    id: "neg.fr.negated-stop",
    confidence: 0.02,
    pattern:
      /\b(?:n |ne )?(?:arretez|arrete|arreter) pas\b|\bne (?:pas |veux pas |voudrais pas )(?:arreter|me desabonner|desabonner|me desinscrire)\b/,
  },
  { id: "neg.fr.continuez", confidence: 0.02, pattern: /\bcontinuez (?:a|de) (?:m envoyer|envoyer)\b/ },
  // Portuguese
  {
    id: "neg.pt.negated-stop",
    confidence: 0.02,
    pattern:
      /\bnao (?:quero |vou |precisa )?(?:cancelar|cancela|parar|pare|sair|descadastrar)\b(?! (?:de )?(?:mensagens|sms))/,
  },
  { id: "neg.pt.para-que", confidence: 0.05, pattern: /\bpara (?:que|quando|mim|o|a|os|as|amanha|hoje)\b/ },
  // German
  {
    id: "neg.de.negated-stop",
    confidence: 0.02,
    pattern: /\bnicht (?:abmelden|stoppen|aufhoren|kundigen|abbestellen)\b|\bhor(?:t|en sie)? nicht auf\b/,
  },
  {
    id: "neg.de.halt-word",
    confidence: 0.05,
    pattern: /\b(?:ist|war|das|es|so|halt so|eben|mal) halt\b|\bhalt (?:mal|so|eben|nur)\b/,
  },
];

export const OPT_OUT_RULES: readonly IntentRule[] = [
  // The carrier keywords: the whole clause, or first with only fillers around it.
  { id: "keyword.exact", confidence: 0.99, pattern: new RegExp(`^(?:${FILLER} )*${KEYWORDS}${fillers}$`) },
  {
    id: "keyword.lead",
    confidence: 0.93,
    pattern:
      /^(?:stop|stopall|unsubscribe|unsub|optout|opt out|revoke|arret|arrete|baja|alto|basta|stoppen|abmelden|pare|parar)\b/,
  },

  // English phrasings
  {
    id: "phrase.en.stop-sending",
    confidence: 0.96,
    pattern: new RegExp(
      `\\b(?:stop|quit|cease|end|no more) ${SEND_VERBS}\\b|\\b(?:stop|no more|enough|too many|end|cancel) (?:\\w+ ){0,2}?${MESSAGES}\\b`,
    ),
  },
  {
    id: "phrase.en.stop-last",
    confidence: 0.92,
    pattern: /\b(?:just|pls|please|so|now|kindly|ok|then|must|to) stop$|\bstop (?:it|this|that|now)$/,
  },
  {
    id: "phrase.en.take-me-off",
    confidence: 0.96,
    pattern:
      /\b(?:take|get|remove|delete|drop|scratch|cross|leave) (?:me|my number|my name|this number|us|me and my number|me out) (?:\w+ ){0,2}?(?:off|from|out of|out)\b|\b(?:take|get|remove|delete|drop) me\b(?! (?:to|there|home))/,
  },
  {
    id: "phrase.en.unsubscribe-me",
    confidence: 0.96,
    pattern:
      /\b(?:unsubscribe|unsub|opt (?:me )?out|opt me|optout|cancel my subscription|cancel (?:the |these |this )?(?:texts|messages|alerts|sms))\b/,
  },
  {
    id: "phrase.en.dont-text",
    confidence: 0.96,
    pattern: new RegExp(
      `\\b(?:dont|do not|never|cant you|could you not|can you not|please not|stop to) (?:ever )?${SEND_VERBS}(?: me| this number| us)?\\b`,
    ),
  },
  {
    id: "phrase.en.no-longer",
    confidence: 0.95,
    pattern: new RegExp(
      `\\b(?:dont|do not|no longer|never) (?:want|wish|need|like|care for) (?:to (?:get|receive|hear)|any|these|your|this|more|the)?(?: \\w+){0,2}? ?(?:${MESSAGES}|from you|anymore|subscription)\\b|\\bno longer (?:interested|want|wish)\\b`,
    ),
  },
  {
    id: "phrase.en.leave-alone",
    confidence: 0.94,
    pattern:
      /\b(?:leave me alone|lose my number|delete my number|forget my number|stop harassing|quit harassing|harassment|do not contact|dnc|do not call)\b/,
  },
  {
    id: "phrase.en.revoke",
    confidence: 0.95,
    pattern:
      /\b(?:revoke|withdraw|rescind|cancel) (?:my )?(?:consent|permission|subscription|opt in)\b|\bi (?:revoke|withdraw|opt out)\b/,
  },
  {
    id: "phrase.en.wrong-number",
    confidence: 0.7,
    pattern:
      /\b(?:wrong number|wrong person|not me|who is this|who dis|how did you get (?:my|this) number|i never signed up|never subscribed|didnt sign up|did not sign up)\b/,
  },
  {
    id: "phrase.en.not-interested",
    confidence: 0.65,
    pattern: /\b(?:not interested|go away|enough already|too many|spam|scam)\b/,
  },
  { id: "phrase.en.stop-anywhere", confidence: 0.75, pattern: /\bstop\b/ },

  // Spanish
  {
    id: "phrase.es.no-mas",
    confidence: 0.95,
    pattern:
      /\bno (?:me )?(?:\w+ )?mas (?:mensajes|sms|textos|promociones|publicidad)\b|^no mas$|^no mas (?:por favor|gracias|porfa)$|\bya no mas\b|\bno mas\b(?! (?:que|de|alla|tarde|temprano))/,
  },
  {
    id: "phrase.es.no-envien",
    confidence: 0.96,
    pattern:
      /\bno (?:me )?(?:(?:\w+ )?(?:envien|envies|envie|manden|mandes|mande|escriban|escribas|contacten|llamen|molesten|molestes))\b|\b(?:dejen|deja|dejar) de (?:enviar|mandar|escribir|molestar|contactar)(?:me)?\b/,
  },
  {
    id: "phrase.es.no-quiero",
    confidence: 0.95,
    pattern:
      /\bno (?:quiero|deseo|necesito) (?:recibir |mas |seguir recibiendo )?(?:\w+ )?(?:mensajes|sms|textos|promociones|nada)\b|\bya no (?:quiero|deseo)\b/,
  },
  {
    id: "phrase.es.baja",
    confidence: 0.96,
    pattern:
      /\b(?:dar(?:me)? de baja|denme de baja|de de baja|darse de baja|quiero la baja|baja de la lista|desuscribir(?:me)?|desuscribanme|cancelar (?:mi )?(?:suscripcion|los mensajes)|cancelen (?:mi )?suscripcion)\b/,
  },
  {
    id: "phrase.es.sacame",
    confidence: 0.96,
    pattern:
      /\b(?:sacame|saquenme|sacar(?:me)?|borrame|borrenme|borrar(?:me)?|eliminame|eliminenme|quitame|quitenme)(?: (?:de|del))?\b|\bquiten? mi numero\b/,
  },
  {
    id: "phrase.es.dejame-en-paz",
    confidence: 0.95,
    pattern: /\b(?:dejame|dejenme|dejeme) (?:en paz|tranquil[oa])\b/,
  },
  {
    id: "phrase.es.who",
    confidence: 0.7,
    pattern:
      /\b(?:numero equivocado|quien (?:es|eres|habla)|no me interesa|no estoy interesad[oa]|nunca me suscribi|spam)\b/,
  },

  // French
  {
    id: "phrase.fr.arrete",
    confidence: 0.95,
    pattern:
      /\b(?:arretez|arrete|arreter|cessez|stoppez) (?:de |d )?(?:m |me |nous )?(?:envoyer|ecrire|contacter|texter|harceler|spammer|appeler)\b|\b(?:arretez|arrete|cessez)(?: ca| tout| svp| merci)*$/,
  },
  {
    id: "phrase.fr.plus-de",
    confidence: 0.95,
    pattern:
      /\b(?:plus de|pas de|fini les|assez de|trop de) (?:messages|sms|textos|pubs?|publicite|promos?)\b|\bne (?:m |me )?(?:\w+ )?(?:envoyez|envoie|ecrivez|contactez|ecris) plus\b|\bne plus (?:m |me )?(?:envoyer|contacter|ecrire)\b/,
  },
  {
    id: "phrase.fr.desabonner",
    confidence: 0.96,
    pattern:
      /\b(?:desabonner|desabonnez|desabonne|desinscrire|desinscrivez|desinscris|desabonnement|desinscription|resilier|retirez moi|retirer (?:mon numero|moi)|supprimez (?:moi|mon numero)|enlevez moi|effacez (?:moi|mon numero))\b/,
  },
  {
    id: "phrase.fr.veux-plus",
    confidence: 0.95,
    pattern:
      /\bje (?:ne )?(?:veux|souhaite|desire) (?:plus|pas) (?:recevoir|de vos|vos|de messages|de sms|ces|etre contacte)\b|\b(?:laissez|laisse) moi tranquille\b|\bfoutez moi la paix\b/,
  },
  {
    id: "phrase.fr.who",
    confidence: 0.7,
    pattern:
      /\b(?:mauvais numero|qui est ce|c est qui|pas interesse|je ne suis pas interesse|jamais inscrit)\b/,
  },

  // Portuguese
  {
    id: "phrase.pt.nao-quero",
    confidence: 0.95,
    pattern:
      /\bnao (?:quero|desejo|preciso) (?:mais|receber|mais receber)\b|\bnao (?:me )?(?:mande|mandem|envie|enviem|mandar|enviar|ligue|liguem|incomode|incomodem) (?:mais)?\b|\bnao quero\b(?! (?:cancelar|parar|sair))/,
  },
  {
    id: "phrase.pt.parem",
    confidence: 0.96,
    pattern:
      /\b(?:parem|pare|para|parar) de (?:me )?(?:mandar|enviar|mandarem|enviarem|ligar|incomodar|escrever)\b|\bchega de (?:mensagens|sms|mensagem)\b/,
  },
  {
    id: "phrase.pt.descadastrar",
    confidence: 0.96,
    pattern:
      /\b(?:descadastr\w*|descadastro|cancelar (?:a |minha )?(?:inscricao|assinatura|as mensagens)|remover? (?:meu numero|me)|me (?:remova|removam|tire|tirem|exclua|excluam|descadastre|descadastrem)|tire(?:m)? meu numero|sair da lista|quero sair)\b/,
  },
  {
    id: "phrase.pt.me-deixe",
    confidence: 0.94,
    pattern: /\b(?:me deixe?m? em paz|me deixa em paz|deixe me em paz)\b/,
  },
  {
    id: "phrase.pt.who",
    confidence: 0.7,
    pattern: /\b(?:numero errado|quem e|quem fala|nao tenho interesse|sem interesse)\b/,
  },

  // German
  {
    id: "phrase.de.keine-mehr",
    confidence: 0.96,
    pattern:
      /\bkeine (?:\w+ )?(?:sms|nachrichten|nachricht|werbung|mitteilungen|texte)\b(?: \w+)* mehr\b|\bkeine (?:sms|nachrichten|werbung) (?:bitte|danke)?\b|\bnicht mehr (?:schreiben|kontaktieren|anschreiben|schicken|senden|anrufen)\b|\b(?:schreiben|schicken|senden|kontaktieren) sie mir nicht mehr\b|\bschreibt mir nicht mehr\b|\bmir nicht mehr\b/,
  },
  {
    id: "phrase.de.abmelden",
    confidence: 0.96,
    pattern:
      /\b(?:abmelden|abmeldung|abbestellen|austragen|kundigen|loschen sie meine nummer|nummer loschen|entfernen sie mich|melden sie mich ab|meldet mich ab|tragen sie mich aus|bitte loschen)\b/,
  },
  {
    id: "phrase.de.aufhoren",
    confidence: 0.95,
    pattern: /\b(?:hort|horen sie|hor) auf\b|\baufhoren\b|\blassen sie mich in ruhe\b|\blass mich in ruhe\b/,
  },
  {
    id: "phrase.de.who",
    confidence: 0.7,
    pattern: /\b(?:falsche nummer|wer ist das|wer sind sie|kein interesse)\b/,
  },
];
