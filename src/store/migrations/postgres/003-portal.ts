// PostgreSQL migration 3: SQLite's migration 3, in PostgreSQL's terms (docs/store.md,
// "PostgreSQL"); run by src/store/pg/migrations.ts. Never edit it once shipped.
import { flag, color } from './columns.js';

export const sql = (): string => `
ALTER TABLE groups DROP CONSTRAINT groups_landing_page_check;
ALTER TABLE groups ADD CONSTRAINT groups_landing_page_check CHECK (landing_page IN ('home', 'account', 'pay'));
ALTER TABLE groups
  ADD COLUMN ${flag('show_current_balance', 1)},
  ADD COLUMN ${flag('show_escrow', 1)},
  ADD COLUMN logout_function text NOT NULL DEFAULT 'logout' CHECK (logout_function IN ('close', 'logout', 'none')),
  ADD COLUMN ${flag('email_receipts', 0)},
  ADD COLUMN ${flag('split_payments', 0)},
  ADD COLUMN favicon_url text,
  ADD COLUMN home_asset_url text,
  ${['background', 'surface', 'primary', 'secondary', 'accent', 'info', 'success', 'error', 'warning'].map((name) => `ADD COLUMN ${color(`theme_${name}`)}`).join(',\n  ')},
  ADD COLUMN ${flag('theme_dark', 0)};

ALTER TABLE payments ADD COLUMN status text NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'declined'));
`;
