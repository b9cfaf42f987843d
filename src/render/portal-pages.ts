// The portal's pages (docs/portal.md) as text: Home, Pay, Receipts,
// Statements and the QuickPay screen; the Account page is render/account-page.ts.
// Pure: the same page and options always give the same bytes.
import type { AccountPage } from '../domain/account-page.js';
import type { PortalView } from '../domain/portal.js';
import { renderAccountPage, type RenderOptions } from './account-page.js';

/** One view of the portal for one account seen through one group. */
export function renderView(view: PortalView, page: AccountPage, options: RenderOptions): string {
  if (view === 'account') return renderAccountPage(page, options);
  throw new Error(`the ${view} page is not rendered yet`);
}
