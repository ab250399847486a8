/**
 * Store faults injected where the adapters meet DynamoDB: a middleware on the SDK client
 * fails chosen calls the way DynamoDB does (throttling, transaction conflicts, 500s, an
 * answer lost after the write happened), so the adapters' own retry and error mapping
 * run exactly as in production.
 */
import { ThrottlingException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Dynamo } from '../../server/adapters/dynamo/client.js';

/** `slow`: the call succeeds, a second late (work in flight for a shutdown to wait for). */
export type Fault = 'throttle' | 'conflict' | 'server-error' | 'lost-answer' | 'slow';

export interface FaultPlan {
  /** Which fault (if any) this call gets; called once per SDK call (retries are calls too). */
  pick(command: string): Fault | null;
}

export function injectFaults(dynamo: Dynamo, initial: FaultPlan | null = null) {
  let plan = initial;
  const counts: Record<string, number> = {};
  dynamo.raw.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      const fault = plan?.pick(command) ?? null;
      if (!fault) return next(args);
      counts[fault] = (counts[fault] ?? 0) + 1;
      if (fault === 'slow') {
        await new Promise((r) => setTimeout(r, 1000));
        return next(args);
      }
      if (fault === 'lost-answer') {
        await next(args); // the write happens...
        throw Object.assign(new Error('socket hang up (injected)'), { name: 'TimeoutError', code: 'ECONNRESET' }); // ...its answer does not arrive
      }
      throw faultError(fault);
    },
    { step: 'initialize', name: 'injectFaults' },
  );
  return {
    set(next: FaultPlan | null) {
      plan = next;
    },
    counts,
  };
}

function faultError(fault: Exclude<Fault, 'lost-answer' | 'slow'>): Error {
  const $metadata = { httpStatusCode: fault === 'server-error' ? 500 : 400 };
  if (fault === 'throttle') return new ThrottlingException({ message: 'Rate exceeded (injected)', $metadata });
  if (fault === 'conflict') {
    return new TransactionCanceledException({
      message: 'Transaction cancelled (injected)',
      $metadata,
      CancellationReasons: [{ Code: 'TransactionConflict' }],
    });
  }
  return Object.assign(new Error('Internal server error (injected)'), { name: 'InternalServerError', $metadata });
}

/** Every call (of the given commands, or all) fails with `fault`, with probability `p`, from a seeded generator. */
export function randomFaults(fault: Fault, p: number, seed = 1, commands?: string[]): FaultPlan {
  let state = seed >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return { pick: (command) => ((!commands || commands.includes(command)) && next() < p ? fault : null) };
}

/**
 * A secondary index that lags its table, as GSIs do on AWS (neither emulator shows it): each
 * Query on an index answers with `view(items)` instead of the items (as the document client gives them), e.g. without
 * the bookings for an index that has not seen the latest writes yet. `set(null)` lets it catch up.
 */
export function lagIndexes(dynamo: Dynamo) {
  let view: ((items: Record<string, unknown>[]) => Record<string, unknown>[]) | null = null;
  let queries = 0;
  dynamo.raw.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const input = args.input as { IndexName?: string };
      if (!view || context.commandName !== 'QueryCommand' || !input.IndexName) return out;
      queries++;
      const output = out.output as { Items?: Record<string, unknown>[]; Count?: number };
      const items = view(output.Items ?? []);
      return { ...out, output: { ...out.output, Items: items, Count: items.length } as typeof out.output };
    },
    { step: 'initialize', name: 'lagIndexes' },
  );
  return {
    set(next: typeof view) {
      view = next;
    },
    get queries() {
      return queries;
    },
  };
}
