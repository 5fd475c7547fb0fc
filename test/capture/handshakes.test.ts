import { describe, expect, it } from "vitest";
import {
  isCorrectAnswer,
  recogniseHandshake,
  verifyTokensFrom,
  type Handshake,
  type HandshakeCredentials,
} from "../../src/capture/handshakes.js";
import type { HeaderPairs, RawRequest, Verification } from "../../src/core/types.js";
import { detectProvider, getProvider } from "../../src/providers/index.js";

// Expected digests below were computed outside hooktape with openssl (`openssl dgst -sha256 -hmac ...`), not with the
// code under test.
const X_SECRET = "x-consumer-secret-not-real";
const ZOOM_SECRET = "zoom-secret-token-not-real";
const EBAY_TOKEN = "a8f5f167f44f4964e6c998dee827110c-ebay-verification-token-0123456789";
const RECEIVED_AT = Date.UTC(2026, 11, 1, 12, 0, 0);

const NO_CREDENTIALS: HandshakeCredentials = { secretsOf: () => [], verifyTokensOf: () => [] };

function credentials(secrets: Record<string, string[]>, tokens: string[] = [], env: NodeJS.ProcessEnv = {}): HandshakeCredentials {
  return { secretsOf: (id) => secrets[id] ?? [], verifyTokensOf: verifyTokensFrom(tokens, env) };
}

function request(method: string, url: string, options: { headers?: HeaderPairs; body?: string } = {}): RawRequest {
  return {
    method,
    url,
    headers: [["Host", "127.0.0.1:3000"], ...(options.headers ?? [])],
    body: Buffer.from(options.body ?? "", "utf8"),
    receivedAt: RECEIVED_AT,
  };
}

/** As the capture server calls it: the provider forced, else detected from the headers. */
function recognise(
  raw: RawRequest,
  creds: HandshakeCredentials = NO_CREDENTIALS,
  options: { provider?: string; calledUrl?: string; verification?: Verification } = {},
): Handshake | null {
  const provider = options.provider ?? detectProvider(raw.headers)?.id ?? null;
  return recogniseHandshake(
    {
      request: raw,
      provider,
      verification: options.verification ?? { status: "unverified", reason: "no_secret" },
      calledUrl: options.calledUrl ?? `http://127.0.0.1:3000${raw.url}`,
    },
    creds,
  );
}

function answerOf(handshake: Handshake | null): { status: number; contentType: string | undefined; body: string; headers: HeaderPairs } {
  expect(handshake?.answer).toBeTruthy();
  const answer = handshake!.answer!;
  return {
    status: answer.status,
    contentType: answer.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1],
    body: answer.body.toString("utf8"),
    headers: answer.headers,
  };
}

/** A request signed by the provider's real signing code, as the provider sends it. */
function signed(providerId: string, secret: string, body: string, timestamp = Math.floor(RECEIVED_AT / 1000)): RawRequest {
  const provider = getProvider(providerId)!;
  const raw = request("POST", "/hooks", { headers: [["Content-Type", "application/json"]], body });
  const out = provider.sign({ body: raw.body, secret, timestamp, id: "msg_1", method: "POST", headers: raw.headers });
  return { ...raw, headers: [...raw.headers, ...out.headers] };
}

describe("Dropbox / Nylas: GET ?challenge=", () => {
  it("echoes the challenge as plain text with nosniff (Dropbox's docs example: abc123)", () => {
    const handshake = recognise(request("GET", "/dropbox-webhook?challenge=abc123"));
    expect(handshake).toMatchObject({ provider: "dropbox", name: "Dropbox/Nylas challenge", unanswered: null });
    const answer = answerOf(handshake);
    expect(answer).toMatchObject({ status: 200, contentType: "text/plain; charset=utf-8", body: "abc123" });
    expect(answer.headers).toContainEqual(["X-Content-Type-Options", "nosniff"]);
  });

  it("decodes the query as a framework does, and names the provider --provider gives", () => {
    expect(answerOf(recognise(request("GET", "/n?challenge=a%20b%2Bc"))).body).toBe("a b+c");
    expect(recognise(request("GET", "/n?challenge=xyz"), NO_CREDENTIALS, { provider: "nylas" })?.name).toBe("Nylas challenge");
  });

  it("is not recognised with another parameter, a body, another method, or another provider pinned", () => {
    expect(recognise(request("GET", "/search?challenge=abc&page=2"))).toBeNull();
    expect(recognise(request("GET", "/x?challenge=a&challenge=b"))).toBeNull();
    expect(recognise(request("POST", "/x?challenge=abc", { body: "{}" }))).toBeNull();
    expect(recognise(request("DELETE", "/x?challenge=abc"))).toBeNull();
    expect(recognise(request("GET", "/x?challenge=abc"), NO_CREDENTIALS, { provider: "stripe" })).toBeNull();
    // A request carrying GitHub's signature headers is GitHub's, whatever its query.
    expect(
      recognise(request("GET", "/x?challenge=abc", { headers: [["X-GitHub-Event", "ping"], ["X-Hub-Signature-256", "sha256=00"]] })),
    ).toBeNull();
  });
});

