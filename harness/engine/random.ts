/**
 * @pulumi/random resources with real randomness (node:crypto), following
 * terraform-provider-random: character classes, minimums, defaults, secret outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { randomBytes, randomInt } from "node:crypto";
import { Created } from "./context";
import { onlyKnown, required, secret } from "./inputs";

type StringIn = pulumi.Unwrap<random.RandomPasswordArgs>;

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NUMERIC = "0123456789";
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

const pick = (chars: string) => chars[randomInt(chars.length)];

/** RandomPassword / RandomString: `result` (secret for RandomPassword, like the engine makes it). */
export function createRandomString(resourceName: string, i: StringIn, isPassword: boolean): Created {
  const where = `${isPassword ? "RandomPassword" : "RandomString"} "${resourceName}"`;
  // keepers only force replacement. bcryptHash (RandomPassword) is NOT produced: no bcrypt here.
  const known = ["length", "lower", "upper", "numeric", "number", "special", "overrideSpecial"];
  onlyKnown(where, i, [...known, "minLower", "minUpper", "minNumeric", "minSpecial", "keepers"]);
  const length = required(`${where} length`, i.length);
  const classes = [
    { on: i.lower ?? true, chars: LOWER, min: i.minLower ?? 0 },
    { on: i.upper ?? true, chars: UPPER, min: i.minUpper ?? 0 },
    { on: i.numeric ?? i.number ?? true, chars: NUMERIC, min: i.minNumeric ?? 0 },
    { on: i.special ?? true, chars: i.overrideSpecial ?? SPECIAL, min: i.minSpecial ?? 0 },
  ].filter((c) => c.on && c.chars.length > 0);
  const minimum = classes.reduce((n, c) => n + c.min, 0);
  if (classes.length === 0) throw new Error(`${where}: every character class is disabled`);
  if (length < minimum) throw new Error(`${where}: length ${length} is below the sum of the minimums (${minimum})`);

  const chars = classes.flatMap((c) => Array.from({ length: c.min }, () => pick(c.chars)));
  const all = classes.map((c) => c.chars).join("");
  while (chars.length < length) chars.push(pick(all));
  for (let k = chars.length - 1; k > 0; k--) {
    const j = randomInt(k + 1);
    [chars[k], chars[j]] = [chars[j], chars[k]];
  }
  const result = chars.join("");
  return { id: isPassword ? "none" : result, outputs: { result: isPassword ? secret(result) : result } };
}

/** RandomBytes: `base64` and `hex`, both secret. */
export function createRandomBytes(resourceName: string, i: pulumi.Unwrap<random.RandomBytesArgs>): Created {
  const where = `RandomBytes "${resourceName}"`;
  onlyKnown(where, i, ["length", "keepers"]);
  const bytes = randomBytes(required(`${where} length`, i.length));
  return { id: "none", outputs: { base64: secret(bytes.toString("base64")), hex: secret(bytes.toString("hex")) } };
}

/** RandomId: `hex`, `b64Url`, `b64Std`, `dec`, each with the optional prefix. */
export function createRandomId(resourceName: string, i: pulumi.Unwrap<random.RandomIdArgs>): Created {
  const where = `RandomId "${resourceName}"`;
  onlyKnown(where, i, ["byteLength", "prefix", "keepers"]);
  const bytes = randomBytes(required(`${where} byteLength`, i.byteLength));
  const prefix = i.prefix ?? "";
  const b64Url = bytes.toString("base64url");
  return {
    id: b64Url,
    outputs: {
      hex: prefix + bytes.toString("hex"),
      b64Url: prefix + b64Url,
      b64Std: prefix + bytes.toString("base64"),
      dec: prefix + BigInt("0x" + (bytes.toString("hex") || "0")).toString(10),
    },
  };
}
