import { describe, expect, it } from "vitest";
import { REDACTED, redactJson, redactPath, redactText } from "../../worker/domain/redaction";

const KEY = `ak_${"0123456789abcdef".repeat(2)}`;
const ENROLL = "et_Zm9vYmFyYmF6cXV4LXF1dXgtX19fYWJjZGVmZ2hpams";
const REG = "fedcba9876543210fedcba9876543210"; // the generated global registration token: 32 hex

describe("redactText", () => {
  it("redacts API keys, enrollment tokens and 32-hex tokens wherever they stand", () => {
    expect(redactText(`key ${KEY}, token=${ENROLL}; reg ${REG}.`)).toBe(
      `key ${REDACTED}, token=${REDACTED}; reg ${REDACTED}.`,
    );
    expect(redactText(`${KEY.toUpperCase().replace("AK_", "ak_")}`)).toBe(REDACTED);
    expect(redactText(`x${KEY}y`)).toBe(`x${REDACTED}y`);
  });

  it("leaves UUIDs, longer hashes, short et_ words and reset_password alone", () => {
    const kept = [
      "2f1c9a4e-7b1d-4c3e-9f0a-1b2c3d4e5f60",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "et_al",
      "reset_password_for_the_user_account_now",
      `${REG}0`,
    ];
    for (const text of kept) expect(redactText(text)).toBe(text);
  });
});

describe("redactJson", () => {
  it("redacts secret-named fields at any depth, and credential shapes in keys and values", () => {
    const value = {
      a: [{ password: "p", nested: { api_key: "x", X_Registration_Token: "r" } }],
      note: `use ${KEY}`,
      [ENROLL]: 1,
      ok: "fine",
    };
    expect(JSON.parse(redactJson(value))).toEqual({
      a: [{ password: REDACTED, nested: { api_key: REDACTED, X_Registration_Token: REDACTED } }],
      note: `use ${REDACTED}`,
      [REDACTED]: 1,
      ok: "fine",
    });
  });
});

describe("redactPath", () => {
  it("redacts a key segment, percent-encoded or not, and keeps the rest as sent", () => {
    expect(redactPath(`/api/scores/${KEY}/logs`)).toBe(`/api/scores/${REDACTED}/logs`);
    expect(redactPath(`/api/scores/%61k_${KEY.slice(3)}/logs`)).toBe(`/api/scores/${REDACTED}/logs`);
    expect(redactPath(`/api/x/${ENROLL}`)).toBe(`/api/x/${REDACTED}`);
    expect(redactPath("/api/tasks/%E6%95%B0/modules")).toBe("/api/tasks/%E6%95%B0/modules");
    expect(redactPath("/api/tasks/%E0%A4%A/x")).toBe("/api/tasks/%E0%A4%A/x");
  });
});