describe("X (Twitter) CRC: GET ?crc_token=", () => {
  it("answers {response_token: sha256=<base64 HMAC-SHA256(consumer secret, token)>} as JSON", () => {
    const handshake = recognise(request("GET", "/x?crc_token=crc-token-from-x_123&nonce=MTIzNDU"), credentials({ twitter: [X_SECRET] }));
    expect(handshake).toMatchObject({ provider: "twitter", name: "X (Twitter) CRC" });
    expect(answerOf(handshake)).toMatchObject({
      status: 200,
      contentType: "application/json",
      body: '{"response_token":"sha256=mWfSOZxpQqMITJ1bS2Qz1xtKAv20T+uQqXDoBs67tFk="}',
    });
  });

  it("without a consumer secret it says which flag or variable gives one", () => {
    const handshake = recognise(request("GET", "/x?crc_token=abc"));
    expect(handshake).toEqual({
      provider: "twitter",
      name: "X (Twitter) CRC",
      answer: null,
      unanswered: "no X consumer secret named for twitter (an unnamed --secret never answers a handshake); pass --secret twitter=<consumer secret> or set HOOKTAPE_SECRET_TWITTER",
    });
  });

  it("refuses a token shaped like a message to sign: the answer would be a valid signature of it", () => {
    const forged = encodeURIComponent('{"for_user_id":"1","tweet_create_events":[]}');
    const handshake = recognise(request("GET", `/x?crc_token=${forged}`), credentials({ twitter: [X_SECRET] }));
    expect(handshake?.answer).toBeNull();
    expect(handshake?.unanswered).toMatch(/not a plain token/);
  });
});

describe("Meta / WhatsApp / Instagram / Messenger and Strava: hub.challenge", () => {
  const metaUrl = "/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock";

  it("echoes hub.challenge as text for Meta (the docs' example), with no verify token configured", () => {
    expect(answerOf(recognise(request("GET", metaUrl)))).toMatchObject({ status: 200, body: "1158201444" });
    expect(recognise(request("GET", metaUrl))?.name).toBe("Meta hub.challenge");
  });

  it("with a verify token configured, answers only when hub.verify_token matches it", () => {
    expect(answerOf(recognise(request("GET", metaUrl), credentials({}, ["meta=meatyhamhock"]))).body).toBe("1158201444");
    const wrong = recognise(request("GET", metaUrl), credentials({}, ["meta=something-else"]));
    expect(wrong?.answer).toBeNull();
    expect(wrong?.unanswered).toMatch(/hub\.verify_token does not match/);
    // From the environment too.
    expect(recognise(request("GET", metaUrl), credentials({}, [], { HOOKTAPE_VERIFY_TOKEN_META: "nope" }))?.answer).toBeNull();
  });

  it("answers {\"hub.challenge\": C} as JSON when the token is Strava's", () => {
    const url = "/strava?hub.verify_token=STRAVA&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe";
    const handshake = recognise(request("GET", url), credentials({}, ["strava=STRAVA"]));
    expect(handshake?.name).toBe("Strava hub.challenge");
    expect(answerOf(handshake)).toMatchObject({ contentType: "application/json", body: '{"hub.challenge":"15f7d1a91c1f40f8a748fd134752feb3"}' });
  });

  it("a Strava token alone does not make Meta's check strict: Meta's request is still answered, unchecked", () => {
    expect(answerOf(recognise(request("GET", metaUrl), credentials({}, ["strava=STRAVA"]))).body).toBe("1158201444");
  });

  it("names the Meta app --provider gives, and needs hub.mode=subscribe and exactly the three parameters", () => {
    expect(recognise(request("GET", metaUrl), NO_CREDENTIALS, { provider: "whatsapp" })?.name).toBe("WhatsApp Business hub.challenge");
    expect(recognise(request("GET", metaUrl.replace("subscribe", "unsubscribe")))).toBeNull();
    expect(recognise(request("GET", `${metaUrl}&extra=1`))).toBeNull();
    expect(recognise(request("GET", metaUrl), NO_CREDENTIALS, { provider: "github" })).toBeNull();
  });
});

