// Texts of the warn level's instructions, service contacts and notices (issue 21).

export const en = {
  noticeInstructionsUrl: 'Setup instructions (URL shown to users at warn and enforced)',
  noticeInstructions: 'Setup instructions',
};

export const ja: Record<keyof typeof en, string> = {
  noticeInstructionsUrl: '設定手順の URL(警告・強制時に利用者へ表示)',
  noticeInstructions: '設定手順',
};
