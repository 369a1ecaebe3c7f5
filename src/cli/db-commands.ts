import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import { addWaitOptions, contextOf, positiveInteger } from './context.js';
import { CliError, ExitCode } from './exit-codes.js';
import { outputOption, printDone, printObject, printRows, type OutputFormat } from './output.js';
import { waitForDatabaseStatus } from './progress.js';

interface DatabaseInfo {
  name?: string;
  cloudProvider?: string;
  region?: string;
  tier?: string;
  keyspace?: string;
  keyspaces?: string[];
  capacityUnits?: number;
  datacenters?: { id: string; region: string; cloudProvider: string; status?: string; dateCreated?: string }[];
}

interface Database {
  id: string;
  status: string;
  creationTime?: string;
  info: DatabaseInfo;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds a database by id or, as the Astra CLI does, by its unique name among the live ones. */
async function findDatabase(client: ApiClient, nameOrId: string): Promise<Database> {
  if (UUID.test(nameOrId)) return client.get<Database>(`/v2/databases/${nameOrId.toLowerCase()}`);
  const matches = (await client.get<Database[]>('/v2/databases?include=nonterminated&limit=100')).filter(
    (d) => d.info.name === nameOrId,
  );
  if (matches.length === 0) throw new CliError(`no database named "${nameOrId}"`, ExitCode.notFound);
  if (matches.length > 1)
    throw new CliError(`${matches.length} databases are named "${nameOrId}"; use an id`, ExitCode.refused);
  return matches[0]!;
}

async function findByName(client: ApiClient, name: string): Promise<Database | undefined> {
  return (await client.get<Database[]>('/v2/databases?include=nonterminated&limit=100')).find(
    (d) => d.info.name === name,
  );
}

function summary(db: Database): [string, unknown][] {
  return [
    ['Name', db.info.name],
    ['Id', db.id],
    ['Status', db.status],
    ['Cloud provider', db.info.cloudProvider],
    ['Region', db.info.region],
    ['Tier', db.info.tier],
    ['Default keyspace', db.info.keyspace],
    ['Keyspaces', db.info.keyspaces],
    ['Regions', db.info.datacenters?.map((dc) => dc.region)],
    ['Created', db.creationTime],
  ];
}

interface WaitFlags {
  async: boolean;
  timeout: number;
}

/** Waits for the status unless --async, then prints the database (or the ids for scripts). */
async function finish(
  client: ApiClient,
  format: OutputFormat,
  id: string,
  target: string,
  flags: WaitFlags,
  message: string,
): Promise<void> {
  if (flags.async) {
    printDone(format, `${message} (not waiting)`, { id });
    return;
  }
  const database = await waitForDatabaseStatus(client, id, target, { timeoutSeconds: flags.timeout });
  printDone(format, message, { id, status: database.status });
}

interface DatabaseAction<F> {
  client: ApiClient;
  format: OutputFormat;
  database: Database;
  flags: F;
}

/** The action of a command whose first argument names a database: finds it by name or id, then runs. */
function withDatabase<F = unknown>(action: (context: DatabaseAction<F>) => void | Promise<void>) {
  return async (nameOrId: string, flags: F, command: Command): Promise<void> => {
    const { client, format } = contextOf(command);
    await action({ client, format, flags, database: await findDatabase(client, nameOrId) });
  };
}

/** The path-form address of a keyspace on the database's data endpoint (its first region). */
function keyspacePath(database: Database, keyspace: string | undefined): string {
  const region = database.info.datacenters?.[0]?.region ?? database.info.region;
  const name = keyspace ?? database.info.keyspace ?? 'default_keyspace';
  return `/data/${database.id}-${region}/api/json/v1/${encodeURIComponent(name)}`;
}

const list = (raw: string) => raw.split(',').map((s) => s.trim());

interface CollectionInfo {
  name: string;
  options: { vector?: { dimension?: number; metric?: string } };
}

interface CollectionFlags {
  collection: string;
  keyspace?: string;
  indexingAllow?: string;
  indexingDeny?: string;
}

export function dbCommands(): Command {
  const db = new Command('db').description(
    'databases: lifecycle, keyspaces, collections, regions and secure connect bundles',
  );

  db.command('list')
    .description('list the databases that are not terminated')
    .option('--all', 'include terminated databases', false)
    .addOption(outputOption())
    .action(async (flags: { all: boolean }, command: Command) => {
      const { client, format } = contextOf(command);
      const list = await client.get<Database[]>(
        `/v2/databases?include=${flags.all ? 'all' : 'nonterminated'}&limit=100`,
      );
      printRows(
        format,
        [
          { header: 'Name', value: (d) => d.info.name },
          { header: 'Id', value: (d) => d.id },
          { header: 'Status', value: (d) => d.status },
          { header: 'Cloud', value: (d) => d.info.cloudProvider },
          { header: 'Regions', value: (d) => d.info.datacenters?.map((dc) => dc.region) ?? d.info.region },
        ],
        list,
      );
    });

  db.command('get')
    .alias('describe')
    .description('show one database')
    .argument('<db>', 'database name or id')
    .addOption(outputOption())
    .action(
      withDatabase(({ format, database }) => {
        printObject(format, summary(database), database);
      }),
    );

  db.command('status')
    .description("show a database's status")
    .argument('<db>', 'database name or id')
    .addOption(outputOption())
    .action(
      withDatabase(({ format, database }) => {
        printDone(format, `database ${database.info.name} (${database.id}) is ${database.status}`, {
          id: database.id,
          status: database.status,
        });
      }),
    );

  addWaitOptions(
    db
      .command('create')
      .description('create a database and wait until it is ACTIVE')
      .argument('<name>', 'database name')
      .option('-r, --region <region>', 'region', 'us-east1')
      .option('-c, --cloud <provider>', 'cloud provider: AWS, GCP or AZURE', 'GCP')
      .option('-k, --keyspace <keyspace>', 'default keyspace', 'default_keyspace')
      .option('--tier <tier>', 'tier', 'serverless')
      .option('--capacity-units <n>', 'capacity units', positiveInteger, 1)
      .option('--if-not-exists', 'succeed without change when a live database has this name', false)
      .addOption(outputOption()),
    600,
  ).action(
    async (
      name: string,
      flags: WaitFlags & {
        region: string;
        cloud: string;
        keyspace: string;
        tier: string;
        capacityUnits: number;
        ifNotExists: boolean;
      },
      command: Command,
    ) => {
      const { client, format } = contextOf(command);
      const existing = flags.ifNotExists ? await findByName(client, name) : undefined;
      if (existing) {
        printDone(format, `database ${name} already exists (${existing.id})`, {
          id: existing.id,
          status: existing.status,
        });
        return;
      }
      const created = await client.post('/v2/databases', {
        name,
        cloudProvider: flags.cloud,
        region: flags.region,
        keyspace: flags.keyspace,
        tier: flags.tier,
        capacityUnits: flags.capacityUnits,
      });
      const id = created.headers.get('location') ?? '';
      await finish(client, format, id, 'ACTIVE', flags, `database ${name} created (${id})`);
    },
  );

  addWaitOptions(
    db
      .command('delete')
      .description('terminate a database and wait until it is TERMINATED')
      .argument('<db>', 'database name or id')
      .addOption(outputOption()),
    900,
  ).action(
    withDatabase<WaitFlags>(async ({ client, format, database, flags }) => {
      await client.post(`/v2/databases/${database.id}/terminate`);
      await finish(
        client,
        format,
        database.id,
        'TERMINATED',
        flags,
        `database ${database.info.name} terminated (${database.id})`,
      );
    }),
  );

  for (const [verb, target, description] of [
    ['park', 'PARKED', 'park a classic database and wait until it is PARKED'],
    ['unpark', 'ACTIVE', 'unpark a classic database and wait until it is ACTIVE'],
  ] as const) {
    addWaitOptions(
      db.command(verb).description(description).argument('<db>', 'database name or id').addOption(outputOption()),
      600,
    ).action(
      withDatabase<WaitFlags>(async ({ client, format, database, flags }) => {
        await client.post(`/v2/databases/${database.id}/${verb}`);
        await finish(client, format, database.id, target, flags, `database ${database.info.name} ${verb}ed`);
      }),
    );
  }

  addWaitOptions(
    db
      .command('resize')
      .description('resize a classic database and wait until it is ACTIVE')
      .argument('<db>', 'database name or id')
      .requiredOption('--capacity-units <n>', 'total capacity units', positiveInteger)
      .addOption(outputOption()),
    600,
  ).action(
    withDatabase<WaitFlags & { capacityUnits: number }>(async ({ client, format, database, flags }) => {
      await client.post(`/v2/databases/${database.id}/resize`, { capacityUnits: flags.capacityUnits });
      await finish(
        client,
        format,
        database.id,
        'ACTIVE',
        flags,
        `database ${database.info.name} resized to ${flags.capacityUnits} capacity units`,
      );
    }),
  );

  db.command('list-keyspaces')
    .description("list a database's keyspaces")
    .argument('<db>', 'database name or id')
    .addOption(outputOption())
    .action(
      withDatabase(({ format, database }) => {
        const keyspaces = database.info.keyspaces ?? [];
        printRows(
          format,
          [{ header: 'Name', value: (k: string) => (k === database.info.keyspace ? `${k} (default)` : k) }],
          keyspaces,
        );
      }),
    );

  for (const [verb, method, description] of [
    ['create-keyspace', 'POST', 'add a keyspace and wait until the database is ACTIVE again'],
    ['delete-keyspace', 'DELETE', 'remove a keyspace and wait until the database is ACTIVE again'],
  ] as const) {
    addWaitOptions(
      db
        .command(verb)
        .description(description)
        .argument('<db>', 'database name or id')
        .requiredOption('-k, --keyspace <keyspace>', 'keyspace name')
        .addOption(outputOption()),
      60,
    ).action(
      withDatabase<WaitFlags & { keyspace: string }>(async ({ client, format, database, flags }) => {
        await client.request(method, `/v2/databases/${database.id}/keyspaces/${encodeURIComponent(flags.keyspace)}`);
        await finish(
          client,
          format,
          database.id,
          'ACTIVE',
          flags,
          `keyspace ${flags.keyspace} ${method === 'POST' ? 'created' : 'deleted'} in ${database.info.name}`,
        );
      }),
    );
  }

  db.command('list-collections')
    .description("list a keyspace's collections (Data API)")
    .argument('<db>', 'database name or id')
    .option('-k, --keyspace <keyspace>', "keyspace (default: the database's default keyspace)")
    .addOption(outputOption())
    .action(
      withDatabase<{ keyspace?: string }>(async ({ client, format, database, flags }) => {
        const { collections } = await client.dataCommand<{ collections: CollectionInfo[] }>(
          keyspacePath(database, flags.keyspace),
          { findCollections: { options: { explain: true } } },
        );
        printRows(
          format,
          [
            { header: 'Name', value: (c) => c.name },
            { header: 'Vector dimension', value: (c) => c.options.vector?.dimension },
            { header: 'Metric', value: (c) => c.options.vector?.metric },
          ],
          collections,
        );
      }),
    );

  db.command('create-collection')
    .description('create a collection (Data API); an existing one with the same options is kept')
    .argument('<db>', 'database name or id')
    .requiredOption('-c, --collection <name>', 'collection name')
    .option('-k, --keyspace <keyspace>', "keyspace (default: the database's default keyspace)")
    .option('--dimension <n>', 'vector dimension: makes a vector collection', positiveInteger)
    .option('--metric <metric>', 'vector similarity: cosine, dot_product or euclidean')
    .option('--default-id <type>', 'type of generated _id values: uuid, uuidv6, uuidv7, objectId')
    .option('--indexing-allow <paths>', 'index only these comma-separated paths')
    .option('--indexing-deny <paths>', 'index every path but these comma-separated ones')
    .addOption(outputOption())
    .action(
      withDatabase<CollectionFlags & { dimension?: number; metric?: string; defaultId?: string }>(
        async ({ client, format, database, flags }) => {
          const options = {
            ...(flags.dimension || flags.metric
              ? { vector: { dimension: flags.dimension, ...(flags.metric ? { metric: flags.metric } : {}) } }
              : {}),
            ...(flags.defaultId ? { defaultId: { type: flags.defaultId } } : {}),
            ...(flags.indexingAllow ? { indexing: { allow: list(flags.indexingAllow) } } : {}),
            ...(flags.indexingDeny ? { indexing: { deny: list(flags.indexingDeny) } } : {}),
          };
          await client.dataCommand(keyspacePath(database, flags.keyspace), {
            createCollection: { name: flags.collection, ...(Object.keys(options).length ? { options } : {}) },
          });
          printDone(format, `collection ${flags.collection} created in ${database.info.name}`, {
            id: database.id,
            collection: flags.collection,
          });
        },
      ),
    );

  db.command('delete-collection')
    .description('delete a collection and its documents (Data API)')
    .argument('<db>', 'database name or id')
    .requiredOption('-c, --collection <name>', 'collection name')
    .option('-k, --keyspace <keyspace>', "keyspace (default: the database's default keyspace)")
    .addOption(outputOption())
    .action(
      withDatabase<CollectionFlags>(async ({ client, format, database, flags }) => {
        await client.dataCommand(keyspacePath(database, flags.keyspace), {
          deleteCollection: { name: flags.collection },
        });
        printDone(format, `collection ${flags.collection} deleted from ${database.info.name}`, {
          id: database.id,
          collection: flags.collection,
        });
      }),
    );

  db.command('list-regions')
    .description("list a database's regions (datacenters)")
    .argument('<db>', 'database name or id')
    .addOption(outputOption())
    .action(
      withDatabase(async ({ client, format, database }) => {
        const datacenters = await client.get<NonNullable<DatabaseInfo['datacenters']>>(
          `/v2/databases/${database.id}/datacenters`,
        );
        printRows(
          format,
          [
            { header: 'Id', value: (dc) => dc.id },
            { header: 'Cloud', value: (dc) => dc.cloudProvider },
            { header: 'Region', value: (dc) => dc.region },
            { header: 'Status', value: (dc) => dc.status },
          ],
          datacenters,
        );
      }),
    );

  addWaitOptions(
    db
      .command('create-region')
      .description('add a region (datacenter) and wait until the database is ACTIVE again')
      .argument('<db>', 'database name or id')
      .requiredOption('-r, --region <region>', 'region to add')
      .option('-c, --cloud <provider>', "cloud provider (default: the database's)")
      .addOption(outputOption()),
    600,
  ).action(
    withDatabase<WaitFlags & { region: string; cloud?: string }>(async ({ client, format, database, flags }) => {
      const cloudProvider = flags.cloud ?? database.info.cloudProvider;
      await client.post(`/v2/databases/${database.id}/datacenters`, [
        { tier: database.info.tier, cloudProvider, region: flags.region },
      ]);
      await finish(
        client,
        format,
        database.id,
        'ACTIVE',
        flags,
        `region ${flags.region} added to ${database.info.name}`,
      );
    }),
  );

  addWaitOptions(
    db
      .command('delete-region')
      .description('remove a region (datacenter) and wait until the database is ACTIVE again')
      .argument('<db>', 'database name or id')
      .requiredOption('-r, --region <region>', 'region to remove')
      .addOption(outputOption()),
    600,
  ).action(
    withDatabase<WaitFlags & { region: string }>(async ({ client, format, database, flags }) => {
      const datacenter = database.info.datacenters?.find((dc) => dc.region === flags.region);
      if (!datacenter)
        throw new CliError(`database ${database.info.name} has no region ${flags.region}`, ExitCode.notFound);
      await client.post(`/v2/databases/${database.id}/datacenters/${datacenter.id}/terminate`);
      await finish(
        client,
        format,
        database.id,
        'ACTIVE',
        flags,
        `region ${flags.region} removed from ${database.info.name}`,
      );
    }),
  );

  db.command('download-scb')
    .description('download the secure connect bundle of a database region')
    .argument('<db>', 'database name or id')
    .option('-r, --region <region>', 'region (default: the first)')
    .option('-f, --file <path>', 'where to write it (default: scb_<id>_<region>.zip)')
    .addOption(outputOption())
    .action(
      withDatabase<{ region?: string; file?: string }>(async ({ client, format, database, flags }) => {
        const links = (
          await client.post<{ downloadURL: string; region?: string }[]>(
            `/v2/databases/${database.id}/secureBundleURL?all=true`,
          )
        ).body;
        const regions = database.info.datacenters?.map((dc) => dc.region) ?? [];
        const index = flags.region ? regions.indexOf(flags.region) : 0;
        const link = links[index];
        if (index < 0 || !link)
          throw new CliError(`database ${database.info.name} has no region ${flags.region}`, ExitCode.notFound);
        const region = regions[index] ?? database.info.region;
        const response = await fetch(link.downloadURL);
        if (!response.ok) throw new CliError(`the bundle download answered ${response.status}`, ExitCode.failed);
        const file = flags.file ?? `scb_${database.id}_${region}.zip`;
        writeFileSync(file, Buffer.from(await response.arrayBuffer()));
        printDone(format, `secure connect bundle written to ${file}`, { id: database.id, region, file });
      }),
    );

  return db;
}
