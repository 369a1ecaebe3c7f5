import type { DatabaseRecord } from './database-records.js';

/** A step of the lifecycle is named by the status it leads to. */
export type StepTarget = 'INITIALIZING' | 'ACTIVE' | 'TERMINATED' | 'PARKED';

/** What a transition changes besides the status, applied when its last step lands. */
export interface StepEffect {
  addKeyspace?: string;
  dropKeyspace?: string;
  capacityUnits?: number;
  /** Datacenters being added, which become ACTIVE. */
  addDatacenters?: string[];
  /** A datacenter being removed, which becomes TERMINATED. */
  terminateDatacenter?: string;
}

/**
 * One step for the data plane: the status it leads to and what the transition does (which keyspace,
 * which capacity, which datacenters). The database's current status says where it comes from.
 */
export interface ProvisionStep {
  target: StepTarget;
  effect: StepEffect;
  /** True on the transition's last step, when its effect is due. */
  last: boolean;
}

/**
 * The data plane behind Orrery: the embedded one keeps each database's data in Orrery's store; a
 * Cassandra one would drive clusters. Each step of a transition is asked for separately, so a
 * restart resumes at the step it stopped at; performing a step twice must do no harm.
 */
export interface Provisioner {
  /** How long the data plane takes for a step, in milliseconds. */
  durationMs(step: ProvisionStep, database: DatabaseRecord): number;
  /** Carries the step out; resolves to an error message when the data plane failed it. */
  perform(step: ProvisionStep, database: DatabaseRecord): Promise<string | undefined>;
}

export type Speed = 'immediate' | 'fast' | 'realistic' | 'manual' | number;

/** With 'manual' speed a step waits (a century) until an emulator control advances it. */
const MANUAL_MS = 100 * 365 * 24 * 3600 * 1000;

const REALISTIC_MS: Record<StepTarget, number> = {
  INITIALIZING: 20_000,
  ACTIVE: 90_000,
  TERMINATED: 30_000,
  PARKED: 60_000,
};

/** Simulates a data plane's timing and faults: configurable step durations, and a share of creations that fail. */
export class SimulatedProvisioner implements Provisioner {
  constructor(
    private readonly speed: Speed,
    private readonly faultRate: number,
    private readonly random: () => number = Math.random,
  ) {}

  durationMs({ target }: ProvisionStep): number {
    if (typeof this.speed === 'number') return this.speed;
    if (this.speed === 'immediate') return 0;
    // 'fast' stays well under the shortest client poll interval (astra-db-ts polls keyspaces every second).
    if (this.speed === 'fast') return 150;
    if (this.speed === 'manual') return MANUAL_MS;
    return REALISTIC_MS[target];
  }

  perform({ target }: ProvisionStep, database: DatabaseRecord): Promise<string | undefined> {
    // Only provisioning fails, as it does in the field; a failed database can still be terminated.
    const creating = target === 'ACTIVE' && database.status === 'INITIALIZING';
    return Promise.resolve(
      creating && this.random() < this.faultRate ? 'Provisioning failed (simulated fault).' : undefined,
    );
  }
}
