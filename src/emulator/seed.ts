import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const Name = Type.String({ minLength: 1, maxLength: 100 });

export const SeedSchema = Type.Object({
  organizations: Type.Array(
    Type.Object({
      name: Name,
      /** The organization's first Organization Administrator token, as a known value. */
      adminToken: Type.String(),
      roles: Type.Optional(
        Type.Array(
          Type.Object({
            name: Name,
            description: Type.Optional(Type.String()),
            actions: Type.Array(Type.String()),
            resources: Type.Optional(Type.Array(Type.String())),
          }),
        ),
      ),
      tokens: Type.Optional(
        Type.Array(
          Type.Object({
            token: Type.String(),
            roles: Type.Array(Type.String()),
            description: Type.Optional(Type.String()),
          }),
        ),
      ),
      users: Type.Optional(Type.Array(Type.Object({ email: Type.String(), roles: Type.Array(Type.String()) }))),
      databases: Type.Optional(
        Type.Array(
          Type.Object({
            name: Name,
            cloudProvider: Type.Optional(Type.String()),
            region: Type.Optional(Type.String()),
            tier: Type.Optional(Type.String()),
            keyspaces: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
          }),
        ),
      ),
    }),
  ),
});

export type Seed = Static<typeof SeedSchema>;

export class SeedFileError extends Error {}

/** Reads and checks a seed file; its errors name the file and the first wrong field. */
export function readSeedFile(file: string): Seed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SeedFileError(`ORRERY_SEED_FILE: ${file}: ${(error as Error).message}`);
  }
  const [first] = Value.Errors(SeedSchema, parsed);
  if (first) throw new SeedFileError(`ORRERY_SEED_FILE: ${file}: ${first.instancePath || '/'} ${first.message}`);
  return parsed as Seed;
}