describe("Okta: X-Okta-Verification-Challenge", () => {
  it("answers {\"verification\": <header>} (Okta's docs example)", () => {
    const raw = request("GET", "/event-hook/", {
      headers: [
        ["X-Okta-Verification-Challenge", "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg"],
        ["Authorization", "my-shared-secret"],
      ],
    });
    expect(answerOf(recognise(raw))).toMatchObject({
      status: 200,
      contentType: "application/json",
      body: '{"verification":"Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg"}',
    });
  });
});

describe("eBay: GET ?challenge_code=", () => {
  it("answers hex SHA-256(code + verification token + the endpoint URL the request was sent to, no query)", () => {
    const raw = request("GET", "/ebay/notifications?challenge_code=a8f5f167f44f4964e6c998dee827110c");
    const handshake = recognise(raw, credentials({}, [`ebay=${EBAY_TOKEN}`]), {
      calledUrl: "https://quick-test.trycloudflare.com/ebay/notifications?challenge_code=a8f5f167f44f4964e6c998dee827110c",
    });
    expect(answerOf(handshake)).toMatchObject({
      contentType: "application/json",
      body: '{"challengeResponse":"299a6a260f9a5e586c0eb4b8e0adc43fb2cc3c80fe042c5f1425170216c330ee"}',
    });
  });

  it("without a verification token it says which flag or variable gives one", () => {
    expect(recognise(request("GET", "/e?challenge_code=abc"))?.unanswered).toBe(
      "no eBay verification token; pass --verify-token ebay=<token> or set HOOKTAPE_VERIFY_TOKEN_EBAY",
    );
  });
});

