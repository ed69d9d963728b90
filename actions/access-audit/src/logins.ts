// Who counts as a person: GitHub Apps act as `name[bot]` accounts.

export const isHuman = (login: string): boolean => !/\[bot\]$/i.test(login);
