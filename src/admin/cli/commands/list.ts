import { CliFailure } from '../errors.ts';
import { flagOption, stringOption } from '../option-values.ts';
import { printResult } from '../output.ts';
import type { TenantApi, TenantListQuery, TenantPage } from '../tenant-api.ts';
import { formatTenantTable } from '../tenant-format.ts';
import type { AllTenantsCommand } from './command.ts';

/** Every page from `query.from` on, merged into one. */
async function listAll(api: TenantApi, query: TenantListQuery): Promise<TenantPage> {
  const merged: TenantPage = { tenants: [], total: 0 };
  let from = query.from;
  for (;;) {
    const page = await api.list({ ...query, from });
    merged.tenants.push(...page.tenants);
    merged.total = page.total;
    if (page.next_batch === undefined) return merged;
    // A token that does not advance would loop forever.
    if (page.next_batch === from) throw new CliFailure(`the admin API returned the same next_batch twice (${from})`);
    from = page.next_batch;
  }
}

function pageText(page: TenantPage, state: string | undefined): string {
  if (page.tenants.length === 0) return state === undefined ? 'No tenants.' : `No ${state} tenants.`;
  const table = formatTenantTable(page.tenants);
  if (page.next_batch === undefined) return table;
  return `${table}\n\n${page.tenants.length} of ${page.total} shown; next page: --from ${page.next_batch} (or --all for every page)`;
}

export const listCommand: AllTenantsCommand = {
  name: 'list',
  summary: 'List tenants, oldest first',
  details: 'Shows one page (default 100, the API maximum is 1000) unless --all is given.',
  takesServerName: false,
  options: {
    state: { type: 'string', valueName: 'provisioning|active|suspended', description: 'Only tenants in this state' },
    limit: { type: 'string', valueName: 'n', description: 'Tenants per page (with --all: per request)' },
    from: { type: 'string', valueName: 'token', description: 'Start after this next_batch token of an earlier page' },
    all: { type: 'boolean', description: 'Follow next_batch to list every tenant' },
  },
  async run(ctx, values) {
    const state = stringOption(values, 'state');
    const query: TenantListQuery = { limit: stringOption(values, 'limit'), from: stringOption(values, 'from'), state };
    const api = ctx.api();
    const page = flagOption(values, 'all') ? await listAll(api, query) : await api.list(query);
    printResult(ctx, page, () => pageText(page, state));
    return 0;
  },
};
