import type { HmacSettings } from "../../providers/generic-hmac.js";

/** The generic `hmac` scheme's flags, as commander hands them over. */
export interface HmacFlags {
  hmacHeader?: string | undefined;
  hmacAlgorithm?: HmacSettings["algorithm"] | undefined;
  hmacEncoding?: HmacSettings["encoding"] | undefined;
  hmacPrefix?: string | undefined;
}

export function hmacSettingsFrom(flags: HmacFlags): Partial<HmacSettings> {
  const settings: Partial<HmacSettings> = {};
  if (flags.hmacHeader !== undefined) settings.header = flags.hmacHeader;
  if (flags.hmacAlgorithm !== undefined) settings.algorithm = flags.hmacAlgorithm;
  if (flags.hmacEncoding !== undefined) settings.encoding = flags.hmacEncoding;
  if (flags.hmacPrefix !== undefined) settings.prefix = flags.hmacPrefix;
  return settings;
}
