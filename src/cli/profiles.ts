import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, ExitCode } from './exit-codes.js';

export interface Profile {
  url: string;
  token: string;
}

export interface ProfileFile {
  /** The profile used when neither --profile nor ORRERY_PROFILE names one. */
  default?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The config file: ORRERY_CONFIG, else $XDG_CONFIG_HOME/orrery/config.json, else ~/.config/orrery/config.json. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ORRERY_CONFIG) return path.resolve(env.ORRERY_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'orrery', 'config.json');
}

export function readProfiles(file: string): ProfileFile {
  if (!existsSync(file)) return { profiles: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as ProfileFile;
    return { default: parsed.default, profiles: parsed.profiles ?? {} };
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, ExitCode.usage);
  }
}

/** Writes the file readable by its owner only, since it holds tokens. */
export function writeProfiles(file: string, content: ProfileFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export interface ConnectionFlags {
  profile?: string;
  url?: string;
  token?: string;
}

/**
 * Where to connect and with which token. Flags win over environment variables (ORRERY_URL,
 * ORRERY_TOKEN, ORRERY_PROFILE), which win over the profile's values.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; token?: string } {
  const file = readProfiles(configFilePath(env));
  const name = flags.profile ?? env.ORRERY_PROFILE ?? file.default;
  const profile = name ? file.profiles[name] : undefined;
  if ((flags.profile ?? env.ORRERY_PROFILE) && !profile) {
    throw new CliError(
      `no profile named "${name}" in ${configFilePath(env)}; run "orrery setup --profile ${name}"`,
      ExitCode.usage,
    );
  }
  const url = (flags.url ?? env.ORRERY_URL ?? profile?.url ?? DEFAULT_URL).replace(/\/+$/, '');
  const token = flags.token ?? env.ORRERY_TOKEN ?? profile?.token;
  return { url, token };
}
