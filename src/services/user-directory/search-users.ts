// POST /user_directory/search: users visible to the searcher (see storage/user-directory.ts)
// whose user ID or display name contains every whitespace-separated word of the search term,
// case-insensitively (Unicode case folding). Ranked: a word starting the display name or the
// localpart first, then users with a display name, then by name and user ID. `limited`
// says whether more users matched than `limit` (default 10, at most 50).
import { foldCase } from '../../protocol/case-fold.ts';
import { visibleDirectoryUsers, type DirectoryUser } from '../../storage/user-directory.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

export interface DirectoryResult {
  user_id: string;
  display_name?: string;
  avatar_url?: string;
}

const ASCII = /^[\x20-\x7e]*$/;

function fold(text: string): string {
  return foldCase(text.normalize('NFKC'));
}

function localpartOf(userId: string): string {
  const colon = userId.indexOf(':');
  return userId.slice(1, colon < 0 ? undefined : colon);
}

/** 0: some word starts the display name (or a word of it) or the localpart; 1: otherwise. */
function rankOf(user: DirectoryUser, words: readonly string[]): number {
  const name = fold(user.displayname ?? '');
  const nameWords = name.split(/\s+/);
  const localpart = fold(localpartOf(user.userId));
  return words.some((w) => localpart.startsWith(w) || nameWords.some((n) => n.startsWith(w))) ? 0 : 1;
}

export async function searchUserDirectory(
  tenant: TenantContext,
  searcherId: string,
  request: { searchTerm: string; limit?: number },
): Promise<{ results: DirectoryResult[]; limited: boolean }> {
  const limit = Math.min(request.limit ?? DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT);
  const words = fold(request.searchTerm).split(/\s+/).filter((w) => w.length > 0);
  // ASCII words can be matched by the database whatever its locale; others are matched here.
  const candidates = await visibleDirectoryUsers(tenant.db, searcherId, words.every((w) => ASCII.test(w)) ? words : undefined);
  const matches = candidates
    .filter((user) => {
      const haystack = `${fold(user.userId)}\u0000${fold(user.displayname ?? '')}`;
      return words.every((w) => haystack.includes(w));
    })
    .map((user) => ({ user, rank: rankOf(user, words), name: fold(user.displayname ?? '') }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        Number(a.user.displayname === null) - Number(b.user.displayname === null) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        (a.user.userId < b.user.userId ? -1 : a.user.userId > b.user.userId ? 1 : 0),
    );
  const results = matches.slice(0, limit).map(({ user }) => ({
    user_id: user.userId,
    ...(user.displayname !== null ? { display_name: user.displayname } : {}),
    ...(user.avatarUrl !== null ? { avatar_url: user.avatarUrl } : {}),
  }));
  return { results, limited: matches.length > limit };
}