describe("Slack: url_verification", () => {
  // Slack's docs example (https://api.slack.com/events/url_verification), pretty-printed as Slack documents it.
  const body = '{\n    "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",\n    "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",\n    "type": "url_verification"\n}';

  it("answers the challenge as text to a request Slack signed", () => {
    const handshake = recognise(signed("slack", "slack-signing-secret", body));
    expect(handshake?.name).toBe("Slack url_verification");
    expect(answerOf(handshake)).toMatchObject({ status: 200, body: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("is not recognised without Slack's headers, nor for an event_callback that holds a challenge field", () => {
    expect(recognise(request("POST", "/slack", { body }))).toBeNull();
    const event = '{"type":"event_callback","challenge":"not-a-handshake","event":{"type":"message","text":"héllo"}}';
    expect(recognise(signed("slack", "slack-signing-secret", event))).toBeNull();
  });
});

describe("Zoom: endpoint.url_validation", () => {
  // Zoom's docs example plainToken (https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint).
  const body = '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}';

  it("answers {plainToken, encryptedToken: hex HMAC-SHA256(secret token, plainToken)} to a request Zoom signed", () => {
    const handshake = recognise(signed("zoom", ZOOM_SECRET, body), credentials({ zoom: ["an-older-secret", ZOOM_SECRET] }));
    expect(handshake?.name).toBe("Zoom endpoint.url_validation");
    expect(answerOf(handshake)).toMatchObject({
      status: 200,
      contentType: "application/json",
      body: '{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"92b296e6f6a1506e441148ea97eca3020e23ab036c5cfd27a9e83a6aacdfd446"}',
    });
  });

  it("without a secret token it says which flag or variable gives one", () => {
    expect(recognise(signed("zoom", ZOOM_SECRET, body))?.unanswered).toBe(
      "no Zoom secret token named for zoom (an unnamed --secret never answers a handshake); pass --secret zoom=<secret token> or set HOOKTAPE_SECRET_ZOOM",
    );
  });

  it("does not answer a request whose signature fails with the configured secret (no signing oracle)", () => {
    const handshake = recognise(signed("zoom", "someone-elses-secret", body), credentials({ zoom: [ZOOM_SECRET] }), {
      verification: { status: "invalid", reason: "no_matching_signature" },
    });
    expect(handshake?.answer).toBeNull();
    expect(handshake?.unanswered).toMatch(/does not verify with the configured Zoom secret token \(no_matching_signature\)/);
    const message = '{"event":"endpoint.url_validation","payload":{"plainToken":"v0:1654503849:{\\"event\\":\\"meeting.started\\"}"}}';
    expect(recognise(signed("zoom", ZOOM_SECRET, message), credentials({ zoom: [ZOOM_SECRET] }))?.answer).toBeNull();
  });

  it("an ordinary Zoom event is not a handshake", () => {
    expect(recognise(signed("zoom", ZOOM_SECRET, '{"event":"meeting.started","payload":{"plainToken":"x"}}'), credentials({ zoom: [ZOOM_SECRET] }))).toBeNull();
  });
});

describe("monday.com: {\"challenge\"}", () => {
  it("echoes the JSON it was sent", () => {
    const body = '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}';
    expect(answerOf(recognise(request("POST", "/monday", { body })))).toMatchObject({ status: 200, contentType: "application/json", body });
  });

  it("is not recognised when the body holds anything else", () => {
    expect(recognise(request("POST", "/m", { body: '{"challenge":"x","event":{"type":"create_item"}}' }))).toBeNull();
    expect(recognise(request("POST", "/m", { body: '{"challenge":42}' }))).toBeNull();
    expect(recognise(request("POST", "/m", { body: '["challenge"]' }))).toBeNull();
    expect(recognise(request("POST", "/m", { body: '{"challenge":"x"}' }), NO_CREDENTIALS, { provider: "stripe" })).toBeNull();
  });
});

describe("isCorrectAnswer: a handler's answer as the provider reads it", () => {
  const zoom = recognise(signed("zoom", ZOOM_SECRET, '{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}'), credentials({ zoom: [ZOOM_SECRET] }))!;
  const dropbox = recognise(request("GET", "/d?challenge=abc123"))!;
  const slack = recognise(signed("slack", "s", '{"type":"url_verification","challenge":"c1"}'))!;
  const ok = (body: string, status: number | null = 200) => ({ status, body: Buffer.from(body), complete: true });

  it("accepts the same JSON fields in any order and spacing, the same text, and Slack's JSON or form answer", () => {
    expect(isCorrectAnswer(zoom, ok('{ "encryptedToken": "92b296e6f6a1506e441148ea97eca3020e23ab036c5cfd27a9e83a6aacdfd446", "plainToken": "qgg8vlvZRS6UYooatFL8Aw" }'))).toBe(true);
    expect(isCorrectAnswer(dropbox, ok("abc123\n"))).toBe(true);
    expect(isCorrectAnswer(slack, ok('{"challenge":"c1"}'))).toBe(true);
    expect(isCorrectAnswer(slack, ok("challenge=c1"))).toBe(true);
  });

  it("rejects a wrong digest, a wrong echo, a non-2xx, no answer, and a truncated body", () => {
    expect(isCorrectAnswer(zoom, ok('{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"00"}'))).toBe(false);
    expect(isCorrectAnswer(dropbox, ok('"abc123"'))).toBe(false);
    expect(isCorrectAnswer(dropbox, ok("abc123", 404))).toBe(false);
    expect(isCorrectAnswer(dropbox, ok("", null))).toBe(false);
    expect(isCorrectAnswer(dropbox, { status: 200, body: Buffer.from("abc123"), complete: false })).toBe(false);
    expect(isCorrectAnswer(zoom, ok("not json"))).toBe(false);
  });
});

describe("verifyTokensFrom", () => {
  it("reads provider prefixes, keeps = inside tokens, and falls back to the environment", () => {
    const tokensOf = verifyTokensFrom(["whatsapp=a=b", "strava=s1", "plain=="], { HOOKTAPE_VERIFY_TOKEN_EBAY: "from-env" });
    expect(tokensOf("meta")).toEqual(["a=b", "plain=="]);
    expect(tokensOf("strava")).toEqual(["s1"]);
    expect(tokensOf("ebay")).toEqual(["plain=="]);
    expect(verifyTokensFrom([], { HOOKTAPE_VERIFY_TOKEN_EBAY: "from-env" })("ebay")).toEqual(["from-env"]);
  });
});
