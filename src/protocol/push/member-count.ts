// room_member_count's `is`: "A decimal integer optionally prefixed by one of, ==, <, >, >=
// or <=", bare meaning ==. Nothing else is accepted: no sign, no spaces, no single "=".
export type MemberCountOperator = '==' | '<' | '>' | '<=' | '>=';

export interface MemberCountComparison {
  readonly operator: MemberCountOperator;
  readonly count: number;
}

const MEMBER_COUNT = /^(==|<=|>=|<|>)?([0-9]+)$/;

export function parseMemberCountComparison(is: string): MemberCountComparison | undefined {
  const match = MEMBER_COUNT.exec(is);
  if (!match) return undefined;
  const operator = (match[1] ?? '==') as MemberCountOperator;
  return { operator, count: Number(match[2]) };
}

export function compareMemberCount(memberCount: number, comparison: MemberCountComparison): boolean {
  const { operator, count } = comparison;
  switch (operator) {
    case '==':
      return memberCount === count;
    case '<':
      return memberCount < count;
    case '>':
      return memberCount > count;
    case '<=':
      return memberCount <= count;
    case '>=':
      return memberCount >= count;
  }
}
